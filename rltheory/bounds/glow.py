r"""Bounds of Amortila, Foster, Jiang, Sekhari & Xie, "Harnessing Density Ratios for Online
Reinforcement Learning" (ICLR 2024, arXiv 2401.09681).  Specification: ``shared/papers/glow_hyglow.md``.

* **Theorem 3.1** (GLOW, K = 1, :math:`\gamma = \sqrt{C_{\mathrm{cov}}/(T\log(|F||W|/\delta))}`):
  :math:`\mathrm{Reg}(T) = \tilde O(H\sqrt{C_{\mathrm{cov}} T \log(|F||W|/\delta)})`.  Through
  Lemma E.4 the hidden factors are :math:`\log(1+T)` (potential) times
  :math:`\log(|F||W|HT/\delta)` under one square root, i.e. log power 1 in ``T``
  (:data:`GLOW_REGRET`, :func:`glow_regret_leading`).  At fixed T the same bound is proportional to
  :math:`\sqrt{C_{\mathrm{cov}}}` with no logarithm of :math:`C_{\mathrm{cov}}` (:data:`GLOW_REGRET_C_COV`).
* **Lemma E.4** (clipping trade-off, eq. 10):
  :math:`\mathrm{Reg} = O(H(C_{\mathrm{cov}}\log(1+T)/\gamma + \gamma T \log(|F||W|HT/\delta)/K + \gamma\log T))`
  (:func:`clipping_tradeoff`), U-shaped in :math:`\gamma`.
* **Lemma E.3** (coverability potential): for any sequence with
  :math:`\|d^{(t)}/\mu\|_\infty \le C`, :math:`\sum_{t\le T}\mathbb E_{d^{(t)}}[d^{(t)}/\tilde d^{(t+1)}] \le 5C\log T`
  (:func:`potential_bound`).
* **Lemma E.2**: :math:`Q^* \in \mathcal F^{(t)}` for all t with probability :math:`1-\delta`.
* **Theorem 4.1 / Corollary 4.1** (H2O, HyGLOW): risk of the uniform mixture
  :math:`\tilde O(H\sqrt{(C^\star + C_{\mathrm{cov}})ab/T})`, from the explicit
  :math:`(H a_\gamma/T)(6C^\star\log T + 4C_{\mathrm{cov}}(\gamma + 10\log T + 1)) + H b_\gamma`,
  which after tuning carries :math:`\sqrt{\log T}` (:data:`H2O_RISK`).
"""

from __future__ import annotations

import numpy as np

from . import Bound, Source

PAPER = "Harnessing Density Ratios for Online Reinforcement Learning"


def source(theorem: str) -> Source:
    """The paper as a :class:`~rltheory.bounds.Source`, with ``theorem`` naming the part used."""
    return Source(PAPER, arxiv="2401.09681", theorem=theorem,
                  authors="Amortila, Foster, Jiang, Sekhari, Xie", venue="ICLR 2024")


def glow_regret_leading(T, C_cov=1.0, H=1, log_FW=1.0, delta=0.1, **_) -> float:
    r"""Theorem 3.1's rate without constants: :math:`H\sqrt{C_{\mathrm{cov}} T \log(1+T)\log(|F||W|HT/\delta)}`."""
    return float(H * np.sqrt(C_cov * T * np.log1p(T) * (log_FW + np.log(H * T / delta))))


def clipping_tradeoff(gamma, T, C_cov=1.0, H=1, log_FW=1.0, delta=0.1, **_) -> float:
    r"""Lemma E.4 (K = 1, no misspecification) without its constant:
    :math:`H(C_{\mathrm{cov}}\log(1+T)/\gamma + \gamma T\log(|F||W|HT/\delta) + \gamma\log T)`."""
    L = log_FW + np.log(H * T / delta)
    return float(H * (C_cov * np.log1p(T) / gamma + gamma * T * L + gamma * np.log(T)))


def potential_bound(T, C) -> float:
    r"""Lemma E.3: :math:`5 C \log T`."""
    return float(5.0 * C * np.log(T))


def h2o_risk_explicit(T, C_star, C_cov, H, gamma, a=40.0, b=1.0) -> float:
    r"""Theorem 4.1 (proof form) with :math:`a_\gamma = a/\gamma`, :math:`b_\gamma = b\gamma`:
    :math:`(H a_\gamma/T)(6C^\star\log T + 4C_{\mathrm{cov}}(\gamma + 10\log T + 1)) + H b_\gamma`."""
    return float(H * (a / gamma) / T * (6 * C_star * np.log(T) + 4 * C_cov * (gamma + 10 * np.log(T) + 1))
                 + H * b * gamma)


#: Theorem 3.1: GLOW's cumulative regret grows like sqrt(T) up to log(1+T) log(HT|F||W|/delta) under the root.
GLOW_REGRET = Bound("cumulative regret of GLOW", "upper", {"T": 0.5, "C_cov": 0.5},
                    source("Theorem 3.1 (regret form); Lemma E.4"), log_power=1.0)

#: Theorem 3.1 read in C_cov at fixed T: GLOW's regret grows at most like sqrt(C_cov).  With
#: gamma = c sqrt(C_cov/(T log(|F||W|/delta))) (any constant c) every term of Lemma E.4,
#: C_cov log(1+T)/gamma + gamma T log(|F||W|HT/delta) + gamma log T, is proportional to sqrt(C_cov); the
#: hidden logarithms depend on T, |F|, |W|, H and delta only, all fixed along a sweep in C_cov at fixed T
#: and fixed class sizes, so no polylog allowance (log_power 0).
GLOW_REGRET_C_COV = Bound("cumulative regret of GLOW after T rounds", "upper", {"C_cov": 0.5},
                          source("Theorem 3.1 (regret form, dependence on C_cov); Lemma E.4"), log_power=0.0)

#: Theorem 4.1 / Corollary 4.1: risk of the uniform mixture of H2O's iterates ~ T^{-1/2} (sqrt(log T) hidden).
H2O_RISK = Bound("risk of the uniform mixture of H2O iterates", "upper", {"T": -0.5},
                 source("Theorem 4.1 and Corollary 4.1 (H2O, HyGLOW)"), log_power=0.5)

#: Lemma E.3 as a ratio: potential / (5 C log T) <= 1.
POTENTIAL = Bound("coverability potential / (5 C log T)", "upper", {"T": 0.0},
                  source("Lemma E.3 (coverability potential)"), formula=lambda **_: 1.0)

#: Lemma E.2: the fraction of rounds with Q* outside the confidence set is 0 w.p. 1 - delta.
CONFIDENCE_SET = Bound("fraction of rounds with Q* outside F^(t)", "upper", {"T": 0.0},
                       source("Lemma E.2 (validity of the confidence set)"), formula=lambda **_: 0.0,
                       failure_probability=0.1)

#: Lemma E.4 / eq. (10): regret is U-shaped in the clipping scale; ratio of the ends to the middle >= 2.
CLIPPING_U = Bound("min(regret at gamma/30, regret at 30 gamma) / regret at gamma", "lower", {"T": 0.0},
                   source("Lemma E.4, eq. (10) (bias-variance trade-off in gamma)"), formula=lambda **_: 2.0)

__all__ = ["PAPER", "source", "glow_regret_leading", "clipping_tradeoff", "potential_bound", "h2o_risk_explicit",
           "GLOW_REGRET", "GLOW_REGRET_C_COV", "H2O_RISK", "POTENTIAL", "CONFIDENCE_SET", "CLIPPING_U"]
