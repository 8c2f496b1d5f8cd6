r"""Bandit theorems of *A Tale of Pessimism* as functions (Theorems 1-5, Propositions 1-3).

Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline Reinforcement
Learning and Imitation Learning: A Tale of Pessimism*, NeurIPS 2021,
arXiv 2103.12021 (version of 19 October 2021).

Multi-armed bandits (§3), :math:`N` i.i.d. samples, :math:`1/\mu(a^\star) \le C^\star`:

* Theorem 1 (LCB, Algorithm 1, :math:`\delta = 1/N`, :math:`N \ge 8C^\star\log N`):
  :math:`\mathbb E[r(a^\star) - r(\hat a)] \lesssim \min(1, \sqrt{C^\star \log(2N|\mathcal A|)/N})`
  (eq. 8); with probability :math:`\ge 1 - 2\delta`,
  :math:`r(a^\star) - r(\hat a) \le \min(1, 2\sqrt{C^\star\log(2|\mathcal A|/\delta)/N})` (eq. 9),
  hence in expectation (gap at most 1) :func:`thm1_expected_bound`.
  The :math:`\tilde O` hides :math:`\log^{1/2}` of :math:`2|\mathcal A|N` (:data:`MAB_RATE`).
* Theorem 2 (minimax lower bound, :math:`C^\star \ge 2`): :math:`\gtrsim \min(1, \sqrt{C^\star/N})`,
  by Le Cam's method on a two-armed pair whose data laws are close
  (:func:`le_cam_kl_allowance`, :func:`le_cam_risk`).
* Proposition 2 (most-played arm, :math:`C^\star \in [1, 2)`):
  :math:`\mathbb E[\cdot] \le \exp(-N\,\mathrm{KL}(\mathrm{Bern}(1/2)\,\|\,\mathrm{Bern}(1/C^\star)))`
  (eq. 13, :func:`prop2_bound`).
* Theorem 3 (LCB is not adaptive): penalty :math:`\sqrt{L/N(a)}`; for :math:`C^\star = 6` the
  error is :math:`\gtrsim \min(1, \sqrt{L/N})`, so :math:`L \asymp N^{1/2}` loses the
  :math:`N^{-1/2}` rate (:data:`THM3_LARGE_L`).

Contextual bandits (§4), :math:`S \ge 2` contexts:

* Theorem 4 (LCB, Algorithm 2, :math:`\delta = 1/N`):
  :math:`\lesssim \min(1, \tilde O(\sqrt{S(C^\star - 1)/N} + S/N))`.  The proof (App. B.1) bounds the
  missing mass by :math:`4SC^\star/(9N)` (no log) and the rest by
  :math:`SC^\star L/N + \sqrt{S(C^\star-1)L/N}` with :math:`L \asymp \log(2S|\mathcal A|N)`:
  :math:`\log^{1/2}` on the square-root term and :math:`\log^1` on the :math:`S/N` term
  (:data:`CB_SQRT_RATE`, :data:`CB_FAST_RATE`).
* Theorem 5 (lower bound, all :math:`C^\star \ge 1`): :math:`\gtrsim \min(1, \sqrt{S(C^\star-1)/N} + S/N)`;
  for :math:`C^\star \in (1, 2)` by Fano's method on a Gilbert–Varshamov packing
  :math:`\mathcal V \subset \{-1, 1\}^S`, :math:`\log|\mathcal V| \ge S/8`
  (:func:`fano_kl_allowance`).
"""

from __future__ import annotations

import math

from . import Bound, Source

PAPER = "Bridging Offline Reinforcement Learning and Imitation Learning: A Tale of Pessimism"
AUTHORS = "Rashidinejad, Zhu, Ma, Jiao, Russell"


def source(theorem: str) -> Source:
    """The paper (arXiv 2103.12021) with a theorem label."""
    return Source(PAPER, arxiv="2103.12021", theorem=theorem, authors=AUTHORS, venue="NeurIPS 2021")


def kl_bernoulli(p: float, q: float) -> float:
    r""":math:`\mathrm{KL}(\mathrm{Bern}(p)\,\|\,\mathrm{Bern}(q))` in nats (:math:`+\infty` when undefined)."""
    out = 0.0
    for a, b in ((p, q), (1.0 - p, 1.0 - q)):
        if a > 0:
            if b <= 0:
                return math.inf
            out += a * math.log(a / b)
    return out


# --------------------------------------------------------------------------- multi-armed bandits

def mab_log_argument(N=None, A=2, **_) -> float:
    r"""Argument :math:`2|\mathcal A|N` of the logarithm of Theorem 1 (:math:`\delta = 1/N`)."""
    return 2.0 * float(A) * float(N)


def thm1_expected_bound(C_star=None, N=None, A=2, **_) -> float:
    r"""Eq. (9) of Theorem 1 in expectation with :math:`\delta = 1/N`.

    .. math::
        \mathbb E[r(a^\star) - r(\hat a)] \le \min\Bigl(1, 2\sqrt{\frac{C^\star\log(2|\mathcal A|N)}{N}}\Bigr)
        + \frac{2}{N},

    the failure event (probability :math:`2\delta`) costing at most a gap of 1.  Valid for
    :math:`N \ge 8C^\star\log N`.
    """
    C, N = float(C_star), float(N)
    return min(1.0, 2.0 * math.sqrt(C * math.log(mab_log_argument(N=N, A=A)) / N)) + 2.0 / N


def thm1_sample_condition(C_star: float, N: int) -> bool:
    r"""Theorem 1's requirement :math:`N \ge 8 C^\star \log N`."""
    return N >= 8.0 * C_star * math.log(N)


def prop2_bound(C_star=None, N=None, **_) -> float:
    r"""Proposition 2 (eq. 13): :math:`\exp(-N\,\mathrm{KL}(\mathrm{Bern}(1/2)\,\|\,\mathrm{Bern}(1/C^\star)))`."""
    return math.exp(-float(N) * kl_bernoulli(0.5, 1.0 / float(C_star)))


#: Theorem 1 (eq. 8): exponent -1/2 in N, 1/2 in C*, log^(1/2) of 2|A|N.
MAB_RATE = Bound("expected suboptimality E[r(a*) - r(a_hat)]", "upper", {"N": -0.5, "C_star": 0.5},
                 source("Theorem 1 (eq. 8)"), log_power=0.5, log_argument=mab_log_argument,
                 formula=thm1_expected_bound)

#: Theorem 1 (eq. 9) in expectation, the paper's constants.
MAB_EXPLICIT = Bound("expected suboptimality E[r(a*) - r(a_hat)]", "upper", {"N": -0.5, "C_star": 0.5},
                     source("Theorem 1 (eq. 9)"), log_power=0.5, log_argument=mab_log_argument,
                     formula=thm1_expected_bound)

#: Proposition 2: exponential decay of the most-played arm's error for C* in [1, 2).
PROP2 = Bound("expected suboptimality of the most-played arm", "upper", {}, source("Proposition 2 (eq. 13)"),
              formula=prop2_bound)

#: Theorem 1 for Algorithm 1 with delta = 1/N, as used against Theorem 3's large-L penalty.
THM3_LARGE_L = Bound("expected suboptimality E[r(a*) - r(a_hat)]", "upper", {"N": -0.5},
                     source("Theorems 1 and 3"), log_power=0.5, log_argument=mab_log_argument)


def thm2_separation(C_star=None, N=None, **_) -> float:
    r"""Separation of Theorem 2's Le Cam pair (:math:`C^\star \ge 2`): :math:`\min(1/4, \sqrt{C^\star/N})`."""
    return min(0.25, math.sqrt(float(C_star) / float(N)))


def le_cam_kl_allowance(C_star=None, N=None, **_) -> float:
    r"""What the proof of Theorem 2 needs of the pair's data laws at size :math:`N`.

    App. A bounds the divergence between the laws of :math:`N` samples under
    :math:`f_1` and :math:`f_2` by :math:`200\,N\delta^2/C^\star`; at the
    theorem's separation :math:`\delta = \min(1/4, \sqrt{C^\star/N})` this is a
    constant (200 once :math:`N \ge 16C^\star`), so Le Cam's two-point bound
    :math:`\max_i \mathbb E_{f_i}[\mathrm{gap}] \ge \frac\delta4 e^{-\mathrm{KL}}` is of order
    :math:`\delta \asymp \sqrt{C^\star/N}` for every learner.
    """
    d = thm2_separation(C_star=C_star, N=N)
    return 200.0 * float(N) * d * d / float(C_star)


def le_cam_risk(delta: float, tv: float) -> float:
    r"""Le Cam's two-point bound :math:`\max_{i} \mathbb E_{f_i}[\mathrm{gap}] \ge \frac\delta2 (1 - \mathrm{TV})`,
    valid for every learner.

    Under :math:`f_1` arm 1 is :math:`\delta` worse, under :math:`f_2` arm 0 is;
    :math:`\mathbb E_{f_1}[\mathrm{gap}] + \mathbb E_{f_2}[\mathrm{gap}] \ge \delta\,(P_1(\hat a = 1) + P_2(\hat a = 0))
    \ge \delta\,(1 - \mathrm{TV}(P_1, P_2))`.
    """
    return 0.5 * float(delta) * (1.0 - float(tv))


# --------------------------------------------------------------------------- contextual bandits

def cb_log_argument(N=None, S=10, A=2, S_expert=0, **_) -> float:
    r"""Argument :math:`2S|\mathcal A|N` of Algorithm 2's logarithm (:math:`\delta = 1/N`); the number of
    contexts is ``S + S_expert`` on the interpolation family."""
    return 2.0 * (float(S) + float(S_expert)) * float(A) * float(N)


def missing_mass_bound(S=None, C_star=1.0, N=None, **_) -> float:
    r"""Term :math:`T_1 \le 4SC^\star/(9N)` of the proof of Theorem 4 (App. B.1): no log factor."""
    return 4.0 * float(S) * float(C_star) / (9.0 * float(N))


#: Theorem 4, C* >= 2 or N >> S/(C* - 1): exponent -1/2 in N, log^(1/2) of 2 S |A| N.
CB_SQRT_RATE = Bound("expected suboptimality E[J(pi*) - J(pi_hat)]", "upper", {"N": -0.5},
                     source("Theorem 4"), log_power=0.5, log_argument=cb_log_argument)

#: Theorem 4, C* = 1 or N << S/(C* - 1): O~(S/N), whose O~ hides log^1 (the term S C* L/N of App. B.1,
#: beside the log-free missing mass T1 <= 4 S C*/(9N)).
CB_FAST_RATE = Bound("expected suboptimality E[J(pi*) - J(pi_hat)]", "upper", {"N": -1.0},
                     source("Theorem 4"), log_power=1.0, log_argument=cb_log_argument)


def thm5_separation(S=None, C_star=None, N=None, **_) -> float:
    r"""Separation of Theorem 5's packing for :math:`C^\star \in (1, 2)`:
    :math:`\min(1/3, \sqrt{SC^\star/(200(C^\star-1)N)})`."""
    C = float(C_star)
    return min(1.0 / 3.0, math.sqrt(float(S) * C / (200.0 * (C - 1.0) * float(N))))


def fano_kl_allowance(S=None, **_) -> float:
    r"""What Fano's method needs of the packing of Theorem 5 (App. B.2).

    With :math:`\log|\mathcal V| \ge S/8` (Gilbert–Varshamov) and every pairwise
    divergence of the data laws at most :math:`K`, Fano's inequality gives an
    identification error of at least :math:`1 - (K + \log 2)/\log|\mathcal V| \ge 1/2`
    when :math:`K \le S/16 - \log 2`; any learner then errs by the separation
    on a constant fraction of the :math:`S` gap contexts.  Positive only for
    :math:`S \ge 12`.
    """
    return float(S) / 16.0 - math.log(2.0)
