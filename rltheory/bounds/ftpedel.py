r"""Statements of FTPedel (offline data in online RL) as functions of the instance parameters.

Andrew Wagenmaker, Aldo Pacchiano, *Leveraging Offline Data in Online Reinforcement Learning*,
ICML 2023 (PMLR 202:35300-35338), arXiv 2211.04974.  Only the abstract is verified; every formula
below is **reconstructed** (specification ``ftpedel_offline_online.md``, Sections 2 and 5), and no
explicit constant is claimed: the bounds carry exponents only.

* :data:`PREDICTION_RATIO` -- online episodes / (H T_o2o(D_off)) has exponent 0 in N_off (the learner's
  online cost follows the oracle-design prediction up to H and polylog factors);
* :data:`GAP_UPPER`, :data:`GAP_LOWER` -- online episodes of order max(Delta, eps)^-2 in the
  competitor gap (upper bound of FTPedel; the verifiable lower bound, "optimal up to H factors");
* :data:`SEPARATION_HYBRID` -- on the two-branch instance the hybrid learner's online episodes do not
  grow as the reach probability p of the offline-covered branch shrinks (exponent 0 in 1/p);
* :data:`VERIFIABLE_COST` -- a verifiable learner spends online episodes (at least one) even when the
  offline data cover the optimal policy (expert data); an unverifiable learner need not.
"""

from __future__ import annotations

import math

from . import Bound, Source

PAPER = "Leveraging Offline Data in Online Reinforcement Learning"
_AUTH = "Andrew Wagenmaker, Aldo Pacchiano"
_VENUE = "ICML 2023"
SRC_UPPER = Source(PAPER, arxiv="2211.04974", authors=_AUTH, venue=_VENUE,
                   theorem="FTPedel upper bound (reconstructed: H T_o2o polylog + C_lot/eps^(8/5), spec Sec. 2)")
SRC_LOWER = Source(PAPER, arxiv="2211.04974", authors=_AUTH, venue=_VENUE,
                   theorem="verifiable lower bound, 'optimal up to H factors' (abstract; formula reconstructed)")
SRC_SEPARATION = Source(PAPER, arxiv="2211.04974", authors=_AUTH, venue=_VENUE,
                        theorem="separation example: offline+online beats pure offline and pure online "
                                "(abstract; instance reconstructed, spec Sec. 5)")
SRC_VERIFIABLE = Source(PAPER, arxiv="2211.04974", authors=_AUTH, venue=_VENUE,
                        theorem="verifiable vs unverifiable separation (abstract; details reconstructed)")
SRC_PAC = Source(PAPER, arxiv="2211.04974", authors=_AUTH, venue=_VENUE,
                 theorem="(eps, delta)-PAC guarantee of FTPedel (abstract)")


def _beta_argument(inv_gap=None, n_policies=32, H=3, delta=0.1, **_):
    r"""Argument :math:`4H^2|\Pi|\ell^2/\delta` of :math:`\beta_\ell` at the elimination epoch
    :math:`\ell \approx \log_2(4/\Delta)` (grows like :math:`\log^2`, far slower than linearly)."""
    ell = math.log2(4.0 * float(inv_gap))
    return 4.0 * H * H * n_policies * ell * ell / float(delta)


PREDICTION_RATIO = Bound("online episodes / (H T_o2o)", "upper", {"N_off": 0.0}, SRC_UPPER)
GAP_UPPER = Bound("online episodes", "upper", {"inv_gap": 2.0}, SRC_UPPER, log_power=1.0,
                  log_argument=_beta_argument)
GAP_LOWER = Bound("online episodes", "lower", {"inv_gap": 2.0}, SRC_LOWER, log_power=1.0,
                  log_argument=_beta_argument)
SEPARATION_HYBRID = Bound("online episodes of the hybrid learner", "upper", {"inv_p": 0.0}, SRC_SEPARATION)
VERIFIABLE_COST = Bound("online episodes", "lower", {}, SRC_VERIFIABLE, formula=lambda **_: 1.0)

__all__ = ["PAPER", "SRC_UPPER", "SRC_LOWER", "SRC_SEPARATION", "SRC_VERIFIABLE", "SRC_PAC", "PREDICTION_RATIO",
           "GAP_UPPER", "GAP_LOWER", "SEPARATION_HYBRID", "VERIFIABLE_COST"]
