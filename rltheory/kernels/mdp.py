r"""Numba kernels for finite-horizon and discounted tabular MDPs.

No argument checking here; the public wrappers in
:mod:`rltheory.solvers.finite_horizon`, :mod:`rltheory.solvers.discounted` and
:mod:`rltheory.solvers.hardness` validate once.  Every kernel is a plain
``@njit(cache=True)`` function on arrays, so other kernels (learners' episode
loops) can call it directly.

Array conventions (see docs/design.md):

* ``P4`` has shape ``(HP, S, A, S)`` with ``HP`` in ``{1, H}``: step ``h`` uses
  ``P4[h if HP > 1 else 0]``; likewise ``R3`` ``(HR, S, A)``.
* ``V`` has shape ``(H + 1, S)`` with ``V[H] = 0``; ``Q`` has shape ``(H, S, A)``.
* Deterministic policies are ``int64 (H, S)``; stochastic ones ``float64 (H, S, A)``.

Floating point.  The one expensive operation is the expectation
:math:`(P_h v)(s, a) = \sum_{s'} P_h(s' \mid s, a)\, v(s')` over next states
(:func:`expected_next`): each entry is summed left to right over
:math:`s'`, with no BLAS and no ``fastmath``; single rows (:func:`row_dot`)
use the fixed order of :func:`rltheory.kernels.linalg.dot`.  The result depends on the
inputs only -- not on the CPU, the BLAS build, the array layout or the
number of threads -- so exact regret, argmax ties and thresholds computed
from it are the same bits on every machine (docs/design.md, Conventions).
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.extending import overload

from .linalg import dot, transpose, vecmat


@njit(cache=True)
def row_dot(p, v):
    r""":math:`\sum_t p[t]\, v[t]` for two 1-d float arrays of equal length (fixed order, see
    :func:`rltheory.kernels.linalg.dot`)."""
    return dot(p, v)


@njit(cache=True)
def _four_sums(p0, p1, p2, p3, v):
    """``(sum_t p0[t] v[t], ..., sum_t p3[t] v[t])``, each left to right, four rows side by side."""
    c0 = 0.0
    c1 = 0.0
    c2 = 0.0
    c3 = 0.0
    for t in range(v.shape[0]):
        vt = v[t]
        c0 += p0[t] * vt
        c1 += p1[t] * vt
        c2 += p2[t] * vt
        c3 += p3[t] * vt
    return c0, c1, c2, c3


@njit(cache=True)
def _expected_next_rows(P2, v, o):
    # o[r] = sum_t P2[r, t] v[t], left to right; four rows side by side (no bit changes)
    n, S = P2.shape[0], P2.shape[1]
    m = n - n % 4
    for r in range(0, m, 4):
        o[r], o[r + 1], o[r + 2], o[r + 3] = _four_sums(P2[r], P2[r + 1], P2[r + 2], P2[r + 3], v)
    for r in range(m, n):
        c = 0.0
        for t in range(S):
            c += P2[r, t] * v[t]
        o[r] = c


@njit(cache=True)
def _expected_next_loop(Ph, v, out):
    S, A = Ph.shape[0], Ph.shape[1]
    for s in range(S):
        for a in range(A):
            c = 0.0
            for t in range(S):
                c += Ph[s, a, t] * v[t]
            out[s, a] = c


def _expected_next_dispatch(Ph, v, out):
    """Plain-numpy meaning of the Numba implementation below: ``out[:] = Ph @ v``."""
    out[...] = np.einsum("sat,t->sa", Ph, v)


@overload(_expected_next_dispatch, jit_options={"cache": True})
def _expected_next_dispatch_numba(Ph, v, out):
    # Chosen at compile time from the layouts; both branches give the same bits.
    if Ph.layout == "C" and out.layout == "C":
        def impl(Ph, v, out):
            S, A = Ph.shape[0], Ph.shape[1]
            _expected_next_rows(Ph.reshape((S * A, S)), v, out.reshape(S * A))
        return impl

    def impl_any(Ph, v, out):
        _expected_next_loop(Ph, v, out)
    return impl_any


@njit(cache=True)
def expected_next(Ph, v, out):
    """``out[s, a] = sum_{s'} Ph[s, a, s'] v[s']`` for one step; Ph (S, A, S), v (S,), out (S, A).

    Every entry is summed strictly left to right over ``s'`` (for C-contiguous
    arrays four rows are accumulated side by side, which changes no bit): the
    same bits for every layout and every CPU.
    """
    _expected_next_dispatch(Ph, v, out)


#: A kernel over ``H >= TRANSPOSE_MIN_H`` steps of a stationary model (``HP == 1``, ``S >= TRANSPOSE_MIN_S``)
#: transposes ``P`` once and computes every :math:`P v` as
#: :func:`rltheory.kernels.linalg.vecmat` (SIMD over ``(s, a)``); the sums are
#: the same left-to-right sums as :func:`expected_next`, bit for bit.
TRANSPOSE_MIN_H = 4

#: ... and at least this many next states (below it the row loop is as fast).
TRANSPOSE_MIN_S = 32


@njit(cache=True)
def transpose_next(Ph):
    r"""``PT (S', S*A)`` with ``PT[t, s*A + a] = Ph[s, a, t]`` for ``Ph (S, A, S')`` (copied in tiles)."""
    S, A, S2 = Ph.shape[0], Ph.shape[1], Ph.shape[2]
    P2 = np.ascontiguousarray(Ph).reshape((S * A, S2))
    return transpose(P2, np.empty((S2, S * A)))


@njit(cache=True)
def transposed_kernel(P4, H):
    r""":func:`transpose_next` of ``P4[0]`` when ``P4`` is stationary, ``H >= TRANSPOSE_MIN_H`` and ``S >= TRANSPOSE_MIN_S``;
    otherwise an empty ``(0, 0)`` array (then :func:`expected_next_step` uses :func:`expected_next`)."""
    if P4.shape[0] != 1 or H < TRANSPOSE_MIN_H or P4.shape[3] < TRANSPOSE_MIN_S:
        return np.empty((0, 0))
    return transpose_next(P4[0])


@njit(cache=True)
def expected_next_step(Ph, PT, v, buf, out):
    """:func:`expected_next` through the transposed kernel ``PT`` when it is not empty (same bits).

    ``buf (S*A,)`` scratch; ``out (S, A)``.
    """
    if PT.shape[0] == 0:
        expected_next(Ph, v, out)
        return
    vecmat(v, PT, buf)
    S, A = out.shape[0], out.shape[1]
    for s in range(S):
        for a in range(A):
            out[s, a] = buf[s * A + a]


#: Rules of :func:`backward_pass`: how :math:`V_h` is read off :math:`Q_h`.
RULE_OPTIMAL, RULE_DETERMINISTIC, RULE_STOCHASTIC = 0, 1, 2


@njit(cache=True)
def argmax_row(q):
    r"""``(max_a q[a], first maximising a)`` of a row ``q (A,)``: the argmax with its value.

    Strict ``>`` comparisons from ``a = 0`` up, so ties go to the lowest index.
    """
    best = -np.inf
    arg = 0
    for a in range(q.shape[0]):
        if q[a] > best:
            best = q[a]
            arg = a
    return best, arg


@njit(cache=True)
def backward_step(Ph, PT, Rh, vn, buf, Qh):
    r"""The backward step ``Qh[s, a] = Rh[s, a] + sum_{s'} Ph[s, a, s'] vn[s']``.

    ``Ph (S, A, S)``, ``Rh (S, A)``, ``vn (S,)`` (:math:`V_{h+1}`), ``Qh (S, A)``
    output.  ``PT`` is the transposed stationary kernel (:func:`transposed_kernel`,
    ``(S, S*A)``) or empty ``(0, 0)``; ``buf (S*A,)`` scratch for it.  The sum
    over :math:`s'` is the left-to-right sum of :func:`expected_next` either way.
    """
    expected_next_step(Ph, PT, vn, buf, Qh)
    S, A = Qh.shape[0], Qh.shape[1]
    for s in range(S):
        for a in range(A):
            Qh[s, a] = Rh[s, a] + Qh[s, a]


@njit(cache=True)
def backward_pass(P4, PT, R3, H, rule, pi_det, pi_sto, Q, V):
    r"""The finite-horizon backward recursion; one kernel for optimal and policy values.

    For :math:`h = H-1, \dots, 0`: :math:`Q_h = R_h + P_h V_{h+1}` (:func:`backward_step`),
    then by ``rule``

    * :data:`RULE_OPTIMAL`: :math:`V_h(s) = \max_a Q_h(s,a)`, writing the lowest
      maximising action into ``pi_det[h, s]`` (Puterman 1994, Section 4.5);
    * :data:`RULE_DETERMINISTIC`: :math:`V_h(s) = Q_h(s, \pi_h(s))` for ``pi_det (H, S)``;
    * :data:`RULE_STOCHASTIC`: :math:`V_h(s) = \sum_a \pi_h(a|s) Q_h(s,a)` (left to
      right) for ``pi_sto (H, S, A)``.

    ``P4 (HP, S, A, S)``, ``R3 (HR, S, A)``, ``PT`` as in :func:`backward_step`
    (empty unless ``HP == 1``), ``Q (H, S, A)``, ``V (H+1, S)`` with ``V[H] = 0``.
    ``pi_det`` is written under the optimal rule, so it must be writable under
    every rule (Numba types read-only arrays apart); the unused policy argument
    may be any array of the right dimension.
    """
    S, A = Q.shape[1], Q.shape[2]
    HP, HR = P4.shape[0], R3.shape[0]
    buf = np.empty(S * A)
    for s in range(S):
        V[H, s] = 0.0
    for h in range(H - 1, -1, -1):
        Qh = Q[h]
        backward_step(P4[h if HP > 1 else 0], PT, R3[h if HR > 1 else 0], V[h + 1], buf, Qh)
        for s in range(S):
            if rule == RULE_OPTIMAL:
                V[h, s], pi_det[h, s] = argmax_row(Qh[s])
            elif rule == RULE_DETERMINISTIC:
                V[h, s] = Qh[s, pi_det[h, s]]
            else:
                v = 0.0
                for a in range(A):
                    v += pi_sto[h, s, a] * Qh[s, a]
                V[h, s] = v


@njit(cache=True)
def backward_induction_kernel(P4, R3, H, Q, V, pi):
    r"""Bellman optimality recursion, filling ``Q (H,S,A)``, ``V (H+1,S)``, ``pi (H,S)``.

    :math:`Q_h(s,a) = R_h(s,a) + \sum_{s'} P_h(s'|s,a) V_{h+1}(s')`,
    :math:`V_h(s) = \max_a Q_h(s,a)`, :math:`V_H = 0`.  Ties go to the lowest
    action index.  :func:`backward_pass` with ``PT`` from :func:`transposed_kernel`.
    """
    backward_pass(P4, transposed_kernel(P4, H), R3, H, RULE_OPTIMAL, pi, np.empty((0, 0, 0)), Q, V)


@njit(cache=True)
def evaluate_deterministic_kernel(P4, R3, H, pi, Q, V):
    r"""Policy evaluation of a deterministic policy ``pi (H,S)``: fills ``Q`` and ``V``.

    :math:`Q^\pi_h(s,a) = R_h(s,a) + P_h V^\pi_{h+1}(s,a)`,
    :math:`V^\pi_h(s) = Q^\pi_h(s, \pi_h(s))` (:func:`backward_pass`).
    """
    backward_pass(P4, transposed_kernel(P4, H), R3, H, RULE_DETERMINISTIC, pi.copy(), np.empty((0, 0, 0)), Q, V)


@njit(cache=True)
def evaluate_stochastic_kernel(P4, R3, H, pi, Q, V):
    r"""Policy evaluation of a stochastic policy ``pi (H,S,A)``: fills ``Q`` and ``V``.

    :math:`V^\pi_h(s) = \sum_a \pi_h(a|s) Q^\pi_h(s,a)` (:func:`backward_pass`).
    """
    backward_pass(P4, transposed_kernel(P4, H), R3, H, RULE_STOCHASTIC, np.empty((0, 0), dtype=np.int64), pi, Q, V)


@njit(cache=True)
def policy_value_deterministic(P4, R3, H, pi, mu0, Vbuf):
    r"""Expected return :math:`\sum_s \mu_0(s) V^\pi_0(s)` of a deterministic policy.

    The cheapest exact evaluation (no ``Q`` is stored): ``Vbuf`` is scratch of
    shape ``(2, S)``.  Used inside learners' episode loops for exact regret.
    Each :math:`(P_h V_{h+1})(s, \pi_h(s))` is summed left to right over
    :math:`s'` (the bits of :func:`expected_next`).
    """
    S = mu0.shape[0]
    HP, HR = P4.shape[0], R3.shape[0]
    nxt = 0
    for s in range(S):
        Vbuf[0, s] = 0.0
    for h in range(H - 1, -1, -1):
        Ph = P4[h if HP > 1 else 0]
        Rh = R3[h if HR > 1 else 0]
        cur = 1 - nxt
        vn = Vbuf[nxt]
        m = S - S % 4
        for s in range(0, m, 4):          # four states side by side, each summed left to right
            c0, c1, c2, c3 = _four_sums(Ph[s, pi[h, s]], Ph[s + 1, pi[h, s + 1]],
                                        Ph[s + 2, pi[h, s + 2]], Ph[s + 3, pi[h, s + 3]], vn)
            Vbuf[cur, s] = Rh[s, pi[h, s]] + c0
            Vbuf[cur, s + 1] = Rh[s + 1, pi[h, s + 1]] + c1
            Vbuf[cur, s + 2] = Rh[s + 2, pi[h, s + 2]] + c2
            Vbuf[cur, s + 3] = Rh[s + 3, pi[h, s + 3]] + c3
        for s in range(m, S):
            a = pi[h, s]
            c = 0.0
            row = Ph[s, a]
            for t in range(S):
                c += row[t] * vn[t]
            Vbuf[cur, s] = Rh[s, a] + c
        nxt = cur
    total = 0.0
    for s in range(S):
        total += mu0[s] * Vbuf[nxt, s]
    return total


@njit(cache=True)
def occupancy_kernel(P4, H, pi_stoch, mu0, d):
    r"""State-action occupancy ``d[h, s, a] = Pr^\pi(s_h = s, a_h = a)``.

    Forward recursion :math:`d_0(s,a) = \mu_0(s)\pi_0(a|s)`,
    :math:`d_{h+1}(s',a') = \pi_{h+1}(a'|s') \sum_{s,a} d_h(s,a) P_h(s'|s,a)`.
    ``pi_stoch`` is ``(H, S, A)`` (deterministic policies are passed one-hot).
    """
    S, A = d.shape[1], d.shape[2]
    HP = P4.shape[0]
    rho = np.empty(S)
    for s in range(S):
        rho[s] = mu0[s]
    for h in range(H):
        for s in range(S):
            for a in range(A):
                d[h, s, a] = rho[s] * pi_stoch[h, s, a]
        if h + 1 < H:
            Ph = P4[h if HP > 1 else 0]
            for t in range(S):
                rho[t] = 0.0
            for s in range(S):
                for a in range(A):
                    w = d[h, s, a]
                    if w != 0.0:
                        for t in range(S):
                            rho[t] += w * Ph[s, a, t]


@njit(cache=True)
def one_hot_policy(pi, A, out):
    """Write the deterministic policy ``pi (H, S)`` as a stochastic one ``out (H, S, A)``."""
    H, S = pi.shape[0], pi.shape[1]
    for h in range(H):
        for s in range(S):
            for a in range(A):
                out[h, s, a] = 0.0
            out[h, s, pi[h, s]] = 1.0


@njit(cache=True)
def return_moments_kernel(P4, R3, H, pi, Q, V, M, sigma2, action_var):
    r"""First and second moments of the return of a stochastic policy ``pi (H,S,A)``.

    With :math:`G_h = \sum_{t=h}^{H-1} R_t(s_t, a_t)` (mean-reward model: the
    reward is a deterministic function of :math:`(s, a)`), fills

    * ``Q (H,S,A)``, ``V (H+1,S)``: :math:`Q^\pi_h`, :math:`V^\pi_h = E[G_h \mid s_h]`;
    * ``M (H+1,S)``: :math:`M_h(s) = E^\pi[G_h^2 \mid s_h = s]` by the recursion
      :math:`M_H = 0`,
      :math:`M_h(s) = \sum_a \pi_h(a|s)\,[R_h(s,a)^2 + 2R_h(s,a)(P_hV_{h+1})(s,a) + (P_hM_{h+1})(s,a)]`;
    * ``sigma2 (H,S,A)``: :math:`\sum_{s'} P_h(s'|s,a)\,(V_{h+1}(s') - (P_hV_{h+1})(s,a))^2`,
      the next-state variance of :math:`V^\pi_{h+1}` (two-pass, never negative);
    * ``action_var (H,S)``: :math:`\sum_a \pi_h(a|s)(Q^\pi_h(s,a) - V^\pi_h(s))^2`.
    """
    S, A = Q.shape[1], Q.shape[2]
    HP, HR = P4.shape[0], R3.shape[0]
    PT = transposed_kernel(P4, H)
    buf = np.empty(S * A)
    PM = np.empty((S, A))
    for s in range(S):
        V[H, s] = 0.0
        M[H, s] = 0.0
    for h in range(H - 1, -1, -1):
        Ph = P4[h if HP > 1 else 0]
        Rh = R3[h if HR > 1 else 0]
        Qh = Q[h]
        vn = V[h + 1]
        expected_next_step(Ph, PT, vn, buf, Qh)          # Qh holds P_h V_{h+1} for now
        expected_next_step(Ph, PT, M[h + 1], buf, PM)
        for s in range(S):
            v = 0.0
            m = 0.0
            for a in range(A):
                pv = Qh[s, a]
                row = Ph[s, a]
                var = 0.0
                for t in range(S):
                    dev = vn[t] - pv
                    var += row[t] * dev * dev
                sigma2[h, s, a] = var
                r = Rh[s, a]
                q = r + pv
                Qh[s, a] = q
                w = pi[h, s, a]
                v += w * q
                m += w * (r * r + 2.0 * r * pv + PM[s, a])
            V[h, s] = v
            M[h, s] = m
            av = 0.0
            for a in range(A):
                dev = Qh[s, a] - v
                av += pi[h, s, a] * dev * dev
            action_var[h, s] = av


@njit(cache=True)
def _discounted_bellman(P, PT, buf, R, gamma, v, Q, vnew, pi):
    S, A = R.shape[0], R.shape[1]
    expected_next_step(P, PT, v, buf, Q)
    for s in range(S):
        best = -np.inf
        arg = 0
        for a in range(A):
            q = R[s, a] + gamma * Q[s, a]
            Q[s, a] = q
            if q > best:
                best = q
                arg = a
        vnew[s] = best
        pi[s] = arg


@njit(cache=True)
def discounted_bellman_kernel(P, R, gamma, v, Q, vnew, pi):
    r"""One discounted Bellman optimality update.

    :math:`Q(s,a) = R(s,a) + \gamma \sum_{s'} P(s'|s,a) v(s')`,
    ``vnew[s] = max_a Q[s, a]``, ``pi[s]`` the lowest maximising action.
    ``P (S,A,S)``, ``R (S,A)``, ``v, vnew (S,)``, ``Q (S,A)``, ``pi (S,)`` int64.
    """
    _discounted_bellman(P, np.empty((0, 0)), np.empty(0), R, gamma, v, Q, vnew, pi)


@njit(cache=True)
def value_iteration_kernel(P, R, gamma, threshold, max_iter, v, Q, pi):
    r"""Value iteration from ``v`` (updated in place) until ``||v_{n+1} - v_n||_inf < threshold``.

    Returns the number of Bellman updates applied, or ``-1`` when ``max_iter``
    updates did not reach the threshold.  On return ``v`` holds the last
    iterate :math:`v_{n+1}`; ``Q`` and ``pi`` hold the update computed from
    the iterate before it (the caller recomputes them from :math:`v_{n+1}`).
    ``P`` is transposed once (:func:`transpose_next`); every update gives the
    bits of :func:`discounted_bellman_kernel`.
    """
    S = v.shape[0]
    vnew = np.empty(S)
    use_T = max_iter >= TRANSPOSE_MIN_H and P.shape[2] >= TRANSPOSE_MIN_S
    PT = transpose_next(P) if use_T else np.empty((0, 0))
    buf = np.empty(R.shape[0] * R.shape[1])
    for n in range(1, max_iter + 1):
        _discounted_bellman(P, PT, buf, R, gamma, v, Q, vnew, pi)
        diff = 0.0
        for s in range(S):
            d = abs(vnew[s] - v[s])
            if d > diff:
                diff = d
            v[s] = vnew[s]
        if diff < threshold:
            return n
    return -1
