r"""Bounds behind the claims on Dai, Luo, Wei & Zimmert, "Refined Regret for Adversarial MDPs with Linear
Function Approximation" (ICML 2023, arXiv 2301.12942).

Verified against the abstract [V]: Algorithm 1 (log-barrier FTRL, simulator) has regret
:math:`\tilde O(\sqrt K)` with a polynomial dependence on :math:`|A|`; the previous best with a
simulator (Luo, Wei & Lee 2021, exponential weights) is :math:`\tilde O(K^{2/3})`; linear MDPs
without a simulator :math:`\tilde O(K^{8/9})`.  Reconstructed [R] (specification Section 5):
Algorithm 1's bound is plausibly :math:`\sqrt{dAK}\,H^c`, which gives the exponents 1/2 in
:math:`A` and :math:`d` checked here; the theorem numbers and the log powers are not verified.

Log factors.  The :math:`\tilde O` hides logarithms whose power the verified text does not state.
The tuning of the specification gives :math:`\sqrt{K\ln K}` from the learning rate; we allow one
power of :math:`\ln K` (``log_power = 1``, argument :math:`K`), whose largest local slope on a
range starting at :math:`K_0` is :math:`1/\ln K_0` (:meth:`rltheory.bounds.Bound.log_tolerance`).
At fixed :math:`K` the logarithms in :math:`K` do not vary with :math:`A` or :math:`d`; the exponents in
:math:`A` and :math:`d` get no log allowance (``log_power = 0``).
"""

from __future__ import annotations

import math

from . import Bound, Source

PAPER = "Refined Regret for Adversarial MDPs with Linear Function Approximation"


def source(theorem: str) -> Source:
    """The paper as a :class:`~rltheory.bounds.Source`, with ``theorem`` naming the part used."""
    return Source(PAPER, arxiv="2301.12942", theorem=theorem, authors="Dai, Luo, Wei, Zimmert", venue="ICML 2023")


def reconstructed_regret(K, A, d, H, **_) -> float:
    r"""The reconstructed shape :math:`\sqrt{dAK}\,H^2\ln K` of Algorithm 1's bound [R] (no constant claimed)."""
    return float(math.sqrt(d * A * K) * H ** 2 * math.log(max(K, 2)))


def _log_K(K=None, **_):
    return float(K)


#: Algorithm 1: regret O~(sqrt K) (abstract) [V exponent in K].
ALG1_K = Bound("pseudo-regret of Algorithm 1 (log-barrier FTRL)", "upper", {"K": 0.5},
               source("abstract: O~(sqrt K) with a simulator (Algorithm 1)"), log_power=1.0, log_argument=_log_K)
#: Algorithm 1 in |A|: the reconstructed sqrt(A) factor of the log-barrier penalty [R].
ALG1_A = Bound("pseudo-regret of Algorithm 1 at fixed K", "upper", {"A": 0.5},
               source("abstract: poly(|A|) for Algorithm 1; sqrt(A) reconstructed [R] (specification Sec. 5)"))
#: Algorithm 1 in d: the reconstructed sqrt(d) [R].
ALG1_D = Bound("pseudo-regret of Algorithm 1 at fixed K", "upper", {"d": 0.5},
               source("abstract: poly(d); sqrt(d A K) reconstructed [R] (specification Sec. 5)"))
#: Linear MDP without a simulator: O~(K^{8/9}) (abstract) [V exponent].
LINEAR_MDP_K = Bound("pseudo-regret, linear MDP without a simulator", "upper", {"K": 8.0 / 9.0},
                     source("abstract: O~(K^{8/9}) for linear MDPs without a simulator"), log_power=1.0,
                     log_argument=_log_K)
#: Luo, Wei & Lee 2021's exponential weights with a simulator: O~(K^{2/3}) (cited in the abstract).
EXP_WEIGHTS_K = Bound("pseudo-regret of exponential weights (Luo et al. 2021)", "upper", {"K": 2.0 / 3.0},
                      source("abstract: previous best O~(K^{2/3}) with a simulator (Luo, Wei & Lee 2021)"),
                      log_power=1.0, log_argument=_log_K)



def mgr_bias(K, c: float = 0.5, **_) -> float:
    r"""The stated bias of Matrix Geometric Resampling at the learner's tuning [R, standard]:
    :math:`\|E[\hat\Sigma^+] - (\gamma I + \Sigma)^{-1}\| \le (1 - c\gamma)^{M+1}/\gamma` with
    :math:`\gamma = K^{-1/2}`, :math:`M = \lceil\ln K/(c\gamma)\rceil` (Neu & Olkhovskaya 2020, arXiv 2007.01612;
    specification Sections 2 and 6), hence at most :math:`1/(K\gamma) = K^{-1/2}`.  The operator norm bounds
    every entry, which is what the agreement claim compares.

    Examples
    --------
    >>> round(mgr_bias(256), 4)
    0.0545
    """
    K = int(K)
    gamma = K ** -0.5
    M = int(math.ceil(math.log(max(K, 2)) / (c * gamma)))
    return float((1.0 - c * gamma) ** (M + 1) / gamma)


#: MGR against the exact covariance inverse: bias at most (1 - c gamma)^(M+1)/gamma <= K^-1/2 [R, standard].
MGR_BIAS = Bound("largest entry of the bias of the MGR estimate of (gamma I + Sigma)^-1", "upper", {"K": -0.5},
                 source("MGR inside Algorithm 1: bias (1 - c gamma)^(M+1)/gamma (Neu & Olkhovskaya 2020, "
                        "arXiv 2007.01612; specification Sec. 2)"), formula=mgr_bias)

__all__ = ["PAPER", "source", "reconstructed_regret", "mgr_bias", "ALG1_K", "ALG1_A", "ALG1_D", "LINEAR_MDP_K",
           "EXP_WEIGHTS_K", "MGR_BIAS"]
