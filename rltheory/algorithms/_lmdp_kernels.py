r"""Numba episode loop of the LMDP learners (:mod:`rltheory.algorithms.lmdp_hf`).

Per episode: (re)plan when the model snapshot changed, evaluate the played
belief policy exactly in the true LMDP (:func:`rltheory.kernels.belief.policy_root_value`),
play one episode, then record it with the context revealed in hindsight.
The solver (value- or model-optimistic) and the planner are carried by the
planner model (``BeliefModel.mode``, ``consts[K_GREEDY]``).

Numba's on-disk cache does not follow changes in the kernels this module calls
(:mod:`rltheory.kernels.belief`): after editing those, edit this file too (or
clear its cache) so that the episode loop is recompiled.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from ..kernels.belief import (filter_belief, initial_belief, plan_action, policy_root_value, reset_memo,
                              root_value)
from ..kernels.sampling import draw_from_pmf


class Counts(NamedTuple):
    """Hindsight counts: ``N (M,S,A,S)`` transitions pooled over steps, ``Nsa (M,S,A)``,
    ``N0 (M,S)`` start states, ``Nm (M,)`` contexts, ``k (1,)`` episodes."""

    N: np.ndarray
    Nsa: np.ndarray
    N0: np.ndarray
    Nm: np.ndarray
    k: np.ndarray


def new_counts(M: int, S: int, A: int) -> Counts:
    z = np.zeros
    return Counts(z((M, S, A, S)), z((M, S, A)), z((M, S)), z(M), z(1))


@njit(cache=True)
def _is_trigger(n, doubling):
    """Refresh at every count (``doubling=False``) or when the count is a power of 2."""
    if not doubling:
        return True
    c = np.int64(n)
    return c > 0 and (c & (c - 1)) == 0


@njit(cache=True)
def _refresh_pair(bm, cnt, m, s, a, r):
    """Snapshot of pair ``(m, s, a)``: :math:`\\hat P = N/n`, the count ``n`` and the observed reward."""
    n = cnt.Nsa[m, s, a]
    for t in range(bm.P.shape[3]):
        bm.P[m, s, a, t] = cnt.N[m, s, a, t] / n
    bm.n[m, s, a] = n
    bm.R[m, s, a] = r


@njit(cache=True)
def _refresh_start(bm, cnt):
    r"""Snapshot of :math:`\hat w_m = (N_m + 1)/(k + M)` and :math:`\hat\nu_m = N_0(m)/N_m` (uniform if unseen)."""
    M, S = bm.nu.shape[0], bm.nu.shape[1]
    k = cnt.k[0]
    for m in range(M):
        bm.w[m] = (cnt.Nm[m] + 1.0) / (k + M)
        for s in range(S):
            bm.nu[m, s] = cnt.N0[m, s] / cnt.Nm[m] if cnt.Nm[m] > 0 else 1.0 / S


@njit(cache=True)
def observe(bm, cnt, m, path, rew, doubling):
    """Record an episode ``path (3, H)`` (rows: s_h, a_h, s_{h+1}), rewards ``rew (H,)``, context ``m``;
    returns True when the planner's snapshot changed."""
    H = path.shape[1]
    changed = False
    for h in range(H):
        s, a, t = path[0, h], path[1, h], path[2, h]
        cnt.N[m, s, a, t] += 1.0
        cnt.Nsa[m, s, a] += 1.0
        if _is_trigger(cnt.Nsa[m, s, a], doubling):
            _refresh_pair(bm, cnt, m, s, a, rew[h])
            changed = True
    cnt.N0[m, path[0, 0]] += 1.0
    cnt.Nm[m] += 1.0
    cnt.k[0] += 1.0
    if _is_trigger(cnt.k[0], doubling):
        _refresh_start(bm, cnt)
        changed = True
    return changed


@njit(cache=True)
def play(truth, bm, pmemo, m, rng, path, rew):
    """One episode in context ``m`` of the true model with the planner's belief policy; returns the return."""
    M, H = truth.w.shape[0], truth.H
    s = draw_from_pmf(truth.nu[m], truth.nu.shape[1], rng.random())
    bh = np.empty(M)
    bh2 = np.empty(M)
    initial_belief(bm, s, bh)
    ret = 0.0
    for h in range(H):
        a = plan_action(bm, pmemo, h, s, bh)
        r = truth.R[m, s, a]
        t = draw_from_pmf(truth.P[m, s, a], truth.P.shape[3], rng.random())
        path[0, h] = s
        path[1, h] = a
        path[2, h] = t
        rew[h] = r
        ret += r
        filter_belief(bm, bh, s, a, r, t, bh2)
        for i in range(M):
            bh[i] = bh2[i]
        s = t
    return ret


@njit(cache=True)
def run_episodes(truth, bm, cnt, memos, K, learn, doubling, hindsight, rng, regret, returns):
    """The learner loop for ``K`` episodes; ``memos = (true-model memo, planner memo, joint memo)``.

    ``hindsight=False`` records every episode under context 0 (the context-blind baseline: the
    revealed context is ignored and all data pooled into one model).

    Fills ``regret (K,)`` with :math:`V^* - V^{\\pi_k}` (exact) and ``returns (K,)``; returns
    ``(V*, number of plans)``, or ``(., -1)`` as soon as a memo table is full (the caller retries
    with larger tables and the same random stream).
    """
    tmemo, pmemo, jmemo = memos
    v_star = root_value(truth, tmemo)
    if tmemo.count[1] != 0:
        return v_star, -1
    H, M = truth.H, truth.w.shape[0]
    path = np.zeros((3, H), dtype=np.int64)
    rew = np.zeros(H)
    changed = True
    value = 0.0
    n_plans = 0
    for k in range(K):
        if changed:
            reset_memo(pmemo)
            reset_memo(jmemo)
            value = policy_root_value(truth, bm, pmemo, jmemo)
            if pmemo.count[1] != 0 or jmemo.count[1] != 0:
                return v_star, -1
            n_plans += 1
            changed = False
        regret[k] = v_star - value
        m = draw_from_pmf(truth.w, M, rng.random())
        returns[k] = play(truth, bm, pmemo, m, rng, path, rew)
        if pmemo.count[1] != 0:
            return v_star, -1
        if learn:
            changed = observe(bm, cnt, m if hindsight else 0, path, rew, doubling)
    return v_star, n_plans
