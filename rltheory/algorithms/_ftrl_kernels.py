r"""Numba kernels of the log-barrier FTRL learner and its baselines (adversarial MDPs, linear Q).

No checks here; :mod:`rltheory.algorithms.ftrl_logbarrier` validates and documents.
The algorithm is Algorithm 1 of Dai, Luo, Wei & Zimmert (ICML 2023, arXiv 2301.12942) as
*reconstructed* in the specification (Section 2) from Luo, Wei & Lee 2021 (arXiv 2107.08346)
and Neu & Olkhovskaya 2020 (arXiv 2007.01612).

Episode ``k`` (:func:`run_simulator`):

1. *policy* (:func:`policy_all`): :math:`\pi_k(\cdot|s) = \mathrm{step}(\Phi_s w_h - \mathrm{CB}_h(s,\cdot))`
   at every step and state, where ``W[h]`` = :math:`w_{k,h} = \sum_{\tau<k}\hat\Sigma^+_{\tau,h}\phi_\tau L_{\tau,h}`
   (cumulative linear estimates) and ``CB`` the cumulative dilated bonus; the step is the
   log-barrier FTRL step (:func:`logbarrier_step`), exponential weights (:func:`softmax_step`)
   or uniform;
2. *exact regret*: :math:`V^{\pi_k}_{\ell_k} - V^{\pi^*}_{\ell_k}` by exact policy evaluation
   (:func:`rltheory.kernels.mdp.backward_pass`, :func:`rltheory.kernels.mdp.policy_value_deterministic`);
3. *act* (:func:`act`): sample the episode, observe the bandit losses, form :math:`L_{k,h}`;
4. *covariance* (:func:`cov_exact` or :func:`cov_mgr`): :math:`\hat\Sigma^+_{k,h}`;
5. *estimate* (:func:`estimate`): ``W[h] += Sig[h] phi(s_h, a_h) L_h``;
6. *bonus* (:func:`dilated_bonus`): exact backward DP of the dilated bonus with the true ``P``.

Every sum is in a fixed order (:mod:`rltheory.kernels.linalg`); no BLAS, no ``fastmath``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from ..kernels.linalg import dot, matvec
from ..kernels.mdp import RULE_STOCHASTIC, backward_pass, occupancy_kernel, policy_value_deterministic
from ..kernels.sampling import draw_from_pmf, draw_index

RULE_LOGBARRIER, RULE_EXP, RULE_UNIFORM = 0, 1, 2
COV_EXACT, COV_MGR = 0, 1

#: Newton iterations of the log-barrier step are capped here (they stop far earlier, see :func:`logbarrier_step`).
NEWTON_MAX_ITER = 200


class Instance(NamedTuple):
    """An adversarial MDP as the kernels read it.

    ``P4 (HP, S, A, S)``, ``F4`` its cumulative rows, ``F0 (S,)`` cumulative ``mu0``, ``mu0 (S,)``,
    ``losses (K, H, S, A)``, ``phi (S, A, d)``, ``pistar`` int64 ``(H, S)`` the best fixed policy.
    """

    P4: np.ndarray
    F4: np.ndarray
    F0: np.ndarray
    mu0: np.ndarray
    losses: np.ndarray
    phi: np.ndarray
    pistar: np.ndarray


class Settings(NamedTuple):
    """``rule`` (``RULE_*``), ``cov`` (``COV_*``), ``eta``, ``gamma`` (ridge), ``beta`` (bonus scale),
    ``M`` (MGR iterations), ``c`` (MGR step), ``epoch`` (episodes per epoch, simulator-free variant)."""

    rule: int
    cov: int
    eta: float
    gamma: float
    beta: float
    M: int
    c: float
    epoch: int


class State(NamedTuple):
    """Learner state and scratch.

    ``W (H, d)`` cumulative estimate weights; ``CB (H, S, A)`` cumulative dilated bonus;
    ``pi (H, S, A)`` current policy; ``Sig (H, d, d)`` current :math:`\\hat\\Sigma^+_h`;
    ``occ (H, S, A)``; ``B (H, S, A)`` this episode's dilated bonus; ``Q (H, S, A)``, ``V (H+1, S)``,
    ``Vbuf (2, S)`` evaluation scratch; ``path`` int64 ``(2, H)`` states and actions of the episode;
    ``Lsuf (H,)`` loss-to-go; ``G, Z, T (H, d, d)`` matrix scratch; ``x, y (d,)``, ``nrm (S, A)``, ``Lv (A,)``.
    """

    W: np.ndarray
    CB: np.ndarray
    pi: np.ndarray
    Sig: np.ndarray
    occ: np.ndarray
    B: np.ndarray
    Q: np.ndarray
    V: np.ndarray
    Vbuf: np.ndarray
    path: np.ndarray
    Lsuf: np.ndarray
    G: np.ndarray
    Z: np.ndarray
    T: np.ndarray
    x: np.ndarray
    y: np.ndarray
    nrm: np.ndarray
    Lv: np.ndarray


def new_state(H: int, S: int, A: int, d: int) -> State:
    """A learner that has seen nothing (zero estimates, zero bonus)."""
    z = np.zeros
    return State(z((H, d)), z((H, S, A)), np.full((H, S, A), 1.0 / A), z((H, d, d)), z((H, S, A)),
                 z((H, S, A)), z((H, S, A)), z((H + 1, S)), z((2, S)), np.zeros((2, H), dtype=np.int64),
                 z(H), z((H, d, d)), z((H, d, d)), z((H, d, d)), z(d), z(d), z((S, A)), z(A))


@njit(cache=True)
def logbarrier_step(L, eta, p):
    r"""The log-barrier FTRL step :math:`p = \arg\min_{q\in\Delta_A}\langle q, L\rangle + \eta^{-1}\sum_a\ln(1/q_a)`.

    Stationarity: :math:`p_a = 1/(\eta(x_a + \lambda))` with :math:`x = L - \min L \ge 0` and
    :math:`\lambda > 0` the root of the convex decreasing :math:`f(\lambda) = \sum_a p_a(\lambda) - 1`.
    Newton from :math:`\lambda_0 = 1/\eta` (where :math:`f \ge 0`: the argmin coordinate alone gives 1),
    :math:`\lambda \leftarrow \lambda + f/(\eta\sum_a p_a^2)`, increases monotonically to the root
    (convexity); it stops when an iterate no longer increases (the root is reached to rounding) or
    :math:`f = 0`.  The root lies in :math:`[1/\eta, A/\eta]`.  Finally ``p`` is divided by its
    left-to-right sum, so :math:`\sum_a p_a = 1` to one rounding.  Returns the number of iterations.
    """
    A = L.shape[0]
    m = L[0]
    for a in range(1, A):
        if L[a] < m:
            m = L[a]
    lam = 1.0 / eta
    it = 0
    while it < NEWTON_MAX_ITER:
        it += 1
        s1 = 0.0
        s2 = 0.0
        for a in range(A):
            q = 1.0 / (eta * ((L[a] - m) + lam))
            s1 += q
            s2 += q * q
        f = s1 - 1.0
        if f <= 0.0:
            break
        new = lam + f / (eta * s2)
        if not new > lam:
            break
        lam = new
    tot = 0.0
    for a in range(A):
        p[a] = 1.0 / (eta * ((L[a] - m) + lam))
        tot += p[a]
    for a in range(A):
        p[a] = p[a] / tot
    return it


@njit(cache=True)
def softmax_step(L, eta, p):
    r"""Exponential weights :math:`p_a \propto \exp(-\eta(L_a - \min L))` (the shift avoids overflow)."""
    A = L.shape[0]
    m = L[0]
    for a in range(1, A):
        if L[a] < m:
            m = L[a]
    tot = 0.0
    for a in range(A):
        p[a] = np.exp(-eta * (L[a] - m))
        tot += p[a]
    for a in range(A):
        p[a] = p[a] / tot


@njit(cache=True)
def policy_all(inst, st, rule, eta):
    """Write the policy of every step and state into ``st.pi`` from ``st.W`` and ``st.CB``."""
    H, S, A = st.pi.shape[0], st.pi.shape[1], st.pi.shape[2]
    phi = inst.phi
    for h in range(H):
        for s in range(S):
            if rule == RULE_UNIFORM:
                for a in range(A):
                    st.pi[h, s, a] = 1.0 / A
                continue
            for a in range(A):
                st.Lv[a] = dot(phi[s, a], st.W[h]) - st.CB[h, s, a]
            if rule == RULE_LOGBARRIER:
                logbarrier_step(st.Lv, eta, st.pi[h, s])
            else:
                softmax_step(st.Lv, eta, st.pi[h, s])


@njit(cache=True)
def episode_regret(inst, st, k):
    r""":math:`V^{\pi_k}_{\ell_k}(\mu_0) - V^{\pi^*}_{\ell_k}(\mu_0)` by exact evaluation of both policies."""
    H = st.pi.shape[0]
    Lk = inst.losses[k]
    backward_pass(inst.P4, np.empty((0, 0)), Lk, H, RULE_STOCHASTIC, np.empty((0, 0), dtype=np.int64),
                  st.pi, st.Q, st.V)
    v = 0.0
    for s in range(inst.mu0.shape[0]):
        v += inst.mu0[s] * st.V[0, s]
    return v - policy_value_deterministic(inst.P4, Lk, H, inst.pistar, inst.mu0, st.Vbuf)


@njit(cache=True)
def act(inst, st, k, rng):
    r"""Sample episode ``k`` under ``st.pi``; fill ``st.path`` and the losses-to-go ``st.Lsuf``.

    Uniforms: one for :math:`s_0`, then per step one for the action and one for the next state.
    Returns the realised total loss.
    """
    H = st.pi.shape[0]
    HP = inst.P4.shape[0]
    s = draw_index(inst.F0, rng.random())
    for h in range(H):
        a = draw_from_pmf(st.pi[h, s], st.pi.shape[2], rng.random())
        st.path[0, h] = s
        st.path[1, h] = a
        st.Lsuf[h] = inst.losses[k, h, s, a]
        s = draw_index(inst.F4[h if HP > 1 else 0, s, a], rng.random())
    for h in range(H - 2, -1, -1):
        st.Lsuf[h] += st.Lsuf[h + 1]
    return st.Lsuf[0]


@njit(cache=True)
def spd_inverse(G, out, Lc):
    r"""``out = G^{-1}`` for a symmetric positive definite ``G (d, d)`` by Cholesky :math:`G = LL^\top`.

    ``Lc (d, d)`` scratch receives the factor; every sum runs left to right.  The columns of
    the inverse are solved from :math:`LL^\top x = e_j`, and ``out`` is symmetrised
    (:math:`(X + X^\top)/2`) so the quadratic forms of the bonus read a symmetric matrix.
    """
    d = G.shape[0]
    for j in range(d):
        acc = G[j, j]
        for t in range(j):
            acc -= Lc[j, t] * Lc[j, t]
        ljj = np.sqrt(acc)
        Lc[j, j] = ljj
        for i in range(j + 1, d):
            acc = G[i, j]
            for t in range(j):
                acc -= Lc[i, t] * Lc[j, t]
            Lc[i, j] = acc / ljj
    for j in range(d):
        for i in range(d):               # forward: L z = e_j (z stored in out[:, j])
            acc = 1.0 if i == j else 0.0
            for t in range(i):
                acc -= Lc[i, t] * out[t, j]
            out[i, j] = acc / Lc[i, i]
        for i in range(d - 1, -1, -1):   # backward: L^T x = z
            acc = out[i, j]
            for t in range(i + 1, d):
                acc -= Lc[t, i] * out[t, j]
            out[i, j] = acc / Lc[i, i]
    for i in range(d):
        for j in range(i + 1, d):
            m = 0.5 * (out[i, j] + out[j, i])
            out[i, j] = m
            out[j, i] = m


@njit(cache=True)
def cov_exact(inst, st, gamma):
    r"""``Sig[h] = (gamma I + Sigma_h)^{-1}``, :math:`\Sigma_h = \sum_{s,a} d^{\pi}_h(s,a)\phi(s,a)\phi(s,a)^\top`
    from the exact occupancy (the infinite-sample limit of MGR; specification Section 6)."""
    H, S, A = st.pi.shape[0], st.pi.shape[1], st.pi.shape[2]
    phi = inst.phi
    d = phi.shape[2]
    occupancy_kernel(inst.P4, H, st.pi, inst.mu0, st.occ)
    for h in range(H):
        G = st.G[h]
        for i in range(d):
            for j in range(d):
                G[i, j] = gamma if i == j else 0.0
        for s in range(S):
            for a in range(A):
                w = st.occ[h, s, a]
                if w != 0.0:
                    f = phi[s, a]
                    for i in range(d):
                        wi = w * f[i]
                        for j in range(d):
                            G[i, j] += wi * f[j]
        spd_inverse(G, st.Sig[h], st.T[h])


@njit(cache=True)
def mgr_update(Z, Ssum, x, y, c, gamma):
    r"""One MGR factor: :math:`Z \leftarrow Z(I - c(\gamma I + xx^\top)) = (1-c\gamma)Z - c(Zx)x^\top`,
    then ``Ssum += Z``.  ``y (d,)`` scratch."""
    d = x.shape[0]
    matvec(Z, x, y)
    r = 1.0 - c * gamma
    for i in range(d):
        cy = c * y[i]
        for j in range(d):
            z = r * Z[i, j] - cy * x[j]
            Z[i, j] = z
            Ssum[i, j] += z


@njit(cache=True)
def cov_mgr(inst, st, gamma, M, c, rng):
    r"""Matrix Geometric Resampling (Neu & Olkhovskaya 2020) with the simulator, every step at once.

    ``M`` fresh trajectories under :math:`\pi_k` (no losses; uniforms as in :func:`act`); the pair
    met at step :math:`h` of trajectory :math:`i` gives :math:`Y_{i,h} = \gamma I + \phi\phi^\top`,
    :math:`Z_{i,h} = \prod_{j\le i}(I - cY_{j,h})` (left to right) and
    ``Sig[h]`` :math:`= cI + c\sum_{i\le M} Z_{i,h}`; not symmetric (specification Section 8).
    """
    H, A = st.pi.shape[0], st.pi.shape[2]
    HP = inst.P4.shape[0]
    d = inst.phi.shape[2]
    for h in range(H):
        for i in range(d):
            for j in range(d):
                st.Z[h, i, j] = 1.0 if i == j else 0.0
                st.G[h, i, j] = 0.0
    for _ in range(M):
        s = draw_index(inst.F0, rng.random())
        for h in range(H):
            a = draw_from_pmf(st.pi[h, s], A, rng.random())
            mgr_update(st.Z[h], st.G[h], inst.phi[s, a], st.y, c, gamma)
            s = draw_index(inst.F4[h if HP > 1 else 0, s, a], rng.random())
    for h in range(H):
        for i in range(d):
            for j in range(d):
                st.Sig[h, i, j] = c * st.G[h, i, j] + (c if i == j else 0.0)


@njit(cache=True)
def mgr_draws(inst, st, gamma, M, c, rng, out):
    """``out[i] = Sig`` of an independent :func:`cov_mgr` run under ``st.pi``, for every ``i`` (``out (n, H, d, d)``)."""
    for i in range(out.shape[0]):
        cov_mgr(inst, st, gamma, M, c, rng)
        out[i] = st.Sig


@njit(cache=True)
def estimate(inst, st, weight):
    r"""``W[h] += weight * Sig[h] phi(s_h, a_h) L_h`` for every step (the linear-Q estimator:
    :math:`\hat Q_{k,h}(s,a) = \phi(s,a)^\top\hat\Sigma^+_{k,h}\phi(s_h,a_h)L_{k,h}`)."""
    H = st.pi.shape[0]
    d = inst.phi.shape[2]
    for h in range(H):
        matvec(st.Sig[h], inst.phi[st.path[0, h], st.path[1, h]], st.x)
        Lh = weight * st.Lsuf[h]
        for i in range(d):
            st.W[h, i] += st.x[i] * Lh


@njit(cache=True)
def bonus_norms(inst, st, h, beta):
    r"""``st.B[h] = b_h``: :math:`\beta(\|\phi(s,a)\|^2_{\Sigma^+_h} + E_{a'\sim\pi_h(s)}\|\phi(s,a')\|^2_{\Sigma^+_h})`.

    The quadratic form of the (possibly non-symmetric, MGR) ``Sig[h]`` equals that of its symmetric part.
    """
    S, A = st.pi.shape[1], st.pi.shape[2]
    for s in range(S):
        for a in range(A):
            matvec(st.Sig[h], inst.phi[s, a], st.x)
            st.nrm[s, a] = dot(inst.phi[s, a], st.x)
        e = 0.0
        for a in range(A):
            e += st.pi[h, s, a] * st.nrm[s, a]
        for a in range(A):
            st.B[h, s, a] = beta * (st.nrm[s, a] + e)


@njit(cache=True)
def dilated_bonus(inst, st, beta, scale):
    r"""Exact dilated bonus (Luo, Wei & Lee 2021) by backward DP with the true kernel, added to ``CB``:

    :math:`B_h(s,a) = b_h(s,a) + (1 + 1/H)\sum_{s'}P_h(s'|s,a)\sum_{a'}\pi_{h+1}(a'|s')B_{h+1}(s',a')`,
    :math:`B_{H-1} = b_{H-1}`; then ``CB += scale * B``.
    """
    H, S, A = st.pi.shape[0], st.pi.shape[1], st.pi.shape[2]
    HP = inst.P4.shape[0]
    dil = 1.0 + 1.0 / H
    for h in range(H - 1, -1, -1):
        bonus_norms(inst, st, h, beta)
        if h + 1 < H:
            for t in range(S):
                v = 0.0
                for a in range(A):
                    v += st.pi[h + 1, t, a] * st.B[h + 1, t, a]
                st.nrm[t, 0] = v          # reuse: nrm[:, 0] holds the next-step bonus value
            Ph = inst.P4[h if HP > 1 else 0]
            for s in range(S):
                for a in range(A):
                    st.B[h, s, a] += dil * dot(Ph[s, a], st.nrm[:, 0])
    for h in range(H):
        for s in range(S):
            for a in range(A):
                st.CB[h, s, a] += scale * st.B[h, s, a]


@njit(cache=True)
def run_simulator(inst, cfg, st, regret, returns, pols, rng):
    r"""Algorithm 1 (with the simulator) for ``K = regret.shape[0]`` episodes; fills ``regret`` and ``returns``
    (and ``pols[k] = pi_k`` when ``pols`` is ``(K, H, S, A)``; pass ``(0, H, S, A)`` to skip)."""
    K = regret.shape[0]
    for k in range(K):
        policy_all(inst, st, cfg.rule, cfg.eta)
        if pols.shape[0] > 0:
            pols[k] = st.pi
        regret[k] = episode_regret(inst, st, k)
        returns[k] = act(inst, st, k, rng)
        if cfg.rule == RULE_UNIFORM:
            continue
        if cfg.cov == COV_EXACT:
            cov_exact(inst, st, cfg.gamma)
        else:
            cov_mgr(inst, st, cfg.gamma, cfg.M, cfg.c, rng)
        estimate(inst, st, 1.0)
        if cfg.beta > 0.0:
            dilated_bonus(inst, st, cfg.beta, 1.0)


class EpochBuffers(NamedTuple):
    """Episodes of one epoch of the simulator-free variant: ``states, actions`` int64 ``(E, H)``,
    ``Lsuf (E, H)`` losses-to-go, ``is_cov`` int64 ``(E,)`` (1: the episode feeds the covariance and
    the bonus regression; 0: the loss estimate)."""

    states: np.ndarray
    actions: np.ndarray
    Lsuf: np.ndarray
    is_cov: np.ndarray


@njit(cache=True)
def epoch_play(inst, st, eb, k0, n, out, rng):
    """Play episodes ``k0 .. k0+n-1`` with the fixed ``st.pi``: exact regret, the episode, and a fair coin
    (one uniform after the episode's) assigning it to the covariance half or the estimation half.
    ``out = (regret, returns, pols)`` as in :func:`run_simulator`."""
    H = st.pi.shape[0]
    regret, returns, pols = out
    for i in range(n):
        k = k0 + i
        if pols.shape[0] > 0:
            pols[k] = st.pi
        regret[k] = episode_regret(inst, st, k)
        returns[k] = act(inst, st, k, rng)
        for h in range(H):
            eb.states[i, h] = st.path[0, h]
            eb.actions[i, h] = st.path[1, h]
            eb.Lsuf[i, h] = st.Lsuf[h]
        eb.is_cov[i] = 1 if rng.random() < 0.5 else 0


@njit(cache=True)
def epoch_covariance(inst, st, eb, n, gamma):
    r"""``Sig[h] = (gamma I + \hat\Sigma_h)^{-1}`` with :math:`\hat\Sigma_h` the mean of
    :math:`\phi\phi^\top` over the epoch's covariance episodes (:math:`\gamma I` alone if there are none).
    Returns the number of covariance episodes."""
    H, d = st.pi.shape[0], inst.phi.shape[2]
    m = 0
    for i in range(n):
        m += eb.is_cov[i]
    for h in range(H):
        G = st.G[h]
        for i in range(d):
            for j in range(d):
                G[i, j] = 0.0
        for e in range(n):
            if eb.is_cov[e] == 1:
                f = inst.phi[eb.states[e, h], eb.actions[e, h]]
                for i in range(d):
                    for j in range(d):
                        G[i, j] += f[i] * f[j]
        for i in range(d):
            for j in range(d):
                G[i, j] = (G[i, j] / m if m > 0 else 0.0) + (gamma if i == j else 0.0)
        spd_inverse(G, st.Sig[h], st.T[h])
    return m


@njit(cache=True)
def epoch_estimate(inst, st, eb, n):
    r"""``W[h] += 2 Sig[h] phi(s_h, a_h) L_h`` over the epoch's estimation episodes (each episode is one
    with probability 1/2, independently of the losses: the factor 2 makes the epoch sum unbiased
    given the covariance)."""
    H, d = st.pi.shape[0], inst.phi.shape[2]
    for e in range(n):
        if eb.is_cov[e] == 1:
            continue
        for h in range(H):
            matvec(st.Sig[h], inst.phi[eb.states[e, h], eb.actions[e, h]], st.x)
            Lh = 2.0 * eb.Lsuf[e, h]
            for i in range(d):
                st.W[h, i] += st.x[i] * Lh


@njit(cache=True)
def epoch_bonus(inst, st, eb, n, m, beta, scale):
    r"""Dilated bonus by regression (no simulator): :math:`B_{H-1} = b_{H-1}` and
    :math:`B_h = b_h + (1+1/H)\,\phi^\top w_h`, :math:`w_h = \hat\Sigma^+_h \frac1m\sum_i
    \phi(s_{i,h},a_{i,h})\sum_{a'}\pi_{h+1}(a'|s_{i,h+1})B_{h+1}(s_{i,h+1},a')` over the ``m``
    covariance episodes; then ``CB += scale * B``."""
    H, S, A, d = st.pi.shape[0], st.pi.shape[1], st.pi.shape[2], inst.phi.shape[2]
    dil = 1.0 + 1.0 / H
    for h in range(H - 1, -1, -1):
        bonus_norms(inst, st, h, beta)
        if h + 1 == H or m == 0:
            continue
        for i in range(d):
            st.y[i] = 0.0
        for e in range(n):
            if eb.is_cov[e] == 1:
                t = eb.states[e, h + 1]
                v = 0.0
                for a in range(A):
                    v += st.pi[h + 1, t, a] * st.B[h + 1, t, a]
                f = inst.phi[eb.states[e, h], eb.actions[e, h]]
                for i in range(d):
                    st.y[i] += f[i] * (v / m)
        matvec(st.Sig[h], st.y, st.x)
        for s in range(S):
            for a in range(A):
                st.B[h, s, a] += dil * dot(inst.phi[s, a], st.x)
    for h in range(H):
        for s in range(S):
            for a in range(A):
                st.CB[h, s, a] += scale * st.B[h, s, a]


@njit(cache=True)
def run_simulator_free(inst, cfg, st, eb, regret, returns, pols, rng):
    r"""The simulator-free variant [R]: epochs of ``cfg.epoch`` episodes with a fixed policy; covariance,
    estimates and bonus from the epoch's own trajectories (:func:`epoch_play` .. :func:`epoch_bonus`)."""
    K = regret.shape[0]
    k0 = 0
    while k0 < K:
        n = min(cfg.epoch, K - k0)
        policy_all(inst, st, cfg.rule, cfg.eta)
        epoch_play(inst, st, eb, k0, n, (regret, returns, pols), rng)
        k0 += n
        if cfg.rule == RULE_UNIFORM:
            continue
        m = epoch_covariance(inst, st, eb, n, cfg.gamma)
        epoch_estimate(inst, st, eb, n)
        if cfg.beta > 0.0:
            epoch_bonus(inst, st, eb, n, m, cfg.beta, float(n))
