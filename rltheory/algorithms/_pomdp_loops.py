r"""Numba episode loops of the POMDP learners (no checks; see :mod:`.pomdp_learners`).

Every episode plays an open-loop action vector ``actions (H,)`` decided before the episode;
its exact expected return is :func:`rltheory.kernels.pomdp.open_loop_value_kernel` on the true
model, cached per step-1 action (the other steps' actions are fixed to 0 in these learners).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from ..kernels.pomdp import open_loop_value_kernel, sample_open_loop_episode


class Model(NamedTuple):
    """The true POMDP as plain arrays: ``T4 (H,S,A,S)``, ``O3 (H,S,n_obs)``, ``r (H,n_obs,A)``, ``mu0 (S,)``."""

    T4: np.ndarray
    O3: np.ndarray
    r: np.ndarray
    mu0: np.ndarray


class RevealLayout(NamedTuple):
    """Indices of the costly-reveal instance: ``k`` pairs, first cell observation, win observation."""

    k: int
    cell0: int
    win_obs: int
    v_star: float


@njit(cache=True)
def count_on_track(model, actions, h_obs, m, rng):
    """Play ``actions`` for ``m`` episodes; count the episodes whose observation at step ``h_obs`` is 0."""
    H = model.T4.shape[0]
    obs = np.zeros(H, dtype=np.int64)
    c = 0
    for _ in range(m):
        sample_open_loop_episode(model.T4, model.O3, model.mu0, actions, rng, obs)
        if obs[h_obs] == 0:
            c += 1
    return c


@njit(cache=True)
def _episode(model, lay, a1, cache, rng, obs, acts):
    """Play step-1 action ``a1``; returns (expected regret, realised return); fills ``obs``."""
    acts[0] = 0
    acts[1] = a1
    acts[2] = 0
    if np.isnan(cache[a1]):
        cache[a1] = open_loop_value_kernel(model.T4, model.O3, model.r, model.mu0, acts)
    sample_open_loop_episode(model.T4, model.O3, model.mu0, acts, rng, obs)
    ret = 0.0
    for h in range(obs.shape[0]):
        ret += model.r[h, obs[h], acts[h]]
    return lay.v_star - cache[a1], ret


@njit(cache=True)
def _decode(counts, k, rng):
    """Exploit action of the per-pair majority guess (ties: fair coin)."""
    act = 1
    for j in range(k):
        c_plus, c_minus = counts[2 * j], counts[2 * j + 1]
        plus = c_plus > c_minus or (c_plus == c_minus and rng.random() < 0.5)
        if plus:
            act += 1 << j
    return act


@njit(cache=True)
def etc_loop(model, lay, T, N_exp, rng, regret, returns):
    """Explore-then-commit: ``N_exp`` reveal episodes (action 0), then the majority guess."""
    n = 2 * lay.k
    counts = np.zeros(n, dtype=np.int64)
    cache = np.full(model.T4.shape[2], np.nan)
    obs = np.zeros(3, dtype=np.int64)
    acts = np.zeros(3, dtype=np.int64)
    commit = -1
    for t in range(T):
        if t < N_exp:
            a1 = 0
        else:
            if commit < 0:
                commit = _decode(counts, lay.k, rng)
            a1 = commit
        regret[t], returns[t] = _episode(model, lay, a1, cache, rng, obs, acts)
        if a1 == 0:
            x = obs[2] - lay.cell0
            if 0 <= x < n:
                counts[x] += 1
    return commit


@njit(cache=True)
def ucb_exploit_loop(model, lay, T, order, rng, regret, returns):
    """UCB1 over the 2^k exploit actions (never reveals); untried arms in ``order`` first."""
    n_arms = order.shape[0]
    pulls = np.zeros(n_arms, dtype=np.int64)
    wins = np.zeros(n_arms)
    cache = np.full(model.T4.shape[2], np.nan)
    obs = np.zeros(3, dtype=np.int64)
    acts = np.zeros(3, dtype=np.int64)
    for t in range(T):
        if t < n_arms:
            arm = order[t]
        else:
            best = -1.0
            arm = 0
            lt = np.log(t + 1.0)
            for i in range(n_arms):
                idx = wins[i] / pulls[i] + np.sqrt(2.0 * lt / pulls[i])
                if idx > best:
                    best = idx
                    arm = i
        regret[t], returns[t] = _episode(model, lay, 1 + arm, cache, rng, obs, acts)
        pulls[arm] += 1
        if obs[2] == lay.win_obs:
            wins[arm] += 1.0


@njit(cache=True)
def plug_in_loop(model, lay, T, rng, regret, returns):
    """Exploit the majority guess from the step-1 observations seen so far (free information only)."""
    n = 2 * lay.k
    counts = np.zeros(n, dtype=np.int64)
    cache = np.full(model.T4.shape[2], np.nan)
    obs = np.zeros(3, dtype=np.int64)
    acts = np.zeros(3, dtype=np.int64)
    for t in range(T):
        a1 = _decode(counts, lay.k, rng)
        regret[t], returns[t] = _episode(model, lay, a1, cache, rng, obs, acts)
        x = obs[1] - lay.cell0
        if 0 <= x < n:
            counts[x] += 1


@njit(cache=True)
def fixed_action_loop(model, lay, T, a1, rng, regret, returns):
    """Play the step-1 action ``a1`` in every episode (a learner that does not learn)."""
    cache = np.full(model.T4.shape[2], np.nan)
    obs = np.zeros(3, dtype=np.int64)
    acts = np.zeros(3, dtype=np.int64)
    for t in range(T):
        regret[t], returns[t] = _episode(model, lay, a1, cache, rng, obs, acts)
