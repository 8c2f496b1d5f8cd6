r"""Bounds of Zhou, Wang & Du, "Horizon-Free and Variance-Dependent Reinforcement Learning for Latent
Markov Decision Processes" (ICML 2023, arXiv 2210.11604), as the claims in ``experiments/lmdp`` check them.

Upper bound [V, statement; the abstract]: with context in hindsight and total reward at most 1,

.. math:: \mathrm{Regret}(K) = \tilde O\bigl(\sqrt{\mathrm{Var}^*\, M\, \Gamma\, S A K}\bigr),

logarithmic in :math:`H`; the hidden factors are powers of
:math:`\iota = 2\ln(2MSAHK/\delta)` and there is a lower-order term
:math:`\mathrm{poly}(M,S,A,\Gamma)\,\mathrm{polylog}` ([R]: likely :math:`M S^2 A \iota^2`), so the
claims allow :math:`\iota^2` (``log_power = 2``, argument :math:`2MSAHK/\delta`).  When
:math:`\mathrm{Var}^* = 0` only the lower-order term remains: polylogarithmic in :math:`K`.

Lower bound [V, statement]: :math:`\Omega(\sqrt{\mathrm{Var}^* M S A K})` with :math:`\Gamma = 2`.
Its construction is reconstructed ([R], :mod:`rltheory.envs.hard_instances.lmdp`); the claim
checks the instance fact behind it: the per-episode divergence of the hard pair is
:math:`O(\varepsilon^2)` (exponent :math:`-2` in :math:`1/\varepsilon`).

The constants are unknown (specification Section 10), so every bound here is a rate (no formula).
"""

from __future__ import annotations

import numpy as np

from . import Bound, Source

PAPER = ("Horizon-Free and Variance-Dependent Reinforcement Learning for Latent Markov Decision "
         "Processes")
DELTA = 0.1


def source(theorem: str) -> Source:
    """The paper as a :class:`~rltheory.bounds.Source`, with ``theorem`` naming the part used."""
    return Source(PAPER, arxiv="2210.11604", theorem=theorem, authors="Zhou, Wang, Du", venue="ICML 2023")


def log_argument(M=2, S=4, A=2, H=4, K=1, delta=DELTA, **_) -> float:
    r"""Argument of :math:`\iota = 2\ln(2MSAHK/\delta)` (``S`` of a family is passed as the config has it)."""
    return float(2.0 * M * S * A * H * K / delta)


def regret_upper(K, M=2, S=4, A=2, Gamma=2, var_star=1.0, **_) -> float:
    r""":math:`\sqrt{\mathrm{Var}^* M \Gamma S A K}`, the leading term without constants or logs."""
    return float(np.sqrt(var_star * M * Gamma * S * A * K))


def regret_with_lower_order(K, M=2, A=2, H=4, family="revealing", S=None, Gamma=2, delta=DELTA, **_) -> float:
    r""":math:`\sqrt{M \Gamma S A K}\,\iota + M S^2 A \iota^2`: the leading term with :math:`\mathrm{Var}^* \le 1`
    plus the lower-order term the specification reconstructs ([R], constants 1).

    ``S`` is read off the family when not given: :math:`M + 3` on the revealing family, 4 on the
    reward-revealing family, :math:`M + 4` on the variance family.
    """
    if S is None:
        S = {"revealing": M + 3, "reward_revealing": 4}.get(family, M + 4)
    iota = 2.0 * np.log(log_argument(M=M, S=S, A=A, H=H, K=K, delta=delta))
    return float(np.sqrt(M * Gamma * S * A * K) * iota + M * S ** 2 * A * iota ** 2)


_UPPER = "upper bound (abstract; ICLR 2023 version: O~(sqrt(M Gamma S A K)))"

#: Regret grows at most like sqrt(K).
UPPER_K = Bound("cumulative regret", "upper", {"K": 0.5}, source(_UPPER), log_power=2.0,
                log_argument=log_argument)
#: Horizon-free: exponent 0 in H at total reward 1 (logarithmic in H).
UPPER_H = Bound("cumulative regret", "upper", {"H": 0.0}, source(_UPPER + ", logarithmic in H"),
                log_power=2.0, log_argument=log_argument)
#: Variance dependence: at most sqrt(Var*).
UPPER_VAR = Bound("cumulative regret", "upper", {"var_star": 0.5}, source(_UPPER + ", Var* dependence"),
                  log_power=0.0)
#: Growth in the number of contexts at most sqrt(M).
UPPER_M = Bound("cumulative regret", "upper", {"M": 0.5}, source(_UPPER + ", M dependence"), log_power=2.0,
                log_argument=log_argument, formula=regret_with_lower_order)
#: Var* = 0: only the lower-order term, polylogarithmic in K.
DETERMINISTIC_K = Bound("cumulative regret (Var* = 0)", "upper", {"K": 0.0},
                        source(_UPPER + " with Var* = 0 (lower-order term only)"), log_power=2.0,
                        log_argument=log_argument)
#: Hard pair: per-episode KL of O(eps^2), i.e. exponent -2 in 1/eps.
HARD_PAIR_KL = Bound("per-episode KL of the hard pair", "upper", {"inv_eps": -2.0},
                     source("lower bound Omega(sqrt(Var* M S A K)), Gamma = 2 (construction reconstructed)"))

__all__ = ["PAPER", "DELTA", "source", "log_argument", "regret_upper", "regret_with_lower_order", "UPPER_K", "UPPER_H", "UPPER_VAR",
           "UPPER_M", "DETERMINISTIC_K", "HARD_PAIR_KL"]
