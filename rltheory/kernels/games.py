r"""Numba kernels for Markov games: stage operators of product policies and best deviations.

No argument checking here; the public wrappers in
:mod:`rltheory.solvers.markov_games` and :mod:`rltheory.solvers.deviations`
validate once, and learners' episode loops (:mod:`rltheory.algorithms.games`)
call the kernels directly from ``@njit`` code.

Array conventions (see :mod:`rltheory.models.games`):

* ``P4 (HP, S, nJ, S)`` and ``R4 (m, HR, S, nJ)`` over flat joint actions,
  ``HP, HR`` in ``{1, H}``; ``ja (nJ, m)`` decodes a flat joint action.
* ``pol (m, H, S, Amax)``: one Markov product policy, player ``j``'s
  distribution in ``pol[j, h, s, :A_j]`` (zero padding beyond ``A_j``).

For a single deviating player ``i`` facing ``T`` Markov product opponents the
kernels take the opponents' joint action ``b = a_{-i}`` (flat, C order over
the other players) and:

* ``Opp (T, H, S, B)``: :math:`\sigma^{(t)}_{-i,h}(b \mid s) = \prod_{j \ne i} \sigma^{(t)}_{j,h}(b_j \mid s)`;
* ``rew (H, S, A_i, B)``: :math:`R_{i,h}(s, (a_i, b))`;
* ``Pn (H, S, A_i, B, S)``: :math:`P_h(s' \mid s, (a_i, b))`;
* ``w0 (T,)``: prior weights of the components (summing to 1).

Kernels:

* :func:`product_backward` -- values ``V (m, H+1, S)`` of every player under
  one product policy and, on request, each player's action values
  ``Q (m, H, S, Amax)`` against the others (the stage operator of
  independent learners);
* :func:`product_values` -- initial values ``(T, m)`` of ``T`` product policies;
* :func:`general_br_value` -- the best history-dependent deviation against a
  mixture of Markov opponents (backward induction over observable histories);
* :func:`markov_br_enumerate` -- the best Markov deviation against a mixture,
  by enumerating deterministic Markov policies;
* :func:`bayes_deviator_mc` -- Monte Carlo value of the Bayesian deviator in a
  repeated game.

Definitions follow Foster, Golowich & Kakade, *Hardness of Independent
Learning and Sparse Equilibrium Computation in Markov Games* (ICML 2023,
arXiv 2303.12287).  Every sum runs left to right in the order written; no
BLAS, no ``fastmath``, so the results are the same bits on every CPU.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .sampling import draw_from_pmf

__all__ = ["product_backward", "product_values", "general_br_value", "markov_br_enumerate",
           "bayes_deviator_mc"]


@njit(cache=True)
def product_backward(P4, R4, pol, ja, V, Q, with_q):
    r"""Values of every player under one product policy and, if ``with_q``, their action values.

    Backward induction from ``V[:, H] = 0``:

    .. math::
        q_{i,h}(s, a) = R_{i,h}(s, a) + \sum_{s'} P_h(s' \mid s, a) V_{i,h+1}(s'), \qquad
        V_{i,h}(s) = \sum_a \sigma_h(a \mid s)\, q_{i,h}(s, a),

    with :math:`\sigma_h(a \mid s) = \prod_j \sigma_{j,h}(a_j \mid s)`, and,
    when ``with_q`` is true,
    :math:`Q_{i,h}(s, a_i) = \sum_{a_{-i}} \sigma_{-i,h}(a_{-i} \mid s)\, q_{i,h}(s, (a_i, a_{-i}))`.

    Parameters
    ----------
    P4 : float64 (HP, S, nJ, S)
    R4 : float64 (m, HR, S, nJ)
    pol : float64 (m, H, S, Amax)
        The product policy.
    ja : int64 (nJ, m)
        Player actions of every flat joint action.
    V : float64 (m, H+1, S)
        Output: :math:`V_{i,h}(s)`.
    Q : float64 (m, H, S, Amax)
        Output when ``with_q`` (entries beyond ``A_i`` stay 0); untouched otherwise
        (any 4-d float array will do).
    with_q : bool
        Whether to compute ``Q``.  Without it, joint actions of probability 0
        are skipped.
    """
    m, H1, S = V.shape
    H = H1 - 1
    nJ = ja.shape[0]
    qj = np.empty(m)
    for i in range(m):
        for s in range(S):
            V[i, H, s] = 0.0
    for h in range(H - 1, -1, -1):
        hp = h if P4.shape[0] > 1 else 0
        hr = h if R4.shape[1] > 1 else 0
        for s in range(S):
            for i in range(m):
                V[i, h, s] = 0.0
                if with_q:
                    for k in range(Q.shape[3]):
                        Q[i, h, s, k] = 0.0
            for a in range(nJ):
                x = 1.0
                for j in range(m):
                    x *= pol[j, h, s, ja[a, j]]
                if x == 0.0 and not with_q:
                    continue
                for i in range(m):
                    q = R4[i, hr, s, a]
                    for s2 in range(S):
                        q += P4[hp, s, a, s2] * V[i, h + 1, s2]
                    qj[i] = q
                    V[i, h, s] += x * q
                if with_q:
                    for i in range(m):
                        xo = 1.0
                        for j in range(m):
                            if j != i:
                                xo *= pol[j, h, s, ja[a, j]]
                        Q[i, h, s, ja[a, i]] += xo * qj[i]


@njit(cache=True)
def product_values(P4, R4, pols, ja, mu0):
    r"""Initial values :math:`\sum_s \mu_0(s) V^{\sigma^{(t)}}_{i,0}(s)` of ``T`` product policies.

    Parameters
    ----------
    P4, R4, ja
        As in :func:`product_backward`.
    pols : float64 (T, m, H, S, Amax)
    mu0 : float64 (S,)

    Returns
    -------
    float64 (T, m)
    """
    T, m, H, S, _ = pols.shape
    out = np.zeros((T, m))
    V = np.zeros((m, H + 1, S))
    Q = np.zeros((m, 0, 0, 0))
    for t in range(T):
        product_backward(P4, R4, pols[t], ja, V, Q, False)
        for i in range(m):
            acc = 0.0
            for s in range(S):
                acc += mu0[s] * V[i, 0, s]
            out[t, i] = acc
    return out


@njit(cache=True)
def _open_history(Opp, rew, W, pb, acc, d, s):
    r"""Enter a history node at depth ``d`` in state ``s``: opponents' predictive and immediate rewards.

    ``pb[d, b]`` :math:`= \sum_t W_{d,t}\, \sigma^{(t)}_{-i,d}(b \mid s)` (unnormalised) and
    ``acc[d, a]`` :math:`= \sum_b` ``pb[d, b]`` :math:`r_d(s, a, b)`, the start of each action's value.
    """
    T, _, _, B = Opp.shape
    Ai = rew.shape[2]
    for b in range(B):
        p = 0.0
        for t in range(T):
            p += W[d, t] * Opp[t, d, s, b]
        pb[d, b] = p
    for a in range(Ai):
        v = 0.0
        for b in range(B):
            v += pb[d, b] * rew[d, s, a, b]
        acc[d, a] = v


@njit(cache=True)
def _next_child(Pn, pb, d, s, c):
    """First child code ``c' >= c`` (``c' = b * S + s'``) of the node at depth ``d`` in state ``s`` that
    has positive opponent weight and is reachable by some action; ``B * S`` when there is none."""
    S = Pn.shape[1]
    Ai = Pn.shape[2]
    n = pb.shape[1] * S
    while c < n:
        b = c // S
        s2 = c % S
        if pb[d, b] > 0.0:
            for a in range(Ai):
                if Pn[d, s, a, b, s2] > 0.0:
                    return c
        c += 1
    return n


@njit(cache=True)
def general_br_value(Opp, rew, Pn, mu0, w0, max_nodes):
    r"""Exact value of the best history-dependent deviation against a mixture of Markov opponents.

    Depth-first search over the deviator's observable histories
    :math:`(s_0, b_0, s_1, b_1, \dots, s_h)`.  With unnormalised component
    weights :math:`w_t = w_{0,t} \prod_{h' < h} \sigma^{(t)}_{-i,h'}(b_{h'} \mid s_{h'})`
    the optimal value-to-go is positively homogeneous in ``w`` and satisfies

    .. math::
        J_h(s, w) = \max_{a_i} \sum_b \Big[\big(\textstyle\sum_t w_t \sigma^{(t)}_{-i,h}(b \mid s)\big)
        r_h(s, a_i, b) + \sum_{s'} P_h(s' \mid s, a_i, b)\, J_{h+1}(s', w \odot \sigma_{-i,h}(b \mid s))\Big],

    where the children do not depend on :math:`a_i` (Markov opponents ignore
    the deviator's past actions), so each is computed once.

    Parameters
    ----------
    Opp : float64 (T, H, S, B)
    rew : float64 (H, S, A_i, B)
    Pn : float64 (H, S, A_i, B, S)
    mu0 : float64 (S,)
    w0 : float64 (T,)
    max_nodes : int

    Returns
    -------
    value : float
    nodes : int
        Histories visited; ``-1`` when ``max_nodes`` would be exceeded (``value`` is then 0).
    """
    T, H, S, B = Opp.shape
    Ai = rew.shape[2]
    W = np.zeros((H + 1, T))
    st = np.zeros(H, np.int64)
    child = np.zeros(H, np.int64)
    acc = np.zeros((H, Ai))
    pb = np.zeros((H, B))
    total = 0.0
    nodes = 0
    for s0 in range(S):
        if mu0[s0] == 0.0:
            continue
        d = 0
        for t in range(T):
            W[0, t] = w0[t]
        st[0] = s0
        init = True
        while True:
            if init:
                nodes += 1
                if nodes > max_nodes:
                    return 0.0, -1
                _open_history(Opp, rew, W, pb, acc, d, st[d])
                child[d] = 0
                init = False
            if d < H - 1:
                c = _next_child(Pn, pb, d, st[d], child[d])
                if c < B * S:
                    child[d] = c + 1
                    b = c // S
                    for t in range(T):
                        W[d + 1, t] = W[d, t] * Opp[t, d, st[d], b]
                    st[d + 1] = c % S
                    d += 1
                    init = True
                    continue
                child[d] = c
            # node finished: its value is the best action's accumulated value
            val = acc[d, 0]
            for a in range(1, Ai):
                if acc[d, a] > val:
                    val = acc[d, a]
            if d == 0:
                total += mu0[s0] * val
                break
            par = d - 1
            c = child[par] - 1
            b = c // S
            s2 = c % S
            sp = st[par]
            for a in range(Ai):
                acc[par, a] += Pn[par, sp, a, b, s2] * val
            d = par
    return total, nodes


@njit(cache=True)
def markov_br_enumerate(Opp, rew, Pn, mu0, w0):
    r"""Best *Markov* deviation against a mixture, by enumerating deterministic Markov policies.

    The mixture value :math:`\sum_t w_t V^{\pi \times \sigma^{(t)}_{-i}}` is
    multilinear in the per-(h, s) action distributions of :math:`\pi`, so a
    deterministic maximiser exists.  Arrays as in :func:`general_br_value`.

    Returns
    -------
    value : float
    policy : int64 (H, S)
        The first maximiser in the enumeration order (``policy[0, 0]`` fastest).
    """
    T, H, S, B = Opp.shape
    Ai = rew.shape[2]
    n = H * S
    code = np.zeros(n, np.int64)
    best = -1.0
    best_pol = np.zeros((H, S), np.int64)
    V = np.zeros((H + 1, S))
    while True:
        tot = 0.0
        for t in range(T):
            for s in range(S):
                V[H, s] = 0.0
            for h in range(H - 1, -1, -1):
                for s in range(S):
                    a = code[h * S + s]
                    v = 0.0
                    for b in range(B):
                        p = Opp[t, h, s, b]
                        if p == 0.0:
                            continue
                        q = rew[h, s, a, b]
                        for s2 in range(S):
                            q += Pn[h, s, a, b, s2] * V[h + 1, s2]
                        v += p * q
                    V[h, s] = v
            v0 = 0.0
            for s in range(S):
                v0 += mu0[s] * V[0, s]
            tot += w0[t] * v0
        if tot > best:
            best = tot
            for h in range(H):
                for s in range(S):
                    best_pol[h, s] = code[h * S + s]
        k = 0
        while k < n:
            code[k] += 1
            if code[k] < Ai:
                break
            code[k] = 0
            k += 1
        if k == n:
            break
    return best, best_pol


@njit(cache=True)
def bayes_deviator_mc(Opp, rew, w0, n_episodes, rng):
    r"""Monte Carlo value of the Bayesian deviator in a repeated game (``S = 1``).

    Each episode draws the hidden component :math:`t \sim w_0`; at step ``h``
    the deviator plays :math:`\arg\max_{a_i} \sum_b \hat q_h(b) r_h(a_i, b)`
    (lowest index on ties) against the posterior predictive
    :math:`\hat q_h = \sum_t w_{t,h} \sigma^{(t)}_{-i,h}`, then the opponents'
    action :math:`b_h \sim \sigma^{(t)}_{-i,h}` is drawn
    (:func:`rltheory.kernels.sampling.draw_from_pmf`) and the posterior
    updated.  The recorded return uses the conditional mean reward given
    ``t`` and the history (Rao–Blackwellised).

    Parameters
    ----------
    Opp : float64 (T, H, 1, B)
    rew : float64 (H, 1, A_i, B)
    w0 : float64 (T,)
    n_episodes : int
    rng : numpy.random.Generator

    Returns
    -------
    mean : float
    se : float
        Standard error of ``mean``.
    """
    T, H, S, B = Opp.shape
    Ai = rew.shape[2]
    cdf0 = np.cumsum(w0)
    lw = np.empty(T)
    q = np.empty(B)
    s1 = 0.0
    s2 = 0.0
    for ep in range(n_episodes):
        u = rng.random() * cdf0[T - 1]
        t0 = 0
        while t0 < T - 1 and (cdf0[t0] < u or w0[t0] == 0.0):
            t0 += 1
        for t in range(T):
            lw[t] = np.log(w0[t]) if w0[t] > 0.0 else -np.inf
        ret = 0.0
        for h in range(H):
            # posterior weights from log-weights (the true component keeps a finite log-weight)
            mx = -np.inf
            for t in range(T):
                if lw[t] > mx:
                    mx = lw[t]
            z = 0.0
            for b in range(B):
                q[b] = 0.0
            for t in range(T):
                if lw[t] == -np.inf:
                    continue
                wt = np.exp(lw[t] - mx)
                z += wt
                for b in range(B):
                    q[b] += wt * Opp[t, h, 0, b]
            for b in range(B):
                q[b] /= z
            besta = 0
            bestv = -np.inf
            for a in range(Ai):
                v = 0.0
                for b in range(B):
                    v += q[b] * rew[h, 0, a, b]
                if v > bestv:
                    bestv = v
                    besta = a
            r = 0.0
            for b in range(B):
                r += Opp[t0, h, 0, b] * rew[h, 0, besta, b]
            ret += r
            bb = draw_from_pmf(Opp[t0, h, 0], B, rng.random())
            for t in range(T):
                p = Opp[t, h, 0, bb]
                lw[t] = lw[t] + np.log(p) if p > 0.0 else -np.inf
        s1 += ret
        s2 += ret * ret
    mean = s1 / n_episodes
    var = max(s2 / n_episodes - mean * mean, 0.0)
    se = np.sqrt(var / max(n_episodes - 1, 1))
    return mean, se
