r"""Learners without directed exploration: the alternatives UCBVI is compared with.

:func:`greedy` and :func:`explore_then_commit` plan on the same empirical model
as UCBVI (:mod:`rltheory.algorithms.ucbvi`: pooled counts for a stationary
kernel, per-step counts otherwise, known mean rewards) but add **no bonus**:

.. math::

   Q_{k,h}(x,a) = \begin{cases} R_h(x,a) + (\hat P_k V_{k,h+1})(x,a) & N_k(x,a) > 0,\\
     R_h(x,a) & N_k(x,a) = 0,\end{cases}
   \qquad V_{k,h}(x) = \max_a Q_{k,h}(x,a),

i.e. an untried pair is valued by its known reward and **zero continuation
value** (as if it led to an absorbing, reward-free state).  This is neither
optimistic nor an assumption of a self-loop or uniform transition; it is the
certainty-equivalent choice that gives the unknown no value.  The policy is
greedy with ties to the lowest action index (unlike UCBVI, which breaks ties
towards the least-tried action), so these learners explore only as their
schedule says.

On :func:`rltheory.envs.chain` the :func:`greedy` learner never tries the
forward action and suffers regret :math:`V^*(\mu_0) - H d` in every episode
(linear regret).  On :func:`rltheory.envs.combination_lock`, explore-then-commit
whose random exploration never reached the last lock state :math:`g-1` (with a
dead state each exploration episode does so with probability
:math:`A^{-(g-1)}`; the opening reward is known, so the last action need not
be tried) sees only zero values, plays action 0 and has regret 1 in every
later episode.

:func:`uniform_random` is the null learner: it draws every action uniformly in
every episode and never uses what it sees, so its expected regret is
:math:`V^*(\mu_0) - V^{\mathrm{unif}}(\mu_0)` in every episode (linear in
:math:`K` unless the uniform policy is optimal).

Fidelity: ``reconstructed`` in the sense of the paper specifications (a
toolkit design choice, fully stated here; no paper defines these controls).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_int
from .harness import LearnerRun
from .tabular_learners import check_learner_inputs, run_model_based

__all__ = ["greedy", "explore_then_commit", "uniform_random"]


def greedy(mdp, K: int, seed, *, reward_noise: str | None = None,
           record_policies: bool = False) -> LearnerRun:
    r"""Certainty-equivalent planning on the empirical model, no exploration bonus.

    Parameters
    ----------
    mdp : TabularMDP
    K : int, >= 1
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
    reward_noise : {None, "bernoulli"}
        Model of the realised (recorded) rewards; the learner uses the known means.
    record_policies : bool
        Also return the ``(K, H, S)`` policies.

    Returns
    -------
    LearnerRun
        ``algorithm="greedy"``; ``final_policy`` the greedy policy on all ``K`` episodes' data.
    """
    K = check_learner_inputs(mdp, K, reward_noise)
    run = run_model_based(mdp, K, seed, reward_noise=reward_noise,
                          record_policies=record_policies)
    return LearnerRun("greedy", run.regret, run.returns, run.v_star,
                      params=dict(unvisited="reward + zero continuation",
                                  reward_noise=reward_noise),
                      fidelity="reconstructed", policies=run.policies,
                      final_policy=run.final_policy)


def explore_then_commit(mdp, K: int, seed, n_explore: int, *, reward_noise: str | None = None,
                        record_policies: bool = False) -> LearnerRun:
    r"""Uniformly random actions for ``n_explore`` episodes, then :func:`greedy` planning.

    In the first ``n_explore`` episodes every action is drawn uniformly from
    :math:`\{0, \dots, A-1\}` (one uniform :math:`u`, action
    :math:`\lfloor uA \rfloor`); their expected regret is
    :math:`V^*(\mu_0) - V^{\mathrm{unif}}(\mu_0)`, evaluated exactly.  From then
    on the learner plans greedily on all data gathered so far (and keeps
    updating its counts), as in :func:`greedy`.  A control with a wrong
    exploration schedule: with ``n_explore`` fixed, its regret is linear in
    :math:`K` whenever the exploration phase misses the optimal policy.

    Parameters
    ----------
    mdp : TabularMDP
    K : int, >= 1
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
    n_explore : int, >= 0
    reward_noise : {None, "bernoulli"}
    record_policies : bool
        Also return the policies (``-1`` rows for the exploration episodes).

    Returns
    -------
    LearnerRun
        ``algorithm="explore_then_commit"``; ``final_policy`` the greedy policy on all
        ``K`` episodes' data (all ``-1`` when ``K < n_explore``).
    """
    K = check_learner_inputs(mdp, K, reward_noise)
    n_explore = check_int(n_explore, "n_explore", minimum=0)
    run = run_model_based(mdp, K, seed, n_explore=n_explore, reward_noise=reward_noise,
                          record_policies=record_policies)
    return LearnerRun("explore_then_commit", run.regret, run.returns, run.v_star,
                      params=dict(n_explore=n_explore, unvisited="reward + zero continuation",
                                  reward_noise=reward_noise),
                      fidelity="reconstructed", policies=run.policies,
                      final_policy=run.final_policy)


def uniform_random(mdp, K: int, seed, *, reward_noise: str | None = None) -> LearnerRun:
    r"""The null learner: uniformly random actions in all ``K`` episodes, nothing learned.

    The same random stream and exact evaluation as the exploration phase of
    :func:`explore_then_commit` with ``n_explore = K``; the expected regret of
    every episode is :math:`V^*(\mu_0) - V^{\mathrm{unif}}(\mu_0)`, so the
    cumulative regret is exactly :math:`K\,(V^*(\mu_0) - V^{\mathrm{unif}}(\mu_0))`.

    Parameters
    ----------
    mdp, K, seed, reward_noise
        As in :func:`greedy`.

    Returns
    -------
    LearnerRun
        ``algorithm="uniform_random"``; ``final_policy`` is all ``-1`` (it never
        stops playing uniformly at random).
    """
    K = check_learner_inputs(mdp, K, reward_noise)
    run = run_model_based(mdp, K, seed, n_explore=K, reward_noise=reward_noise)
    return LearnerRun("uniform_random", run.regret, run.returns, run.v_star,
                      params=dict(reward_noise=reward_noise), fidelity="reconstructed",
                      final_policy=np.full((mdp.H, mdp.S), -1, dtype=np.int64))
