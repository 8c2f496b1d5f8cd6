r"""Plain-Python references for latent MDPs: enumeration over observable histories, no beliefs.

Independent of :mod:`rltheory.kernels.belief` (no normalised beliefs, no
rounding, no memo): each quantity is a sum over the observable histories
:math:`\tau_h = (s_0, a_0, r_0, s_1, \dots, s_h)` of the *joint* weights

.. math:: \omega_m(\tau_h) = w_m\,\nu_m(s_0) \prod_{t<h} P_m(s_{t+1}|s_t,a_t)\,\mathbb 1[R_m(s_t,a_t)=r_t].

* :func:`optimal_value_histories`: :math:`\max_\pi V^\pi` over deterministic
  history-dependent policies by backward induction on the history tree,
  :math:`U(\tau) = \max_a \sum_m \omega_m(\tau) R_m(s,a) + \sum_{r,s'} U(\tau \circ (a,r,s'))`
  (the unnormalised value; the optimum is :math:`\sum_{s_0} U(s_0)`);
* :func:`policy_value_histories`: :math:`V^\pi` of a policy given as a function
  of the history;
* :func:`enumerate_policies`: every deterministic history-dependent policy
  (as a dict from reachable histories to actions), for brute force on tiny
  instances;
* :func:`policy_variance_histories`: :math:`\mathrm{Var}^\pi` of the
  specification (Section 3, [R]) from the per-context alpha vectors.

Cost :math:`O((S A M)^H)`: for tests on tiny instances and as the reference of
the benchmark.
"""

from __future__ import annotations

import numpy as np

__all__ = ["optimal_value_histories", "policy_value_histories", "enumerate_policies",
           "policy_variance_histories", "plan_value_reference"]


def _children(lmdp, omega, s, a):
    """``{(r, s'): omega'}`` of the observations after ``(s, a)``, for positive joint weights."""
    out = {}
    for m in range(lmdp.M):
        if omega[m] <= 0.0:
            continue
        r = float(lmdp.R[m, s, a])
        for t in range(lmdp.S):
            p = lmdp.P[m, s, a, t]
            if p > 0.0:
                om = out.setdefault((r, t), np.zeros(lmdp.M))
                om[m] = omega[m] * p
    return out


def _starts(lmdp):
    for s in range(lmdp.S):
        omega = lmdp.w * lmdp.nu[:, s]
        if omega.sum() > 0:
            yield s, omega


def optimal_value_histories(lmdp) -> float:
    """:math:`\\max_\\pi V^\\pi` over history-dependent policies by backward induction on histories."""
    def U(h, s, omega):
        if h == lmdp.H:
            return 0.0
        best = -np.inf
        for a in range(lmdp.A):
            q = float(np.sum(omega * lmdp.R[:, s, a]))
            for (r, t), om in _children(lmdp, omega, s, a).items():
                q += U(h + 1, t, om)
            best = max(best, q)
        return best
    return float(sum(U(0, s, om) for s, om in _starts(lmdp)))


def policy_value_histories(lmdp, policy) -> float:
    """:math:`V^\\pi` of ``policy(history) -> action``, ``history = (s0, a0, r0, s1, ..., s_h)``."""
    def U(hist, s, omega):
        h = len(hist) // 3
        if h == lmdp.H:
            return 0.0
        a = int(policy(hist))
        q = float(np.sum(omega * lmdp.R[:, s, a]))
        for (r, t), om in _children(lmdp, omega, s, a).items():
            q += U(hist + (a, r, t), t, om)
        return q
    return float(sum(U((s,), s, om) for s, om in _starts(lmdp)))


def enumerate_policies(lmdp, limit: int = 200_000):
    """Yield every deterministic history-dependent policy as ``dict history -> action``.

    Only histories reachable under the policy itself get an action (others
    cannot matter).  Stops with ``ValueError`` after ``limit`` policies.
    """
    count = [0]

    def expand(frontier):
        # frontier: list of (hist, s, omega) awaiting an action
        if not frontier:
            yield {}
            return
        (hist, s, omega), rest = frontier[0], frontier[1:]
        h = len(hist) // 3
        for a in range(lmdp.A):
            kids = []
            if h + 1 < lmdp.H:
                kids = [(hist + (a, r, t), t, om) for (r, t), om in _children(lmdp, omega, s, a).items()]
            for tail in expand(kids + rest):
                d = dict(tail)
                d[hist] = a
                yield d

    roots = [((s,), s, om) for s, om in _starts(lmdp)]
    for pol in expand(roots):
        count[0] += 1
        if count[0] > limit:
            raise ValueError(f"more than {limit} deterministic history-dependent policies")
        yield pol


def policy_variance_histories(lmdp, policy) -> float:
    r""":math:`\mathrm{Var}^\pi = \sum_m w_m \mathbb E^\pi_m[\sum_h \mathbb V(P_m(\cdot|s_h,a_h),
    \alpha^\pi_{h+1}(m, \tau_h \circ (a_h, r_h, \cdot)))]` (specification Section 3, [R])."""
    total = 0.0
    for m in range(lmdp.M):
        def rec(hist, s):
            # returns (alpha(m, hist), E[sum of one-step variances from hist on | hist, m])
            h = len(hist) // 3
            if h == lmdp.H:
                return 0.0, 0.0
            a = int(policy(hist))
            r = float(lmdp.R[m, s, a])
            p = lmdp.P[m, s, a]
            alphas = np.zeros(lmdp.S)
            acc = 0.0
            for t in np.flatnonzero(p > 0):
                alphas[t], v = rec(hist + (a, r, int(t)), int(t))
                acc += p[t] * v
            mean = float(np.sum(p * alphas))
            var = max(float(np.sum(p * alphas ** 2)) - mean ** 2, 0.0)
            return r + mean, acc + var
        for s in np.flatnonzero(lmdp.nu[m] > 0):
            total += lmdp.w[m] * lmdp.nu[m, s] * rec((int(s),), int(s))[1]
    return float(total)


def plan_value_reference(P, R, n, w, nu, H, bonus, consts):
    r"""The belief DP of :mod:`rltheory.kernels.belief` in plain Python/numpy (dict memo on the
    rounded belief): returns :math:`\sum_s p_0(s) \min\{\mathrm{cap}, V_0(s, b_0(s))\}`.

    ``bonus`` in {"none", "bernstein", "hoeffding_H"}; ``consts = (scale, c1, c2, iota, Gamma,
    cap, H_scale)``.  The reference of the benchmark and of the kernel tests.
    """
    scale, c1, c2, iota, Gamma, cap, Hs = consts
    M, S, A = R.shape
    memo = {}

    def V(h, s, b):
        if h == H:
            return 0.0
        key = (h, s) + tuple(np.round(b * 1e12).astype(np.int64).tolist())
        if key in memo:
            return memo[key]
        best = max(Q(h, s, b, a) for a in range(A))
        memo[key] = min(best, cap)
        return memo[key]

    def Q(h, s, b, a):
        q = 0.0
        vn = {}
        for m in range(M):
            if b[m] <= 0:
                continue
            if n[m, s, a] == 0:
                q += b[m] * cap
                continue
            grp = tuple(mm for mm in range(M) if b[mm] > 0 and n[mm, s, a] > 0 and R[mm, s, a] == R[m, s, a])
            if grp not in vn:
                vals = np.zeros(S)
                for t in range(S):
                    child = np.zeros(M)
                    for mm in grp:
                        child[mm] = b[mm] * P[mm, s, a, t]
                    p = child.sum()
                    if p > 0:
                        vals[t] = V(h + 1, t, child / p)
                        q += p * vals[t]
                vn[grp] = vals
            vals = vn[grp]
            mean = float(np.sum(P[m, s, a] * vals))
            if bonus == "bernstein":
                var = max(float(np.sum(P[m, s, a] * vals ** 2)) - mean ** 2, 0.0)
                beta = scale * (np.sqrt(c1 * Gamma * iota * var / n[m, s, a]) + c2 * Gamma * iota / n[m, s, a])
            elif bonus == "hoeffding_H":
                beta = scale * Hs * np.sqrt(S * iota / n[m, s, a])
            else:
                beta = 0.0
            q += b[m] * (R[m, s, a] + beta)
        return q

    total = 0.0
    for s in range(S):
        b = w * nu[:, s]
        p = b.sum()
        if p > 0:
            total += p * V(0, s, b / p)
    return float(total)
