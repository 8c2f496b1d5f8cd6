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

__all__ = ["random_tabular", "riverswim", "chain", "combination_lock",
           "sample_trajectories", "Trajectories", "as_generator",
           "random_normal_form", "random_markov_game", "repeated_game",
           "random_linear_mixture", "linear_mixture_chain", "random_linear_mdp",
           "OfflineBandit", "OfflineContextualBandit", "OfflineDiscountedMDP", "OfflineLayeredMDP",
           "expert_mixture", "batch_suboptimality", "BanditStats", "TabularStats", "sample_bandit",
           "sample_contextual_bandit", "sample_discounted", "sample_layered", "dataset_kl"]
