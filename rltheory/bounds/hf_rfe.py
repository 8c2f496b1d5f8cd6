r"""Theorems of HF-UCRL-RFE++ as functions of the instance parameters.

Junkai Zhang, Weitong Zhang, Quanquan Gu, *Optimal Horizon-Free Reward-Free
Exploration for Linear Mixture MDPs*, ICML 2023, arXiv 2303.10165.  Numbers are
those of W. Zhang's dissertation (Chapter 2), with the arXiv numbers beside
them: upper bound Theorem 2.6.3 (arXiv Thm 5.1), lower bound Theorem 2.6.8
(arXiv Thm 5.3), certificate Lemma 2.8.7 (arXiv Lemma C.2).

* :func:`theorem_bound` -- the explicit bound of Theorem 2.6.3 with its constants;
* :func:`radius_parameters` -- the theorem's weights and confidence radii :math:`\beta_k`, which the
  learner :mod:`rltheory.algorithms.hf_rfe` runs with;
* :func:`failure_probability` -- :math:`4M\delta`, the theorem's failure probability;
* :data:`UPPER_K`, :data:`UPPER_H`, :data:`UPPER_D` -- the rates of Theorem 2.6.3
  in K, H and d with the theorem's polylog power;
* :data:`INDISTINGUISHABLE_KL` -- the KL level below which no test tells a hard
  pair apart (used by the lower-bound instance claim).
"""

from __future__ import annotations

import math

import numpy as np

from .._errors import ValidationError
from .._validation import check_int
from . import Bound, Source

ZZG = "Optimal Horizon-Free Reward-Free Exploration for Linear Mixture MDPs"
_AUTH = "Junkai Zhang, Weitong Zhang, Quanquan Gu"
SRC_UPPER = Source(ZZG, arxiv="2303.10165",
                   theorem="Theorem 2.6.3 of the dissertation (= arXiv Theorem 5.1), Corollary 2.6.4 (= Cor. 5.2)",
                   authors=_AUTH, venue="ICML 2023")
SRC_LOWER = Source(ZZG, arxiv="2303.10165",
                   theorem="Theorem 2.6.8 of the dissertation (= arXiv Theorem 5.3); instance of Zhou & Gu 2022a Thm 5.4",
                   authors=_AUTH, venue="ICML 2023")
SRC_CERT = Source(ZZG, arxiv="2303.10165",
                  theorem="Lemma 2.8.7 of the dissertation (= arXiv Lemma C.2)",
                  authors=_AUTH, venue="ICML 2023")

#: Kullback-Leibler level of indistinguishability: by the Bretagnolle-Huber inequality every test of
#: mu against mu' errs with probabilities summing to at least exp(-KL)/2, which is >= 1/4 when KL <= ln 2.
INDISTINGUISHABLE_KL = math.log(2.0)


def moment_levels(K: int, H: int) -> int:
    r""":math:`M = \lceil\log_2(7KH)\rceil`, the number of moment levels of Theorem 2.6.3."""
    return int(math.ceil(math.log(7.0 * K * H) / math.log(2.0)))


def failure_probability(K: int, H: int, delta: float) -> float:
    r""":math:`4M\delta`: Theorem 2.6.3 and Lemma 2.8.7 hold with probability at least :math:`1 - 4M\delta`."""
    return 4.0 * moment_levels(K, H) * float(delta)


def check_rfe_arguments(d, H, K, B, delta, beta_scale):
    """Validated ``(d, H, K, B, delta, beta_scale)`` of the HF-RFE parameters (ints >= 1, ``B > 0``,
    ``delta`` in (0, 1), ``beta_scale > 0``)."""
    d = check_int(d, "d", minimum=1)
    H = check_int(H, "H", minimum=1)
    K = check_int(K, "K", minimum=1)
    if not B > 0:
        raise ValidationError(f"B = {B} (rule: > 0)")
    if not 0 < delta < 1:
        raise ValidationError(f"delta = {delta} (rule: in (0, 1))")
    if not beta_scale > 0:
        raise ValidationError(f"beta_scale = {beta_scale} (rule: > 0)")
    return d, H, K, float(B), float(delta), float(beta_scale)


def radius_parameters(d: int, H: int, K: int, B: float, delta: float = 0.01, beta_scale: float = 1.0,
                      bias_term: bool = True):
    r"""The weights and radii of Theorem 2.6.3 (arXiv Thm 5.1): ``(M, alpha, gamma, lam, betas)``.

    :math:`M = \lceil\log_2(7KH)\rceil`, :math:`\alpha = H^{-1/2}`, :math:`\gamma = d^{-1/4}`,
    :math:`\lambda = d/B^2` and, for :math:`k = 1..K+1` (``betas[0]`` is NaN),

    .. math:: \beta_k = c\,\bigl(12\sqrt{d\,\eta_k\tau_k} + 30\tau_k/\gamma^2\bigr) + \sqrt\lambda B,
              \quad \eta_k = \log(1 + kH/(\alpha^2 d\lambda)),
              \quad \tau_k = \log(32(\log(\gamma^2/\alpha) + 1)k^2H^2/\delta),

    with :math:`c` = ``beta_scale`` (1 in the theorem); ``bias_term=False`` drops
    :math:`\sqrt\lambda B` (not the paper's radius; used only by negative controls).

    Raises
    ------
    rltheory.ValidationError
        If :math:`\log(\gamma^2/\alpha) + 1 \le 0` (then :math:`\tau_k` is undefined;
        happens only for :math:`H < d e^{-2}`).
    """
    d, H, K, B, delta, c = check_rfe_arguments(d, H, K, B, delta, beta_scale)
    M = moment_levels(K, H)
    alpha = H ** -0.5
    gamma = d ** -0.25
    lam = d / B ** 2
    inner = math.log(gamma ** 2 / alpha) + 1.0
    if not inner > 0:
        raise ValidationError(f"log(gamma^2/alpha) + 1 = {inner:.4g} at d = {d}, H = {H} "
                              "(rule: must be > 0 for tau_k to be defined)")
    k = np.arange(K + 2, dtype=float)
    k[0] = 1.0
    eta = np.log1p(k * H / (alpha ** 2 * d * lam))
    tau = np.log(32.0 * inner * k ** 2 * H ** 2 / delta)
    betas = c * (12.0 * np.sqrt(d * eta * tau) + 30.0 * tau / gamma ** 2) + (math.sqrt(lam) * B if bias_term else 0.0)
    betas[0] = np.nan
    betas.setflags(write=False)
    return M, alpha, gamma, lam, betas


def theorem_bound(K: int, d: int, H: int, B: float, delta: float = 0.01) -> float:
    r"""The explicit upper bound of Theorem 2.6.3 (arXiv Thm 5.1) on the planning error.

    .. math::

        \frac4K\Bigl[896\max\{64\beta^2 d\iota, 2\zeta\} + 24\zeta + 240 d\iota
            + 240\beta\gamma^2 d\iota + 120\beta d\iota\sqrt M + 24\sqrt{\zeta M d\iota} + M d\iota\Bigr]
        + \frac{4}{\sqrt K}\Bigl[64\max\{8\beta\sqrt{d\iota}, \sqrt{2\zeta}\}
            + 120\beta\sqrt{d\iota H\alpha^2}\Bigr]

    with :math:`\beta = \beta_K` at ``beta_scale = 1``,
    :math:`\iota = \log(1 + KH/(d\lambda\alpha^2))`, :math:`\zeta = 4\log(4\log(KH)/\delta)`,
    holding with probability :math:`\ge 1 - 4M\delta`.  Constants as printed.
    """
    M, alpha, gamma, lam, betas = radius_parameters(d, H, K, B, delta, 1.0)
    beta, g2, a2 = float(betas[K]), gamma ** 2, alpha ** 2
    iota = math.log1p(K * H / (d * lam * a2))
    zeta = 4.0 * math.log(4.0 * math.log(K * H) / delta)
    t1 = (896.0 * max(64.0 * beta ** 2 * d * iota, 2.0 * zeta) + 24.0 * zeta + 240.0 * d * iota
          + 240.0 * beta * g2 * d * iota + 120.0 * beta * d * iota * math.sqrt(M)
          + 24.0 * math.sqrt(zeta * M * d * iota) + M * d * iota)
    t2 = 64.0 * max(8.0 * beta * math.sqrt(d * iota), math.sqrt(2.0 * zeta)) \
        + 120.0 * beta * math.sqrt(d * iota * H * a2)
    return 4.0 / K * t1 + 4.0 / math.sqrt(K) * t2


def log_arguments(K: float, d: float, H: float, B: float, delta: float = 0.01) -> tuple[float, float]:
    r"""Arguments of the theorem's logarithms, :math:`L_\iota = 1 + KH/(d\lambda\alpha^2)` and :math:`L_\tau`.

    :math:`L_\tau = 32(\log(\gamma^2/\alpha) + 1)K^2H^2/\delta` with :math:`\alpha = H^{-1/2}`,
    :math:`\gamma = d^{-1/4}`, :math:`\lambda = d/B^2`.
    """
    lam = d / B ** 2
    L_iota = 1.0 + K * H * H / (d * lam)
    L_tau = 32.0 * (math.log(math.sqrt(H / math.sqrt(d))) + 1.0) * K ** 2 * H ** 2 / delta
    return L_iota, L_tau


def _log_arg_K(K=None, d=None, H=None, **_):
    """Smallest log argument, made at most linear in K (L_tau ~ K^2 enters as its square root)."""
    L_iota, L_tau = log_arguments(float(K), float(d), float(H), math.sqrt(float(d)))
    return min(L_iota, math.sqrt(L_tau))


def _log_arg_H(K=None, d=None, H=None, **_):
    """Both arguments grow like H^2: their square roots are linear in H."""
    L_iota, L_tau = log_arguments(float(K), float(d), float(H), math.sqrt(float(d)))
    return math.sqrt(min(L_iota, L_tau))


_NAME = "max planning suboptimality over the test battery"
# The leading term of Thm 2.6.3 is (4/sqrt K) 64*8 beta sqrt(d iota) with beta = O(tau): polylog power 3/2.
UPPER_K = Bound(_NAME, "upper", {"K": -0.5}, SRC_UPPER, log_power=1.5, log_argument=_log_arg_K)
UPPER_D = Bound(_NAME, "upper", {"d": 1.0}, SRC_UPPER, log_power=1.5, log_argument=_log_arg_K)
UPPER_H = Bound(_NAME, "upper", {"H": 0.0}, SRC_UPPER, log_power=1.5, log_argument=_log_arg_H)

__all__ = ["theorem_bound", "radius_parameters", "check_rfe_arguments", "failure_probability", "moment_levels", "log_arguments", "UPPER_K", "UPPER_D",
           "UPPER_H", "INDISTINGUISHABLE_KL", "SRC_UPPER", "SRC_LOWER", "SRC_CERT"]
