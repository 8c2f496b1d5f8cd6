r"""Random families of tabular MDPs.

:func:`random_tabular` draws an episodic MDP
:math:`M = (\mathcal S, \mathcal A, H, P, R, \mu_0)` as follows (all draws
from one :class:`numpy.random.Generator`, in this order, so a seed fixes the
instance bit for bit):

1. *Supports* (only when ``gamma_max`` :math:`= \Gamma < S`): for every row
   :math:`(h, s, a)` a subset :math:`\operatorname{supp}_{h,s,a} \subset
   \mathcal S` of exactly :math:`\Gamma` next states, uniform over all
   :math:`\binom{S}{\Gamma}` subsets (the first :math:`\Gamma` entries of a
   uniformly random permutation).
2. *Transition rows*: :math:`P_h(\cdot \mid s, a) \sim
   \operatorname{Dirichlet}(\alpha \mathbf 1_\Gamma)` on the support (on all
   :math:`S` states when ``gamma_max`` is ``None``).  With :math:`\alpha = 1`
   each row is uniform on the simplex of its support.  A Dirichlet weight can
   underflow to exactly 0 for very small :math:`\alpha`, so the support has
   *at most* :math:`\Gamma` states, which is the sparsity parameter of e.g.
   the UCRL2/UCBVI analyses (number of reachable next states).
3. *Mean rewards* :math:`R_h(s, a)`: i.i.d. ``"uniform"`` on :math:`[0,1]`,
   ``"binary"`` (0 or 1 with probability 1/2 each) or ``"zero"`` (no draw;
   reward-free exploration).  With ``reward_range="total"`` the drawn rewards
   are divided by :math:`H`, so every trajectory collects at most 1 (the
   horizon-free normalisation).

A *stationary* instance draws one kernel ``P (S, A, S)`` and one reward table
``R (S, A)`` used at every step; otherwise ``P (H, S, A, S)`` and
``R (H, S, A)``.  The initial distribution is, by default, the point mass on
state 0 (a fixed start state, the setting of Azar, Osband & Munos 2017,
arXiv 1703.05449); ``mu0="uniform"`` or an explicit vector may be given.
"""

from __future__ import annotations

import numpy as np

from .._errors import ValidationError
from .._validation import check_int
from ..models import TabularMDP
from .._random import as_generator

REWARD_FAMILIES = ("uniform", "binary", "zero")


def _initial_distribution(mu0, S: int) -> np.ndarray:
    if isinstance(mu0, str):
        if mu0 == "start":
            out = np.zeros(S)
            out[0] = 1.0
            return out
        if mu0 == "uniform":
            return np.full(S, 1.0 / S)
        raise ValidationError(f"mu0 = {mu0!r} "
                              "(rule: 'start', 'uniform' or a distribution of length S)")
    return np.asarray(mu0, dtype=np.float64)  # validated by TabularMDP


#: Largest dense transition kernel a generator builds: 2^28 float64 entries (2 GiB).
MAX_KERNEL_ENTRIES = 2 ** 28


def random_tabular(S: int, A: int, H: int, seed, *, stationary: bool = True,
                   gamma_max: int | None = None, dirichlet_alpha: float = 1.0,
                   reward: str = "uniform", reward_range: str = "per_step",
                   mu0="start", name: str = "") -> TabularMDP:
    r"""A random tabular MDP with Dirichlet transition rows and random mean rewards.

    See the module docstring for the construction and the order of the draws.

    Parameters
    ----------
    S, A, H : int
        Numbers of states and actions, horizon (all ``>= 1``).
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Source of randomness (see :mod:`rltheory._random`).  Same seed,
        same instance.
    stationary : bool, default True
        One kernel and reward table for all steps, or one per step.
    gamma_max : int, optional
        Sparsity :math:`\Gamma \in \{1, \dots, S\}`: each row
        :math:`P_h(\cdot \mid s,a)` is supported on at most :math:`\Gamma`
        states chosen uniformly at random.  ``None`` means dense rows.
    dirichlet_alpha : float, default 1.0
        Concentration :math:`\alpha > 0` of the symmetric Dirichlet.  Small
        :math:`\alpha` gives nearly deterministic rows, large :math:`\alpha`
        nearly uniform ones.
    reward : {"uniform", "binary", "zero"}
        Distribution of the mean rewards (see the module docstring).
    reward_range : {"per_step", "total"}
        ``"per_step"``: :math:`R \in [0,1]`.  ``"total"``: rewards are divided
        by :math:`H` so that every return is at most 1.
    mu0 : {"start", "uniform"} or array_like (S,)
        Initial distribution: point mass on state 0 (default), uniform, or given.
    name : str
        Stored on the model (defaults to a description of the family).

    Returns
    -------
    TabularMDP

    Examples
    --------
    >>> from rltheory.envs import random_tabular
    >>> M = random_tabular(5, 2, 4, seed=0, gamma_max=2)
    >>> int((M.P > 0).sum(axis=-1).max()) <= 2
    True
    """
    S = check_int(S, "S")
    A = check_int(A, "A")
    H = check_int(H, "H")
    n_entries = (1 if stationary else H) * S * A * S
    if n_entries > MAX_KERNEL_ENTRIES:
        raise ValidationError(f"random_tabular(S={S}, A={A}, H={H}, stationary={stationary}) needs a transition "
                              f"kernel of {n_entries:.3g} float64 entries ({n_entries * 8 / 2**30:.3g} GiB) "
                              f"(rule: at most {MAX_KERNEL_ENTRIES:.0e} entries, {MAX_KERNEL_ENTRIES * 8 / 2**30:.3g} "
                              "GiB; a tabular model stores P densely)")
    if gamma_max is not None:
        gamma_max = check_int(gamma_max, "gamma_max")
        if gamma_max > S:
            raise ValidationError(f"gamma_max = {gamma_max} > S = {S} "
                                  "(rule: 1 <= gamma_max <= S)")
    alpha = float(dirichlet_alpha)
    if not np.isfinite(alpha) or alpha <= 0:
        raise ValidationError(f"dirichlet_alpha = {dirichlet_alpha!r} (rule: finite and > 0)")
    if reward not in REWARD_FAMILIES:
        raise ValidationError(f"reward = {reward!r} (rule: one of {REWARD_FAMILIES})")
    if reward_range not in ("per_step", "total"):
        raise ValidationError(f"reward_range = {reward_range!r} (rule: 'per_step' or 'total')")
    rng = as_generator(seed)
    lead = () if stationary else (H,)
    rows = int(np.prod(lead + (S, A)))

    G = S if gamma_max is None else gamma_max
    if G < S:
        # first G entries of a uniformly random permutation of the S states, per row
        support = np.argsort(rng.random((rows, S)), axis=1, kind="stable")[:, :G]
    else:
        support = None
    weights = rng.dirichlet(np.full(G, alpha), size=rows)
    if support is None:
        P = weights
    else:
        P = np.zeros((rows, S))
        np.put_along_axis(P, support, weights, axis=1)
    # renormalise exactly-in-float the few rows whose Dirichlet sum drifted
    P /= P.sum(axis=1, keepdims=True)
    P = P.reshape(lead + (S, A, S))

    if reward == "uniform":
        R = rng.random(lead + (S, A))
    elif reward == "binary":
        R = (rng.random(lead + (S, A)) < 0.5).astype(np.float64)
    else:
        R = np.zeros(lead + (S, A))
    if reward_range == "total":
        R = R / H

    if not name:
        name = (f"random_tabular(S={S}, A={A}, H={H}, gamma_max={gamma_max}, "
                f"alpha={alpha:g}, reward={reward})")
    return TabularMDP(P, R, _initial_distribution(mu0, S), H=H,
                      reward_range=reward_range, name=name)


__all__ = ["random_tabular", "REWARD_FAMILIES"]
