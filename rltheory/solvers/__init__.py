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

Divergences (:mod:`.divergences`): :func:`kl`, :func:`tv`, :func:`hellinger2`,
:func:`chi2`, :func:`bhattacharyya`, :func:`n_episode_divergences`,
:func:`product_tv`, :func:`ingster_chi2`, :func:`visit_count_kl`.

POMDPs (:mod:`.pomdp`, :mod:`.revealing`): :func:`belief_filter`, :func:`trajectory_law`,
:func:`pomdp_policy_value`, :func:`pomdp_optimal_value`, :func:`open_loop_value`,
:func:`revealing_constant` (LP), :func:`revealing_constant_dual`, :func:`m_step_matrix`,
:func:`pinv_revealing_lower_bound`, :func:`l2_revealing_constant`.

Coverability and density ratios (:mod:`.coverability`, arXiv 2401.09681): :func:`coverability`,
:func:`max_reach_probability`, :func:`mixture_occupancy`, :func:`density_ratio`,
:func:`clipped_density_ratio`, :func:`coverability_potential`, :func:`coverability_lp`.

Latent MDPs (:mod:`.latent`, arXiv 2210.11604): :func:`lmdp_optimal_value`,
:func:`lmdp_policy_value`, :class:`BeliefPolicy`, :func:`belief_update`,
:func:`lmdp_policy_variance`, :func:`var_star`, :func:`lmdp_gamma`.

Offline-to-online experiment design (:mod:`.experiment_design`, arXiv 2211.04974, reconstructed):
:func:`policy_table` (:class:`PolicyTable`), :func:`policy_features`, :func:`oracle_design`
(:class:`O2OPrediction`, the prediction :math:`T_{\rm o2o}`), :func:`design_value`, :func:`coverage_summary`.

The kernels themselves live in :mod:`rltheory.kernels.mdp`, callable from
other ``@njit`` code.
"""

from .experiment_design import (O2OPrediction, PolicyTable, coverage_summary, design_value,
                                deterministic_policies, oracle_design, policy_features, policy_occupancies,
                                policy_table)
from .coverability import (Coverability, clipped_density_ratio, coverability, coverability_lp,
                           coverability_potential, density_ratio, max_reach_probability, mixture_occupancy)
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
from .latent import (BeliefPolicy, belief_update, lmdp_gamma, lmdp_optimal_value, lmdp_policy_value,
                     lmdp_policy_variance, var_star)
from .pomdp import (BeliefTrajectory, belief_filter, open_loop_value, pomdp_optimal_value, pomdp_policy_value,
                    trajectory_law)
from .revealing import (l2_revealing_constant, m_step_matrix, min_left_inverse_norm, norm_1to1,
                        pinv_revealing_lower_bound, reachable_states, revealing_constant, revealing_constant_dual)
from .divergences import (NEpisodeDivergences, bhattacharyya, chi2, hellinger2, ingster_chi2, kl,
                          n_episode_divergences, product_tv, tv, visit_count_kl)
from .adversarial import BestFixedPolicy, best_fixed_policy, policy_losses, pseudo_regret
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
    "coverability", "Coverability", "coverability_lp", "coverability_potential", "max_reach_probability",
    "mixture_occupancy",
    "density_ratio", "clipped_density_ratio",
    "lmdp_optimal_value", "lmdp_policy_value", "BeliefPolicy", "belief_update", "lmdp_policy_variance",
    "var_star", "lmdp_gamma",
    "kl", "tv", "hellinger2", "chi2", "bhattacharyya", "NEpisodeDivergences", "n_episode_divergences",
    "product_tv", "ingster_chi2", "visit_count_kl",
    "BeliefTrajectory", "belief_filter", "trajectory_law", "pomdp_policy_value", "pomdp_optimal_value",
    "open_loop_value", "revealing_constant", "revealing_constant_dual", "min_left_inverse_norm", "m_step_matrix",
    "pinv_revealing_lower_bound", "l2_revealing_constant", "reachable_states", "norm_1to1",
    "PolicyTable", "O2OPrediction", "policy_table", "policy_features", "policy_occupancies",
    "deterministic_policies", "oracle_design", "design_value", "coverage_summary",
    "best_fixed_policy", "BestFixedPolicy", "pseudo_regret", "policy_losses",
]
