r"""What the model-based tabular learners share: input checks and one call of the episode driver.

:func:`ucbvi` (:mod:`rltheory.algorithms.ucbvi`) and the learners without a bonus
(:mod:`rltheory.algorithms.baselines`) all plan on the empirical model of the
transitions they have seen, evaluate their policy exactly, act and observe;
they differ only in the bonus (``mode``), the tie rule, the monotone min and
an exploration schedule.  :func:`run_model_based` turns the validated inputs
into the named tuples of the Numba driver
(:func:`rltheory.algorithms._tabular_loop.run_episodes`) and returns its
records as a :class:`ModelBasedRun`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._errors import ValidationError
from .._random import as_generator
from .._validation import check_int
from ..kernels.sampling import episode_model
from ..models import TabularMDP
from . import _tabular_loop as loop
from ._tabular_loop import (C_CORR, C_CORR_INNER, C_HOEFFDING, C_LIN, C_SCALE, C_VAR,
                            MODE_BERNSTEIN, MODE_GREEDY, MODE_HOEFFDING)

__all__ = ["ModelBasedRun", "check_learner_inputs", "run_model_based", "MODE_GREEDY",
           "MODE_HOEFFDING", "MODE_BERNSTEIN", "C_HOEFFDING", "C_VAR", "C_LIN", "C_CORR",
           "C_CORR_INNER", "C_SCALE", "N_CONSTS"]

#: Length of the bonus-constant array (indices ``C_*``; ``C_SCALE`` holds ``bonus_scale``).
N_CONSTS = 6


class ModelBasedRun(NamedTuple):
    """Records of one run of the driver.

    Attributes
    ----------
    regret : float64 array (K,)
        Exact expected regret of each episode's policy.
    returns : float64 array (K,)
        Realised returns.
    v_star : float
        :math:`V^*(\\mu_0)`.
    policies : int64 array (K, H, S) or None
        The policies played (``-1`` rows for uniformly random episodes), if recorded.
    final_policy : int64 array (H, S)
        The policy the learner would play in episode ``K + 1`` (``-1`` rows if it would
        still explore).
    """

    regret: np.ndarray
    returns: np.ndarray
    v_star: float
    policies: np.ndarray | None
    final_policy: np.ndarray


def check_learner_inputs(mdp, K, reward_noise) -> int:
    """Check the arguments every tabular learner takes; returns ``K`` as an int."""
    if not isinstance(mdp, TabularMDP):
        raise ValidationError(f"mdp is a {type(mdp).__name__} (rule: a TabularMDP)")
    K = check_int(K, "K")
    if reward_noise not in (None, "bernoulli"):
        raise ValidationError(f"reward_noise = {reward_noise!r} (rule: None or 'bernoulli')")
    return K


def run_model_based(mdp: TabularMDP, K: int, seed, *, mode: int = MODE_GREEDY,
                    consts: np.ndarray | None = None, L: float = 0.0, monotone: bool = False,
                    least_tried: bool = False, n_explore: int = 0, reward_noise=None,
                    record_policies: bool = False) -> ModelBasedRun:
    """Run the model-based learner described by the arguments for ``K`` episodes.

    Parameters
    ----------
    mdp : TabularMDP
        Validated instance; the learner knows its mean rewards.
    K : int
        Episodes (checked by :func:`check_learner_inputs`).
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
    mode : int
        ``MODE_GREEDY`` (no bonus), ``MODE_HOEFFDING`` or ``MODE_BERNSTEIN``.
    consts : float64 array (N_CONSTS,) or None
        Bonus constants by index ``C_*`` (``None``: zeros, for ``MODE_GREEDY``).
    L : float
        Log factor of the bonuses.
    monotone, least_tried : bool
        Min with the previous ``Q``; ties to the least-tried action.
    n_explore : int
        Uniformly random episodes before planning starts.
    reward_noise : {None, "bernoulli"}
    record_policies : bool
        Keep the ``(K, H, S)`` policies.

    Returns
    -------
    ModelBasedRun
    """
    rng = as_generator(seed)
    H, S, A = mdp.H, mdp.S, mdp.A
    P4 = np.ascontiguousarray(mdp.P4)
    vcap = float(mdp.max_return)
    cfg = loop.Planner(R3f=np.ascontiguousarray(mdp.R3).reshape(mdp.R3.shape[0], S * A), H=H,
                       A=A, mode=int(mode),
                       consts=np.zeros(N_CONSTS) if consts is None else consts,
                       L=float(L), vcap=vcap, monotone=bool(monotone),
                       least_tried=bool(least_tried))
    st = loop.new_state(P4.shape[0], H, S, A, int(mode), vcap)
    out = loop.Outputs(regret=np.empty(K), returns=np.empty(K),
                       policies=np.empty((K, H, S) if record_policies else (1, 1, 1),
                                         dtype=np.int64),
                       final_policy=np.empty((H, S), dtype=np.int64),
                       record=bool(record_policies))
    v_star = loop.run_episodes(episode_model(mdp, reward_noise == "bernoulli"), P4,
                               np.ascontiguousarray(mdp.mu0), cfg, st, out, K, int(n_explore), rng)
    return ModelBasedRun(out.regret, out.returns, float(v_star),
                         out.policies if record_policies else None, out.final_policy)
