r"""Classic exploration benchmarks as tabular MDPs: RiverSwim, a chain with a
distractor reward, and the combination lock.

Each constructor returns a :class:`rltheory.models.TabularMDP` (stationary,
per-step rewards in :math:`[0,1]`, fixed start state 0) whose optimal value is
computed exactly by :func:`rltheory.solvers.backward_induction`; the closed
forms below are checked in ``tests/test_envs.py``.

Actions are numbered ``0 = left / back`` and ``1 = right / forward`` for the
two chains.
"""

from __future__ import annotations

import numpy as np

from .._errors import ValidationError
from .._validation import check_int
from ..models import TabularMDP
from .._random import as_generator


def _start(S: int) -> np.ndarray:
    mu0 = np.zeros(S)
    mu0[0] = 1.0
    return mu0


def riverswim(S: int = 6, H: int = 20, *, reward_left: float = 5.0 / 1000.0,
              reward_right: float = 1.0) -> TabularMDP:
    r"""RiverSwim (Strehl & Littman 2008), in the version of Osband, Russo & Van Roy (2013).

    A chain of states :math:`0, \dots, S-1` (the river) with start state 0 and
    two actions.  ``left`` (0) swims with the current and always succeeds:
    :math:`s \to \max(s-1, 0)`.  ``right`` (1) swims against it:

    ==================  ================  ==========  =================
    state               :math:`s-1`       :math:`s`   :math:`s+1`
    ==================  ================  ==========  =================
    :math:`s = 0`       --                0.4         0.6
    :math:`0<s<S-1`     0.05              0.6         0.35
    :math:`s = S-1`     0.4               0.6         --
    ==================  ================  ==========  =================

    Mean rewards: :math:`R(0, \text{left}) = 5/1000` (the small, easily found
    reward), :math:`R(S-1, \text{right}) = 1` (the large reward at the far
    end), all others 0.  These are the probabilities and the reward scaling of
    Osband, Russo & Van Roy (2013), Fig. 2 / Appendix, which rescale the
    original rewards 5 and 10000 of Strehl & Littman (2008, Fig. 1, six
    states) into :math:`[0,1]`; Strehl & Littman's own transition
    probabilities differ slightly, so results are comparable with the
    posterior-sampling / optimistic-RL literature that follows Osband et al.

    Parameters
    ----------
    S : int, >= 2
    H : int, >= 1
    reward_left, reward_right : float in [0, 1]

    Returns
    -------
    TabularMDP
        Stationary, ``mu0`` the point mass on state 0.

    Examples
    --------
    With :math:`S = H = 2`: :math:`V^*_1 = (0.005, 1)` and
    :math:`V^*_0(0) = \max(0.005 + 0.005,\; 0.4 \cdot 0.005 + 0.6 \cdot 1) = 0.602`.

    References
    ----------
    A. L. Strehl and M. L. Littman, "An analysis of model-based interval
    estimation for Markov decision processes", J. Comput. Syst. Sci. 74(8),
    1309--1331, 2008.
    I. Osband, D. Russo and B. Van Roy, "(More) efficient reinforcement
    learning via posterior sampling", NeurIPS 2013, arXiv 1306.0940.
    """
    S = check_int(S, "S", minimum=2)
    H = check_int(H, "H")
    P = np.zeros((S, 2, S))
    R = np.zeros((S, 2))
    for s in range(S):
        P[s, 0, max(s - 1, 0)] = 1.0
    P[0, 1, 0], P[0, 1, 1] = 0.4, 0.6
    for s in range(1, S - 1):
        P[s, 1, s - 1], P[s, 1, s], P[s, 1, s + 1] = 0.05, 0.6, 0.35
    P[S - 1, 1, S - 2] += 0.4
    P[S - 1, 1, S - 1] += 0.6
    R[0, 0] = reward_left
    R[S - 1, 1] = reward_right
    return TabularMDP(P, R, _start(S), H=H, name=f"riverswim(S={S}, H={H})")


def chain(S: int = 6, H: int = 20, *, distractor: float = 0.05, slip: float = 0.0) -> TabularMDP:
    r"""A chain with a small distractor reward next to the start.

    States :math:`0, \dots, S-1`, start state 0, two actions.  ``back`` (0)
    returns to state 0; ``forward`` (1) moves :math:`s \to \min(s+1, S-1)`
    with probability :math:`1 - \text{slip}` and otherwise leaves the agent in
    :math:`s`.  Mean rewards: :math:`R(0, \text{back}) = d` (``distractor``)
    and :math:`R(S-1, \text{forward}) = 1`, all others 0.

    With ``slip = 0`` the optimal value from the start is

    .. math:: V^*_0(0) = \max\{H d,\; H - S + 1\},

    (staying put collects :math:`d` per step; walking right costs :math:`S-1`
    reward-free steps and then pays 1 per step; mixing the two is never
    better, the total being linear in the number of steps spent at 0).

    This is the negative-control instance for optimistic exploration: a
    certainty-equivalent learner without bonus (:func:`rltheory.algorithms.greedy`,
    which values an untried pair by its known reward and zero continuation)
    takes ``back`` at state 0 in its first episode, never tries ``forward``,
    and pays :math:`V^*_0(0) - H d` in *every* episode: linear regret.  The
    same phenomenon on RiverSwim is the reason that instance was introduced
    (Strehl & Littman 2008).

    Parameters
    ----------
    S : int, >= 2
    H : int, >= 1
    distractor : float in [0, 1]
    slip : float in [0, 1)

    Returns
    -------
    TabularMDP
    """
    S = check_int(S, "S", minimum=2)
    H = check_int(H, "H")
    slip = float(slip)
    if not 0.0 <= slip < 1.0:
        raise ValidationError(f"slip = {slip!r} (rule: 0 <= slip < 1)")
    P = np.zeros((S, 2, S))
    R = np.zeros((S, 2))
    for s in range(S):
        P[s, 0, 0] = 1.0
        P[s, 1, min(s + 1, S - 1)] += 1.0 - slip
        P[s, 1, s] += slip
    R[0, 0] = distractor
    R[S - 1, 1] = 1.0
    return TabularMDP(P, R, _start(S), H=H,
                      name=f"chain(S={S}, H={H}, distractor={distractor:g}, slip={slip:g})")


def combination_lock(S: int, A: int, H: int, seed, *, failure: str = "reset") -> TabularMDP:
    r"""A tabular combination lock with a secret action per state.

    Lock states :math:`0, \dots, g-1` lead to the *goal* :math:`g`; start
    state 0.  A secret combination :math:`c_0, \dots, c_{g-1}`, drawn
    uniformly from :math:`\{0, \dots, A-1\}^g` with ``seed``, opens the lock:
    in lock state :math:`s`, action :math:`c_s` moves to :math:`s+1`, and every
    other action fails.  On failure:

    * ``failure="reset"``: back to state 0; :math:`g = S - 1` (all :math:`S`
      states are on the lock).
    * ``failure="dead"``: to an absorbing dead state :math:`S-1`, where the
      rest of the episode is lost; :math:`g = S - 2`.

    The goal is absorbing.  The only reward is :math:`R(g-1, c_{g-1}) = 1`,
    collected on opening the lock, so with :math:`H \ge g` the optimal value is
    :math:`V^*_0(0) = 1` and the optimal policy plays the combination (read it
    off ``backward_induction(mdp).policy[0, :g]``).

    Naive exploration needs time exponential in :math:`g`: with resets, the
    expected number of steps a uniformly random walk takes from state 0 to the
    goal solves :math:`T_s = 1 + T_{s+1}/A + (1 - 1/A) T_0`, :math:`T_g = 0`, i.e.

    .. math:: T_0 = \frac{A (A^g - 1)}{A - 1} \ge A^g,

    and with the dead state a random episode opens the lock with probability
    :math:`A^{-g}`.  This is the classical example that undirected
    exploration (random walks, zero-initialised Q-learning) can take
    exponential time, Koenig & Simmons (1993); Kakade (2003, PhD
    thesis); a rich-observation version is the benchmark of Du et al. (2019).

    Parameters
    ----------
    S : int
        Total number of states, >= 2 (``"reset"``) or >= 3 (``"dead"``).
    A : int, >= 1
    H : int
        Horizon, ``H >= g`` so that the lock can be opened.
    seed : int, SeedSequence or Generator
        Draws the combination.
    failure : {"reset", "dead"}

    Returns
    -------
    TabularMDP

    References
    ----------
    S. Koenig and R. G. Simmons, "Complexity analysis of real-time
    reinforcement learning", AAAI 1993.
    S. M. Kakade, "On the sample complexity of reinforcement learning",
    PhD thesis, University College London, 2003.
    S. S. Du, A. Krishnamurthy, N. Jiang, A. Agarwal, M. Dudík and
    J. Langford, "Provably efficient RL with rich observations via latent
    state decoding", ICML 2019, arXiv 1901.09018.
    """
    if failure not in ("reset", "dead"):
        raise ValidationError(f"failure = {failure!r} (rule: 'reset' or 'dead')")
    S = check_int(S, "S", minimum=2 if failure == "reset" else 3)
    A = check_int(A, "A")
    H = check_int(H, "H")
    g = S - 1 if failure == "reset" else S - 2
    if H < g:
        raise ValidationError(f"H = {H} < {g} lock steps (rule: H >= number of lock states, "
                              "so that the lock can be opened)")
    rng = as_generator(seed)
    secret = rng.integers(0, A, size=g)
    fail = 0 if failure == "reset" else S - 1
    P = np.zeros((S, A, S))
    R = np.zeros((S, A))
    for s in range(g):
        P[s, :, fail] = 1.0
        P[s, secret[s], fail] = 0.0
        P[s, secret[s], s + 1] = 1.0
    P[g, :, g] = 1.0
    if failure == "dead":
        P[S - 1, :, S - 1] = 1.0
    R[g - 1, secret[g - 1]] = 1.0
    return TabularMDP(P, R, _start(S), H=H,
                      name=f"combination_lock(S={S}, A={A}, H={H}, failure={failure})")


__all__ = ["riverswim", "chain", "combination_lock"]
