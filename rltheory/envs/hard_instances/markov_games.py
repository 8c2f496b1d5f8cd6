r"""Instances behind the hardness of independent learning in Markov games.

Foster, Golowich & Kakade, *Hardness of Independent Learning and Sparse
Equilibrium Computation in Markov Games*, ICML 2023, arXiv 2303.12287.

* :func:`shapley_game`, :func:`repeated_shapley_game` -- the Shapley game
  (Shapley, *Some topics in two-person games*, 1964): a 3x3 bimatrix game
  whose unique Nash equilibrium is uniform and on which fictitious play and
  no-regret dynamics cycle.  Repeated for ``H`` steps it is the instance of
  our specification's Section 5.1: independent Hedge has vanishing regret
  against Markov deviations, but not against history-dependent deviations.
  (With the uniform start, Hedge sits exactly at the equilibrium; randomise
  the initialisation.)
* :func:`random_binary_action_game` -- random ``m``-player games with two
  actions each: the family of the query-complexity lower bounds for
  approximate Nash equilibria (Babichenko 2016; Chen, Cheng & Tang 2017;
  Rubinstein 2016) behind the paper's statistical ``2^{Omega(m)}`` result
  ([R] in our specification: the paper's exact construction is not
  reconstructed).
"""

from __future__ import annotations

import numpy as np

from ..._errors import ValidationError
from ..._validation import check_int
from ...models.games import MarkovGame
from ..._random import as_generator

__all__ = ["SHAPLEY_ROW", "SHAPLEY_COL", "shapley_payoffs", "shapley_game", "repeated_shapley_game",
           "random_binary_action_game"]

#: Row player's payoff of the Shapley game (our specification, Section 5.1).
SHAPLEY_ROW = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
#: Column player's payoff of the Shapley game.
SHAPLEY_COL = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


def shapley_payoffs() -> np.ndarray:
    r"""Payoffs ``(2, 3, 3)`` of the Shapley game; unique Nash equilibrium: both uniform, payoff 1/3 each."""
    return np.stack([SHAPLEY_ROW, SHAPLEY_COL])


def shapley_game() -> MarkovGame:
    """The Shapley game as a normal-form game (``H = 1``, ``S = 1``)."""
    return MarkovGame.normal_form(shapley_payoffs(), name="Shapley game")


def repeated_shapley_game(H: int) -> MarkovGame:
    """The Shapley game repeated for ``H`` steps, per-step reward ``u_i / H``."""
    return MarkovGame.repeated(shapley_payoffs(), H, name=f"repeated Shapley game (H={H})")


def random_binary_action_game(m: int, seed) -> np.ndarray:
    r"""Payoffs ``(m, 2, ..., 2)`` i.i.d. uniform on :math:`[0, 1]` of an ``m``-player binary-action game.

    The payoff tensor has :math:`m 2^m` entries: describing (or querying) it
    takes a number of profiles exponential in ``m``.
    """
    m = check_int(m, "m", minimum=1)
    if m > 20:
        raise ValidationError(f"m = {m} (rule: m <= 20, the payoff tensor has m 2^m entries)")
    rng = as_generator(seed)
    return rng.random((m,) + (2,) * m)
