r"""Var* of the LMDP families of specification Section 6: closed forms, brackets and an exact set DP.

Zhou, Wang & Du, "Horizon-Free and Variance-Dependent Reinforcement Learning
for Latent Markov Decision Processes", ICML 2023, arXiv 2210.11604.  The
definition of :math:`\mathrm{Var}^*` is the specification's reconstruction
(Section 3, **[R] reconstructed**):

.. math:: \mathrm{Var}^\pi = \sum_m w_m \mathbb E^\pi_m\Bigl[\sum_h
          \mathbb V\bigl(P_m(\cdot|s_h,a_h), \alpha^\pi_{h+1}(m, \tau_h\circ(a_h, r_h, \cdot))\bigr)\Bigr],
          \qquad \mathrm{Var}^* = \max_\pi \mathrm{Var}^\pi

over deterministic history-dependent policies.  Rewards are deterministic, so
by the law of total variance (``proofs_check/lmdp.py``)

.. math:: \mathrm{Var}^\pi = \sum_m w_m\,\mathbb E_{s_0\sim\nu_m}\bigl[\mathrm{Var}^\pi_m(G \mid s_0)\bigr],
          \qquad G = \textstyle\sum_h R_m(s_h, a_h) \in [0, 1].

:func:`rltheory.solvers.var_star` enumerates policies (tiny instances).  Here:

* :func:`deterministic_var_star` -- :math:`\mathrm{Var}^* = 0` when every row
  :math:`P_m(\cdot|s,a)` and every :math:`\nu_m` is a point mass (then
  :math:`G` is a constant given :math:`m` under a deterministic policy).  This
  covers :func:`~rltheory.envs.last_step_lmdp` always, :func:`~rltheory.envs.revealing_lmdp`
  and :func:`~rltheory.envs.variance_lmdp` at :math:`p = 0`, and
  :func:`~rltheory.envs.probe_state_lmdp` with :math:`\theta \in \{0, 1\}^{M\times A}`.
* Family (a), :func:`~rltheory.envs.revealing_lmdp` ``(M, A, H, gap, p)``.
  The start state reveals :math:`m`; then each context is the same chain up to
  action labels: :math:`n = H - 1` paid decisions (steps :math:`0..H-2`; the
  action at :math:`H-1` pays nothing), :math:`u = 1/(H-1)`.  The good action
  pays :math:`u` at the next step w.p. :math:`1-p` (state G) and 0 w.p.
  :math:`p` (state B); a bad action pays :math:`c u`, :math:`c = 1-p-\mathrm{gap}`,
  surely (state Y); the law of the next state does not depend on the current
  one.  So :math:`\mathrm{Var}^*` is the largest return variance of one context.
  It is **not** the same for every policy when :math:`\mathrm{gap} > 0`: at
  :math:`H = 3`, "good; after G good; after B bad" has variance
  :math:`p(1-p)u^2[(1+\mathrm{gap})^2 + 1 - p]` against :math:`2p(1-p)u^2` for
  always-good, larger iff :math:`2\,\mathrm{gap} + \mathrm{gap}^2 > p`.

  - :func:`revealing_lmdp_var_star_bounds` -- a closed-form bracket.  Lower:
    the best of the explicit *threshold policies* (good at the first :math:`k`
    decisions, then always good if at least :math:`t` of them reached G, else
    always bad), each variance exact by binomial sums; it includes always-good,
    :math:`p(1-p)/(H-1)`.  Upper: the least of (i) Bhatia--Davis
    :math:`\max_{\mu\in[c,1-p]}\mu(1-\mu) \le 1/4` (:math:`G\in[0,1]`,
    :math:`\mathbb E G \in [c, 1-p]`); (ii)
    :math:`p(1-p)u^2\sum_{j=0}^{n-1}(1+j\,\mathrm{gap})^2` (at a good decision followed
    by :math:`j` decisions the next alpha values differ by :math:`u` plus a difference
    of two continuation means, each in :math:`[jcu, j(1-p)u]`; a bad decision
    has variance 0); (iii) :math:`(\sqrt{p(1-p)/n} + \mathrm{gap}/2)^2` (split
    :math:`G` into its martingale part, variance :math:`\le p(1-p)/n`, and its
    predictable drift, which lies in :math:`[c, 1-p]`, variance
    :math:`\le \mathrm{gap}^2/4`).  (iii) stays bounded as :math:`H` grows while
    (ii) grows like :math:`p(1-p)\mathrm{gap}^2 H/3`.  Both ends equal
    :math:`p(1-p)/(H-1)` at :math:`\mathrm{gap} = 0` (the closed form) and 0 at
    :math:`p = 0`; with :math:`A = 1` (no bad action) that value is exact.
  - :func:`revealing_lmdp_var_star` -- the exact value by a DP over the sets
    :math:`S_k` of achievable (mean, second moment) pairs of the return over the
    last :math:`k` decisions (exponential in :math:`H`; :math:`H \le 8`).

* Family (b), :func:`~rltheory.envs.probe_state_lmdp` ``(A, H, theta)``:
  :func:`probe_state_lmdp_var_star_bounds`.  The probe is visited at the even
  steps; the visits at :math:`h \le H-2` (there are :math:`n_p = \lfloor H/2\rfloor`,
  for odd and even :math:`H`) lead to G or B at step :math:`h+1 \le H-1`, where G
  pays :math:`u = 1/n_p`; a visit at :math:`h = H-1` (odd :math:`H`) pays nothing, and
  G, B return to the probe surely.  Given :math:`m` the return is
  :math:`u\sum_i Z_i`, :math:`Z_i \sim \mathrm{Bernoulli}(\theta_{m,a_i})` with
  :math:`a_i` a function of the earlier outcomes.  Bracket: lower, the best
  threshold policy (action :math:`a` at the first :math:`k` visits, then
  :math:`b` or :math:`b'` by the count of G outcomes), which includes every fixed
  action, :math:`\max_a n_p u^2 \sum_m w_m\theta_{m,a}(1-\theta_{m,a})`; upper,
  per context the three bounds of family (a) with :math:`[c, 1-p]` replaced by
  :math:`[\min_a\theta_{m,a}, \max_a\theta_{m,a}]` (width :math:`D_m`) and
  :math:`p(1-p)` by :math:`v_m = \max_a\theta_{m,a}(1-\theta_{m,a})`, averaged with
  :math:`w_m`.  Exact, :math:`\sum_m w_m \theta_m(1-\theta_m)/n_p`, when every
  :math:`D_m = 0`.
* Family (c), :func:`~rltheory.envs.last_step_lmdp`: deterministic clock and
  start, so :math:`\mathrm{Var}^* = 0` by :func:`deterministic_var_star` (no
  separate function).

The brackets are checked against :func:`rltheory.solvers.var_star` and the set
DP in ``proofs_check/lmdp.py`` and ``tests/test_lmdp_var_star.py``.
"""

from __future__ import annotations

import numpy as np

from .._errors import ValidationError
from .._validation import check_int
from ..models.latent import LatentMDP
from .latent import _check_p_gap, _check_theta

__all__ = ["deterministic_var_star", "revealing_lmdp_var_star_bounds", "revealing_lmdp_var_star",
           "probe_state_lmdp_var_star_bounds", "REVEALING_EXACT_MAX_H", "REVEALING_EXACT_MAX_PAIRS"]

#: Largest horizon accepted by :func:`revealing_lmdp_var_star` (the set DP is exponential in H).
REVEALING_EXACT_MAX_H = 8
#: Largest number of (G-branch, B-branch) pairs one step of the set DP may combine.
REVEALING_EXACT_MAX_PAIRS = 60_000_000
_KEY_SCALE = 1e12          # means are merged when equal after rounding to 1e-12
_CHUNK = 4_000_000         # pairs combined per numpy block


def deterministic_var_star(lmdp: LatentMDP) -> float:
    r""":math:`\mathrm{Var}^* = 0` of an LMDP whose transition rows and initial laws are all point masses.

    If every :math:`P_m(\cdot|s,a)` (``P[m, s, a, :]``) and every :math:`\nu_m`
    (``nu[m, :]``) has a single positive entry, a deterministic policy makes the
    trajectory, hence the return, a function of :math:`m`; every one-step
    variance :math:`\mathbb V(P_m(\cdot|s_h,a_h), \alpha_{h+1})` is that of a point mass, so
    :math:`\mathrm{Var}^\pi = 0` for every policy and :math:`\mathrm{Var}^* = 0`
    ([R] definition, arXiv 2210.11604, specification Section 3).  The condition
    is checked on every row, reachable or not (a sufficient condition).

    Raises
    ------
    rltheory.ValidationError
        ``lmdp`` is not a :class:`~rltheory.models.LatentMDP`, or some row of ``P``
        or ``nu`` has two or more positive entries (the message names the first
        one); use :func:`rltheory.solvers.var_star` or a family's bracket there.

    Examples
    --------
    >>> from rltheory.envs import last_step_lmdp, revealing_lmdp
    >>> deterministic_var_star(last_step_lmdp(2, 2, 4, seed=0))
    0.0
    >>> deterministic_var_star(revealing_lmdp(2, 2, 3, p=0.0))
    0.0
    """
    if not isinstance(lmdp, LatentMDP):
        raise ValidationError(f"lmdp is a {type(lmdp).__name__} (rule: a LatentMDP)")
    bad = lmdp.first_random_row()
    if bad is not None:
        raise ValidationError(f"{bad} (rule: deterministic_var_star needs every P[m, s, a, :] and nu[m, :] "
                              "to be a point mass)")
    return 0.0


def _check_revealing(p, gap, H, A):
    H = check_int(H, "H", minimum=2)
    A = check_int(A, "A")
    p, gap = _check_p_gap(p, gap)
    return p, gap, H, A


def _upper_bound(v, D, lo, hi, n: int) -> np.ndarray:
    r"""Least of the three upper bounds on the return variance of one context, elementwise over contexts.

    ``n`` paid Bernoulli steps of reward :math:`u = 1/n` whose one-step variance is at most ``v``,
    predictable means in ``[lo, hi]`` of width ``D``: Bhatia--Davis
    :math:`\max_{\mu\in[lo,hi]}\mu(1-\mu)`, the series :math:`v u^2 \sum_{j<n}(1+jD)^2` and the
    martingale-plus-drift bound :math:`(\sqrt{v/n} + D/2)^2` (derivations in
    :func:`revealing_lmdp_var_star_bounds`).
    """
    v, D = np.asarray(v, dtype=np.float64), np.asarray(D, dtype=np.float64)
    u = 1.0 / n
    mu = np.minimum(np.maximum(0.5, lo), hi)
    j = np.arange(n, dtype=np.float64)
    series = v * u * u * np.sum((1.0 + np.multiply.outer(D, j)) ** 2, axis=-1)
    martingale = (np.sqrt(v / n) + 0.5 * D) ** 2
    return np.minimum(np.minimum(mu * (1.0 - mu), series), martingale)


def _threshold_variances(theta1: float, hi: tuple[float, float], lo: tuple[float, float], n: int,
                         k: int) -> np.ndarray:
    r"""Return variances of the two-phase threshold policies, one per threshold ``t = 0..k+1``, in one context.

    The return is :math:`X = u\sum_{i<n} Y_i`, :math:`u = 1/n`.  Phase 1: the
    first ``k`` steps have :math:`Y_i \sim \mathrm{Bernoulli}(\theta_1)`, with
    :math:`K` successes, :math:`K \sim \mathrm{Bin}(k, \theta_1)`.  Phase 2: the
    other :math:`n-k` steps have mean ``hi[0]`` and variance ``hi[1]`` each (independent) if
    :math:`K \ge t`, else ``lo``.  Law of total variance over :math:`K`:
    :math:`\mathrm{Var}X = \mathbb E\,\mathrm{Var}(X|K) + \mathrm{Var}\,\mathbb E(X|K)`, with
    :math:`\mathbb E(X|K) = uK + (n-k)u(\mu_l + (\mu_h-\mu_l)\mathbb 1[K\ge t])`.
    """
    from scipy.stats import binom
    u, r = 1.0 / n, n - k
    K = np.arange(k + 1, dtype=np.float64)
    pm = binom.pmf(K, k, theta1)
    S0 = np.r_[np.cumsum(pm[::-1])[::-1], 0.0]                # P[K >= t], t = 0..k+1
    S1 = np.r_[np.cumsum((pm * K)[::-1])[::-1], 0.0]          # E[K 1[K >= t]]
    EK, EK2 = pm @ K, pm @ (K * K)
    (mh, vh), (ml, vl) = hi, lo
    d = mh - ml
    mean = u * EK + r * u * (ml + d * S0)
    second = (u * u * EK2 + 2.0 * u * r * u * (ml * EK + d * S1)
              + (r * u) ** 2 * (ml * ml + (2.0 * ml * d + d * d) * S0))
    cond_var = r * u * u * (vl + (vh - vl) * S0)
    return cond_var + np.maximum(second - mean * mean, 0.0)


def revealing_lmdp_var_star_bounds(p: float, gap: float, H: int, A: int = 2) -> tuple[float, float]:
    r"""Bracket ``(lower, upper)`` of :math:`\mathrm{Var}^*` on :func:`~rltheory.envs.revealing_lmdp`, closed form.

    With :math:`n = H-1`, :math:`u = 1/n`, :math:`c = 1-p-\mathrm{gap}`:

    * ``lower``: the largest return variance over the explicit *threshold
      policies* -- the good action at the first :math:`k` decisions
      (:math:`K \sim \mathrm{Bin}(k, 1-p)` of them reach G), then the good
      action at every later decision if :math:`K \ge t`, else a bad one
      (:math:`1 \le k \le n`, :math:`0 \le t \le k+1`), each computed exactly by
      the law of total variance over :math:`K` (binomial sums).  ``k = n`` is
      always-good, :math:`p(1-p)/(H-1)`; ``k = 1, t = 1`` gives
      :math:`p(1-p)u^2[(1+(n-1)\mathrm{gap})^2 + (1-p)(n-1)]`.
    * ``upper``: the least of

      - :math:`\max_{\mu\in[c,\,1-p]}\mu(1-\mu)` (Bhatia--Davis, :math:`G\in[0,1]`,
        :math:`\mathbb E G\in[c, 1-p]`, so :math:`\le 1/4`);
      - :math:`p(1-p)u^2\sum_{j=0}^{n-1}(1+j\,\mathrm{gap})^2` (a good decision followed by
        :math:`j` decisions has next alpha values :math:`u` apart up to the
        difference of two continuation means, each in :math:`[jcu, j(1-p)u]`;
        a bad decision has variance 0);
      - :math:`(\sqrt{p(1-p)/n} + \mathrm{gap}/2)^2`: write :math:`G = N + D`,
        :math:`D = u\sum_i \mathbb E[Y_i|\mathcal F_{i-1}] \in [c, 1-p]` (so
        :math:`\mathrm{Var}D \le \mathrm{gap}^2/4`, Popoviciu) and :math:`N` the martingale part,
        :math:`\mathrm{Var}N = u^2 p(1-p)\,\mathbb E[\#\text{good}] \le p(1-p)/n`; then
        :math:`\mathrm{sd}(G) \le \mathrm{sd}(N) + \mathrm{sd}(D)`.

    Both ends equal :math:`p(1-p)/(H-1)` at ``gap = 0`` (the closed form) and 0
    at ``p = 0``; for ``A = 1`` (only the good action) that value is exact.
    ``M`` does not enter (the start state reveals the context and all contexts
    are alike up to action labels).  [R] definition of Var*, arXiv 2210.11604.

    Parameters
    ----------
    p, gap : float
        As in :func:`~rltheory.envs.revealing_lmdp`: ``0 <= p <= 1``, ``0 <= gap <= 1 - p``.
    H : int, >= 2
    A : int, >= 1
        Number of actions (only ``A = 1`` versus ``A >= 2`` matters).

    Examples
    --------
    >>> revealing_lmdp_var_star_bounds(0.25, 0.0, 4)
    (0.0625, 0.0625)
    """
    p, gap, H, A = _check_revealing(p, gap, H, A)
    n = H - 1
    u = 1.0 / n
    always_good = n * p * (1.0 - p) * u * u
    if A == 1 or gap == 0.0 or p == 0.0:
        return always_good, always_good
    good, bad = (1.0 - p, p * (1.0 - p)), (1.0 - p - gap, 0.0)
    lower = max(always_good, max(float(_threshold_variances(1.0 - p, good, bad, n, k).max())
                                 for k in range(1, n + 1)))
    return lower, float(_upper_bound(p * (1.0 - p), gap, 1.0 - p - gap, 1.0 - p, n))


def _merge(mu: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keep, for each mean (rounded to 1e-12), the largest second moment; sorted by mean."""
    key = np.round(mu * _KEY_SCALE).astype(np.int64)
    order = np.argsort(key, kind="stable")
    key = key[order]
    start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return mu[order][start], np.maximum.reduceat(q[order], start)


def _revealing_points(p: float, gap: float, H: int, A: int, max_pairs: int) -> tuple[np.ndarray, np.ndarray]:
    n = H - 1
    u = 1.0 / n
    cu = (1.0 - p - gap) * u
    mu, q = np.zeros(1), np.zeros(1)
    for k in range(1, n + 1):
        pairs = mu.size * mu.size
        if pairs > max_pairs:
            raise ValidationError(f"the set DP of revealing_lmdp_var_star needs {pairs} pairs at k = {k} "
                                  f"(p = {p:g}, gap = {gap:g}, H = {H}) (rule: at most {max_pairs}; use "
                                  "revealing_lmdp_var_star_bounds)")
        parts_mu, parts_q = [], []
        if A >= 2:                                   # a bad action: c u now, then any continuation
            parts_mu.append(cu + mu)
            parts_q.append(cu * cu + 2.0 * cu * mu + q)
        gm = (1.0 - p) * (u + mu)                    # good action, G branch (w.p. 1-p): u + X_G
        gq = (1.0 - p) * (u * u + 2.0 * u * mu + q)
        bm, bq = p * mu, p * q                       # B branch (w.p. p): 0 + X_B
        rows = max(1, _CHUNK // mu.size)
        for i in range(0, mu.size, rows):
            cm = (gm[i:i + rows, None] + bm[None, :]).ravel()
            cq = (gq[i:i + rows, None] + bq[None, :]).ravel()
            cm, cq = _merge(cm, cq)
            parts_mu.append(cm)
            parts_q.append(cq)
        mu, q = _merge(np.concatenate(parts_mu), np.concatenate(parts_q))
    return mu, q


def revealing_lmdp_var_star(p: float, gap: float, H: int, A: int = 2,
                            max_pairs: int = REVEALING_EXACT_MAX_PAIRS) -> float:
    r"""Exact :math:`\mathrm{Var}^*` of :func:`~rltheory.envs.revealing_lmdp` by a DP over achievable moment pairs.

    Per context (module docstring), let :math:`X_k` be the return of the last
    :math:`k` paid decisions and :math:`S_k` the set of pairs
    :math:`(\mathbb E X_k, \mathbb E X_k^2)` over deterministic history-dependent
    policies.  :math:`S_0 = \{(0, 0)\}` and :math:`S_k` is the union of

    * bad action (``A >= 2``): :math:`X = cu + X'`, i.e.
      :math:`(cu + \mu', c^2u^2 + 2cu\mu' + q')` for :math:`(\mu', q') \in S_{k-1}`;
    * good action, independent continuations after G and after B,
      :math:`(\mu_G, q_G), (\mu_B, q_B) \in S_{k-1}`:
      :math:`((1-p)(u + \mu_G) + p\mu_B,\ (1-p)(u^2 + 2u\mu_G + q_G) + p\,q_B)`.

    Then :math:`\mathrm{Var}^* = \max_{(\mu, q)\in S_{H-1}} q - \mu^2`.  Pruning:
    among pairs with the same mean (rounded to :math:`10^{-12}`) only the largest
    second moment is kept -- a parent's mean depends on the children's means only
    and its second moment increases with theirs, and :math:`q - \mu^2` increases
    with :math:`q` at fixed :math:`\mu`.  No other pruning is valid in general
    (the objective is not monotone in the mean).  The sets grow exponentially
    (about 23k points at ``H = 8``, ``p = 0.25``, ``gap = 0.2``; many more for
    parameters with fewer coincident means), so ``H <= 8`` and at most
    ``max_pairs`` pairs per step; beyond, use
    :func:`revealing_lmdp_var_star_bounds`.  [R] definition of Var*, arXiv
    2210.11604.

    Raises
    ------
    rltheory.ValidationError
        Invalid ``p``, ``gap``, ``H``, ``A`` (the generator's rules),
        ``H > 8``, or a step needing more than ``max_pairs`` pairs.

    Examples
    --------
    >>> round(revealing_lmdp_var_star(0.25, 0.2, 3), 10)   # p(1-p)u^2[(1+gap)^2 + 1-p], u = 1/2
    0.10265625
    """
    p, gap, H, A = _check_revealing(p, gap, H, A)
    max_pairs = check_int(max_pairs, "max_pairs")
    if H > REVEALING_EXACT_MAX_H:
        raise ValidationError(f"H = {H} (rule: revealing_lmdp_var_star is exponential in H, H <= "
                              f"{REVEALING_EXACT_MAX_H}; use revealing_lmdp_var_star_bounds beyond)")
    if p == 0.0:
        return 0.0
    mu, q = _revealing_points(p, gap, H, A, max_pairs)
    return float(max(0.0, np.max(q - mu * mu)))


def probe_state_lmdp_var_star_bounds(theta, H: int) -> tuple[float, float]:
    r"""Bracket ``(lower, upper)`` of :math:`\mathrm{Var}^*` on :func:`~rltheory.envs.probe_state_lmdp`, closed form.

    With :math:`n_p = \lfloor H/2\rfloor` paid probe visits, :math:`u = 1/n_p`,
    :math:`w_m = 1/M`, :math:`\underline\theta_m, \overline\theta_m` the smallest and
    largest :math:`\theta_{m,a}`, :math:`D_m = \overline\theta_m - \underline\theta_m`,
    :math:`v_m = \max_a \theta_{m,a}(1-\theta_{m,a})`:

    * ``lower``: the largest :math:`\sum_m w_m \mathrm{Var}_m` over the explicit
      threshold policies -- action :math:`a` at the first :math:`k` probe visits,
      then action :math:`b` at every later visit if at least :math:`t` of the
      first :math:`k` led to G, else action :math:`b'` (all :math:`a, b, b', k, t`),
      each exact by the law of total variance over the count (binomial sums).
      It includes every fixed action,
      :math:`\max_a n_p u^2\sum_m w_m\theta_{m,a}(1-\theta_{m,a})`.
    * ``upper``: :math:`\sum_m w_m \min\{\max_{\mu\in[\underline\theta_m,\overline\theta_m]}\mu(1-\mu),\;
      u^2 v_m\sum_{j=0}^{n_p-1}(1+jD_m)^2,\; (\sqrt{v_m/n_p} + D_m/2)^2\}`
      (per context, the three arguments of
      :func:`revealing_lmdp_var_star_bounds` with :math:`[c, 1-p]` replaced by
      :math:`[\underline\theta_m, \overline\theta_m]`).

    The ends coincide, at :math:`\sum_m w_m\theta_m(1-\theta_m)/n_p`, when every
    :math:`D_m = 0`.  [R] definition of Var*, arXiv 2210.11604.

    Parameters
    ----------
    theta : array_like(float), shape (M, A)
        ``theta[m, a]`` = probability that action ``a`` at the probe leads to G in context ``m``.
    H : int, >= 2

    Examples
    --------
    >>> probe_state_lmdp_var_star_bounds([[0.5, 0.5], [0.2, 0.2]], 4)   # D_m = 0: exact
    (0.10250000000000001, 0.10250000000000001)
    """
    th = _check_theta(theta)
    H = check_int(H, "H", minimum=2)
    n_p = H // 2
    u = 1.0 / n_p
    M, A = th.shape
    w = np.full(M, 1.0 / M)
    var1 = th * (1.0 - th)                                    # (M, A) Bernoulli variances
    fixed = float(n_p * u * u * np.max(w @ var1))
    lo, hi = th.min(axis=1), th.max(axis=1)
    D = hi - lo
    if np.all(D == 0.0):
        return fixed, fixed
    lower = fixed
    for a in range(A):
        for b in range(A):
            for b2 in range(A):
                for k in range(1, n_p):
                    tot = sum(w[m] * _threshold_variances(th[m, a], (th[m, b], var1[m, b]),
                                                          (th[m, b2], var1[m, b2]), n_p, k) for m in range(M))
                    lower = max(lower, float(np.max(tot)))
    return lower, float(w @ _upper_bound(var1.max(axis=1), D, lo, hi, n_p))
