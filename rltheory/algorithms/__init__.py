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
* :func:`reveal_explore_then_commit`, :func:`ucb_exploit`, :func:`plug_in_exploit`, :func:`fixed_guess`,
  :func:`lock_search`, :func:`lock_fixed_budget`, :func:`lock_blind_search` -- learners on the
  revealing-POMDP hard instances (:mod:`.pomdp_learners`, arXiv 2302.01333).
* :mod:`.ftpedel` -- FTPedel (``ftpedel.ftpedel``), policy elimination with offline-augmented experiment
  design (Wagenmaker & Pacchiano 2023, reconstructed), its result :class:`FTPedelRun` and its
  alternatives; the module keeps its name (the function is not re-exported, so
  ``rltheory.algorithms.ftpedel`` stays the module).
* :func:`lmdp_hf`, :func:`lmdp_null` -- horizon-free learning in latent MDPs with context in hindsight
  (Zhou, Wang & Du 2023, arXiv 2210.11604, reconstructed), its H-scaled Hoeffding and greedy variants,
  a null learner (:mod:`.lmdp_hf`).
* :func:`glow`, :func:`h2o`, :func:`hyglow` -- density-ratio online and hybrid RL (Amortila et al. 2024,
  arXiv 2401.09681) on finite tabular classes, with their alternatives; :class:`GlowRun` (:mod:`.glow`).
* :mod:`.ftrl_logbarrier` -- log-barrier FTRL for adversarial MDPs with linear Q (Dai, Luo, Wei & Zimmert
  2023, arXiv 2301.12942, reconstructed): ``ftrl_logbarrier.ftrl_logbarrier`` (Algorithm 1),
  :func:`logbarrier_distribution`, :func:`ftrl_linear_mdp`; the module keeps its name (the learner is not
  re-exported); baselines :func:`exp_weights_linear_q`, :func:`exp_weights_uncapped`,
  :func:`ftrl_logbarrier_no_bonus`, :func:`uniform_play` (:mod:`.adversarial_baselines`).
"""

from .baselines import explore_then_commit, greedy, uniform_random
from .games import IndependentRun, hedge_learning_rate, independent_hedge, regret_curve
from .harness import LearnerRun
from .hf_rfe import hf_ucrl_rfe, null_planner, planning_suboptimality, ucrl_rfe_hoeffding, uniform_least_squares
from .lcb import (bc_policy, empirical_best, lcb_bandit, lcb_contextual, most_played, optimistic_vi_episodic,
                  two_arm_exact_risk, uniform_policy, vi_lcb, vi_lcb_episodic, vi_lcb_iterations)
from .linear_regression import WeightedRidge
from .lmdp_hf import LMDP_BONUSES, lmdp_hf, lmdp_null
from .ucbvi import BonusConstants, ucbvi
from .glow import GlowRun, glow, h2o, hyglow
from .ftpedel import FTPedelRun
from .ftrl_logbarrier import ftrl_linear_mdp, logbarrier_distribution
from .adversarial_baselines import exp_weights_linear_q, exp_weights_uncapped, ftrl_logbarrier_no_bonus, uniform_play
from .pomdp_learners import (LockSearchResult, fixed_guess, lock_blind_search, lock_fixed_budget, lock_search,
                             plug_in_exploit, reveal_explore_then_commit, ucb_exploit)

__all__ = ["glow", "h2o", "hyglow", "GlowRun",
           "ucbvi", "BonusConstants", "greedy", "explore_then_commit", "uniform_random", "LearnerRun",
           "independent_hedge", "regret_curve", "hedge_learning_rate", "IndependentRun",
           "hf_ucrl_rfe", "ucrl_rfe_hoeffding", "uniform_least_squares", "null_planner", "planning_suboptimality",
           "WeightedRidge", "lcb_bandit", "lcb_contextual", "empirical_best", "most_played", "vi_lcb",
           "vi_lcb_iterations", "vi_lcb_episodic", "optimistic_vi_episodic", "bc_policy", "uniform_policy",
           "two_arm_exact_risk",
           "reveal_explore_then_commit", "ucb_exploit", "plug_in_exploit", "fixed_guess", "LockSearchResult",
           "lock_search", "lock_fixed_budget", "lock_blind_search",
           "FTPedelRun",
           "lmdp_hf", "lmdp_null", "LMDP_BONUSES",
           "logbarrier_distribution", "ftrl_linear_mdp", "exp_weights_linear_q", "exp_weights_uncapped",
           "ftrl_logbarrier_no_bonus", "uniform_play"]
