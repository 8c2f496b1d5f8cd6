r"""Statistics for checking claims: seeded bootstrap intervals, IQM, log–log slopes, sequential tests.

Every random draw comes from an explicit :class:`numpy.random.Generator`
argument ``rng``; the same generator state gives a bit-identical result.

=============================================  ==========================================================
:func:`bootstrap_ci`                           one-sample bootstrap interval (percentile, basic, BCa,
                                               expanded percentile)
:func:`iqm`                                    interquartile (25% trimmed) mean, rliable's ``aggregate_iqm``
:func:`stratified_bootstrap_ci`                rliable's stratified bootstrap over ``(num_runs, num_tasks)``
:func:`slope_ci`, :class:`SlopeFit`            exponent of a power law with a bootstrap-over-seeds interval
:func:`local_log_slope_tolerance`              how much a polylog factor can raise a fitted exponent
:func:`bonferroni`                             per-test level for m simultaneous tests
:func:`hoeffding_confidence_sequence`          anytime-valid interval for a bounded mean ("for all K")
:func:`binomial_exceedance_test`               failures of a bound that holds with probability 1 - delta
:func:`probability_of_improvement`             Mann–Whitney probability of improvement (ties count 1/2)
=============================================  ==========================================================

Synthetic data and Monte Carlo error rates for calibrating the slope check
live in :mod:`rltheory.stats.calibration`.
"""

from . import calibration
from .bootstrap import Interval, bootstrap_ci, expanded_alpha, iqm, stratified_bootstrap_ci
from .compare import probability_of_improvement, probability_of_improvement_ci
from .sequential import (BinomialExceedance, ConfidenceSequence, binomial_exceedance_test, bonferroni,
                         hoeffding_confidence_sequence)
from .slopes import DEFAULT_SLOPE_METHOD, SlopeFit, local_log_slope_tolerance, slope_ci

__all__ = [
    "Interval", "bootstrap_ci", "expanded_alpha", "iqm", "stratified_bootstrap_ci",
    "SlopeFit", "slope_ci", "local_log_slope_tolerance", "DEFAULT_SLOPE_METHOD",
    "bonferroni", "ConfidenceSequence", "hoeffding_confidence_sequence",
    "BinomialExceedance", "binomial_exceedance_test",
    "probability_of_improvement", "probability_of_improvement_ci",
]
