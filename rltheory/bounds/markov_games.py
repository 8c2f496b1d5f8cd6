r"""Bounds behind the claims on Foster, Golowich & Kakade, "Hardness of Independent Learning and
Sparse Equilibrium Computation in Markov Games" (ICML 2023, arXiv 2303.12287).

The paper's theorems are complexity statements (PPAD-hardness, query lower
bounds) and carry no formula a run could check.  The formulas here are those
of the specification (``shared/papers/markov_games_hardness.md``):

* **Hedge** (Freund & Schapire 1997; Cesa-Bianchi & Lugosi, *Prediction,
  Learning, and Games*, 2006, Theorem 2.2): with :math:`\eta = \sqrt{8 \ln A / T}`
  and payoffs in :math:`[0, 1]`, regret at most :math:`\sqrt{T \ln A / 2}`
  against any payoff sequence.  Run per step of an ``H``-step repeated game
  (rewards :math:`u/H`), the regret against **Markov** deviations averages the
  ``H`` per-step regrets, so :math:`\mathrm{Reg}^{\mathrm{Markov}}_i(T)/T \le \sqrt{\ln A/(2T)}`
  (:func:`hedge_average_regret`); on a normal-form game the uniform mixture of
  the ``T`` iterates is a :math:`\sqrt{\ln A/(2T)}`-CCE (a T-sparse CCE).
* **Aggregation** (specification Section 3, derived [D]): for ``T`` Markov
  product policies of an ``H``-step repeated game,
  :math:`\mathrm{avg}_{h,t} \mathrm{NashGap}_i \le \Delta_i + \sqrt{2 \ln T / H}`
  (:func:`aggregation_slack`; the steps are checked in
  ``proofs_check/markov_games.py``).
"""

from __future__ import annotations

import numpy as np

from . import Bound, Source

PAPER = "Hardness of Independent Learning and Sparse Equilibrium Computation in Markov Games"


def source(theorem: str) -> Source:
    """The paper as a :class:`~rltheory.bounds.Source`, with ``theorem`` naming the part used."""
    return Source(PAPER, arxiv="2303.12287", theorem=theorem, authors="Foster, Golowich, Kakade",
                  venue="ICML 2023")


def hedge_average_regret(T, A=3, **_) -> float:
    r"""Hedge's average regret bound :math:`\sqrt{\ln A / (2T)}` (tuned :math:`\eta = \sqrt{8 \ln A/T}`)."""
    return float(np.sqrt(np.log(A) / (2.0 * T)))


def aggregation_slack(T, H, **_) -> float:
    r"""The aggregation slack :math:`\sqrt{2 \ln T / H}` (specification Section 3, derived)."""
    return float(np.sqrt(2.0 * np.log(T) / H))


#: Regret per episode of per-step Hedge against Markov deviations (repeated game, A = 3 actions).
HEDGE_MARKOV_REGRET = Bound("Markov-deviation regret / T of per-step Hedge", "upper", {"T": -0.5},
                            source("abstract (no-regret against Markov deviations is achievable); "
                                   "Hedge's bound, Cesa-Bianchi & Lugosi 2006 Thm 2.2"),
                            formula=lambda T, **_: hedge_average_regret(T, 3))

#: General-deviation regret per episode of independent Hedge: does not vanish (exponent 0 in T).
GENERAL_REGRET_PERSISTS = Bound("general-deviation regret / T of independent Hedge", "lower", {"T": 0.0},
                                source("abstract (no-regret against general deviations is hard); "
                                       "specification Section 5.1"))

#: CCE gap of the T-sparse mixture of Hedge iterates on an n x n normal-form game.
SPARSE_CCE_GAP = Bound("CCE gap of the T-sparse Hedge mixture", "upper", {"T": -0.5},
                       source("specification Section 4 (normal-form sparse CCE is easy); "
                              "Hedge's bound, Cesa-Bianchi & Lugosi 2006 Thm 2.2"),
                       formula=lambda T, n, **_: hedge_average_regret(T, n))

#: Distinct profiles an exact pure-equilibrium search reads: linear in the number 2^m of profiles.
EXACT_SEARCH_QUERIES = Bound("profiles read by an exact pure-equilibrium search", "lower", {"profiles": 1.0},
                             source("abstract (statistical lower bound exponential in m); "
                                    "specification Section 5.5 (illustration)"))

__all__ = ["PAPER", "source", "hedge_average_regret", "aggregation_slack", "HEDGE_MARKOV_REGRET",
           "GENERAL_REGRET_PERSISTS", "SPARSE_CCE_GAP", "EXACT_SEARCH_QUERIES"]
