r"""Numba kernel of the exact POMDP optimal value (no checks; shapes as documented).

Arrays: ``T4 (H, S, A, S)``, ``O3 (H, S, n_obs)`` (row s = observation law of s),
``r (H, n_obs, A)``, ``mu0 (S,)``.  Every sum runs in a fixed order (no BLAS).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..kernels.pomdp import condition_on_observation, propagate


@njit(cache=True)
def _next_observation(h, o_cur, p_cur, beliefs, posts, O3):
    """Next observation ``o > o_cur[h]`` with :math:`P(o|b_h)>0` (``n_obs`` when none); fills ``posts[h]``."""
    n_obs = O3.shape[2]
    o = o_cur[h] + 1
    while o < n_obs:
        p = condition_on_observation(beliefs[h], O3[h], o, posts[h])
        if p > 0.0:
            p_cur[h] = p
            return o
        o += 1
    return n_obs


@njit(cache=True)
def optimal_value_kernel(T4, O3, r, mu0):
    r"""Optimal value over history-dependent policies, :math:`V_0(\mu_0)` of the belief DP.

    :math:`V_h(b)=\sum_o P(o|b)\max_a[r_h(o,a)+V_{h+1}(b'_{o,a})]`, evaluated by an explicit
    depth-first traversal of the reachable (observation, action) tree; per depth ``h`` it keeps the
    belief ``beliefs[h]``, the posterior ``posts[h]``, the current observation and action, the best
    action value for that observation and the running sum over observations.
    """
    H = T4.shape[0]
    S = T4.shape[1]
    A = T4.shape[2]
    n_obs = O3.shape[2]
    beliefs = np.zeros((H + 1, S))
    posts = np.zeros((H, S))
    o_cur = np.full(H, -1, dtype=np.int64)
    a_cur = np.zeros(H, dtype=np.int64)
    p_cur = np.zeros(H)
    best = np.zeros(H)
    total = np.zeros(H)
    for s in range(S):
        beliefs[0, s] = mu0[s]
    h = 0
    while True:
        if o_cur[h] < 0 or a_cur[h] == A:
            if o_cur[h] >= 0:
                total[h] += p_cur[h] * best[h]
            o = _next_observation(h, o_cur, p_cur, beliefs, posts, O3)
            if o == n_obs:                      # depth h finished: hand V_h(b) to the parent
                v = total[h]
                if h == 0:
                    return v
                h -= 1
                cand = r[h, o_cur[h], a_cur[h]] + v
                if cand > best[h]:
                    best[h] = cand
                a_cur[h] += 1
                continue
            o_cur[h] = o
            best[h] = -1.0
            a_cur[h] = 0
        a = a_cur[h]
        if h + 1 == H:
            cand = r[h, o_cur[h], a]
            if cand > best[h]:
                best[h] = cand
            a_cur[h] += 1
            continue
        propagate(posts[h], T4[h], a, beliefs[h + 1])
        h += 1
        o_cur[h] = -1
        a_cur[h] = 0
        total[h] = 0.0
