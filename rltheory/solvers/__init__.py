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

Normal-form games (:mod:`.normal_form`): :func:`zero_sum_nash` (maxmin LP),
:func:`normal_form_cce`, :func:`normal_form_ce`, :func:`cce_gaps`,
:func:`ce_gaps`, :func:`nash_gaps`, :func:`pure_nash_search`.

Markov games (:mod:`.markov_games`): :func:`zero_sum_markov_nash` (Shapley),
:func:`markov_cce`, :func:`correlated_policy_values`,
:func:`correlated_best_response`, :func:`correlated_cce_gaps`,
:func:`product_policy_values`, :func:`mixture_values`.

Deviations against mixtures of product policies (:mod:`.deviations`):
:func:`general_deviation_value`, :func:`markov_deviation_value`,
:func:`mixture_cce_gaps`, :func:`bayesian_deviator`, :func:`stage_nash_gaps`.

The kernels themselves live in :mod:`rltheory.kernels.mdp`, callable from
other ``@njit`` code.
"""

from .discounted import (discounted_occupancy, discounted_policy_evaluation, lp_solve,
                         policy_iteration, value_iteration)
from .finite_horizon import (backward_induction, expected_return, occupancy, occupancy_lp,
                             policy_evaluation, return_variance, total_variance_identity)
from .hardness import (concentrability, discounted_concentrability, max_transition_degree,
                       min_positive_gap, min_positive_visitation, optimality_gaps)
from .deviations import (MonteCarloEstimate, bayesian_deviator, general_deviation_value,
                         markov_deviation_value, mixture_cce_gaps, stage_nash_gaps)
from .markov_games import (BestResponse, MarkovCCE, ZeroSumMarkovNash, correlated_best_response,
                           correlated_cce_gaps, correlated_policy_values, markov_cce, mixture_values,
                           product_policy_values, zero_sum_markov_nash)
from .normal_form import (CorrelatedEquilibrium, PureNashSearch, ZeroSumNash, ce_constraint_matrix,
                          ce_gaps, cce_constraint_matrix, cce_gaps, nash_gaps, normal_form_cce,
                          normal_form_ce, pure_nash_search, zero_sum_nash)
from .results import (DiscountedPolicyValue, DiscountedSolution, FiniteHorizonSolution,
                      OccupancyLPSolution, PolicyValue, ReturnVariance, TotalVarianceIdentity)

__all__ = [
    "backward_induction", "policy_evaluation", "expected_return", "occupancy",
    "return_variance", "total_variance_identity", "occupancy_lp",
    "value_iteration", "policy_iteration", "lp_solve", "discounted_policy_evaluation",
    "discounted_occupancy",
    "optimality_gaps", "min_positive_gap", "max_transition_degree", "min_positive_visitation",
    "concentrability", "discounted_concentrability",
    "zero_sum_nash", "ZeroSumNash", "normal_form_cce", "normal_form_ce", "CorrelatedEquilibrium",
    "cce_gaps", "ce_gaps", "nash_gaps", "cce_constraint_matrix", "ce_constraint_matrix",
    "pure_nash_search", "PureNashSearch",
    "zero_sum_markov_nash", "ZeroSumMarkovNash", "markov_cce", "MarkovCCE", "correlated_policy_values",
    "correlated_best_response", "correlated_cce_gaps", "BestResponse", "product_policy_values",
    "mixture_values",
    "general_deviation_value", "markov_deviation_value", "mixture_cce_gaps", "bayesian_deviator",
    "MonteCarloEstimate", "stage_nash_gaps",
    "FiniteHorizonSolution", "PolicyValue", "ReturnVariance", "TotalVarianceIdentity",
    "OccupancyLPSolution", "DiscountedSolution", "DiscountedPolicyValue",
]
