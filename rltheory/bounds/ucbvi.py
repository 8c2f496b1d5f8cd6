r"""Theorem 1 of UCBVI (Azar, Osband & Munos, ICML 2017, arXiv 1703.05449) as functions.

Theorem 1 (UCBVI-CH, Chernoff--Hoeffding bonus): for an episodic MDP with
:math:`S` states, :math:`A` actions, horizon :math:`H` and :math:`K` episodes
(:math:`T = KH` steps), with probability at least :math:`1 - \delta`

.. math::

   \mathrm{Regret}(K) \le 20\, H L \sqrt{SAT} + 250\, H^2 S^2 A L^2,
   \qquad L = \ln(5 S A T / \delta),

i.e. :math:`\tilde O(H\sqrt{SAT})`: the *leading term* :math:`20HL\sqrt{SAT}`
has exponent 1/2 in :math:`K`, :math:`S` and :math:`A` and hides :math:`L` to
the power 1; the *burn-in term* :math:`250 H^2 S^2 A L^2` does not grow with
:math:`K` beyond its logarithm.

Every regret is at most the trivial bound :math:`KH` (per-step rewards in
:math:`[0, 1]`).  Theorem 1's bound is below it only when
:math:`250 H^2 S^2 A L^2 < KH`, i.e. :math:`K > 250\, H S^2 A L^2` (more than :math:`10^8`
episodes already for :math:`S = 5, A = 2, H = 8`): at laptop scale the theorem
is vacuous as a number, and a run can only ask whether the *rate* it predicts
shows (:data:`REGRET_K`, :func:`regret_along_path`).

Paths :math:`K = c\,S^p`.  At fixed :math:`K` no learner's regret can grow in
:math:`S` beyond :math:`KH`, and a learner that never learns pays
:math:`K\,(V^* - V^{\mathrm{unif}})`, which does not grow with :math:`S` on
random instances: a check in :math:`S` at fixed :math:`K` cannot tell learning
from not learning.  Along :math:`K = c\,S^p` the leading term grows like
:math:`S^{(1+p)/2} L` while a non-learner's regret grows like :math:`S^p`;
for :math:`p > 1` the two rates differ (:math:`p = 2`: 3/2 against 2).
"""

from __future__ import annotations

import numpy as np

from . import Bound, Source

AZAR = Source("Minimax Regret Bounds for Reinforcement Learning", arxiv="1703.05449",
              theorem="Theorem 1 (UCBVI-CH)", authors="Azar, Osband, Munos", venue="ICML 2017")

#: Failure probability :math:`\delta` the claims run with (the learner's confidence parameter).
DELTA = 0.1


def episodes(K=None, K_coef=None, K_power=None, S=None, **_) -> float:
    r"""Number of episodes of a config: ``K``, or :math:`c\,S^p` with ``K_coef`` :math:`= c`, ``K_power`` :math:`= p`."""
    if K is not None:
        return float(K)
    return float(round(K_coef * S ** K_power))


def log_argument(S=None, A=None, H=None, delta=DELTA, **params) -> float:
    r"""Argument of Theorem 1's logarithm, :math:`5SAT/\delta` with :math:`T = KH` (:func:`episodes`)."""
    return 5.0 * S * A * episodes(S=S, **params) * H / delta


def leading_term(S=None, A=None, H=None, delta=DELTA, **params) -> float:
    r""":math:`20\,H L\sqrt{SAT}`, the term of Theorem 1 that grows like :math:`\sqrt K`."""
    L = np.log(log_argument(S=S, A=A, H=H, delta=delta, **params))
    T = episodes(S=S, **params) * H
    return float(20.0 * H * L * np.sqrt(S * A * T))


def burn_in_term(S=None, A=None, H=None, delta=DELTA, **params) -> float:
    r""":math:`250\,H^2 S^2 A L^2`, the term of Theorem 1 that grows only logarithmically in :math:`K`."""
    L = np.log(log_argument(S=S, A=A, H=H, delta=delta, **params))
    return float(250.0 * H ** 2 * S ** 2 * A * L ** 2)


def theorem1(**params) -> float:
    r"""Theorem 1's bound :math:`20HL\sqrt{SAT} + 250H^2S^2AL^2` at ``params`` (``S, A, H``, ``K`` or a path, ``delta``)."""
    return leading_term(**params) + burn_in_term(**params)


def trivial_bound(H=None, **params) -> float:
    r"""The regret every learner satisfies, :math:`KH` (per-step rewards in :math:`[0, 1]`)."""
    return episodes(**params) * H


REGRET_K = Bound("cumulative expected regret", "upper", {"K": 0.5, "S": 0.5, "A": 0.5}, AZAR,
                 log_power=1.0, log_argument=log_argument, formula=theorem1, failure_probability=DELTA)
"""Theorem 1 as a rate: exponent 1/2 in ``K``, ``S``, ``A``, :math:`L^1` hidden (leading term)."""


def regret_along_path(power: float) -> Bound:
    r"""The leading term's rate in :math:`S` along the path :math:`K = c\,S^p` (``K_power`` :math:`= p`).

    Along the path :math:`20HL\sqrt{SAT} \propto S^{(1+p)/2} L` at fixed
    :math:`A, H`: the exponent in ``S`` is :math:`(1+p)/2`, with :math:`L^1`
    hidden.  :math:`L = \ln(5SAcS^pH/\delta)` grows like :math:`(1+p)\ln S`,
    so its local log-log slope is :math:`(1+p)/\ln(5SAKH/\delta)`;
    :class:`~rltheory.bounds.Bound` allows :math:`p_{\log}/\ln x` for an
    argument :math:`x` linear in the parameter, so the argument given is
    :math:`(5SAKH/\delta)^{1/(1+p)}` (linear in :math:`S` along the path),
    which yields exactly that slope with the theorem's log power 1.

    Parameters
    ----------
    power : float, > 0
        :math:`p` in :math:`K = c\,S^p`.

    Returns
    -------
    Bound
    """
    root = 1.0 / (1.0 + power)

    def path_log_argument(**params) -> float:
        return log_argument(**params) ** root

    return Bound("cumulative expected regret along K = c S^p", "upper", {"S": (1.0 + power) / 2.0}, AZAR,
                 log_power=1.0, log_argument=path_log_argument, formula=theorem1,
                 failure_probability=DELTA)


__all__ = ["AZAR", "DELTA", "REGRET_K", "regret_along_path", "theorem1", "leading_term",
           "burn_in_term", "trivial_bound", "log_argument", "episodes"]
