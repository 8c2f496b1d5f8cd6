r"""Numba kernels for sampling episodes of a tabular MDP.

Private: no checks.  Sampling is by inverse CDF with one uniform
:math:`u \sim U[0,1)` per draw: the drawn index is the first :math:`i` with
:math:`u < F_i`, where :math:`F` is the cumulative distribution prepared by
:func:`cumulative` (exactly 1.0 from the last index of positive mass on, so
an index of zero probability is never returned, whatever the rounding of the
partial sums).  The uniforms come from a :class:`numpy.random.Generator`
passed into the kernel (``rng.random()``), so a seed fixes every draw.
"""

from __future__ import annotations

import numpy as np
from numba import njit


def cumulative(p: np.ndarray) -> np.ndarray:
    """Cumulative sums along the last axis, set to exactly 1.0 from the last positive entry on.

    ``p`` holds probability vectors along its last axis (already validated).
    """
    p = np.ascontiguousarray(p, dtype=np.float64)
    F = np.cumsum(p, axis=-1)
    n = p.shape[-1]
    last = n - 1 - np.argmax(p[..., ::-1] > 0, axis=-1)
    F[np.arange(n) >= last[..., None]] = 1.0
    return F


@njit(cache=True)
def draw_index(F, u):
    """First index ``i`` with ``u < F[i]`` (binary search); ``F`` from :func:`cumulative`."""
    lo = 0
    hi = F.shape[0] - 1
    while lo < hi:
        mid = (lo + hi) >> 1
        if u < F[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit(cache=True)
def draw_from_pmf(p, n, u):
    """Inverse-CDF draw from the probabilities ``p[:n]`` with one uniform ``u`` in [0, 1).

    Returns the first index ``i < n`` with ``u < p[0] + ... + p[i]``; when
    rounding leaves the total just below ``u``, the last index of positive
    probability (never an impossible outcome).  For one-off draws where a
    precomputed CDF (:func:`draw_index`) does not pay; ``n`` lets callers pass
    padded rows (e.g. action distributions of width ``Amax``).
    """
    c = 0.0
    last = 0
    for k in range(n):
        if p[k] > 0.0:
            last = k
            c += p[k]
            if u < c:
                return k
    return last


@njit(cache=True)
def sample_episodes_kernel(F4, R3, F0, H, pi_det, pi_F, stochastic, bernoulli, rng,
                           states, actions, rewards, returns):
    r"""Sample ``K = states.shape[0]`` episodes into the output arrays.

    Per episode, uniforms are consumed in this order: one for :math:`s_0 \sim \mu_0`;
    then at each step :math:`h`: one for the action (stochastic policies only),
    one for :math:`s_{h+1} \sim P_h(\cdot \mid s_h, a_h)`, one for the reward
    (``bernoulli`` only: :math:`r_h = \mathbb 1\{u < R_h(s_h, a_h)\}`; otherwise
    :math:`r_h = R_h(s_h, a_h)`).

    F4 (HP,S,A,S) and F0 (S,) are cumulative distributions, pi_det (H,S) int64,
    pi_F (H,S,A) cumulative action distributions (dummy when deterministic).
    """
    K = states.shape[0]
    HP, HR = F4.shape[0], R3.shape[0]
    for k in range(K):
        s = draw_index(F0, rng.random())
        states[k, 0] = s
        ret = 0.0
        for h in range(H):
            if stochastic:
                a = draw_index(pi_F[h, s], rng.random())
            else:
                a = pi_det[h, s]
            s2 = draw_index(F4[h if HP > 1 else 0, s, a], rng.random())
            r = R3[h if HR > 1 else 0, s, a]
            if bernoulli:
                r = 1.0 if rng.random() < r else 0.0
            actions[k, h] = a
            rewards[k, h] = r
            ret += r
            s = s2
            states[k, h + 1] = s
        returns[k] = ret
