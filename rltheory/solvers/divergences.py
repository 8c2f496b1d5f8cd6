r"""Exact f-divergences between two finite probability laws.

For two probability arrays :math:`p, q` of the same shape (a law on the cells of
the array, e.g. an observation-action trajectory law of shape ``(O, A, O, A)``,
or a flat vector) this module computes

.. math::

    \mathrm{KL}(p\,\|\,q) = \sum_{x:\,p(x)>0} p(x)\log\frac{p(x)}{q(x)}, \qquad
    \mathrm{TV}(p, q) = \tfrac12 \sum_x |p(x)-q(x)|,

    H^2(p, q) = \tfrac12 \sum_x \bigl(\sqrt{p(x)}-\sqrt{q(x)}\bigr)^2 = 1 - \mathrm{BC}(p, q), \qquad
    \chi^2(p\,\|\,q) = \sum_{x:\,q(x)>0} \frac{(p(x)-q(x))^2}{q(x)} \;(+\infty \text{ if } p \not\ll q),

with the Bhattacharyya coefficient :math:`\mathrm{BC}(p,q)=\sum_x\sqrt{p(x)q(x)}`.
The Hellinger convention is the one of Chen, Wang, Xiong, Mei & Bai, "Lower
Bounds for Learning in Revealing POMDPs" (ICML 2023, arXiv 2302.01333), spec
Section 6: :math:`1-\mathrm{BC} \le \mathrm{TV} \le \sqrt{1-\mathrm{BC}^2} \le \sqrt2\,H`.

Conventions: ``kl`` and ``chi2`` are :math:`+\infty` whenever ``p`` puts mass
where ``q`` has none (never NaN); ``0 log 0 = 0``. Every sum is a
:func:`math.fsum` over the array in C order, so results are deterministic and
correctly rounded sums of the per-cell terms.

Input: two array-likes of the same shape, entries finite and ``>= 0``, each
summing to 1 within :data:`rltheory._validation.PROB_ATOL` over **all** its
entries. A violation raises :class:`rltheory.ValidationError` naming the array,
the index and the rule.

N-episode, mixture and adaptive versions (spec Section 6)
---------------------------------------------------------
* :func:`n_episode_divergences`: for ``N`` i.i.d. episodes,
  :math:`\mathrm{KL}_N = N\,\mathrm{KL}_1`, :math:`\mathrm{BC}_N=\mathrm{BC}_1^N`,
  :math:`1+\chi^2_N=(1+\chi^2_1)^N`, and the bracket
  :math:`1-\mathrm{BC}_N \le \mathrm{TV}_N \le \sqrt{1-\mathrm{BC}_N^2}`.
* :func:`product_tv`: the exact :math:`\mathrm{TV}(p^{\otimes N}, q^{\otimes N})`
  by summing over count vectors (multinomial types), for small supports.
* :func:`ingster_chi2`: :math:`1+\chi^2(\mathbb E_\theta P_\theta^{\otimes N}\,\|\,P_0^{\otimes N})
  = \mathbb E_{\theta,\theta'}(1+\rho(\theta,\theta'))^N` with
  :math:`\rho(\theta,\theta')=\sum_x P_\theta(x)P_{\theta'}(x)/P_0(x)-1`, exact for a finite
  family with weights.
* :func:`visit_count_kl`: :math:`\mathrm{KL}(P_0^{\mathrm{alg}}\|P_1^{\mathrm{alg}})
  = \sum_x \mathbb E_0[N_x]\,\mathrm{KL}(P_0(\cdot|x)\|P_1(\cdot|x))` (the divergence
  decomposition for adaptive algorithms; Lattimore & Szepesvári 2020, Lemma 15.1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._validation import PROB_ATOL, _idx, as_float_array, check_int

__all__ = ["kl", "tv", "hellinger2", "chi2", "bhattacharyya", "NEpisodeDivergences",
           "n_episode_divergences", "product_tv", "ingster_chi2", "visit_count_kl"]


def _check_law(arr: np.ndarray, name: str) -> None:
    neg = arr < 0
    if neg.any():
        where = np.argwhere(neg)[0]
        raise ValidationError(f"{name}{_idx(where)} = {arr[tuple(where)]:.6g} is negative "
                              "(rule: probabilities must be non-negative)")
    total = math.fsum(arr.ravel().tolist())
    if abs(total - 1.0) > PROB_ATOL:
        raise ValidationError(f"{name} sums to {total:.12g} over all its entries "
                              f"(rule: a probability law must sum to 1 within {PROB_ATOL:g})")


def _pair(p, q, names=("p", "q")) -> tuple[np.ndarray, np.ndarray]:
    """Validate two laws of one shape; return them flattened in C order."""
    pa = as_float_array(p, names[0])
    qa = as_float_array(q, names[1])
    if pa.shape != qa.shape:
        raise ValidationError(f"{names[0]} has shape {pa.shape} and {names[1]} has shape {qa.shape} "
                              "(rule: the two laws must have the same shape)")
    if pa.size == 0:
        raise ValidationError(f"{names[0]} is empty (rule: a probability law needs at least one cell)")
    _check_law(pa, names[0])
    _check_law(qa, names[1])
    return pa.ravel(), qa.ravel()


def _kl_flat(p: np.ndarray, q: np.ndarray) -> float:
    terms = []
    for pi, qi in zip(p.tolist(), q.tolist()):
        if pi > 0.0:
            if qi <= 0.0:
                return math.inf
            terms.append(pi * math.log(pi / qi))
    # A sum of KL terms can be a hair below 0 by rounding of p, q; KL >= 0 exactly.
    return max(math.fsum(terms), 0.0)


def _tv_flat(p: np.ndarray, q: np.ndarray) -> float:
    return 0.5 * math.fsum(abs(pi - qi) for pi, qi in zip(p.tolist(), q.tolist()))


def _bc_flat(p: np.ndarray, q: np.ndarray) -> float:
    return math.fsum(math.sqrt(pi * qi) for pi, qi in zip(p.tolist(), q.tolist()))


def _hellinger2_flat(p: np.ndarray, q: np.ndarray) -> float:
    return 0.5 * math.fsum((math.sqrt(pi) - math.sqrt(qi)) ** 2 for pi, qi in zip(p.tolist(), q.tolist()))


def _chi2_flat(p: np.ndarray, q: np.ndarray) -> float:
    terms = []
    for pi, qi in zip(p.tolist(), q.tolist()):
        if qi <= 0.0:
            if pi > 0.0:
                return math.inf
            continue
        terms.append((pi - qi) ** 2 / qi)
    return math.fsum(terms)


def kl(p, q) -> float:
    r"""Kullback–Leibler divergence :math:`\mathrm{KL}(p\|q)=\sum_{p>0} p\log(p/q)` (nats).

    ``p``, ``q``: probability arrays of one shape (any number of dimensions).
    Returns ``inf`` when ``p`` has mass where ``q`` has none.

    Examples
    --------
    >>> round(kl([0.5, 0.5], [0.25, 0.75]), 12)
    0.143841036226
    >>> kl([0.5, 0.5], [1.0, 0.0])
    inf
    """
    pf, qf = _pair(p, q)
    return _kl_flat(pf, qf)


def tv(p, q) -> float:
    r"""Total variation :math:`\mathrm{TV}(p,q)=\frac12\sum_x|p(x)-q(x)|\in[0,1]`.

    Examples
    --------
    >>> tv([0.5, 0.5], [0.25, 0.75])
    0.25
    """
    pf, qf = _pair(p, q)
    return _tv_flat(pf, qf)


def hellinger2(p, q) -> float:
    r"""Squared Hellinger distance :math:`H^2=\frac12\sum_x(\sqrt p-\sqrt q)^2=1-\mathrm{BC}(p,q)\in[0,1]`.

    Examples
    --------
    >>> hellinger2([1.0, 0.0], [0.0, 1.0])
    1.0
    """
    pf, qf = _pair(p, q)
    return _hellinger2_flat(pf, qf)


def bhattacharyya(p, q) -> float:
    r"""Bhattacharyya coefficient (Hellinger affinity) :math:`\mathrm{BC}(p,q)=\sum_x\sqrt{p(x)q(x)}`."""
    pf, qf = _pair(p, q)
    return _bc_flat(pf, qf)


def chi2(p, q) -> float:
    r"""Pearson :math:`\chi^2(p\|q)=\sum_{q>0}(p-q)^2/q`, ``inf`` if ``p`` is not absolutely continuous w.r.t. ``q``.

    Examples
    --------
    >>> chi2([0.5, 0.5], [0.25, 0.75])
    0.3333333333333333
    """
    pf, qf = _pair(p, q)
    return _chi2_flat(pf, qf)


# ---------------------------------------------------------------------------------------------
# N i.i.d. episodes
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NEpisodeDivergences:
    r"""Divergences between :math:`P^{\otimes N}` and :math:`Q^{\otimes N}` from the one-episode laws.

    Attributes: ``N`` (episodes); ``kl`` (:math:`N\,\mathrm{KL}_1`); ``bc``
    (:math:`\mathrm{BC}_1^N`); ``hellinger2`` (:math:`1-\mathrm{BC}_N`); ``chi2``
    (:math:`(1+\chi^2_1)^N-1`, may be ``inf``); ``tv_lower`` (:math:`1-\mathrm{BC}_N`) and
    ``tv_upper`` (:math:`\sqrt{1-\mathrm{BC}_N^2}`), the Hellinger bracket on
    :math:`\mathrm{TV}_N`; ``tv_pinsker`` (:math:`\min(1,\sqrt{\mathrm{KL}_N/2})`, Pinsker).
    """

    N: int
    kl: float
    bc: float
    hellinger2: float
    chi2: float
    tv_lower: float
    tv_upper: float
    tv_pinsker: float


def n_episode_divergences(p, q, N: int) -> NEpisodeDivergences:
    r"""KL, Hellinger, :math:`\chi^2` and the TV bracket for ``N`` i.i.d. episodes (spec Section 6).

    ``p``, ``q``: one-episode laws (same shape). Uses tensorisation:
    :math:`\mathrm{KL}_N=N\mathrm{KL}_1`, :math:`\mathrm{BC}_N=\mathrm{BC}_1^N`,
    :math:`1+\chi^2_N=(1+\chi^2_1)^N`; then
    :math:`1-\mathrm{BC}_N\le\mathrm{TV}_N\le\sqrt{1-\mathrm{BC}_N^2}`.

    Examples
    --------
    >>> d = n_episode_divergences([0.5, 0.5], [0.6, 0.4], 10)
    >>> d.tv_lower <= d.tv_upper
    True
    """
    N = check_int(N, "N", minimum=1)
    pf, qf = _pair(p, q)
    kl1 = _kl_flat(pf, qf)
    bc1 = min(_bc_flat(pf, qf), 1.0)
    c1 = _chi2_flat(pf, qf)
    bcN = bc1 ** N
    try:
        chiN = math.inf if math.isinf(c1) else math.expm1(N * math.log1p(c1))
    except OverflowError:
        chiN = math.inf
    return NEpisodeDivergences(N=N, kl=N * kl1, bc=bcN, hellinger2=1.0 - bcN, chi2=chiN,
                               tv_lower=1.0 - bcN, tv_upper=math.sqrt(max(0.0, 1.0 - bcN * bcN)),
                               tv_pinsker=min(1.0, math.sqrt(N * kl1 / 2.0)))


def _compositions(N: int, k: int):
    """All count vectors c in N^k with sum N (lexicographic order)."""
    if k == 1:
        yield (N,)
        return
    for first in range(N, -1, -1):
        for rest in _compositions(N - first, k - 1):
            yield (first,) + rest


def product_tv(p, q, N: int, max_types: int = 2_000_000) -> float:
    r"""Exact :math:`\mathrm{TV}(p^{\otimes N}, q^{\otimes N})` by summing over count vectors.

    The likelihood ratio of N i.i.d. draws depends on the counts only, so
    :math:`\mathrm{TV}_N=\frac12\sum_{c}\binom{N}{c}\,|\prod_x p_x^{c_x}-\prod_x q_x^{c_x}|`
    over count vectors :math:`c` with :math:`\sum c=N` on the joint support. Raises
    :class:`ValidationError` when the number of count vectors exceeds ``max_types``.

    Examples
    --------
    >>> round(product_tv([0.5, 0.5], [1.0, 0.0], 3), 12)
    0.875
    """
    N = check_int(N, "N", minimum=1)
    pf, qf = _pair(p, q)
    keep = (pf > 0) | (qf > 0)
    pf, qf = pf[keep], qf[keep]
    k = pf.size
    n_types = math.comb(N + k - 1, k - 1)
    if n_types > max_types:
        raise ValidationError(f"product_tv needs {n_types} count vectors for support {k} and N={N} "
                              f"(rule: at most max_types={max_types}; use n_episode_divergences' bracket)")
    logp = [math.log(x) if x > 0 else -math.inf for x in pf.tolist()]
    logq = [math.log(x) if x > 0 else -math.inf for x in qf.tolist()]
    lgN = math.lgamma(N + 1)
    terms = []
    for c in _compositions(N, k):
        lm = lgN - math.fsum(math.lgamma(ci + 1) for ci in c)
        lp = math.fsum(ci * lx for ci, lx in zip(c, logp) if ci > 0)
        lq = math.fsum(ci * lx for ci, lx in zip(c, logq) if ci > 0)
        terms.append(abs(math.exp(lm + lp) - math.exp(lm + lq)))
    return min(1.0, 0.5 * math.fsum(terms))


def ingster_chi2(P0, P_family, N: int, weights=None) -> float:
    r"""Exact :math:`\chi^2(\mathbb E_\theta P_\theta^{\otimes N}\,\|\,P_0^{\otimes N})` for a finite family.

    Ingster's identity (spec Section 6):

    .. math::

        1+\chi^2 = \sum_{\theta,\theta'} w_\theta w_{\theta'}\,(1+\rho(\theta,\theta'))^N,\qquad
        \rho(\theta,\theta') = \sum_x \frac{P_\theta(x)P_{\theta'}(x)}{P_0(x)} - 1.

    ``P0``: one-episode null law (any shape); ``P_family``: array of shape
    ``(K,) + P0.shape``, one law per row; ``weights``: ``(K,)`` prior (uniform by
    default). Returns ``inf`` if some :math:`P_\theta` is not absolutely continuous
    w.r.t. ``P0``. Cost :math:`O(K^2|\mathcal X|)`.

    Examples
    --------
    >>> round(ingster_chi2([0.5, 0.5], [[0.75, 0.25], [0.25, 0.75]], 2), 12)
    0.0625
    """
    N = check_int(N, "N", minimum=1)
    p0 = as_float_array(P0, "P0")
    fam = as_float_array(P_family, "P_family")
    if fam.ndim != p0.ndim + 1 or fam.shape[1:] != p0.shape or fam.shape[0] < 1:
        raise ValidationError(f"P_family has shape {fam.shape} (rule: expected (K,) + P0.shape = "
                              f"(K, {', '.join(map(str, p0.shape))}) with K >= 1)")
    _check_law(p0, "P0")
    K = fam.shape[0]
    for k in range(K):
        _check_law(fam[k], f"P_family[{k}]")
    if weights is None:
        w = np.full(K, 1.0 / K)
    else:
        w = as_float_array(weights, "weights", ndim=1)
        if w.shape != (K,):
            raise ValidationError(f"weights has shape {w.shape} (rule: expected ({K},))")
        _check_law(w, "weights")
    p0f = p0.ravel()
    famf = fam.reshape(K, -1)
    supp = p0f > 0
    if np.any(famf[:, ~supp] > 0):
        return math.inf
    inv = 1.0 / p0f[supp]
    G = famf[:, supp]
    terms = []
    for i in range(K):
        for j in range(K):
            s = math.fsum((G[i] * G[j] * inv).tolist())
            base = max(s, 0.0)
            terms.append(w[i] * w[j] * math.exp(N * math.log(base)) if base > 0 else 0.0)
    return math.fsum(terms) - 1.0


def visit_count_kl(expected_visits, kl_per_context) -> float:
    r"""Divergence decomposition :math:`\mathrm{KL}(P_0^{\mathrm{alg}}\|P_1^{\mathrm{alg}})=\sum_x\mathbb E_0[N_x]\,\mathrm{KL}_x`.

    ``expected_visits``: :math:`\mathbb E_0[N_x]\ge0` under the null, for each
    context ``x`` (slot, state-action pair, arm), any shape; ``kl_per_context``: the
    per-visit :math:`\mathrm{KL}(P_0(\cdot|x)\|P_1(\cdot|x))\ge0`, same shape (``inf``
    allowed; a context with zero visits contributes 0). Lattimore & Szepesvári (2020),
    Lemma 15.1; used in spec Section 5A for adaptive algorithms.

    Examples
    --------
    >>> visit_count_kl([3.0, 0.0], [0.1, float('inf')])
    0.30000000000000004
    """
    n = np.array(expected_visits, dtype=np.float64)
    d = np.array(kl_per_context, dtype=np.float64)
    if n.shape != d.shape:
        raise ValidationError(f"expected_visits has shape {n.shape} and kl_per_context has shape {d.shape} "
                              "(rule: one KL per context)")
    for arr, name in ((n, "expected_visits"), (d, "kl_per_context")):
        bad = np.isnan(arr) | (arr < 0)
        if bad.any():
            where = np.argwhere(bad)[0]
            raise ValidationError(f"{name}{_idx(where)} = {arr[tuple(where)]} "
                                  "(rule: entries must be >= 0 and not NaN)")
    if np.isinf(n).any():
        where = np.argwhere(np.isinf(n))[0]
        raise ValidationError(f"expected_visits{_idx(where)} is inf (rule: expected visit counts are finite)")
    terms = []
    for ni, di in zip(n.ravel().tolist(), d.ravel().tolist()):
        if ni == 0.0:
            continue
        if math.isinf(di):
            return math.inf
        terms.append(ni * di)
    return math.fsum(terms)
