"""Instance generators (random families, classic exploration benchmarks) and
the trajectory sampler for tabular MDPs.

* :func:`random_tabular` -- Dirichlet transition rows, optional sparsity.
* :func:`riverswim`, :func:`chain`, :func:`combination_lock` -- classic
  hard-exploration instances with known optimal values.
* :func:`sample_trajectories` -- Numba episode sampler (:class:`Trajectories`).
* :func:`random_normal_form`, :func:`random_markov_game`, :func:`repeated_game`
  -- game generators (:mod:`rltheory.envs.games`).
* :func:`random_linear_mixture`, :func:`linear_mixture_chain`, :func:`random_linear_mdp`
  -- linear mixture and linear MDPs (:mod:`rltheory.envs.linear`).
* :class:`OfflineBandit`, :class:`OfflineContextualBandit`, :class:`OfflineDiscountedMDP`,
  :class:`OfflineLayeredMDP` -- offline instances with a data distribution
  (:mod:`rltheory.envs.offline_models`); :func:`sample_bandit`, :func:`sample_contextual_bandit`,
  :func:`sample_discounted`, :func:`sample_layered` -- their datasets, drawn through sufficient
  statistics (:mod:`rltheory.envs.offline_sampling`).
* :func:`kappa_layered`, :func:`model_family`, :func:`offline_distribution`, :func:`sample_offline`
  -- coverability-controlled layered MDPs, finite model classes and hybrid offline data
  (:mod:`rltheory.envs.coverability`, arXiv 2401.09681).
* :func:`random_lmdp`, :func:`revealing_lmdp`, :func:`reward_revealing_lmdp`, :func:`probe_state_lmdp`,
  :func:`last_step_lmdp`,
  :func:`variance_lmdp` -- latent MDPs (:mod:`rltheory.envs.latent`, arXiv 2210.11604).
* :func:`deterministic_var_star`, :func:`revealing_lmdp_var_star_bounds`, :func:`revealing_lmdp_var_star`,
  :func:`probe_state_lmdp_var_star_bounds` -- Var* of those families, closed forms, brackets and an exact
  set DP (:mod:`rltheory.envs.latent_var_star`, [R] definition of Var*).
* :class:`TabularLinearMDP`, :func:`tabular_as_linear`, :func:`two_branch_instance`, :func:`behaviour_policy`,
  :func:`sample_offline_linear` -- the tabular-as-linear family, behaviour policies and offline datasets
  of FTPedel (:mod:`rltheory.envs.offline_linear`, arXiv 2211.04974).
* :func:`layered_one_hot`, :func:`random_linear_adversarial`, :func:`delayed_reward_trap` -- adversarial MDPs
  with linear Q and oblivious loss sequences (:mod:`rltheory.envs.adversarial`, arXiv 2301.12942).
* :mod:`rltheory.envs.hard_instances` -- the hard instances of lower-bound proofs, one module per paper.
"""

from .._random import as_generator
from .classic import chain, combination_lock, riverswim
from .games import random_markov_game, random_normal_form, repeated_game
from .generators import random_tabular
from .linear import linear_mixture_chain, random_linear_mdp, random_linear_mixture
from .offline_models import (OfflineBandit, OfflineContextualBandit, OfflineDiscountedMDP, OfflineLayeredMDP,
                             batch_suboptimality, expert_mixture)
from .offline_sampling import (BanditStats, TabularStats, dataset_kl, sample_bandit, sample_contextual_bandit,
                               sample_discounted, sample_layered)
from .sampler import Trajectories, sample_trajectories
from .offline_linear import (OfflineLinearData, TabularLinearMDP, behaviour_policy, empty_offline,
                             random_layered_linear, sample_offline_linear, tabular_as_linear, two_branch_instance)
from .latent import (last_step_lmdp, probe_state_lmdp, random_lmdp, revealing_lmdp, revealing_lmdp_optimum,
                     reward_revealing_lmdp,
                     variance_lmdp, variance_lmdp_var_star)
from .latent_var_star import (deterministic_var_star, probe_state_lmdp_var_star_bounds, revealing_lmdp_var_star,
                              revealing_lmdp_var_star_bounds)
from .adversarial import delayed_reward_trap, layered_one_hot, random_linear_adversarial
from .coverability import (ModelFamily, kappa_layered, model_family, offline_distribution, sample_offline,
                           single_policy_concentrability)

__all__ = ["random_tabular", "riverswim", "chain", "combination_lock",
           "sample_trajectories", "Trajectories", "as_generator",
           "random_normal_form", "random_markov_game", "repeated_game",
           "random_linear_mixture", "linear_mixture_chain", "random_linear_mdp",
           "OfflineBandit", "OfflineContextualBandit", "OfflineDiscountedMDP", "OfflineLayeredMDP",
           "expert_mixture", "batch_suboptimality", "BanditStats", "TabularStats", "sample_bandit",
           "sample_contextual_bandit", "sample_discounted", "sample_layered", "dataset_kl",
           "kappa_layered", "ModelFamily", "model_family", "offline_distribution", "sample_offline",
           "single_policy_concentrability",
           "random_lmdp", "revealing_lmdp", "revealing_lmdp_optimum", "reward_revealing_lmdp", "probe_state_lmdp",
           "last_step_lmdp",
           "variance_lmdp", "variance_lmdp_var_star",
           "deterministic_var_star", "revealing_lmdp_var_star_bounds", "revealing_lmdp_var_star",
           "probe_state_lmdp_var_star_bounds",
           "TabularLinearMDP", "OfflineLinearData", "tabular_as_linear", "random_layered_linear",
           "two_branch_instance", "behaviour_policy", "sample_offline_linear", "empty_offline",
           "layered_one_hot", "random_linear_adversarial", "delayed_reward_trap"]
