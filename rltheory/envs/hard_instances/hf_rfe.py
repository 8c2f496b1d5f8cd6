r"""The hypercube lower-bound instance of HF-UCRL-RFE++.

Zhang, Zhang & Gu, *Optimal Horizon-Free Reward-Free Exploration for Linear
Mixture MDPs*, ICML 2023, arXiv 2303.10165: lower bound Theorem 2.6.8 of W.
Zhang's dissertation (Chapter 2; Theorem 5.3 of the arXiv version), which reuses
the instance of Zhou & Gu (2022a, arXiv 2205.11507, Theorem 5.4).

Construction.  States :math:`x_1, x_2, x_3` (indices 0, 1, 2), start state
:math:`x_1`; actions :math:`\mathcal A = \{-1,1\}^{d-1}` (index :math:`j` has
:math:`a_i = +1` iff bit :math:`i` of :math:`j` is set).  With
:math:`\delta_0 = 1/6` and :math:`\mu \in \{-\Delta, \Delta\}^{d-1}`,

.. math::

    P(x_3|x_1,a) = \delta_0 + \langle\mu, a\rangle, \quad
    P(x_2|x_1,a) = 1 - \delta_0 - \langle\mu, a\rangle,

and :math:`x_2, x_3` are absorbing.  Rewards :math:`r(x_3,\cdot) = 1/H`, zero
elsewhere.  Features and parameter:

.. math::

    \phi(x_2|x_1,a) = (\alpha(1-\delta_0), -\beta a^\top)^\top, \quad
    \phi(x_3|x_1,a) = (\alpha\delta_0, \beta a^\top)^\top, \quad
    \phi(s|s,a) = (\alpha, 0)^\top \ (s \in\{x_2,x_3\}), \quad
    \theta = (1/\alpha, \mu^\top/\beta)^\top .

[D] Scalings (not restated in the paper, checked in ``proofs_check/hf_rfe.py``):
:math:`\alpha^2 = 1/(1+\Delta)`, :math:`\beta^2 = \Delta/((d-1)(1+\Delta))`, so
that :math:`\alpha^2 + (d-1)\beta^2 = 1` (hence :math:`\|\phi_V\|\le 1`) and
:math:`\|\theta\|_2^2 = (1+\Delta)(1+(d-1)^2\Delta)`.

The rate of the lower bound appears when :math:`\Delta` is tied to the number of
episodes: :math:`\Delta = \sqrt{\delta_0/K}/(4\sqrt2)`.

[D] Closed-form gaps: :math:`V^*_1(x_1) - V^{a}_1(x_1) = \frac{H-1}{H}\,2\Delta\,
\#\{i : a_i \ne \mathrm{sign}(\mu_i)\}` (the reward :math:`1/H` is collected in
each of the :math:`H-1` steps spent in :math:`x_3`).

[D] Indistinguishability of a hard pair.  Let :math:`\mu` and :math:`\mu^{(i)}`
differ only in the sign of coordinate :math:`i`.  Reward-free exploration
observes per episode the action :math:`a` at :math:`x_1` and the next state
(after which the trajectory is deterministic), i.e. a
:math:`\mathrm{Bernoulli}(p_a)` outcome with :math:`p_a = \delta_0 + \langle\mu, a\rangle`.
By the chain rule, for every (adaptive) exploration policy run for :math:`K`
episodes,

.. math::

    \mathrm{KL}(\mathbb P^K_\mu \,\|\, \mathbb P^K_{\mu^{(i)}})
      = \mathbb E_\mu\Bigl[\sum_{k=1}^K \mathrm{kl}(p_{a_k} \| p^{(i)}_{a_k})\Bigr]
      \le K \max_a \mathrm{kl}(p_a \| p^{(i)}_a),

with equality for the policy that always plays the maximising action
(:func:`hypercube_pair_kl`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..._errors import ValidationError
from ..._validation import check_int
from ...models.linear import LinearMixtureMDP
from ..._random import as_generator
from ...kernels.linalg import matvec

DELTA0 = 1.0 / 6.0

__all__ = ["HypercubeInstance", "hypercube_instance", "hypercube_actions", "hypercube_gaps",
           "hypercube_pair_kl", "bernoulli_kl", "delta_for_K", "DELTA0"]

EXPLORATION_POLICIES = ("most_informative", "uniform")


def delta_for_K(K: int, delta0: float = DELTA0) -> float:
    r""":math:`\Delta = \sqrt{\delta_0/K}/(4\sqrt 2)` (proof of Thm 2.6.8 / Zhou & Gu 2022a Thm 5.4)."""
    K = check_int(K, "K", minimum=1)
    return math.sqrt(delta0 / K) / (4.0 * math.sqrt(2.0))


def hypercube_actions(d: int) -> np.ndarray:
    """All actions :math:`a\\in\\{-1,1\\}^{d-1}` as a ``(2^{d-1}, d-1)`` float array (bit ``i`` of the index -> ``a_i``)."""
    d = check_int(d, "d", minimum=2)
    j = np.arange(2 ** (d - 1))[:, None]
    bits = (j >> np.arange(d - 1)[None, :]) & 1
    return np.where(bits == 1, 1.0, -1.0)


def hypercube_gaps(d: int, H: int, Delta: float, signs) -> np.ndarray:
    r"""Closed-form gaps :math:`\frac{H-1}{H} 2\Delta \#\{i: a_i \ne \mathrm{sign}\,\mu_i\}` for every action, ``(2^{d-1},)``."""
    acts = hypercube_actions(d)
    signs = np.asarray(signs, dtype=float)
    wrong = (acts != signs[None, :]).sum(axis=1)
    return (H - 1) / H * 2.0 * Delta * wrong


@dataclass(frozen=True, eq=False)
class HypercubeInstance:
    """The hypercube instance and its parameters.

    Attributes
    ----------
    mdp : LinearMixtureMDP
    d, H : int
    Delta, delta0, alpha, beta : float
    signs : array (d-1,) of +-1, :math:`\\mathrm{sign}(\\mu)`
    actions : array (2^{d-1}, d-1)
    """

    mdp: LinearMixtureMDP
    d: int
    H: int
    Delta: float
    delta0: float
    alpha: float
    beta: float
    signs: np.ndarray
    actions: np.ndarray

    @property
    def mu(self) -> np.ndarray:
        return self.Delta * self.signs

    def gaps(self) -> np.ndarray:
        """Closed-form gaps of all actions at :math:`x_1` (see module docstring)."""
        return hypercube_gaps(self.d, self.H, self.Delta, self.signs)

    @property
    def optimal_action(self) -> int:
        return int(np.argmin(self.gaps()))


def hypercube_instance(d: int, H: int, *, K: int | None = None, Delta: float | None = None,
                       signs=None, seed=None, delta0: float = DELTA0) -> HypercubeInstance:
    r"""The lower-bound hypercube instance (module docstring).

    Parameters
    ----------
    d : int, >= 2
        Dimension; there are :math:`2^{d-1}` actions.
    H : int, >= 2
    K : int, optional
        Tie :math:`\Delta` to the episode budget, :math:`\Delta = \sqrt{\delta_0/K}/(4\sqrt2)`.
    Delta : float, optional
        Give :math:`\Delta` directly (exactly one of ``K``, ``Delta``).
    signs : array (d-1,) of +-1, optional
        :math:`\mathrm{sign}(\mu)`; default drawn uniformly from ``seed``.
    seed : int, SeedSequence or Generator, optional
    delta0 : float in (0, 1)

    Raises
    ------
    rltheory.ValidationError
        If :math:`\delta_0 \pm (d-1)\Delta \notin [0,1]` (the transition would not
        be a distribution), or the arguments are inconsistent.
    """
    d = check_int(d, "d", minimum=2)
    H = check_int(H, "H", minimum=2)
    if (K is None) == (Delta is None):
        raise ValidationError("give exactly one of K and Delta (rule: Delta is tied to K or given)")
    if not 0.0 < delta0 < 1.0:
        raise ValidationError(f"delta0 = {delta0} (rule: in (0, 1))")
    Delta = delta_for_K(K, delta0) if K is not None else float(Delta)
    if not Delta > 0 or delta0 + (d - 1) * Delta > 1 or delta0 - (d - 1) * Delta < 0:
        raise ValidationError(f"Delta = {Delta:.6g}, d = {d}: delta0 +- (d-1) Delta leaves [0, 1] "
                              f"(rule: 0 < Delta <= min(delta0, 1 - delta0)/(d-1); with Delta tied to K "
                              "this needs a larger K)")
    if signs is None:
        if seed is None:
            raise ValidationError("give signs or a seed to draw them")
        signs = as_generator(seed).choice(np.array([-1.0, 1.0]), size=d - 1)
    signs = np.asarray(signs, dtype=float)
    if signs.shape != (d - 1,) or not np.all(np.abs(signs) == 1):
        raise ValidationError(f"signs = {signs} (rule: a ({d - 1},) vector of +-1)")
    alpha = math.sqrt(1.0 / (1.0 + Delta))
    beta = math.sqrt(Delta / ((d - 1) * (1.0 + Delta)))
    acts = hypercube_actions(d)
    nA = acts.shape[0]
    phi = np.zeros((3, nA, 3, d))
    phi[0, :, 1, 0] = alpha * (1.0 - delta0)
    phi[0, :, 1, 1:] = -beta * acts
    phi[0, :, 2, 0] = alpha * delta0
    phi[0, :, 2, 1:] = beta * acts
    phi[1, :, 1, 0] = alpha
    phi[2, :, 2, 0] = alpha
    theta = np.concatenate([[1.0 / alpha], Delta * signs / beta])
    R = np.zeros((3, nA))
    R[2, :] = 1.0 / H
    mu0 = np.array([1.0, 0.0, 0.0])
    mdp = LinearMixtureMDP(phi, theta, mu0, H, R=R, reward_range="total",
                           name=f"hypercube(d={d}, Delta={Delta:.4g})")
    return HypercubeInstance(mdp, d, H, Delta, delta0, alpha, beta, signs, acts)


def bernoulli_kl(p, q) -> np.ndarray:
    r""":math:`\mathrm{kl}(p\|q) = p\log\frac pq + (1-p)\log\frac{1-p}{1-q}` elementwise, for p, q in (0, 1)."""
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    return p * np.log(p / q) + (1.0 - p) * np.log((1.0 - p) / (1.0 - q))


def hypercube_pair_kl(d: int, Delta: float, K: int, signs, coordinate: int, *,
                      policy: str = "most_informative", delta0: float = DELTA0) -> float:
    r"""Exact KL between the :math:`K`-episode observation laws of :math:`\mu` and :math:`\mu^{(i)}`.

    :math:`\mu = \Delta\,\mathrm{signs}` and :math:`\mu^{(i)}` flips coordinate
    ``coordinate``; the observation of an episode is the action at :math:`x_1` and
    the next state (module docstring).

    Parameters
    ----------
    d : int, >= 2
    Delta : float
        Must keep :math:`\delta_0 \pm (d-1)\Delta` inside (0, 1).
    K : int
        Number of exploration episodes.
    signs : array (d-1,) of +-1
    coordinate : int in [0, d-2]
    policy : {"most_informative", "uniform"}
        ``"most_informative"``: :math:`K\max_a\mathrm{kl}(p_a\|p^{(i)}_a)`, the largest
        KL any exploration policy (adaptive or not) can reach; ``"uniform"``: the
        uniform policy over :math:`\{-1,1\}^{d-1}`, :math:`K\,\mathrm{mean}_a\mathrm{kl}`.
    delta0 : float

    Returns
    -------
    float
    """
    d = check_int(d, "d", minimum=2)
    K = check_int(K, "K", minimum=1)
    coordinate = check_int(coordinate, "coordinate", minimum=0)
    if coordinate > d - 2:
        raise ValidationError(f"coordinate = {coordinate} (rule: in [0, {d - 2}])")
    if policy not in EXPLORATION_POLICIES:
        raise ValidationError(f"policy = {policy!r} (rule: one of {EXPLORATION_POLICIES})")
    if not Delta > 0 or not 0 < delta0 - (d - 1) * Delta or not delta0 + (d - 1) * Delta < 1:
        raise ValidationError(f"Delta = {Delta:.6g}, d = {d} (rule: delta0 +- (d-1) Delta inside (0, 1))")
    mu = Delta * np.asarray(signs, dtype=float)
    if mu.shape != (d - 1,):
        raise ValidationError(f"signs has shape {mu.shape} (rule: ({d - 1},))")
    mu_i = mu.copy()
    mu_i[coordinate] = -mu_i[coordinate]
    acts = hypercube_actions(d)
    acts = np.ascontiguousarray(acts, dtype=np.float64)
    n_act = acts.shape[0]
    kl = bernoulli_kl(delta0 + matvec(acts, mu, np.empty(n_act)),          # fixed order, no BLAS
                      delta0 + matvec(acts, mu_i, np.empty(n_act)))
    return float(K * (kl.max() if policy == "most_informative" else kl.mean()))
