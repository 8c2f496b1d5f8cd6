r"""Numba kernels for sampling episodes of a tabular MDP: categorical draws, the environment step.

No checks (the public sampler validates once).  Sampling is by inverse CDF with one uniform
:math:`u \sim U[0,1)` per draw: the drawn index is the first :math:`i` with
:math:`u < F_i`, where :math:`F` is the cumulative distribution prepared by
:func:`cumulative` (exactly 1.0 from the last index of positive mass on, so
an index of zero probability is never returned, whatever the rounding of the
partial sums).  The uniforms come from a :class:`numpy.random.Generator`
passed into the kernel (``rng.random()``), so a seed fixes every draw.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

__all__ = ["EpisodeModel", "cumulative", "draw_index", "draw_from_pmf", "episode_model",
           "env_step", "sample_episodes_kernel"]


class EpisodeModel(NamedTuple):
    """A tabular MDP as the sampling kernels read it (a named tuple of arrays, passed into ``@njit`` code).

    Attributes
    ----------
    F4 : float64 array (HP, S, A, S), HP in {1, H}
        Cumulative transition rows (:func:`cumulative` of ``P4``).
    R3 : float64 array (HR, S, A), HR in {1, H}
        Mean rewards.
    F0 : float64 array (S,)
        Cumulative initial distribution.
    H : int
        Horizon.
    bernoulli : bool
        Realised rewards are Bernoulli(``R``) draws (else the means).
    """

    F4: np.ndarray
    R3: np.ndarray
    F0: np.ndarray
    H: int
    bernoulli: bool


def episode_model(mdp, bernoulli: bool) -> EpisodeModel:
    """The :class:`EpisodeModel` of a validated :class:`rltheory.models.TabularMDP`."""
    return EpisodeModel(cumulative(mdp.P4), np.ascontiguousarray(mdp.R3), cumulative(mdp.mu0),
                        int(mdp.H), bool(bernoulli))


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


@njit(cache=True, inline="always")
def env_step(model, h, s, a, rng):
    r"""One environment step from ``(s, a)`` at step ``h``: returns ``(s', r)``.

    Consumes one uniform for :math:`s' \sim P_h(\cdot \mid s, a)` (inverse CDF on
    ``model.F4``) and, when ``model.bernoulli``, one more for
    :math:`r = \mathbb 1\{u < R_h(s, a)\}`; otherwise :math:`r = R_h(s, a)`.
    """
    F4, R3, bernoulli = model.F4, model.R3, model.bernoulli
    s2 = draw_index(F4[h if F4.shape[0] > 1 else 0, s, a], rng.random())
    r = R3[h if R3.shape[0] > 1 else 0, s, a]
    if bernoulli:
        r = 1.0 if rng.random() < r else 0.0
    return s2, r


@njit(cache=True)
def sample_episodes_kernel(model, pi_det, pi_F, stochastic, rng, states, actions, rewards, returns):
    r"""Sample ``K = states.shape[0]`` episodes of a fixed policy into the output arrays.

    Per episode, uniforms are consumed in this order: one for :math:`s_0 \sim \mu_0`;
    then at each step :math:`h`: one for the action (stochastic policies only),
    then those of :func:`env_step` (next state, then the reward if Bernoulli).

    ``model`` an :class:`EpisodeModel`; ``pi_det (H, S)`` int64, ``pi_F (H, S, A)``
    cumulative action distributions (a dummy when ``stochastic`` is false);
    outputs ``states (K, H+1)``, ``actions (K, H)``, ``rewards (K, H)``, ``returns (K,)``.
    """
    K, H, F0 = states.shape[0], model.H, model.F0
    for k in range(K):
        s = draw_index(F0, rng.random())
        states[k, 0] = s
        ret = 0.0
        for h in range(H):
            if stochastic:
                a = draw_index(pi_F[h, s], rng.random())
            else:
                a = pi_det[h, s]
            s2, r = env_step(model, h, s, a, rng)
            actions[k, h] = a
            rewards[k, h] = r
            ret += r
            s = s2
            states[k, h + 1] = s
        returns[k] = ret
