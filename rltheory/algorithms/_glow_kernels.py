r"""Numba kernels of GLOW, H2O and HyGLOW on finite tabular classes (arXiv 2401.09681).

No checks here: :mod:`rltheory.algorithms.glow` validates once.  Data enter
only through sufficient statistics (specification Section 6): per layer
:math:`h`, the counts :math:`N_h(x,a,x')`, :math:`N_h(x,a)`, the summed
rewards :math:`\Sigma_h(x,a)` and the number :math:`n` of tuples, so that

.. math::

    \widehat{\mathbb E}_{D_h}[\widehat\Delta_h f \cdot w]
      = \sum_{x,a} w(x,a)\, e_{f,h}(x,a), \qquad
    e_{f,h}(x,a) = \frac{1}{n}\Bigl(N_h(x,a) f_h(x,a) - \Sigma_h(x,a)
      - \sum_{x'} N_h(x,a,x') \max_{a'} f_{h+1}(x',a')\Bigr)

with :math:`f_{H} = 0` (the ``f_{h+1}`` of the next state, fixing the
appendix typo, specification Section 8), and
:math:`\widehat{\mathbb E}_{D_h}[w^2] = \sum_{x,a} (N_h(x,a)/n) w(x,a)^2`.
Every sum is a plain left-to-right loop (no BLAS), so the same inputs give the
same bits on every machine.

Arrays: ``nF`` candidate value functions :math:`f = Q^*_M`, ``nM`` candidate
models (the same family), ``K = nM * nF`` weights :math:`w_{M,g}` per layer.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from ..kernels.mdp import policy_value_deterministic
from ..kernels.sampling import draw_index, env_step

# learner codes
SELECT_OPTIMISTIC, SELECT_LEAST_VIOLATION, SELECT_UNIFORM, SELECT_ROUND_ROBIN = 0, 1, 2, 3
BASE_GLOW, BASE_MABO, BASE_FQI, BASE_MLE = 0, 1, 2, 3
WEIGHT_RATIO, WEIGHT_ONE = 0, 1


class ClassArrays(NamedTuple):
    """The finite classes F (value functions) and M (models) as arrays.

    ``Qf (nF, H, S, A)`` the candidates :math:`Q^*_M` and ``QT (H, S, A, nF)`` the same, candidates last;
    ``VnT (H, S, nF)`` :math:`\\max_a f_{h+1}(\\cdot, a)` candidates last, and ``Vn (nF, H, S)``
    :math:`\\max_a f_{h+1}(\\cdot, a)` (0 at ``h = H-1``); ``V0 (nF, S)``
    :math:`\\max_a f_0`; ``Df (nW, nF, H, S, A)`` occupancy of :math:`\\pi_g` (every candidate)
    under the ``nW`` models that define W; ``wpol (G,)`` the candidates whose policies define W
    (``K = nW * G`` weights, ``k = M * G + j``); ``supp (H, K, S*A)`` int, the pairs (``x*A + a``, increasing)
    where :math:`d^{\\pi_{wpol[j]}}_{M,h} > 0` -- the only pairs where a weight can be non-zero -- and
    ``nsupp (H, K)`` their number (every pair when the weights are :math:`w \\equiv 1`);
    ``pi (nF, H, S)`` greedy policies; ``PM (nM, H, S, A, S)``,
    ``RM (nM, H, S, A)`` the models; ``J (nF,)`` true values of the :math:`\\pi_g`;
    ``nu (H, S, A)`` offline distribution (zeros when there is none); ``rank (nF,)``
    tie-breaking rank (lower wins).
    """

    Qf: np.ndarray
    QT: np.ndarray
    VnT: np.ndarray
    Vn: np.ndarray
    V0: np.ndarray
    Df: np.ndarray
    wpol: np.ndarray
    supp: np.ndarray
    nsupp: np.ndarray
    pi: np.ndarray
    PM: np.ndarray
    RM: np.ndarray
    J: np.ndarray
    nu: np.ndarray
    rank: np.ndarray


class Settings(NamedTuple):
    """``base`` (BASE_*), ``select`` (SELECT_*), ``weighting`` (WEIGHT_*), ``gamma``, ``beta_scale``,
    ``log_term`` :math:`\\log(6|F||W|TH/\\delta)`, ``penalty`` (multiplies :math:`\\alpha_t`),
    ``offline`` (bool), ``qstar`` (index of :math:`Q^*` in F, -1 if absent), ``v_star``."""

    base: int
    select: int
    weighting: int
    gamma: float
    beta_scale: float
    log_term: float
    penalty: float
    offline: bool
    qstar: int
    v_star: float


class Data(NamedTuple):
    """Sufficient statistics: ``N (H,S,A,S)``, ``Nsa (H,S,A)``, ``Rsum (H,S,A)``, ``N1 (S,)``
    initial states seen, ``dsum (nM,H,S,A)`` summed occupancies of the played policies under each
    model, ``n (1,)`` tuples per layer; offline tuples ``off (3, H, T)`` int (x, a, x') and
    ``off_r (H, T)``."""

    N: np.ndarray
    Nsa: np.ndarray
    Rsum: np.ndarray
    N1: np.ndarray
    dsum: np.ndarray
    n: np.ndarray
    off: np.ndarray
    off_r: np.ndarray


class Trace(NamedTuple):
    """Per-round outputs: ``regret (T,)``, ``returns (T,)``, ``chosen (T,)`` int (-1: not a candidate),
    ``in_set (T,)`` bool (:math:`Q^* \\in F^{(t)}`), ``set_size (T,)`` int, ``policies (T, H, S)``."""

    regret: np.ndarray
    returns: np.ndarray
    chosen: np.ndarray
    in_set: np.ndarray
    set_size: np.ndarray
    policies: np.ndarray


@njit(cache=True)
def residuals(C, D, e):
    r"""``e[h, x*A + a, f]``: the per-pair empirical Bellman residual mass :math:`e_{f,h}(x,a)` (module docstring).

    Candidates on the last axis, so the loops over ``f`` run over contiguous memory; for each
    ``f`` the sum over next states is still taken left to right.
    """
    H, S, A, nF = C.QT.shape
    inv = 1.0 / D.n[0]
    acc = np.empty(nF)
    for h in range(H):
        for x in range(S):
            for a in range(A):
                for f in range(nF):
                    acc[f] = 0.0
                row = D.N[h, x, a]
                for y in range(S):
                    ny = row[y]
                    vy = C.VnT[h, y]
                    for f in range(nF):
                        acc[f] += ny * vy[f]
                out = e[h, x * A + a]
                q = C.QT[h, x, a]
                m, r = D.Nsa[h, x, a], D.Rsum[h, x, a]
                for f in range(nF):
                    out[f] = (m * q[f] - r - acc[f]) * inv


@njit(cache=True)
def weights(C, D, t, gamma_t, mode, hybrid, w, quad):
    r"""Clipped weights ``w[h, k, i]`` at the pairs ``supp[h, k, i]`` and ``quad[h, k]``; ``k = M * G + j``.

    GLOW (``hybrid`` false): :math:`w_{M,g} = d^{\pi_g}_M / (\frac1t(\sum_{i<t} d^{\pi^{(i)}}_M + d^{\pi_g}_M))`.
    HyGLOW: :math:`w_{M,g} = d^{\pi_g}_M / (\frac12(\nu + \frac{1}{t-1}\sum_{i<t} d^{\pi^{(i)}}_M))`
    (:math:`\nu` alone at ``t = 1``).  Zero denominators give :math:`+\infty` where the numerator
    is positive (0 where it is 0, i.e. off the support); then :math:`\min\{\cdot, \gamma_t\}`.
    ``mode`` WEIGHT_ONE: :math:`w = 1` (on every pair).  ``quad`` :math:`= \widehat{\mathbb E}[w^2] =
    \sum (N_h(x,a)/n) w^2`.
    """
    H, Kw = C.nsupp.shape
    G = C.wpol.shape[0]
    A = C.Df.shape[4]
    n = D.n[0]
    for h in range(H):
        for k in range(Kw):
            M, g = k // G, C.wpol[k % G]
            q = 0.0
            for i in range(C.nsupp[h, k]):
                p = C.supp[h, k, i]
                x, a = p // A, p % A
                num = C.Df[M, g, h, x, a]
                if mode == WEIGHT_ONE:
                    r = 1.0
                else:
                    if hybrid:
                        den = 0.5 * C.nu[h, x, a]
                        if t > 1:
                            den += 0.5 * D.dsum[M, h, x, a] / (t - 1)
                    else:
                        den = (D.dsum[M, h, x, a] + num) / t
                    if den > 0.0:
                        r = num / den
                    elif num > 0.0:
                        r = np.inf
                    else:
                        r = 0.0
                if r > gamma_t:
                    r = gamma_t
                w[h, k, i] = r
                if n > 0:
                    q += D.Nsa[h, x, a] / n * r * r
            quad[h, k] = q


@njit(cache=True)
def linear_terms(C, e, w, lin):
    r"""``lin[h, k, f] = sum_i w[h,k,i] e[h,supp[h,k,i],f]`` :math:`= \widehat{\mathbb E}[w \widehat\Delta f]`.

    The sum runs over the support in increasing pair order: the same partial sums as the dense sum
    over all pairs (the skipped terms are exact zeros); the loop over ``f`` is innermost (contiguous).
    """
    H, Kw = C.nsupp.shape
    nF = e.shape[2]
    for h in range(H):
        for k in range(Kw):
            out = lin[h, k]
            for f in range(nF):
                out[f] = 0.0
            for i in range(C.nsupp[h, k]):
                wv = w[h, k, i]
                row = e[h, C.supp[h, k, i]]
                for f in range(nF):
                    out[f] += wv * row[f]


@njit(cache=True)
def confidence_set(C, e, w, quad, alpha, beta, acc, viol, adm):
    r"""Eq. (4): ``viol[f, h] = max_k (sum_i w[h,k,i] e[h,supp_i,f]) - alpha quad[h,k]``.

    ``adm[f]`` is true iff every layer's value is ``<= beta``.

    ``lin`` is never stored: for each weight the sums of every candidate are accumulated in ``acc (nF,)``.
    """
    H, Kw = C.nsupp.shape
    nF = e.shape[2]
    for f in range(nF):
        adm[f] = True
    for h in range(H):
        for f in range(nF):
            viol[f, h] = -np.inf
        for k in range(Kw):
            for f in range(nF):
                acc[f] = 0.0
            for i in range(C.nsupp[h, k]):
                wv = w[h, k, i]
                row = e[h, C.supp[h, k, i]]
                for f in range(nF):
                    acc[f] += wv * row[f]
            aq = alpha * quad[h, k]
            for f in range(nF):
                v = acc[f] - aq
                if v > viol[f, h]:
                    viol[f, h] = v
        for f in range(nF):
            if viol[f, h] > beta:
                adm[f] = False


@njit(cache=True)
def mabo_objective(lin, quad, alpha, tot, obj):
    r"""MABO.CR (eq. 13/39): ``obj[f]`` = max over W-bar of
    :math:`\sum_h |\widehat{\mathbb E}[w_h\Delta_h f]| - \alpha\widehat{\mathbb E}[w_h^2]`.

    :math:`\bar W = W \cup (-W) \cup_h (W^{(h)} \cup -W^{(h)})`: the single-layer copies give the
    per-layer terms; the negated copies give the same values because the absolute value is taken
    inside the sum (they matter for the efficient variant without it, eq. 40).  ``lin (H, K, nF)``,
    ``tot (nF,)`` scratch.
    """
    H, Kw, nF = lin.shape
    for f in range(nF):
        obj[f] = -np.inf
    for k in range(Kw):
        for f in range(nF):
            tot[f] = 0.0
        for h in range(H):
            aq = alpha * quad[h, k]
            row = lin[h, k]
            for f in range(nF):
                v = abs(row[f]) - aq
                tot[f] += v
                if v > obj[f]:
                    obj[f] = v
        for f in range(nF):
            if tot[f] > obj[f]:
                obj[f] = tot[f]


@njit(cache=True)
def fqi_policy(C, D, Q, V, pol):
    r"""FQI (Alg. F.2) over the complete class :math:`\{R_{M,h} + P_{M,h} V : M\}`: fills ``pol (H, S)``.

    For :math:`h = H-1, \dots, 0`, the regression target is :math:`\Sigma_h/N_h + \widehat P_h V_{h+1}`
    on the visited pairs; the chosen :math:`M` minimises :math:`\sum_{x,a} N_h(x,a)(B_M(x,a) - \text{target})^2`
    (ties: lowest rank), then :math:`Q_h = B_M`, :math:`V_h = \max_a Q_h`.  ``Q (H,S,A)``, ``V (H+1,S)`` scratch.
    """
    nM, H, S, A, _ = C.PM.shape
    for s in range(S):
        V[H, s] = 0.0
    for h in range(H - 1, -1, -1):
        best, arg = np.inf, 0
        for M in range(nM):
            loss = 0.0
            for x in range(S):
                for a in range(A):
                    m = D.Nsa[h, x, a]
                    if m == 0.0:
                        continue
                    bm = C.RM[M, h, x, a]
                    tg = D.Rsum[h, x, a] / m
                    for y in range(S):
                        bm += C.PM[M, h, x, a, y] * V[h + 1, y]
                        tg += D.N[h, x, a, y] / m * V[h + 1, y]
                    loss += m * (bm - tg) * (bm - tg)
            if loss < best or (loss == best and C.rank[M] < C.rank[arg]):
                best, arg = loss, M
        for x in range(S):
            vb, ab = -np.inf, 0
            for a in range(A):
                bm = C.RM[arg, h, x, a]
                for y in range(S):
                    bm += C.PM[arg, h, x, a, y] * V[h + 1, y]
                Q[h, x, a] = bm
                if bm > vb:
                    vb, ab = bm, a
            V[h, x] = vb
            pol[h, x] = ab


@njit(cache=True)
def mle_index(C, D):
    r"""Model-based MLE (Alg. F.4): :math:`\arg\max_M \sum N_h(x,a,x') \log P_{M,h}(x'|x,a)`, rewards exact.

    Rewards are deterministic, so a model whose mean reward differs from an observed one has
    likelihood 0.  Ties: lowest rank.
    """
    nM, H, S, A, _ = C.PM.shape
    best, arg = -np.inf, -1
    for M in range(nM):
        ll = 0.0
        for h in range(H):
            for x in range(S):
                for a in range(A):
                    m = D.Nsa[h, x, a]
                    if m == 0.0:
                        continue
                    if abs(C.RM[M, h, x, a] - D.Rsum[h, x, a] / m) > 1e-9:
                        ll = -np.inf
                    for y in range(S):
                        c = D.N[h, x, a, y]
                        if c > 0.0:
                            p = C.PM[M, h, x, a, y]
                            ll += c * np.log(p) if p > 0.0 else -np.inf
        if arg < 0 or ll > best or (ll == best and C.rank[M] < C.rank[arg]):
            best, arg = ll, M
    return arg


@njit(cache=True)
def rollout(model, pol, uniform, A, rng, D):
    """One episode of ``pol (H, S)`` (uniform random actions when ``uniform``); adds its tuples to ``D``."""
    s = draw_index(model.F0, rng.random())
    D.N1[s] += 1.0
    ret = 0.0
    for h in range(model.H):
        a = int(rng.random() * A) if uniform else pol[h, s]
        s2, r = env_step(model, h, s, a, rng)
        D.N[h, s, a, s2] += 1.0
        D.Nsa[h, s, a] += 1.0
        D.Rsum[h, s, a] += r
        ret += r
        s = s2
    return ret


@njit(cache=True)
def add_offline(D, i):
    """Add offline tuple ``i`` of every layer to the statistics."""
    H = D.off.shape[1]
    for h in range(H):
        x, a, y = D.off[0, h, i], D.off[1, h, i], D.off[2, h, i]
        D.N[h, x, a, y] += 1.0
        D.Nsa[h, x, a] += 1.0
        D.Rsum[h, x, a] += D.off_r[h, i]


@njit(cache=True)
def pick(score, admissible, rank, maximise):
    """Index of the best ``score`` among ``admissible`` (ties: lowest rank); all indices if none admissible."""
    arg = -1
    any_ok = False
    for f in range(score.shape[0]):
        any_ok |= admissible[f]
    for f in range(score.shape[0]):
        if any_ok and not admissible[f]:
            continue
        if arg < 0:
            arg = f
            continue
        better = score[f] > score[arg] if maximise else score[f] < score[arg]
        if better or (score[f] == score[arg] and rank[f] < rank[arg]):
            arg = f
    return arg


class Scratch(NamedTuple):
    """Work arrays: ``e (H,S*A,nF)``, ``w (H,K,S*A)``, ``quad (H,K)``, ``lin (H,K,nF)``, ``viol (nF,H)``,
    ``score (nF,)``, ``acc (nF,)``, ``adm (nF,)`` bool, ``Q (H,S,A)``, ``V (H+1,S)``, ``pol (H,S)`` int,
    ``Vbuf (2,S)``."""

    e: np.ndarray
    w: np.ndarray
    quad: np.ndarray
    lin: np.ndarray
    viol: np.ndarray
    score: np.ndarray
    acc: np.ndarray
    adm: np.ndarray
    Q: np.ndarray
    V: np.ndarray
    pol: np.ndarray
    Vbuf: np.ndarray


class Truth(NamedTuple):
    """The true instance as the loop reads it: ``P4``, ``R3``, ``mu0`` and ``v_unif``
    :math:`= J(\\pi_{\\mathrm{unif}})`."""

    P4: np.ndarray
    R3: np.ndarray
    mu0: np.ndarray
    v_unif: float


@njit(cache=True)
def choose_glow(C, st, D, t, Z, mu0):
    r"""GLOW round ``t`` (Algorithm 1, K = 1): confidence set (eq. 4) and the choice; returns ``(f, |F^{(t)}|)``.

    :math:`\gamma_t = \gamma t`, :math:`\alpha_t = 8/\gamma_t` (times ``penalty``),
    :math:`\beta_t = c_\beta \cdot 36\gamma_t/(t-1) \cdot \log(6|F||W|TH/\delta)`; :math:`F^{(1)} = F`.
    Optimistic: :math:`\arg\max_{f \in F^{(t)}} \widehat{\mathbb E}_{x_1}[\max_a f_1(x_1,a)]` (:math:`\mu_0` at
    ``t = 1``).  Least violation (no optimism): :math:`\arg\min_f \max_h` (left side of eq. 4).
    Round robin: :math:`\pi_{f_{(t-1) \bmod |F|}}` (plays every policy of :math:`\Pi` in turn).
    """
    nF, H, S, A = C.Qf.shape
    if st.select == SELECT_ROUND_ROBIN:          # explores Pi in turn, learns nothing
        return (t - 1) % nF, nF
    gamma_t = st.gamma * t
    for f in range(nF):
        Z.adm[f] = True
        for h in range(H):
            Z.viol[f, h] = 0.0
    if t > 1:
        residuals(C, D, Z.e)
        weights(C, D, t, gamma_t, st.weighting, False, Z.w, Z.quad)
        beta = st.beta_scale * 36.0 * gamma_t / (t - 1) * st.log_term
        confidence_set(C, Z.e, Z.w, Z.quad, st.penalty * 8.0 / gamma_t, beta, Z.acc, Z.viol, Z.adm)
    size = 0
    for f in range(nF):
        size += 1 if Z.adm[f] else 0
        if st.select == SELECT_OPTIMISTIC:
            c = 0.0
            tot = 0.0
            for x in range(S):
                tot += D.N1[x]
            for x in range(S):
                c += (D.N1[x] / tot if t > 1 else mu0[x]) * C.V0[f, x]
            Z.score[f] = c
        else:
            m = -np.inf
            for h in range(H):
                if Z.viol[f, h] > m:
                    m = Z.viol[f, h]
            Z.score[f] = m
            Z.adm[f] = True
    if st.select != SELECT_OPTIMISTIC:
        return pick(Z.score, Z.adm, C.rank, False), size
    return pick(Z.score, Z.adm, C.rank, True), size


@njit(cache=True)
def choose_h2o(C, st, D, t, Z, truth):
    r"""H2O round ``t`` (Algorithm 2): the base algorithm on the hybrid data; returns ``(f or -1, value of pol)``.

    MABO.CR (HyGLOW, eq. 14): :math:`\arg\min_f` of :func:`mabo_objective` with clipping at
    :math:`\gamma_t = \gamma t`; FQI: :func:`fqi_policy`; MLE: :func:`mle_index`.  The policy is left in ``Z.pol``.
    """
    nF, H, S, A = C.Qf.shape
    f = -1
    if st.base == BASE_MABO:
        for g in range(nF):
            Z.score[g] = 0.0
            Z.adm[g] = True
        if D.n[0] > 0:
            gamma_t = st.gamma * t
            residuals(C, D, Z.e)
            weights(C, D, t, gamma_t, st.weighting, True, Z.w, Z.quad)
            linear_terms(C, Z.e, Z.w, Z.lin)
            mabo_objective(Z.lin, Z.quad, st.penalty * 8.0 / gamma_t, Z.acc, Z.score)
        f = pick(Z.score, Z.adm, C.rank, False)
    elif st.base == BASE_MLE:
        f = mle_index(C, D)
    if f >= 0:
        for h in range(H):
            for x in range(S):
                Z.pol[h, x] = C.pi[f, h, x]
        return f, C.J[f]
    fqi_policy(C, D, Z.Q, Z.V, Z.pol)
    return -1, policy_value_deterministic(truth.P4, truth.R3, H, Z.pol, truth.mu0, Z.Vbuf)


@njit(cache=True)
def run_loop(C, st, D, Z, truth, model, rng, out):
    """``T = out.regret.shape[0]`` rounds of GLOW / H2O / the uniform learner, one episode per round."""
    T = out.regret.shape[0]
    nM, nF, H, S, A = C.Df.shape
    for i in range(T):
        t = i + 1
        if st.offline and t > 1:
            add_offline(D, t - 2)
            D.n[0] += 1.0
        size = nF
        if st.select == SELECT_UNIFORM:
            f, value = -1, truth.v_unif
        elif st.base == BASE_GLOW:
            f, size = choose_glow(C, st, D, t, Z, truth.mu0)
            value = C.J[f]
            for h in range(H):
                for x in range(S):
                    Z.pol[h, x] = C.pi[f, h, x]
        else:
            f, value = choose_h2o(C, st, D, t, Z, truth)
        out.regret[i] = st.v_star - value
        out.chosen[i] = f
        out.set_size[i] = size
        out.in_set[i] = Z.adm[st.qstar] if (st.qstar >= 0 and st.base == BASE_GLOW
                                            and st.select == SELECT_OPTIMISTIC) else True
        for h in range(H):
            for x in range(S):
                out.policies[i, h, x] = Z.pol[h, x] if st.select != SELECT_UNIFORM else -1
        out.returns[i] = rollout(model, Z.pol, st.select == SELECT_UNIFORM, A, rng, D)
        D.n[0] += 1.0
        if f >= 0:
            for M in range(nM):
                for h in range(H):
                    for x in range(S):
                        for a in range(A):
                            D.dsum[M, h, x, a] += C.Df[M, f, h, x, a]
