r"""The Numba episode driver shared by the model-based tabular learners.

:func:`run_episodes` runs :math:`K` episodes of

1. *plan* (:func:`plan`): backward induction on the empirical model plus a
   bonus (UCBVI-CH, UCBVI-BF) or without one (certainty equivalence), giving
   the greedy policy :math:`\pi_k` (``int64 (H, S)``);
2. *evaluate exactly* (:func:`evaluate`): the value :math:`V^{\pi_k}(\mu_0)` on
   the true MDP (:func:`rltheory.kernels.mdp.policy_value_deterministic`;
   skipped when :math:`\pi_k = \pi_{k-1}`, whose value is already known),
   giving the expected regret :math:`V^*(\mu_0) - V^{\pi_k}(\mu_0)`;
3. *act* (:func:`act`): sample the episode with the
   :class:`numpy.random.Generator` (:func:`rltheory.kernels.sampling.env_step`),
   record its return and its path;
4. *observe* (:func:`observe`): update the counts with the episode's transitions
   (the policy is fixed within an episode, so updating after it changes nothing).

After episode :math:`K` the driver plans once more and stores the policy the
learner would play next (``-1`` rows while it would still explore).

The learner's data live in three named tuples of arrays (Numba passes them
into ``@njit`` code as structs): :class:`Planner` (fixed settings),
:class:`LearnerState` (counts, the plan and scratch) and :class:`Outputs`.

Greedy action and ties.  :math:`\pi_k(h, x) \in \arg\max_a Q_{k,h}(x,a)`.
With ``least_tried`` (UCBVI) the tied action with the fewest visits
:math:`N_k(x,a)` is taken, then the lowest index: exact ties are common in
optimistic learners (every pair whose value is capped at :math:`H-h` ties with
the others) and a lowest-index rule would then never leave action 0.  Without
it (the no-bonus baselines) ties go to the lowest index, so that those
learners do no exploration beyond their stated schedule.

Empirical model.  Counts :math:`N(s,a,s')` and :math:`N(s,a)` are pooled over
the steps when the true kernel is stationary (``P4.shape[0] == 1``), and kept
per step, :math:`N_h(s,a,s')`, when it is step-dependent.  The empirical
kernel is never formed: :math:`(\hat P V)(s,a) = \bigl(\sum_{s'} N(s,a,s')
V(s')\bigr) / N(s,a)`, with the sum taken in increasing :math:`s'` by one of
two bit-identical routes (adding :math:`0 \cdot V(s') = +0` changes no partial
sum):

* *sparse*: over the observed successors only, kept in a sorted list per
  :math:`(s,a)` -- cost :math:`\sum_{s,a} |\{s' : N(s,a,s') > 0\}|` per step;
* *dense*: all :math:`(s,a)` at once from counts stored as ``NT[s', s*A + a]``,
  an ``axpy`` per :math:`s'` that the compiler vectorises without
  reassociating any sum -- cost :math:`S^2 A` per step, at SIMD speed.

The route is chosen per episode from the fill of the count matrix
(:data:`DENSE_FILL`); it changes the speed, never a bit of the result.

``mode``: 0 = no bonus (certainty equivalence; an untried pair is valued by
its reward and zero continuation), 1 = Hoeffding bonus (UCBVI-CH),
2 = Bernstein–Freedman bonus (UCBVI-BF); the formulas are in
:mod:`rltheory.algorithms.ucbvi` (Azar, Osband & Munos 2017, Alg. 3 and 4).
``n_explore`` first episodes are played by the uniformly random policy
(explore-then-commit).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from ..kernels.mdp import (backward_induction_kernel, evaluate_stochastic_kernel,
                           policy_value_deterministic)
from ..kernels.sampling import EpisodeModel, draw_index, env_step

__all__ = ["Planner", "LearnerState", "Outputs", "new_state", "run_episodes", "plan", "evaluate",
           "act", "observe", "MODE_GREEDY", "MODE_HOEFFDING", "MODE_BERNSTEIN", "DENSE_FILL",
           "EpisodeModel"]

MODE_GREEDY = 0
MODE_HOEFFDING = 1
MODE_BERNSTEIN = 2

# indices into the ``consts`` array
C_HOEFFDING, C_VAR, C_LIN, C_CORR, C_CORR_INNER, C_SCALE = 0, 1, 2, 3, 4, 5

#: Use the dense route when at least this fraction of the count entries N(s,a,s') is non-zero.
DENSE_FILL = 0.125


class Planner(NamedTuple):
    """Fixed settings of a model-based learner.

    Attributes
    ----------
    R3f : float64 array (HR, S*A)
        Known mean rewards, pairs flattened to ``i = s*A + a``.
    H, A : int
    mode : int
        :data:`MODE_GREEDY`, :data:`MODE_HOEFFDING` or :data:`MODE_BERNSTEIN`.
    consts : float64 array (6,)
        Bonus constants indexed by ``C_*`` (``C_SCALE`` = ``bonus_scale``).
    L : float
        :math:`\\ln(5SAT/\\delta)`.
    vcap : float
        Largest possible return (caps the optimistic values).
    monotone : bool
        Take the min with the previous episode's ``Q``.
    least_tried : bool
        Break ties towards the least-tried action.
    """

    R3f: np.ndarray
    H: int
    A: int
    mode: int
    consts: np.ndarray
    L: float
    vcap: float
    monotone: bool
    least_tried: bool


class LearnerState(NamedTuple):
    """Everything a model-based learner has seen, its current plan, and scratch (``HC`` in {1, H}).

    Attributes
    ----------
    N : (HC, S*A, S) counts :math:`N(s,a,s')`; ``NT`` (HC, S, S*A) the same, transposed.
    Nsa, Ninv : (HC, S*A) :math:`N(s,a)` and :math:`1/N(s,a)` (0 when untried).
    Bh, Bc : (HC, S*A) Hoeffding bonus, Bernstein correction when every ``f(y) = H^2``.
    succ, nsucc : (HC, S*A, S), (HC, S*A) int64 sorted observed successors and their number.
    n_entries : int64 (1,) number of non-zero ``N(s,a,s')``.
    Nstep : (H+1, S) visits :math:`N'_h(y)` of state ``y`` at step ``h``.
    Q : (H, S*A); V : (H+1, S); pi : int64 (H, S) the plan.
    pi_prev : int64 (H, S) last evaluated policy; v_prev : (1,) its value; Vbuf : (2, S).
    V2, f : (S,); acc : (3, S*A); qv : (S*A,) scratch of :func:`plan`.
    """

    N: np.ndarray
    NT: np.ndarray
    Nsa: np.ndarray
    Ninv: np.ndarray
    Bh: np.ndarray
    Bc: np.ndarray
    succ: np.ndarray
    nsucc: np.ndarray
    n_entries: np.ndarray
    Nstep: np.ndarray
    Q: np.ndarray
    V: np.ndarray
    pi: np.ndarray
    pi_prev: np.ndarray
    v_prev: np.ndarray
    Vbuf: np.ndarray
    V2: np.ndarray
    f: np.ndarray
    acc: np.ndarray
    qv: np.ndarray


class Outputs(NamedTuple):
    """Per-episode records filled by :func:`run_episodes`.

    ``regret (K,)``, ``returns (K,)``, ``policies (K, H, S)`` int64 (written only
    when ``record``), ``final_policy (H, S)`` int64.
    """

    regret: np.ndarray
    returns: np.ndarray
    policies: np.ndarray
    final_policy: np.ndarray
    record: bool


def new_state(HC: int, H: int, S: int, A: int, mode: int, vcap: float) -> LearnerState:
    """A learner that has seen nothing: zero counts, ``Q[h] = min(H - h, vcap)`` (``+inf`` without bonus)."""
    SA = S * A
    Q = np.empty((H, SA))
    for h in range(H):
        cap = float(H - h)
        if vcap < cap:
            cap = vcap
        Q[h] = cap if mode != MODE_GREEDY else np.inf
    z = np.zeros
    return LearnerState(
        N=z((HC, SA, S)), NT=z((HC, S, SA)), Nsa=z((HC, SA)), Ninv=z((HC, SA)), Bh=z((HC, SA)),
        Bc=z((HC, SA)), succ=z((HC, SA, S), dtype=np.int64), nsucc=z((HC, SA), dtype=np.int64),
        n_entries=z(1, dtype=np.int64), Nstep=z((H + 1, S)), Q=Q, V=np.empty((H + 1, S)),
        pi=z((H, S), dtype=np.int64), pi_prev=np.full((H, S), -1, dtype=np.int64), v_prev=z(1),
        Vbuf=np.empty((2, S)), V2=z(S), f=z(S), acc=z((3, SA)), qv=z(SA))


@njit(cache=True)
def _sums_dense(NT_h, Vn, V2, f, want2, want3, acc):
    """``acc[0, i] = sum_t NT[t, i] V[t]`` (``acc[1]``: V^2, ``acc[2]``: f) for all i = s*A + a,
    in increasing t; ``acc (3, S*A)``."""
    S, SA = NT_h.shape[0], NT_h.shape[1]
    acc1, acc2, acc3 = acc[0], acc[1], acc[2]
    for i in range(SA):
        acc1[i] = 0.0
        acc2[i] = 0.0
        acc3[i] = 0.0
    for t in range(S):
        row = NT_h[t]
        v = Vn[t]
        if want3:
            v2 = V2[t]
            ft = f[t]
            for i in range(SA):
                w = row[i]
                acc1[i] += w * v
                acc2[i] += w * v2
                acc3[i] += w * ft
        elif want2:
            v2 = V2[t]
            for i in range(SA):
                w = row[i]
                acc1[i] += w * v
                acc2[i] += w * v2
        else:
            for i in range(SA):
                acc1[i] += row[i] * v


@njit(cache=True)
def _sums_sparse(N_h, succ_h, nsucc_h, Vn, V2, f, want2, want3, acc):
    """The same sums over the sorted observed successors of each pair i = s*A + a."""
    SA = N_h.shape[0]
    acc1, acc2, acc3 = acc[0], acc[1], acc[2]
    for i in range(SA):
        m = nsucc_h[i]
        x1 = 0.0
        x2 = 0.0
        x3 = 0.0
        for j in range(m):
            t = succ_h[i, j]
            w = N_h[i, t]
            x1 += w * Vn[t]
            if want2:
                x2 += w * V2[t]
            if want3:
                x3 += w * f[t]
        acc1[i] = x1
        acc2[i] = x2
        acc3[i] = x3


@njit(cache=True, inline="always")
def _next_state_sums(cfg, st, h, hc, dense):
    r"""Sums over next states for step ``h``: ``acc1 = N V_{h+1}``, and for UCBVI-BF
    ``acc2 = N V_{h+1}^2`` and ``acc3 = N f`` with
    :math:`f(y) = \min\{c_{inner}/N'_{h+1}(y), H^2\}`.  Returns ``(corr_on, want3)``:
    whether the correction term applies at ``h`` and whether ``f`` is not constant."""
    H, A, L, mode, consts = cfg.H, cfg.A, cfg.L, cfg.mode, cfg.consts
    V, V2, f, Nstep, acc = st.V, st.V2, st.f, st.Nstep, st.acc
    N_h, NT_h, succ_h, nsucc_h = st.N[hc], st.NT[hc], st.succ[hc], st.nsucc[hc]
    S = V.shape[1]
    c_inner = consts[C_CORR_INNER] * H * H * H * S * S * A * L * L
    H2 = float(H) * float(H)
    bern = mode == MODE_BERNSTEIN
    Vn = V[h + 1]
    corr_on = bern and h < H - 1
    # f(y) = min(c_inner / N'(y), H^2) equals H^2 for every y iff max_y N'(y) <= c_inner / H^2
    f_const = True
    if corr_on:
        nmax = 0.0
        for y in range(S):
            if Nstep[h + 1, y] > nmax:
                nmax = Nstep[h + 1, y]
        if nmax > 0.0 and c_inner / nmax < H2:  # c_inner / n is monotone in n
            f_const = False
            for y in range(S):
                n = Nstep[h + 1, y]
                if n > 0.0 and c_inner / n < H2:
                    f[y] = c_inner / n
                else:
                    f[y] = H2
    if bern:
        for t in range(S):
            V2[t] = Vn[t] * Vn[t]
    want3 = corr_on and not f_const
    if dense:
        _sums_dense(NT_h, Vn, V2, f, bern, want3, acc)
    else:
        _sums_sparse(N_h, succ_h, nsucc_h, Vn, V2, f, bern, want3, acc)
    return corr_on, want3


@njit(cache=True, inline="always")
def _uncapped_values(cfg, st, h, hc, corr_on, want3):
    r"""``qv[i] = R_h(i) + (\hat P V_{h+1})(i) + b(i)`` for every pair, branch-free per mode
    (an untried pair has ``Ninv = 0`` and gets ``R_h(i)`` plus a bonus the cap overrides)."""
    H, L, mode, consts, R3f = cfg.H, cfg.L, cfg.mode, cfg.consts, cfg.R3f
    inv_h, B_h, Bc_h, acc, qv = st.Ninv[hc], st.Bh[hc], st.Bc[hc], st.acc, st.qv
    SA = qv.shape[0]
    HR = R3f.shape[0]
    Rh = R3f[h if HR > 1 else 0]
    scale = consts[C_SCALE]
    c_var = consts[C_VAR] * L
    c_lin = scale * consts[C_LIN] * H * L
    c_corr = consts[C_CORR]
    acc1, acc2, acc3 = acc[0], acc[1], acc[2]
    if mode == MODE_GREEDY:
        for i in range(SA):
            qv[i] = Rh[i] + acc1[i] * inv_h[i]
    elif mode == MODE_HOEFFDING:
        for i in range(SA):
            qv[i] = Rh[i] + acc1[i] * inv_h[i] + B_h[i]
    else:
        # b = c [sqrt(8 L Var / n) + 14 H L / (3 n) + sqrt(8 sum_y Phat(y) f(y) / n)]
        # one loop per case, so that each stays branch-free and vectorisable
        if not corr_on:
            for i in range(SA):
                inv = inv_h[i]
                mean = acc1[i] * inv
                var = max(acc2[i] * inv - mean * mean, 0.0)
                qv[i] = Rh[i] + mean + (np.sqrt(c_var * var * inv) * scale + c_lin * inv)
        elif want3:
            for i in range(SA):
                inv = inv_h[i]
                mean = acc1[i] * inv
                var = max(acc2[i] * inv - mean * mean, 0.0)
                qv[i] = Rh[i] + mean + (np.sqrt(c_var * var * inv) * scale + c_lin * inv
                                        + scale * np.sqrt(c_corr * acc3[i] * inv * inv))
        else:
            for i in range(SA):
                inv = inv_h[i]
                mean = acc1[i] * inv
                var = max(acc2[i] * inv - mean * mean, 0.0)
                qv[i] = Rh[i] + mean + (np.sqrt(c_var * var * inv) * scale + c_lin * inv
                                        + Bc_h[i])


@njit(cache=True, inline="always")
def _greedy_step(cfg, st, h, hc):
    """Cap untried pairs and values above ``min(H - h, vcap)`` (with a bonus), take the min
    with the previous ``Q`` (``monotone``), and write ``V[h]`` and the greedy ``pi[h]``."""
    A, H, vcap, monotone, least_tried = cfg.A, cfg.H, cfg.vcap, cfg.monotone, cfg.least_tried
    bonus = cfg.mode != MODE_GREEDY
    Nsa_h, Qh, qv, V, pi = st.Nsa[hc], st.Q[h], st.qv, st.V, st.pi
    S = V.shape[1]
    cap = float(H - h)
    if vcap < cap:
        cap = vcap
    for s in range(S):
        best = -np.inf
        best_n = 0.0
        arg = 0
        for a in range(A):
            i = s * A + a
            n = Nsa_h[i]
            q = qv[i]
            if bonus:
                if n == 0.0 or q > cap:
                    q = cap
            if monotone and q > Qh[i]:
                q = Qh[i]
            Qh[i] = q
            if q > best or (least_tried and q == best and n < best_n):
                best = q
                best_n = n
                arg = a
        V[h, s] = best
        pi[h, s] = arg


@njit(cache=True, inline="always")
def plan(cfg, st):
    r"""Backward induction on the empirical model (+ bonus): fills ``st.Q (H, S*A)``,
    ``st.V (H+1, S)`` and the greedy ``st.pi (H, S)``.

    Per step: (1) the sums of :math:`N(i, s') V(s')` (and :math:`V^2`, :math:`f` for
    UCBVI-BF) by the dense or sparse route; (2) the uncapped :math:`R + \hat P V + b`
    of every pair; (3) untried pairs, the cap, the min with the previous ``Q`` and
    the greedy action (ties to the least-tried action when ``least_tried``, then to
    the lowest index).
    """
    H, Nsa, V = cfg.H, st.Nsa, st.V
    HC, SA, S = Nsa.shape[0], Nsa.shape[1], V.shape[1]
    dense = st.n_entries[0] >= DENSE_FILL * HC * SA * S
    for s in range(S):
        V[H, s] = 0.0
    for h in range(H - 1, -1, -1):
        hc = h if HC > 1 else 0
        corr_on, want3 = _next_state_sums(cfg, st, h, hc, dense)
        _uncapped_values(cfg, st, h, hc, corr_on, want3)
        _greedy_step(cfg, st, h, hc)


@njit(cache=True, inline="always")
def evaluate(P4, R3, mu0, st):
    r""":math:`V^{\pi}(\mu_0)` of the planned ``st.pi`` on the true MDP ``(P4, R3, mu0)``,
    exactly (:func:`rltheory.kernels.mdp.policy_value_deterministic`); the value of the
    previous policy is reused when the plan did not change."""
    pi, pi_prev, v_prev, Vbuf = st.pi, st.pi_prev, st.v_prev, st.Vbuf
    H, S = pi.shape[0], pi.shape[1]
    same = True
    for h in range(H):
        for s in range(S):
            if pi[h, s] != pi_prev[h, s]:
                same = False
                break
        if not same:
            break
    if same:
        return v_prev[0]
    value = policy_value_deterministic(P4, R3, H, pi, mu0, Vbuf)
    for h in range(H):
        for s in range(S):
            pi_prev[h, s] = pi[h, s]
    v_prev[0] = value
    return value


@njit(cache=True, inline="always")
def act(model, A, explore, pi, rng, path):
    """Play one episode with ``A`` actions (uniformly random ones when ``explore``, else
    ``pi (H, S)``); write the visited states and actions into ``path (2, H+1)`` (row 0
    states :math:`s_0..s_H`, row 1 actions) and return the realised return."""
    H, F0 = model.H, model.F0
    s = draw_index(F0, rng.random())
    ret = 0.0
    for h in range(H):
        if explore:
            a = int(rng.random() * A)
            if a >= A:
                a = A - 1
        else:
            a = pi[h, s]
        s2, r = env_step(model, h, s, a, rng)
        ret += r
        path[0, h] = s
        path[1, h] = a
        s = s2
    path[0, H] = s
    return ret


@njit(cache=True, inline="always")
def observe(cfg, st, path):
    """Record the transitions of one episode ``path (2, H+1)`` (see :func:`act`): counts,
    successor lists and the per-pair quantities that depend on the counts only
    (``Ninv``, ``Bh``, ``Bc``), step by step."""
    A, H, L, mode, consts = cfg.A, cfg.H, cfg.L, cfg.mode, cfg.consts
    N, NT, Nsa, Ninv, Bh, Bc = st.N, st.NT, st.Nsa, st.Ninv, st.Bh, st.Bc
    succ, nsucc, n_entries, Nstep = st.succ, st.nsucc, st.n_entries, st.Nstep
    HC = N.shape[0]
    scale = consts[C_SCALE]
    c_h = consts[C_HOEFFDING] * H * L * scale
    H2 = float(H) * float(H)
    for h in range(H):
        s, a, s2 = path[0, h], path[1, h], path[0, h + 1]
        hc = h if HC > 1 else 0
        i = s * A + a
        if N[hc, i, s2] == 0.0:
            m = nsucc[hc, i]
            j = m
            while j > 0 and succ[hc, i, j - 1] > s2:
                succ[hc, i, j] = succ[hc, i, j - 1]
                j -= 1
            succ[hc, i, j] = s2
            nsucc[hc, i] = m + 1
            n_entries[0] += 1
        N[hc, i, s2] += 1.0
        NT[hc, s2, i] += 1.0
        n = Nsa[hc, i] + 1.0
        inv = 1.0 / n
        Nsa[hc, i] = n
        Ninv[hc, i] = inv
        if mode == MODE_HOEFFDING:
            Bh[hc, i] = c_h * np.sqrt(inv)
        elif mode == MODE_BERNSTEIN:
            # correction term when every f(y) = H^2: sum_y N(i, y) H^2 = n H^2 exactly
            Bc[hc, i] = scale * np.sqrt(consts[C_CORR] * (n * H2) * inv * inv)
        Nstep[h, s] += 1.0
    Nstep[H, path[0, H]] += 1.0


@njit(cache=True)
def _reference_values(P4, R3, mu0, H, n_explore, Vbuf):
    """``(V*(mu0), V^unif(mu0))``; V*(mu0) by the same evaluation as the learner's policies,
    so a policy identical to pi* has regret exactly 0 (``V^unif`` only when ``n_explore > 0``)."""
    S, A = P4.shape[1], P4.shape[2]
    Qs = np.empty((H, S, A))
    Vs = np.empty((H + 1, S))
    pis = np.empty((H, S), dtype=np.int64)
    backward_induction_kernel(P4, R3, H, Qs, Vs, pis)
    v_star = policy_value_deterministic(P4, R3, H, pis, mu0, Vbuf)
    v_unif = 0.0
    if n_explore > 0:
        pu = np.full((H, S, A), 1.0 / A)
        evaluate_stochastic_kernel(P4, R3, H, pu, Qs, Vs)
        for s in range(S):
            v_unif += mu0[s] * Vs[0, s]
    return v_star, v_unif


@njit(cache=True)
def run_episodes(model, P4, mu0, cfg, st, out, K, n_explore, rng):
    """The learner loop: plan -> evaluate exactly -> act -> observe, for ``K`` episodes.

    ``model`` (:class:`rltheory.kernels.sampling.EpisodeModel`) is what the learner
    samples from, ``P4 (HP, S, A, S)`` and ``mu0 (S,)`` with ``model.R3`` the exact
    truth for the regret.  Fills ``out`` (``policies`` rows are ``-1`` for uniformly
    random episodes) and returns :math:`V^*(\\mu_0)`.
    """
    H, S, R3, pi = cfg.H, mu0.shape[0], model.R3, st.pi
    regret, returns, policies, final_policy, record = (out.regret, out.returns, out.policies,
                                                       out.final_policy, out.record)
    v_star, v_unif = _reference_values(P4, R3, mu0, H, n_explore, st.Vbuf)
    path = np.empty((2, H + 1), dtype=np.int64)
    for k in range(K):
        explore = k < n_explore
        if explore:
            value = v_unif
        else:
            plan(cfg, st)
            value = evaluate(P4, R3, mu0, st)
        regret[k] = v_star - value
        if record:
            for h in range(H):
                for s in range(S):
                    policies[k, h, s] = -1 if explore else pi[h, s]
        returns[k] = act(model, cfg.A, explore, pi, rng, path)
        observe(cfg, st, path)
    explore = K < n_explore
    if not explore:
        plan(cfg, st)
    for h in range(H):
        for s in range(S):
            final_policy[h, s] = -1 if explore else pi[h, s]
    return v_star
