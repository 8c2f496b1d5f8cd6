"""Learners; one module per algorithm family.

* :func:`ucbvi` -- UCBVI-CH / UCBVI-BF (Azar, Osband & Munos 2017).
* :func:`greedy`, :func:`explore_then_commit`, :func:`uniform_random` -- learners without bonus
  (certainty equivalence, a fixed exploration schedule, the null learner).
* :class:`LearnerRun` -- the per-episode record every learner returns.
* :func:`independent_hedge` -- independent (optimistic) Hedge in Markov games (:mod:`.games`).
* :func:`lcb_bandit`, :func:`lcb_contextual`, :func:`vi_lcb`, :func:`vi_lcb_episodic` -- offline
  pessimism, LCB / VI-LCB (Rashidinejad et al. 2021), with their baselines and the exact two-arm risk
  (:mod:`.lcb`, one module per learner family).
* :func:`hf_ucrl_rfe` -- horizon-free reward-free exploration HF-UCRL-RFE++ for linear mixture
  MDPs (Zhang, Zhang & Gu 2023), its Hoeffding baseline and a uniform-exploration learner.
"""

from .baselines import explore_then_commit, greedy, uniform_random
from .games import IndependentRun, hedge_learning_rate, independent_hedge, regret_curve
from .harness import LearnerRun
from .hf_rfe import hf_ucrl_rfe, null_planner, planning_suboptimality, ucrl_rfe_hoeffding, uniform_least_squares
from .lcb import (bc_policy, empirical_best, lcb_bandit, lcb_contextual, most_played, optimistic_vi_episodic,
                  two_arm_exact_risk, uniform_policy, vi_lcb, vi_lcb_episodic, vi_lcb_iterations)
from .linear_regression import WeightedRidge
from .ucbvi import BonusConstants, ucbvi

__all__ = ["ucbvi", "BonusConstants", "greedy", "explore_then_commit", "uniform_random", "LearnerRun",
           "independent_hedge", "regret_curve", "hedge_learning_rate", "IndependentRun",
           "hf_ucrl_rfe", "ucrl_rfe_hoeffding", "uniform_least_squares", "null_planner", "planning_suboptimality",
           "WeightedRidge", "lcb_bandit", "lcb_contextual", "empirical_best", "most_played", "vi_lcb",
           "vi_lcb_iterations", "vi_lcb_episodic", "optimistic_vi_episodic", "bc_policy", "uniform_policy",
           "two_arm_exact_risk"]
