r"""The MDP and episodic bounds of *A Tale of Pessimism* (Theorems 6 and 9, Conjecture 2).

Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline Reinforcement
Learning and Imitation Learning: A Tale of Pessimism*, NeurIPS 2021,
arXiv 2103.12021 (§5, App. C and D).  All rates are upper bounds on the
expected suboptimality :math:`\mathbb E_{\mathcal D}[J(\pi^\star) - J(\hat\pi)]`
from :math:`N` i.i.d. samples with single-policy concentrability
:math:`C^\star`, with :math:`\delta = 1/N`.

Hidden logarithms, read off the proofs (spec §3):

* Theorem 6, eq. (20): the leading term of the proof is
  :math:`32(1-\gamma)^{-2}\sqrt{L S C^\star (T+1)/N}` with
  :math:`L = 2000\log(2(T+1)S|\mathcal A|N)` and :math:`T + 1 \approx \log N/(1-\gamma)`:
  :math:`\sqrt{L(T+1)}` is :math:`\log^1 N` (half from the penalty, half from the data splitting).
* Theorem 6, eq. (21): the missing-mass term
  :math:`T_1 \le 4SC^\star(T+1)^2/(9(1-\gamma)^2N)` carries :math:`(T+1)^2`, i.e. :math:`\log^2 N`.
* Theorem 9 (episodic, no splitting): :math:`T_1 \le 32H^2\sqrt{SC^\pi L/N}`,
  :math:`L = 2000\log(2S|\mathcal A|N)`: :math:`\log^{1/2} N`; its nearly-expert part
  :math:`\tilde O(H^2 S/N)` carries :math:`L` to the first power.
* Conjecture 2 at a fixed ``N`` swept in :math:`1/(C^\star-1)`: the hidden
  :math:`\log(2S|\mathcal A|N)` does not vary along the sweep (no allowance); the
  lower-order :math:`S/N` term of the nearly-expert regime does
  (:func:`conjecture2_interpolated_rate`).

Every log allowance below takes ``N`` as its argument; since each hidden
argument is :math:`cN` with :math:`c \ge 1` (or :math:`\log N/(1-\gamma)`,
whose local log-slope is at most :math:`1/\ln N`), the allowance
:math:`p/\ln N_{\min}` covers it (:meth:`rltheory.bounds.Bound.log_tolerance`).
"""

from __future__ import annotations

import math

from . import Bound, Source

__all__ = ["PAPER", "AUTHORS", "source", "vi_lcb_log_term", "episodic_log_term",
           "theorem6_rate", "theorem6_expert_rate", "theorem9_rate", "theorem9_expert_rate",
           "conjecture2_rate", "conjecture2_interpolated_rate", "theorem6_coverage_bound",
           "theorem6_expert_bound", "theorem9_coverage_bound", "theorem9_expert_bound",
           "conjecture2_interpolated_bound"]

PAPER = "Bridging Offline Reinforcement Learning and Imitation Learning: A Tale of Pessimism"
AUTHORS = "Rashidinejad, Zhu, Ma, Jiao, Russell"
_NAME = "expected suboptimality E[J(pi*) - J(pi_hat)]"


def source(theorem: str) -> Source:
    """The paper (arXiv 2103.12021, NeurIPS 2021) with a theorem label."""
    return Source(PAPER, arxiv="2103.12021", theorem=theorem, authors=AUTHORS, venue="NeurIPS 2021")


def vi_lcb_log_term(N: int, gamma: float, S: int, A: int) -> float:
    r""":math:`\log(2(T+1)S|\mathcal A|N)`, the log of VI-LCB's penalty (Algorithm 3, :math:`\delta = 1/N`),
    :math:`T = \lceil \log N/(1-\gamma)\rceil`."""
    T = max(1, math.ceil(math.log(N) / (1.0 - gamma)))
    return math.log(2 * (T + 1) * S * A * N)


def episodic_log_term(N: int, S: int, A: int) -> float:
    r""":math:`\log(2S|\mathcal A|N)`, the log of Algorithm 4's penalty (:math:`\delta = 1/N`)."""
    return math.log(2 * S * A * N)


def theorem6_rate(N, S, C_star, gamma) -> float:
    r"""Theorem 6, eq. (20): :math:`\min(1/(1-\gamma), \sqrt{SC^\star/((1-\gamma)^5N)})`, constants and logs
    dropped."""
    return min(1 / (1 - gamma), math.sqrt(S * C_star / ((1 - gamma) ** 5 * N)))


def theorem6_expert_rate(N, S, gamma) -> float:
    r"""Theorem 6, eq. (21), for :math:`C^\star \le 1 + L\log N/(200(1-\gamma)N)`:
    :math:`\min(1/(1-\gamma), S/((1-\gamma)^4N))`."""
    return min(1 / (1 - gamma), S / ((1 - gamma) ** 4 * N))


def theorem9_rate(N, S, C_pi, H) -> float:
    r"""Theorem 9: :math:`\min(H, H^2\sqrt{SC^\pi/N})` (constants and logs dropped)."""
    return min(H, H * H * math.sqrt(S * C_pi / N))


def theorem9_expert_rate(N, S, H) -> float:
    r"""Theorem 9, :math:`C^\pi \le 1 + L/(200N)`: :math:`\min(H, H^2S/N)`."""
    return min(H, H * H * S / N)


def conjecture2_rate(N, S, C_pi, H) -> float:
    r"""Conjecture 2 (stated with Theorem 9), :math:`C^\pi \in [1, 2]`: :math:`\min(H, H^2\sqrt{S(C^\pi-1)/N})`."""
    return min(H, H * H * math.sqrt(S * (C_pi - 1) / N))


def _log_N(**p) -> float:
    return float(p["N"])


def theorem6_coverage_bound() -> Bound:
    """Exponent -1/2 in N, log^1 N (penalty and data splitting), Theorem 6 eq. (20)."""
    return Bound(_NAME, "upper", {"N": -0.5}, source("Theorem 6 (eq. 20)"), log_power=1.0,
                 log_argument=_log_N)


def theorem6_expert_bound() -> Bound:
    """Exponent -1 in N, log^2 N ((T+1)^2 of the missing-mass term), Theorem 6 eq. (21)."""
    return Bound(_NAME, "upper", {"N": -1.0}, source("Theorem 6 (eq. 21)"), log_power=2.0,
                 log_argument=_log_N)


def theorem9_coverage_bound() -> Bound:
    """Exponent -1/2 in N, log^(1/2) N (Algorithm 4's penalty), Theorem 9."""
    return Bound(_NAME, "upper", {"N": -0.5}, source("Theorem 9"), log_power=0.5, log_argument=_log_N)


def theorem9_expert_bound() -> Bound:
    """Exponent -1 in N, log^1 N, the nearly-expert part of Theorem 9."""
    return Bound(_NAME, "upper", {"N": -1.0}, source("Theorem 9 (C^pi <= 1 + L/(200N))"), log_power=1.0,
                 log_argument=_log_N)


def conjecture2_interpolated_rate(N, S, C_pi, H) -> float:
    r"""Conjecture 2 joined to the nearly-expert part of Theorem 9:
    :math:`\min(H, H^2(\sqrt{S(C^\pi-1)/N} + S/N))`.

    At :math:`C^\pi = 1` the conjecture must reduce to Theorem 9's :math:`H^2S/N`; the sum is the
    episodic form of the contextual-bandit rate of Theorem 4 (:math:`\sqrt{S(C^\star-1)/N} + S/N`).
    Its local exponent in :math:`1/(C^\pi - 1)` lies between -1/2 and 0.
    """
    return min(H, H * H * (math.sqrt(S * (C_pi - 1) / N) + S / N))


def conjecture2_interpolated_bound(states) -> Bound:
    r"""Conjecture 2 at fixed ``N`` in ``inv_eta`` :math:`= 1/(C^\pi-1)`, checked against the local exponent of
    :func:`conjecture2_interpolated_rate`; ``states(**params)`` gives :math:`S` of the instance."""
    def formula(**p):
        return conjecture2_interpolated_rate(float(p["N"]), states(**p), 1.0 + 1.0 / float(p["inv_eta"]),
                                             int(p["H"]))
    return Bound(_NAME, "upper", {"inv_eta": -0.5}, source("Conjecture 2 (stated with Theorem 9)"),
                 formula=formula)
