r"""Hard instances for revealing POMDPs (Chen, Wang, Xiong, Mei & Bai, ICML 2023, arXiv 2302.01333).

The toolkit constructions of the specification's Section 5 ([D]: they reproduce the
*mechanisms* of the paper's lower bounds, not its exact instances).

**A. Paninski uniformity-testing gadget** (Paninski 2008; specification Section 5A).  Over
``n`` (even) cells, the null is :math:`U=\mathrm{Unif}[n]` and the alternatives are
:math:`p_z(2j)=(1+z_j\varepsilon)/n`, :math:`p_z(2j+1)=(1-z_j\varepsilon)/n` (0-based cells,
:math:`z\in\{\pm1\}^{n/2}`).  Exact :math:`\chi^2` of the N-sample mixture:

.. math::

    1+\chi^2\bigl(\mathbb E_z p_z^{\otimes N}\,\|\,U^{\otimes N}\bigr)
      = \mathbb E_W\bigl[(1+2\varepsilon^2W/n)^N\bigr],\quad W=2\,\mathrm{Bin}(n/2,1/2)-n/2,
      \le\cosh(2N\varepsilon^2/n)^{n/2}\le\exp(N^2\varepsilon^4/n).

Exact TV (:func:`paninski_tv_exact`) by summing over pair counts, and a Monte Carlo TV with a
confidence interval (:func:`paninski_tv_curve`) from the bounded statistic
:math:`\mathrm{TV}=\mathbb E_U[(1-L)^+]`, :math:`L(x)=\prod_j\frac12[(1+\varepsilon)^{c_{2j}}(1-\varepsilon)^{c_{2j+1}}
+(1-\varepsilon)^{c_{2j}}(1+\varepsilon)^{c_{2j+1}}]`, no heavy tails (the specification warns
that :math:`\mathbb E_U|L-1|` has them).  Embedded in a POMDP (:func:`paninski_pomdp`): the
latent next state is drawn from :math:`p_z` and seen through
:math:`O=aI+(1-a)\mathbf 1\mathbf 1^\top/n`, so the observation law is the gadget with
:math:`\varepsilon\to a\varepsilon` (:math:`\|Ov\|_1=a\|v\|_1` for :math:`v\perp\mathbf 1`).

**B. Noisy combination lock** (:func:`noisy_lock`, Section 5B): latent on-track / off-track
states, binary symmetric emissions of quality ``a`` (exactly ``a``-revealing), a secret code,
the last observation perfect with reward 1 on track.

**C. Costly revealing action** (:func:`costly_reveal_pomdp`, Section 5C): a hypothesis
:math:`z\in\{\pm1\}^k` (the Paninski family over :math:`n=2k` latent sample states); a
"reveal" action makes the next observation an ``a``-noisy copy of the sample (and forfeits
the episode's reward); the :math:`2^k` "exploit" actions pay 1 surely for the guess
:math:`g=z` and 1/2 otherwise, so an exploit trajectory of a guess :math:`g\ne z,z'` has the
same law under :math:`\theta_z` and :math:`\theta_{z'}` (no leakage unless aligned).
``variant="two_step"``: the sample emits a blank observation (the latent sample is revealed
only by (reveal action, next observation): 2-step revealing).  ``variant="single_step"``: the
sample emits its ``a``-noisy copy at once (1-step revealing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy.special import gammaln

from ..._errors import ValidationError
from ..._random import as_generator
from ..._validation import check_int, check_probability
from ...bounds.pomdp import revealing_closed_form
from ...models.pomdp import POMDP

__all__ = ["paninski_law", "uniform_noise_channel", "paninski_observation_law", "paninski_chi2",
           "paninski_cosh_bound", "paninski_tv_exact", "paninski_tv_curve", "PaninskiTVCurve",
           "paninski_pomdp", "noisy_lock", "binary_channel", "costly_reveal_pomdp", "CostlyReveal",
           "revealing_closed_form"]


def _check_even(n) -> int:
    n = check_int(n, "n", minimum=2)
    if n % 2:
        raise ValidationError(f"n = {n} (rule: the Paninski gadget pairs cells, n must be even)")
    return n


def _check_z(z, k) -> np.ndarray:
    z = np.asarray(z)
    if z.shape != (k,) or not np.all(np.isin(z, (-1, 1))):
        raise ValidationError(f"z has shape {z.shape} (rule: {k} signs in {{-1, +1}})")
    return z.astype(np.int64)


def paninski_law(n: int, eps: float, z) -> np.ndarray:
    r""":math:`p_z` ``(n,)``: :math:`p_z(2j)=(1+z_j\varepsilon)/n`, :math:`p_z(2j+1)=(1-z_j\varepsilon)/n`."""
    n = _check_even(n)
    e = check_probability(eps, "eps")
    z = _check_z(z, n // 2)
    p = np.empty(n)
    p[0::2] = (1.0 + z * e) / n
    p[1::2] = (1.0 - z * e) / n
    return p


def uniform_noise_channel(n: int, a: float) -> np.ndarray:
    r"""Emission :math:`O=aI+(1-a)\mathbf 1\mathbf 1^\top/n` ``(n, n)`` (row s = law of o given s)."""
    n = check_int(n, "n", minimum=1)
    a = check_probability(a, "a")
    return a * np.eye(n) + (1.0 - a) / n


def binary_channel(a: float) -> np.ndarray:
    r"""Binary symmetric emission :math:`[[(1+a)/2,(1-a)/2],[(1-a)/2,(1+a)/2]]` (exactly ``a``-revealing)."""
    a = check_probability(a, "a")
    return np.array([[(1 + a) / 2, (1 - a) / 2], [(1 - a) / 2, (1 + a) / 2]])


def paninski_observation_law(n: int, eps: float, a: float, z) -> np.ndarray:
    r"""Observation law :math:`O^\top p_z` of a sample from :math:`p_z` seen through :func:`uniform_noise_channel`."""
    p = paninski_law(n, eps, z)
    O = uniform_noise_channel(n, a)
    return np.array([math.fsum((p * O[:, o]).tolist()) for o in range(n)])


def paninski_chi2(n: int, eps: float, N: int) -> float:
    r"""Exact :math:`\chi^2(\mathbb E_z p_z^{\otimes N}\|U^{\otimes N})=\mathbb E_W[(1+2\varepsilon^2W/n)^N]-1`.

    :math:`O(n)`: a sum over :math:`W=2B-n/2`, :math:`B\sim\mathrm{Bin}(n/2,1/2)`.  Returns ``inf``
    on overflow.

    Examples
    --------
    >>> round(paninski_chi2(8, 0.5, 11), 2)       # N = sqrt(n)/eps^2 = 11.3 (specification: about 1.08)
    1.08
    """
    n = _check_even(n)
    e = check_probability(eps, "eps")
    N = check_int(N, "N", minimum=1)
    k = n // 2
    terms = []
    for b in range(k + 1):
        x = 2.0 * e * e * (2 * b - k) / n
        w = math.exp(gammaln(k + 1) - gammaln(b + 1) - gammaln(k - b + 1) - k * math.log(2.0))
        if x <= -1.0:                                   # (1 + x)^N - 1 with 1 + x <= 0 (only for eps = 1)
            terms.append(w * ((1.0 + x) ** N - 1.0))
            continue
        lv = N * math.log1p(x)
        if lv > 700:
            return math.inf
        terms.append(w * math.expm1(lv))                # sum_b w_b = 1, so chi2 = sum_b w_b ((1+x_b)^N - 1)
    return math.fsum(terms)


def paninski_cosh_bound(n: int, eps: float, N: int) -> tuple[float, float]:
    r"""The two upper bounds on the mixture :math:`\chi^2`: :math:`\cosh(2N\varepsilon^2/n)^{n/2}-1` and :math:`e^{N^2\varepsilon^4/n}-1`."""
    n = _check_even(n)
    e = check_probability(eps, "eps")
    N = check_int(N, "N", minimum=1)
    t = 2 * N * e * e / n
    c = (n / 2) * math.log1p(2.0 * math.sinh(t / 2) ** 2)      # log cosh t, accurate for small t
    return (math.expm1(c) if c < 700 else math.inf,
            math.expm1(N * N * e ** 4 / n) if N * N * e ** 4 / n < 700 else math.inf)


def _pair_factor(c1: np.ndarray, c2: np.ndarray, e: float) -> np.ndarray:
    """Per-pair likelihood ratio ½[(1+e)^c1 (1-e)^c2 + (1-e)^c1 (1+e)^c2] (exact powers)."""
    return 0.5 * ((1 + e) ** c1 * (1 - e) ** c2 + (1 - e) ** c1 * (1 + e) ** c2)


def paninski_tv_exact(n: int, eps: float, N: int, max_terms: int = 50_000_000) -> float:
    r"""Exact :math:`\mathrm{TV}(\mathbb E_zp_z^{\otimes N},U^{\otimes N})=\frac12\mathbb E_U|L-1|` by enumeration.

    Sums over the counts per pair :math:`m\in\mathbb N^{n/2}` (:math:`\sum m=N`, multinomial with
    cell probability :math:`2/n`) and, within each pair, the split :math:`c_{2j}\sim\mathrm{Bin}(m_j,1/2)`,
    the likelihood ratio factorising over pairs.  For small ``n`` and ``N`` (the specification:
    n <= 8, N <= 30); raises :class:`ValidationError` beyond ``max_terms``.
    """
    n = _check_even(n)
    e = check_probability(eps, "eps")
    N = check_int(N, "N", minimum=1)
    k = n // 2
    n_types = math.comb(N + k - 1, k - 1)
    if n_types * (N / k + 1) ** k > max_terms:
        raise ValidationError(f"paninski_tv_exact(n={n}, N={N}) needs about {n_types * (N / k + 1) ** k:.3g} terms "
                              f"(rule: at most max_terms={max_terms}; use paninski_tv_curve)")
    # per-pair tables: for m in 0..N, split weights and factors
    wt, fac = [], []
    for m in range(N + 1):
        c = np.arange(m + 1)
        wt.append(np.exp(gammaln(m + 1) - gammaln(c + 1) - gammaln(m - c + 1) - m * math.log(2.0)))
        fac.append(_pair_factor(c.astype(float), (m - c).astype(float), e))
    out = []

    def comps(total, parts):
        if parts == 1:
            yield (total,)
            return
        for first in range(total, -1, -1):
            for rest in comps(total - first, parts - 1):
                yield (first,) + rest

    lg = gammaln(N + 1) - N * math.log(k)
    for ms in comps(N, k):
        logw = lg - float(np.sum(gammaln(np.array(ms) + 1.0)))
        W = np.array([1.0])
        L = np.array([1.0])
        for m in ms:
            W = np.multiply.outer(W, wt[m]).ravel()
            L = np.multiply.outer(L, fac[m]).ravel()
        out.append(math.exp(logw) * math.fsum((W * np.abs(L - 1.0)).tolist()))
    return 0.5 * math.fsum(out)


@dataclass(frozen=True)
class PaninskiTVCurve:
    r"""Monte Carlo TV between the N-sample mixture and the null, for N = 1..N_max (one coupled draw).

    Attributes: ``N`` ``(N_max,)``; ``tv`` ``(N_max,)`` the estimate :math:`\widehat{\mathbb E}_U[(1-L)^+]`;
    ``se`` ``(N_max,)`` its standard error; ``n_mc``; ``n``; ``eps``.
    """

    N: np.ndarray
    tv: np.ndarray
    se: np.ndarray
    n_mc: int
    n: int
    eps: float

    def first_crossing(self, level: float = 1 / 3, z_score: float = 0.0) -> int:
        """Smallest N with ``tv - z_score * se >= level`` (``N_max + 1`` if never)."""
        hit = np.flatnonzero(self.tv - z_score * self.se >= level)
        return int(self.N[hit[0]]) if hit.size else int(self.N[-1]) + 1


@njit(cache=True)
def _tv_curve_kernel(n, e, N_max, n_mc, rng, sums, sq):
    k = n // 2
    lp = math.log1p(e)
    lm = math.log1p(-e) if e < 1.0 else -np.inf
    c1 = np.zeros(k, dtype=np.int64)
    c2 = np.zeros(k, dtype=np.int64)
    logf = np.zeros(k)
    for _ in range(n_mc):
        for j in range(k):
            c1[j] = 0
            c2[j] = 0
            logf[j] = 0.0
        logL = 0.0
        for t in range(N_max):
            x = int(rng.random() * n)
            if x >= n:
                x = n - 1
            j = x // 2
            if x % 2 == 0:
                c1[j] += 1
            else:
                c2[j] += 1
            u = c1[j] * lp + c2[j] * lm
            v = c1[j] * lm + c2[j] * lp
            hi = max(u, v)
            new = hi + math.log(0.5 * (math.exp(u - hi) + math.exp(v - hi))) if hi > -np.inf else -np.inf
            logL += new - logf[j]
            logf[j] = new
            # recompute exactly every 64 draws to avoid drift
            if (t & 63) == 63:
                logL = 0.0
                for jj in range(k):
                    logL += logf[jj]
            w = 1.0 - math.exp(logL) if logL < 0.0 else 0.0
            sums[t] += w
            sq[t] += w * w


def paninski_tv_curve(n: int, eps: float, N_max: int, n_mc: int, seed) -> PaninskiTVCurve:
    r"""Monte Carlo :math:`\mathrm{TV}_N=\mathbb E_U[(1-L_N)^+]` for N = 1..N_max from ``n_mc`` coupled streams.

    Each stream draws ``N_max`` i.i.d. uniform cells; :math:`L_N` is the mixture likelihood ratio of
    its first N draws (updated per pair in O(1)).  The statistic lies in [0, 1], so the standard
    error is honest (no heavy tails).  Numba; ``seed``: int | SeedSequence | Generator.
    """
    n = _check_even(n)
    e = check_probability(eps, "eps")
    if e >= 1.0:
        raise ValidationError(f"eps = {eps} (rule: the Monte Carlo TV needs eps < 1; at eps = 1 use paninski_tv_exact)")
    N_max = check_int(N_max, "N_max", minimum=1)
    n_mc = check_int(n_mc, "n_mc", minimum=2)
    rng = as_generator(seed)
    sums = np.zeros(N_max)
    sq = np.zeros(N_max)
    _tv_curve_kernel(n, e, N_max, n_mc, rng, sums, sq)
    mean = sums / n_mc
    var = np.maximum(sq / n_mc - mean ** 2, 0.0) * n_mc / (n_mc - 1)
    return PaninskiTVCurve(np.arange(1, N_max + 1), mean, np.sqrt(var / n_mc), n_mc, n, e)


def paninski_pomdp(n: int, eps: float, a: float, z) -> POMDP:
    r"""The gadget embedded in a POMDP (H = 2, A = 1): :math:`s_1\sim p_z`, :math:`o_1\sim O(\cdot|s_1)`.

    Latent states: 0 = start, ``1 + x`` = sample cell x; observations: 0 = blank, ``1 + o`` =
    noisy cell o through :func:`uniform_noise_channel` (quality ``a``).  No reward.  The law of
    :math:`o_1` is :func:`paninski_observation_law`.
    """
    n = _check_even(n)
    p = paninski_law(n, eps, z)
    S = n + 1
    T = np.zeros((S, 1, S))
    T[0, 0, 1:] = p
    T[1:, 0, 1:] = np.eye(n)
    O = np.zeros((S, n + 1))
    O[0, 0] = 1.0
    O[1:, 1:] = uniform_noise_channel(n, a)
    mu0 = np.zeros(S)
    mu0[0] = 1.0
    return POMDP(T, O, np.zeros((2, n + 1, 1)), mu0, H=2, name=f"paninski(n={n}, eps={eps}, a={a})")


def noisy_lock(H: int, A: int, a: float, code) -> POMDP:
    r"""Noisy combination lock (specification Section 5B).

    Latent states 0 = on track (g), 1 = off track (b, absorbing).  At step h < H-1, g stays g
    only under ``code[h]``; the emission at steps 0..H-2 is :func:`binary_channel` ``(a)``
    (observation 0 leans g), at step H-1 the identity; reward 1 for observation 0 (g) at the
    last step.  ``code`` ``(H-1,)`` ints in 0..A-1.  :math:`V^*=1` (play the code).
    """
    H = check_int(H, "H", minimum=2)
    A = check_int(A, "A", minimum=2)
    code = np.asarray(code)
    if code.shape != (H - 1,) or code.dtype.kind not in "iu" or np.any((code < 0) | (code >= A)):
        raise ValidationError(f"code = {code!r} (rule: H-1 = {H - 1} integer actions in 0..{A - 1})")
    T = np.zeros((H, 2, A, 2))
    T[:, 1, :, 1] = 1.0
    T[:, 0, :, 1] = 1.0
    for h in range(H - 1):
        T[h, 0, code[h], 1] = 0.0
        T[h, 0, code[h], 0] = 1.0
    T[H - 1, 0, :, :] = [1.0, 0.0]
    O = np.empty((H, 2, 2))
    O[:H - 1] = binary_channel(a)
    O[H - 1] = np.eye(2)
    r = np.zeros((H, 2, A))
    r[H - 1, 0, :] = 1.0
    return POMDP(T, O, r, [1.0, 0.0], H=H, name=f"noisy_lock(H={H}, A={A}, a={a})")


@dataclass(frozen=True)
class CostlyReveal:
    r"""A costly-revealing-action POMDP and its indexing.

    Attributes: ``pomdp``; ``k`` (pairs, :math:`n=2k` sample cells); ``z`` ``(k,)`` the hypothesis;
    ``eps``, ``a``; ``variant`` (``"two_step"`` | ``"single_step"``); ``reveal`` (the reveal action,
    0); ``guess_action(g)`` maps a sign vector to its exploit action; ``sample_obs0`` (observation
    index of cell 0; cell x is observation ``sample_obs0 + x``); ``optimal_actions`` ``(3,)``.
    """

    pomdp: POMDP
    k: int
    z: np.ndarray
    eps: float
    a: float
    variant: str
    reveal: int = 0
    sample_obs0: int = 1

    def guess_action(self, g) -> int:
        """Exploit action of the guess ``g`` ``(k,)`` in {-1, +1}: ``1 + sum_j [g_j = +1] 2^j``."""
        g = np.asarray(g)
        return 1 + int(sum(1 << j for j in range(self.k) if g[j] > 0))

    @property
    def optimal_actions(self) -> np.ndarray:
        return np.array([0, self.guess_action(self.z), 0], dtype=np.int64)


def costly_reveal_pomdp(k: int, eps: float, a: float, z, variant: str = "two_step") -> CostlyReveal:
    r"""Costly revealing action built from the Paninski family (specification Section 5C, [D]).

    H = 3.  Latent states: 0 start; ``1 + x`` sample cell x (:math:`n=2k` cells); ``1 + n + x`` its
    revealed copy; ``2n + 1`` win; ``2n + 2`` lose.  Observations: 0 blank; ``1 + o`` noisy cell o;
    ``n + 1`` win; ``n + 2`` lose.  Actions: 0 = reveal, ``1 + g`` = exploit guess
    :math:`g\in\{0..2^k-1\}` (bit j set = guess :math:`z_j=+1`).

    * step 0: start emits blank; every action draws the sample :math:`x\sim p_z` (Paninski, ``eps``);
    * step 1: the sample emits blank (``"two_step"``) or :math:`o\sim O_a(\cdot|x)` (``"single_step"``,
      :func:`uniform_noise_channel`); reveal moves to the copy of x; exploit :math:`g` moves to win with
      probability :math:`\frac12+\frac12\mathbb 1[g=z]`, else lose;
    * step 2: the copy emits :math:`o\sim O_a(\cdot|x)`; win / lose emit themselves; reward 1 on "win".

    Values: reveal 0, exploit :math:`g` :math:`\frac12+\frac12\mathbb 1[g=z]`, :math:`V^*=1`.  The
    latent sample at step 1 is revealed only through (reveal, :math:`o_2`) in the two-step variant
    (2-step revealing) and through :math:`o_1` in the single-step one; the revealing constant of the
    sample block is :func:`revealing_closed_form` ``(n, a)``.
    """
    k = check_int(k, "k", minimum=1)
    if k > 12:
        raise ValidationError(f"k = {k} (rule: at most 12; the model has 2^k + 1 actions)")
    if variant not in ("two_step", "single_step"):
        raise ValidationError(f"variant = {variant!r} (rule: 'two_step' or 'single_step')")
    n = 2 * k
    p = paninski_law(n, eps, z)
    zz = _check_z(z, k)
    Oa = uniform_noise_channel(n, a)
    A = (1 << k) + 1
    S = 2 * n + 3
    win, lose = 2 * n + 1, 2 * n + 2
    T = np.zeros((S, A, S))
    T[0, :, 1:1 + n] = p
    gz = 1 + int(sum(1 << j for j in range(k) if zz[j] > 0))
    for x in range(n):
        T[1 + x, 0, 1 + n + x] = 1.0
        T[1 + x, 1:, win] = 0.5
        T[1 + x, 1:, lose] = 0.5
        T[1 + x, gz, win] = 1.0
        T[1 + x, gz, lose] = 0.0
        T[1 + n + x, :, 1 + n + x] = 1.0
    T[win, :, win] = 1.0
    T[lose, :, lose] = 1.0
    n_obs = n + 3
    O = np.zeros((S, n_obs))
    O[0, 0] = 1.0
    if variant == "two_step":
        O[1:1 + n, 0] = 1.0
    else:
        O[1:1 + n, 1:1 + n] = Oa
    O[1 + n:1 + 2 * n, 1:1 + n] = Oa
    O[win, n + 1] = 1.0
    O[lose, n + 2] = 1.0
    r = np.zeros((3, n_obs, A))
    r[2, n + 1, :] = 1.0
    mu0 = np.zeros(S)
    mu0[0] = 1.0
    pom = POMDP(T, O, r, mu0, H=3, name=f"costly_reveal(k={k}, eps={eps}, a={a}, {variant})")
    return CostlyReveal(pom, k, zz, float(eps), float(a), variant)
