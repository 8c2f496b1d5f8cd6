r"""POMDP kernels shared by the solvers and the learners: belief steps, open-loop values, sampling.

Arrays: ``T4 (H, S, A, S)``, ``O3 (H, S, n_obs)`` (row s = observation law of latent state s),
``r (H, n_obs, A)``, ``mu0 (S,)``.  No checks; every sum runs in a fixed order (no BLAS).
Used by :mod:`rltheory.solvers.pomdp` and the POMDP learners
(:mod:`rltheory.algorithms.pomdp_learners`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .sampling import draw_from_pmf


@njit(cache=True)
def condition_on_observation(b, Oh, o, post):
    r"""``post(s) = b(s) O_h(o|s) / P(o|b)``; returns :math:`P(o|b)=\sum_s b(s)O_h(o|s)` (post untouched if 0)."""
    S = b.shape[0]
    p = 0.0
    for s in range(S):
        p += b[s] * Oh[s, o]
    if p > 0.0:
        for s in range(S):
            post[s] = b[s] * Oh[s, o] / p
    return p


@njit(cache=True)
def propagate(post, Th, a, out):
    r"""``out(s') = Σ_s post(s) T_h(s'|s, a)`` (fixed order over s)."""
    S = post.shape[0]
    for sp in range(S):
        out[sp] = 0.0
    for s in range(S):
        w = post[s]
        if w != 0.0:
            for sp in range(S):
                out[sp] += w * Th[s, a, sp]


@njit(cache=True)
def open_loop_value_kernel(T4, O3, r, mu0, actions):
    r"""Value of the open-loop policy ``a_h = actions[h]``: :math:`\sum_h\sum_o P(o_h=o)\,r_h(o,a_h)`.

    The latent law propagates as :math:`d_{h+1}(s')=\sum_s d_h(s)T_h(s'|s,a_h)`.
    """
    H = T4.shape[0]
    S = T4.shape[1]
    n_obs = O3.shape[2]
    d = mu0.copy()
    nxt = np.zeros(S)
    total = 0.0
    for h in range(H):
        a = actions[h]
        for o in range(n_obs):
            if r[h, o, a] != 0.0:
                p = 0.0
                for s in range(S):
                    p += d[s] * O3[h, s, o]
                total += p * r[h, o, a]
        propagate(d, T4[h], a, nxt)
        for s in range(S):
            d[s] = nxt[s]
    return total


@njit(cache=True)
def sample_open_loop_episode(T4, O3, mu0, actions, rng, obs_out):
    r"""Sample one episode under the open-loop actions ``actions (H,)``; writes ``o_h`` to ``obs_out (H,)``.

    :math:`s_0\sim\mu_0`, :math:`o_h\sim O_h(\cdot|s_h)`, :math:`s_{h+1}\sim T_h(\cdot|s_h,a_h)`;
    ``rng`` is a ``numpy.random.Generator``.  Returns the last latent state.
    """
    H = T4.shape[0]
    S = T4.shape[1]
    n_obs = O3.shape[2]
    s = draw_from_pmf(mu0, S, rng.random())
    for h in range(H):
        obs_out[h] = draw_from_pmf(O3[h, s], n_obs, rng.random())
        if h + 1 < H:
            s = draw_from_pmf(T4[h, s, actions[h]], S, rng.random())
    return s
