r"""Trajectories of a fixed policy in a tabular MDP.

:func:`sample_trajectories` draws :math:`K` independent episodes
:math:`(s_0, a_0, r_0, \dots, s_{H-1}, a_{H-1}, r_{H-1}, s_H)` with
:math:`s_0 \sim \mu_0`, :math:`a_h \sim \pi_h(\cdot \mid s_h)`,
:math:`s_{h+1} \sim P_h(\cdot \mid s_h, a_h)`.  Rewards follow one of two
models:

``reward_noise=None`` (default)
    the realised reward is the mean reward, :math:`r_h = R_h(s_h, a_h)`
    (deterministic rewards; all randomness is in the transitions);
``reward_noise="bernoulli"``
    :math:`r_h \sim \operatorname{Bernoulli}(R_h(s_h, a_h))`, which needs
    :math:`R \in [0,1]` (true for both reward normalisations).

In both cases :math:`\mathbb E[\sum_h r_h] = \sum_s \mu_0(s) V^\pi_0(s)`, the
exact value from :func:`rltheory.solvers.policy_evaluation`.

The episode loop is a Numba kernel (:mod:`rltheory.kernels.sampling`) fed by a
:class:`numpy.random.Generator`; each draw is by inverse CDF with one uniform.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._validation import check_int, check_policy
from ..models import TabularMDP
from ..kernels.sampling import cumulative, episode_model, sample_episodes_kernel
from .._random import as_generator

__all__ = ["sample_trajectories", "Trajectories", "REWARD_NOISE"]

REWARD_NOISE = (None, "bernoulli")


@dataclass(frozen=True, eq=False)
class Trajectories:
    """``K`` sampled episodes of horizon ``H`` (read-only arrays).

    Attributes
    ----------
    states : int64 array (K, H+1)
        ``states[k, h]`` is :math:`s_h` of episode ``k``; column ``H`` is the
        state reached after the last action.
    actions : int64 array (K, H)
    rewards : float64 array (K, H)
        Realised rewards.
    returns : float64 array (K,)
        ``rewards.sum(axis=1)`` accumulated left to right in the kernel.
    """

    states: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray
    returns: np.ndarray

    def __post_init__(self):
        for a in (self.states, self.actions, self.rewards, self.returns):
            a.setflags(write=False)

    @property
    def K(self) -> int:
        return int(self.returns.shape[0])

    @property
    def H(self) -> int:
        return int(self.actions.shape[1])

    def visit_counts(self, S: int, A: int) -> np.ndarray:
        """Counts ``n[h, s, a]`` of visits to ``(s, a)`` at step ``h``, shape (H, S, A)."""
        n = np.zeros((self.H, S, A), dtype=np.int64)
        hh = np.broadcast_to(np.arange(self.H), self.actions.shape)
        np.add.at(n, (hh, self.states[:, :-1], self.actions), 1)
        return n


def sample_trajectories(mdp: TabularMDP, policy, K: int, seed, *,
                        reward_noise: str | None = None) -> Trajectories:
    r"""Sample ``K`` episodes of ``policy`` in ``mdp``.

    Parameters
    ----------
    mdp : TabularMDP
    policy : int array (H, S) or float array (H, S, A)
        Deterministic or stochastic Markov policy (a stationary ``(S,)`` or
        ``(S, A)`` policy is broadcast over the steps), validated by
        :func:`rltheory._validation.check_policy`.
    K : int, >= 1
        Number of episodes.
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Same seed ⇒ bit-identical trajectories.
    reward_noise : {None, "bernoulli"}
        Reward model, see the module docstring.

    Returns
    -------
    Trajectories
        ``states (K, H+1)``, ``actions (K, H)``, ``rewards (K, H)``, ``returns (K,)``.

    Notes
    -----
    Uniforms are consumed per episode in the order: initial state; then per
    step: action (stochastic policies only), next state, reward (Bernoulli
    model only).
    """
    if not isinstance(mdp, TabularMDP):
        raise ValidationError(f"mdp is a {type(mdp).__name__} (rule: a TabularMDP)")
    K = check_int(K, "K")
    if reward_noise not in REWARD_NOISE:
        raise ValidationError(f"reward_noise = {reward_noise!r} (rule: one of {REWARD_NOISE})")
    H, S, A = mdp.H, mdp.S, mdp.A
    pi = check_policy(policy, H, S, A)
    stochastic = pi.dtype == np.float64
    if stochastic:
        pi_det = np.zeros((H, S), dtype=np.int64)
        pi_F = cumulative(pi)
    else:
        pi_det = pi
        pi_F = np.zeros((1, 1, 1))
    rng = as_generator(seed)
    states = np.empty((K, H + 1), dtype=np.int64)
    actions = np.empty((K, H), dtype=np.int64)
    rewards = np.empty((K, H), dtype=np.float64)
    returns = np.empty(K, dtype=np.float64)
    sample_episodes_kernel(episode_model(mdp, reward_noise == "bernoulli"), pi_det, pi_F,
                           stochastic, rng, states, actions, rewards, returns)
    return Trajectories(states, actions, rewards, returns)

