"""Instance generators (random families, classic exploration benchmarks) and
the trajectory sampler for tabular MDPs.

* :func:`random_tabular` -- Dirichlet transition rows, optional sparsity.
* :func:`riverswim`, :func:`chain`, :func:`combination_lock` -- classic
  hard-exploration instances with known optimal values.
* :func:`sample_trajectories` -- Numba episode sampler (:class:`Trajectories`).
"""

from ._seeding import as_generator
from .classic import chain, combination_lock, riverswim
from .generators import random_tabular
from .sampler import Trajectories, sample_trajectories

__all__ = ["random_tabular", "riverswim", "chain", "combination_lock",
           "sample_trajectories", "Trajectories", "as_generator"]
