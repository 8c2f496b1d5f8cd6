r"""Best deviations against mixtures of Markov product policies and the CCE gaps they define.

For ``T`` Markov product policies :math:`\sigma^{(1)}, \dots, \sigma^{(T)}`
of a :class:`rltheory.models.games.MarkovGame` and weights :math:`w`
(uniform by default):

* :func:`general_deviation_value`, :func:`markov_deviation_value`,
  :func:`mixture_cce_gaps` -- the best deviation against the mixture, over
  **general** (history-dependent) deviations, exactly by enumerating
  histories, and over **Markov** deviations;
* :func:`bayesian_deviator` -- the Monte Carlo Bayesian deviator of our
  specification (Section 3) for long repeated games, where enumeration is
  out of reach; in a repeated game it is an optimal general deviation;
* :func:`stage_nash_gaps` -- :math:`\mathrm{NashGap}_i(\sigma^{(t)}_h)` of every
  component and step of a repeated game.

Definitions follow Foster, Golowich & Kakade, *Hardness of Independent
Learning and Sparse Equilibrium Computation in Markov Games* (ICML 2023,
arXiv 2303.12287), Section 1 of our specification: for a distribution
:math:`P` over product policies, the :math:`\varepsilon`-CCE condition is

.. math::
    \max_{\sigma_i' \text{ general}} \mathbb E_{\sigma \sim P}\big[V_i^{\sigma_i' \times \sigma_{-i}}\big]
    - \mathbb E_{\sigma \sim P}\big[V_i^{\sigma}\big] \le \varepsilon \quad \forall i,

where the deviator commits before the draw and does not see which
:math:`\sigma` was drawn, but sees the history.  The kernels are in
:mod:`rltheory.kernels.games`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._validation import check_int
from ..kernels import games as K
from ..models.games import MarkovGame, check_player, check_product_policy
from ._games_common import (_check_game, _deviation_arrays, _dot, _join_table, _mv, _opponents, _pad, _vm,
                            _weights)
from .markov_games import BestResponse

__all__ = [
    "general_deviation_value", "markov_deviation_value", "mixture_cce_gaps", "MonteCarloEstimate",
    "bayesian_deviator", "stage_nash_gaps",
]

#: Default cap on the number of histories :func:`general_deviation_value` may visit.
MAX_HISTORY_NODES = 5_000_000


def general_deviation_value(game: MarkovGame, policies, player: int, weights=None,
                            max_nodes: int = MAX_HISTORY_NODES) -> float:
    r"""Exact value of the best **history-dependent** deviation against a mixture of Markov product policies.

    .. math::
        \max_{\sigma_i \text{ general}} \sum_t w_t\, V_i^{\sigma_i \times \sigma^{(t)}_{-i}}.

    The deviator sees states and the opponents' actions but not the
    component :math:`t`; it keeps the Bayesian posterior
    :math:`w_{t,h} \propto w_t \prod_{h' < h} \sigma^{(t)}_{-i,h'}(a_{-i,h'} \mid s_{h'})`
    (transition probabilities do not depend on :math:`t` and cancel).
    The optimum is computed by backward induction over the tree of
    observable histories (:func:`rltheory.kernels.games.general_br_value`),
    which has :math:`\sum_{h<H} S^{h+1} B^h` nodes with :math:`B = \prod_{j \ne i} A_j`.
    Markov opponents do not react to the deviator's past actions, so its own
    actions matter only through the states.

    Raises
    ------
    rltheory.ValidationError
        When the history tree exceeds ``max_nodes`` (use :func:`bayesian_deviator`
        for long repeated games).
    """
    g = _check_game(game)
    i = check_player(g, player)
    pols = check_product_policy(policies, g)
    w = _weights(weights, pols[0].shape[0])
    rew, Pn, _ = _deviation_arrays(g, i)
    val, nodes = K.general_br_value(_opponents(pols, i), rew, Pn, g.mu0, w, int(max_nodes))
    if nodes < 0:
        raise ValidationError(f"the history tree of player {i} has more than max_nodes = {max_nodes} "
                              "nodes (rule: exact enumeration only for small S, B and H; use "
                              "bayesian_deviator for long repeated games)")
    return float(val)


#: Default cap on the number of deterministic Markov policies :func:`markov_deviation_value` enumerates.
MAX_MARKOV_POLICIES = 200_000


def markov_deviation_value(game: MarkovGame, policies, player: int, weights=None,
                           max_policies: int = MAX_MARKOV_POLICIES) -> BestResponse:
    r"""Exact value of the best **Markov** deviation against a mixture of Markov product policies.

    .. math::
        \max_{\pi_i \text{ Markov}} \sum_t w_t\, V_i^{\pi_i \times \sigma^{(t)}_{-i}}.

    * ``T = 1``: an MDP, solved by backward induction.
    * ``S = 1`` (the state never changes): the objective separates over steps,
      :math:`\sum_h \max_{a_i} \sum_t w_t \sum_b \sigma^{(t)}_{-i,h}(b) R_{i,h}(a_i, b)`.
    * Otherwise the problem is a multi-model MDP (NP-hard in general); the
      objective is multilinear in the per-(h, s) choices, so it is maximised
      by enumerating the :math:`A_i^{HS}` deterministic Markov policies, when
      there are at most ``max_policies`` of them.
    """
    g = _check_game(game)
    i = check_player(g, player)
    pols = check_product_policy(policies, g)
    T = pols[0].shape[0]
    w = _weights(weights, T)
    rew, Pn, _ = _deviation_arrays(g, i)
    Opp = _opponents(pols, i)
    if T == 1 or g.S == 1:
        # S == 1: the state never changes, so V_{h+1} is a constant and steps separate
        # (sum over t is linear); T == 1: a plain MDP.  Both: backward induction on the
        # mixture's expected stage rewards, valid since S == 1 or a single model.
        V = np.zeros(g.S)
        pol = np.zeros((g.H, g.S), dtype=np.int64)
        if T == 1:
            for h in range(g.H - 1, -1, -1):
                Q = np.einsum("sb,sab->sa", Opp[0, h], rew[h] + _mv(Pn[h], V))
                pol[h] = Q.argmax(axis=1)
                V = Q.max(axis=1)
            return BestResponse(_dot(g.mu0, V), pol)
        total = 0.0
        for h in range(g.H):
            q = np.einsum("t,tb->b", w, Opp[:, h, 0])
            stage = _mv(rew[h, 0], q)
            pol[h, 0] = int(stage.argmax())
            total += float(stage.max())
        return BestResponse(total, pol)
    count = float(g.actions[i]) ** (g.H * g.S)
    if count > max_policies:
        raise ValidationError(f"the best Markov deviation against a mixture of T = {T} policies with "
                              f"S = {g.S} > 1 needs {count:.3g} > max_policies = {max_policies} "
                              "deterministic policies (rule: a multi-model MDP, exact only by enumeration)")
    val, pol = K.markov_br_enumerate(Opp, rew, Pn, g.mu0, w)
    return BestResponse(float(val), pol)


def mixture_cce_gaps(game: MarkovGame, policies, deviations: str = "general", weights=None) -> np.ndarray:
    r"""CCE gap ``(m,)`` of a mixture of Markov product policies against ``"general"`` or ``"markov"`` deviations.

    .. math::
        \Delta_i = \max_{\sigma_i'} \sum_t w_t V_i^{\sigma_i' \times \sigma^{(t)}_{-i}} - \sum_t w_t V_i^{\sigma^{(t)}}.

    For the iterates of ``T`` episodes of independent learners this is
    :math:`\mathrm{Reg}_i(T)/T` (Section 1 of our specification of arXiv 2303.12287).
    With ``T = 1`` it is the Nash gap (exploitability) of one product policy,
    and both deviation classes give the same value (a single Markov opponent
    profile leaves an MDP).
    """
    g = _check_game(game)
    pols = check_product_policy(policies, g)
    w = _weights(weights, pols[0].shape[0])
    base = _vm(w, K.product_values(g.P4, g.R4, _pad(pols), g.joint_actions, g.mu0))
    out = np.empty(g.m)
    for i in range(g.m):
        if deviations == "general":
            best = general_deviation_value(g, pols, i, w)
        elif deviations == "markov":
            best = markov_deviation_value(g, pols, i, w).value
        else:
            raise ValidationError(f"deviations = {deviations!r} (rule: 'general' or 'markov')")
        out[i] = best - base[i]
    return out


@dataclass(frozen=True)
class MonteCarloEstimate:
    """A Monte Carlo mean with its standard error and sample size."""

    mean: float
    se: float
    n: int


def bayesian_deviator(game: MarkovGame, policies, player: int, n_episodes: int, seed,
                      weights=None) -> MonteCarloEstimate:
    r"""Monte Carlo value of the Bayesian deviator against a mixture of Markov product policies (repeated games).

    At step ``h`` the deviator plays a best response to the posterior
    predictive :math:`\hat q_h = \sum_t w_{t,h} \sigma^{(t)}_{-i,h}`, with
    :math:`w_{t,h} \propto w_t \prod_{h'<h} \sigma^{(t)}_{-i,h'}(a_{-i,h'})`
    (Section 3 of our specification of arXiv 2303.12287, derived).  In a
    repeated game (one state) Markov opponents do not react to the deviator,
    so this myopic rule is an optimal general deviation and the estimate is
    unbiased for :func:`general_deviation_value`.

    Parameters
    ----------
    n_episodes : int
    seed : int, SeedSequence or Generator

    Raises
    ------
    rltheory.ValidationError
        If ``S > 1`` (the myopic rule is then not optimal).
    """
    from .._random import as_generator
    g = _check_game(game)
    if g.S != 1:
        raise ValidationError(f"game has S = {g.S} states (rule: the Bayesian deviator is defined for "
                              "repeated games, S = 1)")
    i = check_player(g, player)
    n = check_int(n_episodes, "n_episodes", minimum=2)
    pols = check_product_policy(policies, g)
    w = _weights(weights, pols[0].shape[0])
    rew, _, _ = _deviation_arrays(g, i)
    rng = as_generator(seed)
    mean, se = K.bayes_deviator_mc(_opponents(pols, i), rew, w, n, rng)
    return MonteCarloEstimate(float(mean), float(se), n)


def stage_nash_gaps(game: MarkovGame, policies) -> np.ndarray:
    r""":math:`\mathrm{NashGap}_i(\sigma^{(t)}_h)` for every player, component and step of a repeated game.

    .. math::
        \mathrm{NashGap}_i(x) = \max_{a_i} u_i(a_i, x_{-i}) - u_i(x), \qquad u_i = H R_i \in [0, 1].

    Returns
    -------
    ndarray (m, T, H)
    """
    g = _check_game(game)
    U = g.payoffs()
    pols = check_product_policy(policies, g)
    T = pols[0].shape[0]
    out = np.empty((g.m, T, g.H))
    for i in range(g.m):
        join = _join_table(g.actions, i)
        Ui = U[i].reshape(-1)[join]                    # (A_i, B)
        Opp = _opponents(pols, i)[:, :, 0]             # (T, H, B)
        dev = np.einsum("ab,thb->tha", Ui, Opp)         # u_i(a_i, sigma_-i)
        own = np.einsum("tha,tha->th", dev, pols[i][:, :, 0])
        out[i] = dev.max(axis=2) - own
    return out
