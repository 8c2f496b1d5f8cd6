r"""Exact computation on tabular models: Numba kernels behind validating Python wrappers.

Finite horizon (:mod:`.finite_horizon`): :func:`backward_induction`,
:func:`policy_evaluation`, :func:`expected_return`, :func:`occupancy`,
:func:`return_variance`, :func:`total_variance_identity`, :func:`occupancy_lp`.

Discounted (:mod:`.discounted`): :func:`value_iteration`, :func:`policy_iteration`,
:func:`lp_solve`, :func:`discounted_policy_evaluation`, :func:`discounted_occupancy`.

Hardness quantities (:mod:`.hardness`): :func:`optimality_gaps`,
:func:`min_positive_gap`, :func:`max_transition_degree`,
:func:`min_positive_visitation`, :func:`concentrability`,
:func:`discounted_concentrability`.

Games (:mod:`rltheory.solvers.games`): :func:`zero_sum_nash` (maxmin LP),
:func:`zero_sum_markov_nash` (Shapley), :func:`normal_form_cce`,
:func:`normal_form_ce`, :func:`markov_cce`, :func:`mixture_cce_gaps`,
:func:`bayesian_deviator`.

The kernels themselves live in :mod:`rltheory.solvers._kernels`, callable from
other ``@njit`` code.
"""

from . import _kernels
from .discounted import (discounted_occupancy, discounted_policy_evaluation, lp_solve,
                         policy_iteration, value_iteration)
from .games import (ZeroSumNash, bayesian_deviator, markov_cce, mixture_cce_gaps,
                    normal_form_cce, normal_form_ce, zero_sum_markov_nash, zero_sum_nash)
from .finite_horizon import (backward_induction, expected_return, occupancy, occupancy_lp,
                             policy_evaluation, return_variance, total_variance_identity)
from .hardness import (concentrability, discounted_concentrability, max_transition_degree,
                       min_positive_gap, min_positive_visitation, optimality_gaps)
from .results import (DiscountedPolicyValue, DiscountedSolution, FiniteHorizonSolution,
                      OccupancyLPSolution, PolicyValue, ReturnVariance, TotalVarianceIdentity)

__all__ = [
    "backward_induction", "policy_evaluation", "expected_return", "occupancy",
    "return_variance", "total_variance_identity", "occupancy_lp",
    "value_iteration", "policy_iteration", "lp_solve", "discounted_policy_evaluation",
    "discounted_occupancy",
    "optimality_gaps", "min_positive_gap", "max_transition_degree", "min_positive_visitation",
    "concentrability", "discounted_concentrability",
    "zero_sum_nash", "ZeroSumNash", "zero_sum_markov_nash", "normal_form_cce", "normal_form_ce",
    "markov_cce", "mixture_cce_gaps", "bayesian_deviator",
    "FiniteHorizonSolution", "PolicyValue", "ReturnVariance", "TotalVarianceIdentity",
    "OccupancyLPSolution", "DiscountedSolution", "DiscountedPolicyValue",
]
