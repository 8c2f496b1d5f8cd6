r"""Exact computation on small POMDPs: belief filter, trajectory laws, optimal value.

Setting of :mod:`rltheory.models.pomdp` (Chen, Wang, Xiong, Mei & Bai, "Lower Bounds
for Learning in Revealing POMDPs", ICML 2023, arXiv 2302.01333, Section 2).  A
trajectory is :math:`\tau = (o_0, a_0, \dots, o_{H-1}, a_{H-1})`; a history-dependent
policy gives :math:`\pi_h(a_h \mid o_0, a_0, \dots, o_h)`.

* **Belief filter** (:func:`belief_filter`): the predictive belief
  :math:`b_h(s) = P(s_h = s \mid o_{<h}, a_{<h})` and the posterior
  :math:`b_h^+(s) \propto b_h(s)\,O_h(o_h|s)`, with
  :math:`b_{h+1}(s') = \sum_s b_h^+(s)\,T_h(s'|s,a_h)` and the likelihood
  :math:`P(o_{0:n-1} \,\|\, a_{0:n-2}) = \prod_h P(o_h \mid b_h)`.
* **Trajectory law** (:func:`trajectory_law`): :math:`P^\pi(\tau)=\prod_h P(o_h|b_h)\,\pi_h(a_h|\tau_{h-1},o_h)`,
  an array of shape ``(n_obs, A) * H`` computed by enumeration ((n_obs A)^H cells, up to about 1e6).
* **Optimal value** (:func:`pomdp_optimal_value`): over history-dependent policies, by dynamic
  programming over (step, belief),
  :math:`V_h(b)=\sum_o P(o|b)\max_a\bigl[r_h(o,a)+V_{h+1}(b'_{o,a})\bigr]`, :math:`V_H = 0`,
  exact (a finite tree of reachable beliefs; (n_obs A)^H nodes, Numba).  Reward is a function of
  (o, a), so the max over actions after seeing ``o`` is the Bellman step of the belief MDP.
* :func:`open_loop_value`: value of a fixed action sequence (no dependence on observations).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .._errors import ValidationError
from .._validation import as_float_array, check_int
from ..models.pomdp import POMDP
from ..kernels.pomdp import condition_on_observation, open_loop_value_kernel, propagate
from ._pomdp_kernels import optimal_value_kernel

__all__ = ["BeliefTrajectory", "belief_filter", "trajectory_law", "pomdp_policy_value", "pomdp_optimal_value",
           "open_loop_value", "MAX_TRAJECTORIES"]

#: Largest (n_obs * A)^H the enumerating solvers accept.
MAX_TRAJECTORIES = 2_000_000


def _check_pomdp(pomdp) -> POMDP:
    if not isinstance(pomdp, POMDP):
        raise ValidationError(f"pomdp is {type(pomdp).__name__} (rule: a rltheory.models.POMDP)")
    return pomdp


def _check_size(pomdp: POMDP, what: str) -> None:
    n = (pomdp.n_obs * pomdp.A) ** pomdp.H
    if n > MAX_TRAJECTORIES:
        raise ValidationError(f"{what}: (n_obs*A)^H = ({pomdp.n_obs}*{pomdp.A})^{pomdp.H} = {n} "
                              f"(rule: at most {MAX_TRAJECTORIES} trajectories for exact enumeration)")


@dataclass(frozen=True)
class BeliefTrajectory:
    r"""Output of :func:`belief_filter` for observations :math:`o_{0:n-1}` and actions :math:`a_{0:n-2}`.

    Attributes: ``prior`` ``(n, S)``, :math:`b_h(s) = P(s_h=s|o_{<h},a_{<h})`; ``posterior`` ``(n, S)``,
    :math:`b^+_h(s) = P(s_h=s|o_{\le h},a_{<h})`; ``likelihood``
    :math:`P(o_{0:n-1}\,\|\,a_{0:n-2})` (0 when the observations are impossible, then the rows after
    the impossible step are NaN).
    """

    prior: np.ndarray
    posterior: np.ndarray
    likelihood: float


def belief_filter(pomdp: POMDP, observations, actions) -> BeliefTrajectory:
    """Forward filter of a POMDP along ``observations (n,)`` and ``actions (n-1,)`` or ``(n,)``, ``n <= H``.

    Examples
    --------
    >>> import numpy as np
    >>> from rltheory.models import POMDP
    >>> T = np.array([[[1.0, 0.0]], [[0.0, 1.0]]])
    >>> m = POMDP(T, [[0.75, 0.25], [0.25, 0.75]], np.zeros((2, 2, 1)), [0.5, 0.5], H=2)
    >>> bt = belief_filter(m, [0, 0], [0])
    >>> bt.posterior[-1].round(4).tolist(), round(bt.likelihood, 4)
    ([0.9, 0.1], 0.3125)
    """
    m = _check_pomdp(pomdp)
    obs = np.asarray(observations)
    act = np.asarray(actions)
    if obs.ndim != 1 or obs.dtype.kind not in "iu" or not 1 <= obs.size <= m.H:
        raise ValidationError(f"observations has shape {obs.shape}, dtype {obs.dtype} "
                              f"(rule: 1 to H={m.H} integer observations)")
    if act.ndim != 1 or (act.size and act.dtype.kind not in "iu") or act.size not in (obs.size - 1, obs.size):
        raise ValidationError(f"actions has shape {act.shape} (rule: n-1 or n integer actions for "
                              f"n={obs.size} observations)")
    for arr, name, hi in ((obs, "observations", m.n_obs), (act, "actions", m.A)):
        bad = (arr < 0) | (arr >= hi)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValidationError(f"{name}[{i}] = {arr[i]} (rule: must lie in 0..{hi - 1})")
    n, S = obs.size, m.S
    prior = np.full((n, S), np.nan)
    post = np.full((n, S), np.nan)
    b = m.mu0.copy()
    logs = []
    lik_zero = False
    for h in range(n):
        prior[h] = b
        row = np.empty(S)
        p = condition_on_observation(b, m.O3[h], int(obs[h]), row)
        if p <= 0.0:
            lik_zero = True
            break
        logs.append(math.log(p))
        post[h] = row
        if h + 1 < n:
            nb = np.empty(S)
            propagate(row, m.T4[h], int(act[h]), nb)
            b = nb
    lik = 0.0 if lik_zero else math.exp(math.fsum(logs))
    return BeliefTrajectory(prior, post, lik)


def _policy_pmf(policy, h: int, obs: tuple, acts: tuple, A: int) -> np.ndarray:
    out = policy(h, obs, acts)
    if isinstance(out, (int, np.integer)) and not isinstance(out, (bool, np.bool_)):
        if not 0 <= out < A:
            raise ValidationError(f"policy({h}, {obs}, {acts}) = {out} (rule: an action in 0..{A - 1})")
        pmf = np.zeros(A)
        pmf[int(out)] = 1.0
        return pmf
    pmf = np.asarray(out, dtype=np.float64)
    if pmf.shape != (A,) or np.any(~np.isfinite(pmf)) or np.any(pmf < 0) or abs(pmf.sum() - 1.0) > 1e-9:
        raise ValidationError(f"policy({h}, {obs}, {acts}) returned {out!r} (rule: an action in 0..{A - 1} "
                              f"or a probability vector of length {A})")
    return pmf


def _as_policy(policy, m: POMDP) -> Callable:
    if callable(policy):
        return policy
    arr = np.asarray(policy)
    if arr.ndim == 1 and arr.dtype.kind in "iu" and arr.shape == (m.H,):
        acts = arr.astype(np.int64)
        bad = (acts < 0) | (acts >= m.A)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValidationError(f"policy[{i}] = {acts[i]} (rule: actions of an open-loop policy lie in "
                                  f"0..{m.A - 1})")
        return lambda h, obs, a_hist: int(acts[h])
    raise ValidationError(f"policy is {type(policy).__name__} with shape {getattr(arr, 'shape', None)} "
                          f"(rule: a callable policy(h, observations o_0..o_h, actions a_0..a_(h-1)) -> action "
                          f"or probabilities, or an open-loop int array of shape (H,) = ({m.H},))")


def trajectory_law(pomdp: POMDP, policy) -> np.ndarray:
    r"""Exact law of :math:`\tau=(o_0,a_0,\dots,o_{H-1},a_{H-1})` under a history-dependent policy.

    ``policy``: a callable ``policy(h, obs, acts)`` with ``obs = (o_0, ..., o_h)`` and
    ``acts = (a_0, ..., a_{h-1})`` returning an action or a probability vector ``(A,)``;
    or an open-loop int array ``(H,)``.  Returns ``P`` of shape ``(n_obs, A) * H``
    (``P[o_0, a_0, ..., o_{H-1}, a_{H-1}]``), summing to 1.  Raises
    :class:`ValidationError` beyond :data:`MAX_TRAJECTORIES` cells.
    """
    m = _check_pomdp(pomdp)
    _check_size(m, "trajectory_law")
    pol = _as_policy(policy, m)
    law = np.zeros((m.n_obs, m.A) * m.H)
    S = m.S

    def rec(h, b, prob, obs, acts):
        post = np.empty(S)
        for o in range(m.n_obs):
            p = condition_on_observation(b, m.O3[h], o, post)
            if p <= 0.0:
                continue
            obs2 = obs + (o,)
            pmf = _policy_pmf(pol, h, obs2, acts, m.A)
            for a in range(m.A):
                if pmf[a] <= 0.0:
                    continue
                q = prob * p * pmf[a]
                if h + 1 == m.H:
                    idx = tuple(itertools.chain.from_iterable(zip(obs2, acts + (a,))))
                    law[idx] = q
                else:
                    nb = np.empty(S)
                    propagate(post.copy(), m.T4[h], a, nb)
                    rec(h + 1, nb, q, obs2, acts + (a,))

    rec(0, m.mu0.copy(), 1.0, (), ())
    return law


def pomdp_policy_value(pomdp: POMDP, policy) -> float:
    r""":math:`V(\pi)=\mathbb E^\pi[\sum_h r_h(o_h,a_h)]` by summing over the exact trajectory law."""
    m = _check_pomdp(pomdp)
    law = trajectory_law(m, policy)
    ret = np.zeros(law.shape)
    for h in range(m.H):
        shape = [1] * (2 * m.H)
        shape[2 * h], shape[2 * h + 1] = m.n_obs, m.A
        ret = ret + m.r[h].reshape(shape)
    return math.fsum((law * ret).ravel().tolist())


def pomdp_optimal_value(pomdp: POMDP) -> float:
    r"""Optimal value :math:`V^* = \max_\pi V(\pi)` over history-dependent policies (belief DP, Numba).

    Exact on small instances: the recursion visits every reachable (step, observation-action
    history) node, at most :math:`(n_{obs} A)^H` of them (limit :data:`MAX_TRAJECTORIES`).

    Examples
    --------
    Guess a latent coin from one 3/4-accurate observation; the guess moves the latent state
    to "win" (2) or "lose" (3), which the next observation shows:

    >>> import numpy as np
    >>> from rltheory.models import POMDP
    >>> T = np.zeros((4, 2, 4)); T[0, 0, 2] = T[0, 1, 3] = T[1, 1, 2] = T[1, 0, 3] = 1.0
    >>> T[2, :, 2] = T[3, :, 3] = 1.0
    >>> O = np.array([[0.75, 0.25, 0, 0], [0.25, 0.75, 0, 0], [0, 0, 1.0, 0], [0, 0, 0, 1.0]])
    >>> r = np.zeros((2, 4, 2)); r[1, 2, :] = 1.0            # reward on seeing "win"
    >>> pomdp_optimal_value(POMDP(T, O, r, [0.5, 0.5, 0, 0], H=2))
    0.75
    """
    m = _check_pomdp(pomdp)
    _check_size(m, "pomdp_optimal_value")
    return float(optimal_value_kernel(np.ascontiguousarray(m.T4), np.ascontiguousarray(m.O3),
                                      np.ascontiguousarray(m.r), np.ascontiguousarray(m.mu0)))


def open_loop_value(pomdp: POMDP, actions) -> float:
    r"""Value of the open-loop policy :math:`a_h = ` ``actions[h]`` (``(H,)`` ints), any size of POMDP."""
    m = _check_pomdp(pomdp)
    acts = np.asarray(actions)
    if acts.shape != (m.H,) or acts.dtype.kind not in "iu":
        raise ValidationError(f"actions has shape {acts.shape}, dtype {acts.dtype} "
                              f"(rule: H={m.H} integer actions)")
    bad = (acts < 0) | (acts >= m.A)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValidationError(f"actions[{i}] = {acts[i]} (rule: must lie in 0..{m.A - 1})")
    return float(open_loop_value_kernel(np.ascontiguousarray(m.T4), np.ascontiguousarray(m.O3),
                                        np.ascontiguousarray(m.r), np.ascontiguousarray(m.mu0),
                                        acts.astype(np.int64)))
