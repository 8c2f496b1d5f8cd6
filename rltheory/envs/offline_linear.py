r"""Offline data for linear MDPs: the tabular-as-linear family, behaviour policies and offline datasets.

Setting of Wagenmaker & Pacchiano, *Leveraging Offline Data in Online
Reinforcement Learning*, ICML 2023, arXiv 2211.04974 (FTPedel), Section 1 of
the specification: an episodic linear MDP (Jin et al. 2020) with known
features :math:`\phi(s,a)`, an offline dataset :math:`\mathcal D_{\rm off}` of
transitions :math:`(s_h, a_h, r_h, s_{h+1})` at every step :math:`h`, and its
offline covariance

.. math::
    \Lambda_{{\rm off},h} = \sum_{\tau \in \mathcal D_{\rm off}} \phi(s^\tau_h, a^\tau_h)\,
    \phi(s^\tau_h, a^\tau_h)^\top .

Everything here is **reconstructed** [R]: only the paper's abstract is
verified; the instance family, the behaviour policies and the two-branch
separation instance are the specification's design (Sections 5-6).

Tabular-as-linear family
    A layered MDP (disjoint layers :math:`\mathcal S_0, \dots, \mathcal S_{H-1}`,
    transitions from layer :math:`h` to layer :math:`h+1`) is a linear MDP with
    one-hot features :math:`\phi(s,a) = e_{(s,a)} \in \mathbb R^{SA}` (index
    ``s * A + a``), :math:`\mu(s') = (P(s'|s,a))_{(s,a)}` and
    :math:`\theta = (r(s,a))_{(s,a)}`.  At step :math:`h` only the pairs of
    layer :math:`h` are occupied; the features *restricted to the reachable
    pairs* of step :math:`h` (``step_pairs[h]``, those with positive occupancy
    under the uniform policy, hence under some policy) span the achievable
    covariances, so the explorability assumption
    :math:`\sup_\pi \lambda_{\min}(\mathbb E_{d^\pi_h}[\phi\phi^\top]) > 0`
    holds on them (specification Section 7, "restrict to reachable (s,a)").
    A stationary deterministic policy ``pi (S,)`` is a Markov policy (state
    ``s`` is only visited at step ``layer[s]``); its ``(H, S)`` form repeats it.

Behaviour policies (specification Section 6, item 1)
    (a) ``"expert"``: the optimal policy :math:`\pi^\star`;
    (b) ``"eps_greedy"``: :math:`(1-\epsilon)\pi^\star + \epsilon\,\mathrm{Unif}`;
    (c) ``"uniform"``; (d) ``"hard_branch"``: uniform actions on episodes that
    start in the instance's *hard branch* (offline data need not come from the
    start distribution; only the conditional transitions matter, [R]).

Offline datasets
    :math:`N_{\rm off}` episodes of a behaviour, drawn through their sufficient
    statistics (counts :math:`n_h(s,a)`, reward sums, next-state counts
    :math:`n_h(s,a,s')`) by chained multinomials: the state counts of step
    :math:`h+1` are the next-state counts of step :math:`h`, actions are drawn
    by :math:`\mathrm{Multinomial}(n_h(s), \pi_b(\cdot|s))` and rewards are
    Bernoulli, :math:`\mathrm{Binomial}(n_h(s,a), r(s,a))` — the same joint law
    as drawing the episodes one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._errors import ValidationError
from .._random import as_generator
from .._validation import (as_float_array, check_distribution, check_int, check_layers, check_range,
                           check_shape)
from ..kernels.linalg import vecmat
from ..kernels.mdp import occupancy_kernel
from ..models.linear import LinearMDP
from ..models.tabular import TabularMDP
from ..solvers import backward_induction

__all__ = ["TabularLinearMDP", "Behaviour", "OfflineLinearData", "BEHAVIOURS", "tabular_as_linear",
           "random_layered_linear", "two_branch_instance", "behaviour_policy", "behaviour_occupancy",
           "sample_offline_linear", "expected_offline_counts", "offline_covariance", "empty_offline"]

#: The four behaviour policies of specification Section 6, item 1.
BEHAVIOURS = ("expert", "eps_greedy", "uniform", "hard_branch")


def _store(obj, **fields):
    for k, a in fields.items():
        if isinstance(a, np.ndarray):
            a.setflags(write=False)
        object.__setattr__(obj, k, a)


@dataclass(frozen=True, eq=False)
class TabularLinearMDP:
    r"""A layered tabular MDP written as a linear MDP with one-hot features (the tabular-as-linear family).

    Parameters
    ----------
    P : array_like(float), shape (S, A, S)
        Transitions on the union of layers; from layer ``h < H-1`` only to layer ``h+1``.  Rows of the
        last layer are ignored (the episode ends) and stored as self-loops.
    r : array_like(float), shape (S, A)
        Mean rewards in [0, 1] (the data draw Bernoulli rewards of these means).
    mu0 : array_like(float), shape (S,)
        Start distribution, on layer 0.
    layer : array_like(int), shape (S,)
        Layer of every state; layers ``0..H-1``, each non-empty.
    hard : array_like(bool), shape (S,), optional
        The *hard branch* (behaviour (d)); must be closed under transitions.
    name : str

    Attributes
    ----------
    H, S, A : int
    d : int
        Feature dimension ``S * A`` (one-hot :math:`\phi(s,a) = e_{sA+a}`).
    linear : LinearMDP
        The same model as a :class:`rltheory.models.LinearMDP` (``phi (S, A, d)``, stationary ``mu``).
    tabular : TabularMDP
        The same model on the union of layers (``P4`` / ``R3`` for the kernels).
    step_pairs : tuple of H int arrays
        Feature indices of the pairs reachable at step ``h`` (the restricted features).
    v_star : float
        :math:`V^\star_0(\mu_0)`.
    pi_star : int array (S,)
        Lowest-index optimal action of every state.

    Raises
    ------
    rltheory.ValidationError
        Shapes; a transition that skips a layer (names ``s, a, s'``); rewards outside [0, 1]; ``mu0``
        off layer 0; an open hard branch.
    """

    P: np.ndarray
    r: np.ndarray
    mu0: np.ndarray
    layer: np.ndarray
    hard: np.ndarray | None = None
    name: str = ""
    H: int = field(init=False)
    S: int = field(init=False)
    A: int = field(init=False)
    d: int = field(init=False)
    linear: LinearMDP = field(init=False, repr=False)
    tabular: TabularMDP = field(init=False, repr=False)
    step_pairs: tuple = field(init=False, repr=False)
    v_star: float = field(init=False)
    pi_star: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        P = as_float_array(self.P, "P", ndim=3)
        S, A = P.shape[0], P.shape[1]
        check_shape(P, "P", (S, A, S))
        r = as_float_array(self.r, "r", ndim=2)
        check_shape(r, "r", (S, A))
        check_range(r, "r", 0.0, 1.0, "rewards")
        mu0 = as_float_array(self.mu0, "mu0", ndim=1)
        check_shape(mu0, "mu0", (S,))
        check_distribution(mu0, "mu0")
        layer = check_layers(self.layer, S)
        H = int(layer.max()) + 1
        off0 = np.flatnonzero((mu0 > 0) & (layer != 0))
        if off0.size:
            raise ValidationError(f"mu0[{off0[0]}] = {mu0[off0[0]]} on layer {layer[off0[0]]} "
                                  "(rule: mu0 lives on layer 0)")
        last = layer == H - 1
        P = P.copy()
        P[last] = 0.0
        P[np.flatnonzero(last), :, np.flatnonzero(last)] = 1.0
        check_distribution(P, "P")
        for s in np.flatnonzero(~last):
            bad = (P[s] > 0) & (layer[None, :] != layer[s] + 1)
            if bad.any():
                a, t = np.argwhere(bad)[0]
                raise ValidationError(f"P[{s}, {a}, {t}] = {P[s, a, t]:.6g} goes from layer {layer[s]} to "
                                      f"layer {layer[t]} (rule: layer h -> layer h+1)")
        hard = None
        if self.hard is not None:
            hard = np.asarray(self.hard)
            if hard.dtype != np.bool_ or hard.shape != (S,):
                raise ValidationError(f"hard has dtype {hard.dtype} and shape {hard.shape} "
                                      f"(rule: bool array of shape ({S},))")
            for s in np.flatnonzero(hard & ~last):
                leak = (P[s] > 0) & ~hard[None, :]
                if leak.any():
                    a, t = np.argwhere(leak)[0]
                    raise ValidationError(f"P[{s}, {a}, {t}] = {P[s, a, t]:.6g} leaves the hard branch "
                                          "(rule: the hard branch is closed under transitions)")
            hard = hard.copy()
        d = S * A
        phi = np.eye(d).reshape(S, A, d)
        mu = np.ascontiguousarray(P.reshape(d, S))
        linear = LinearMDP(phi, mu, r.reshape(d), mu0, H, reward_range="per_step", name=self.name)
        tab = linear.to_tabular()
        unif = np.full((H, S, A), 1.0 / A)
        occ = np.zeros((H, S, A))
        occupancy_kernel(tab.P4, H, unif, mu0, occ)
        pairs = tuple(np.flatnonzero(occ[h].reshape(d) > 0) for h in range(H))
        sol = backward_induction(tab)
        Qs = sol.Q[layer, np.arange(S)]                      # (S, A): Q at each state's own step
        Vs = sol.V[layer, np.arange(S)]
        pi_star = np.argmax(Qs >= Vs[:, None] - 1e-12, axis=1).astype(np.int64)
        _store(self, P=P, r=r, mu0=mu0, layer=layer, hard=hard, H=H, S=S, A=A, d=d, linear=linear,
               tabular=tab, step_pairs=pairs, v_star=float(sol.value), pi_star=pi_star)

    def as_markov(self, pi) -> np.ndarray:
        """The ``(H, S)`` form of stationary deterministic policies ``pi (..., S)``."""
        pi = np.asarray(pi, dtype=np.int64)
        return np.repeat(pi[..., None, :], self.H, axis=-2)

    def __repr__(self) -> str:
        nm = f"{self.name!r}, " if self.name else ""
        return f"TabularLinearMDP({nm}H={self.H}, S={self.S}, A={self.A}, d={self.d})"


def tabular_as_linear(P, r, mu0, layer, hard=None, name: str = "") -> TabularLinearMDP:
    """Build a :class:`TabularLinearMDP` (see its docstring)."""
    return TabularLinearMDP(P, r, mu0, layer, hard=hard, name=name)


def random_layered_linear(layer_sizes, A: int, seed, *, concentration: float = 1.0) -> TabularLinearMDP:
    r"""A random layered MDP in the tabular-as-linear family.

    Layer 0 has a single start state; transitions
    :math:`P(\cdot|s,a) \sim \mathrm{Dirichlet}(\text{concentration})` over the next layer; mean
    rewards :math:`r(s,a) \sim U[0,1]`.

    Parameters
    ----------
    layer_sizes : sequence of int, first entry 1
    A : int >= 1
    seed : int, SeedSequence or Generator
    concentration : float > 0
    """
    sizes = [check_int(int(n), "layer_sizes[i]", 1) for n in layer_sizes]
    if not sizes or sizes[0] != 1:
        raise ValidationError(f"layer_sizes = {list(layer_sizes)} (rule: non-empty, a single start state)")
    A = check_int(A, "A", 1)
    if not concentration > 0:
        raise ValidationError(f"concentration = {concentration} (rule: > 0)")
    rng = as_generator(seed)
    S = sum(sizes)
    layer = np.repeat(np.arange(len(sizes)), sizes)
    start = np.concatenate([[0], np.cumsum(sizes)])
    P = np.zeros((S, A, S))
    for h in range(len(sizes) - 1):
        lo, hi = start[h + 1], start[h + 2]
        P[start[h]:start[h + 1], :, lo:hi] = rng.dirichlet(np.full(hi - lo, float(concentration)),
                                                            size=(sizes[h], A))
    r = rng.uniform(0.0, 1.0, size=(S, A))
    mu0 = np.zeros(S)
    mu0[0] = 1.0
    return TabularLinearMDP(P, r, mu0, layer, name=f"random_layered_linear({sizes}, A={A})")


def two_branch_instance(p: float, gap_hard: float = 0.5, gap_easy: float = 0.2,
                        gap_start: float = 0.5) -> TabularLinearMDP:
    r"""The two-branch separation instance with reach probability ``p`` (specification Section 5, [R]).

    States: ``0`` = start :math:`s_0` (layer 0); ``1`` = hard :math:`h_1`, ``2`` = easy :math:`e_1`
    (layer 1); ``3`` = :math:`h_2`, ``4`` = :math:`e_2` (layer 2); two actions.  Every action of
    :math:`s_0` leads to :math:`h_1` with probability :math:`p` and to :math:`e_1` otherwise, so *no
    policy* reaches the hard branch with probability above :math:`p`; :math:`h_1 \to h_2` and
    :math:`e_1 \to e_2`.  At a state with gap :math:`g` the mean rewards are :math:`1/2 \pm g/2`
    (action 0 is optimal): :math:`g` = ``gap_start`` at :math:`s_0`, ``gap_hard`` in the hard branch,
    ``gap_easy`` in the easy branch.  A deterministic policy's gap is therefore

    .. math::
        \Delta(\pi) = g_0 m_0 + p\,g_{\rm hard}\,m_{\rm hard} + (1-p)\,g_{\rm easy}\,m_{\rm easy},

    with :math:`m` the number of wrong actions in each part.  Offline data of behaviour (d) cover
    the hard branch and leave the easy branch (and :math:`s_0`) unseen.  The construction fixes the
    gaps, not the number of episodes any learner spends.
    """
    p = float(p)
    if not 0.0 < p < 1.0:
        raise ValidationError(f"p = {p} (rule: 0 < p < 1)")
    for nm, g in (("gap_hard", gap_hard), ("gap_easy", gap_easy), ("gap_start", gap_start)):
        if not 0.0 <= float(g) <= 1.0:
            raise ValidationError(f"{nm} = {g} (rule: in [0, 1])")
    S, A = 5, 2
    P = np.zeros((S, A, S))
    P[0, :, 1] = p
    P[0, :, 2] = 1.0 - p
    P[1, :, 3] = 1.0
    P[2, :, 4] = 1.0
    r = np.empty((S, A))
    for s, g in zip(range(S), (gap_start, gap_hard, gap_easy, gap_hard, gap_easy)):
        r[s] = (0.5 + g / 2, 0.5 - g / 2)
    mu0 = np.array([1.0, 0.0, 0.0, 0.0, 0.0])
    layer = np.array([0, 1, 1, 2, 2])
    hard = np.array([False, True, False, True, False])
    return TabularLinearMDP(P, r, mu0, layer, hard=hard,
                            name=f"two_branch(p={p:g}, gaps={gap_start:g}/{gap_hard:g}/{gap_easy:g})")


@dataclass(frozen=True, eq=False)
class Behaviour:
    r"""A behaviour: episodes start at step ``start_step`` from ``start (S,)`` and follow ``policy (S, A)``.

    Attributes
    ----------
    name : str
        One of :data:`BEHAVIOURS` (or a user label).
    start_step : int
    start : float array (S,), on layer ``start_step``
    policy : float array (S, A), stochastic, stationary (layered states)
    """

    name: str
    start_step: int
    start: np.ndarray
    policy: np.ndarray

    def __post_init__(self):
        start = as_float_array(self.start, "start", ndim=1)
        check_distribution(start, "start")
        pol = as_float_array(self.policy, "policy", ndim=2)
        check_shape(pol, "policy", (start.shape[0], None))
        check_distribution(pol, "policy")
        _store(self, start_step=check_int(self.start_step, "start_step", 0), start=start, policy=pol)


def behaviour_policy(inst: TabularLinearMDP, kind: str, eps_greedy: float = 0.1) -> Behaviour:
    r"""One of the four behaviour policies (a)-(d) of specification Section 6.

    Parameters
    ----------
    inst : TabularLinearMDP
    kind : {"expert", "eps_greedy", "uniform", "hard_branch"}
    eps_greedy : float in [0, 1]
        :math:`\epsilon` of behaviour (b).

    Returns
    -------
    Behaviour
    """
    if kind not in BEHAVIOURS:
        raise ValidationError(f"kind = {kind!r} (rule: one of {BEHAVIOURS})")
    if not 0.0 <= float(eps_greedy) <= 1.0:
        raise ValidationError(f"eps_greedy = {eps_greedy} (rule: in [0, 1])")
    S, A = inst.S, inst.A
    expert = np.zeros((S, A))
    expert[np.arange(S), inst.pi_star] = 1.0
    unif = np.full((S, A), 1.0 / A)
    if kind == "expert":
        return Behaviour(kind, 0, inst.mu0.copy(), expert)
    if kind == "eps_greedy":
        e = float(eps_greedy)
        return Behaviour(kind, 0, inst.mu0.copy(), (1.0 - e) * expert + e * unif)
    if kind == "uniform":
        return Behaviour(kind, 0, inst.mu0.copy(), unif)
    if inst.hard is None or not inst.hard.any():
        raise ValidationError(f"{inst!r} has no hard branch (rule: behaviour 'hard_branch' needs inst.hard)")
    h0 = int(inst.layer[inst.hard].min())
    start = (inst.hard & (inst.layer == h0)).astype(np.float64)
    return Behaviour(kind, h0, start / start.sum(), unif)


def behaviour_occupancy(inst: TabularLinearMDP, beh: Behaviour) -> np.ndarray:
    r"""Per-step pair law of one behaviour episode, ``(H, S, A)``: :math:`\Pr(s_h = s, a_h = a)`.

    Zero before ``beh.start_step``; each later step sums to 1.
    """
    H, S, A = inst.H, inst.S, inst.A
    out = np.zeros((H, S, A))
    rho = beh.start.copy()
    flat = np.ascontiguousarray(inst.P.reshape(S * A, S))
    for h in range(beh.start_step, H):
        out[h] = rho[:, None] * beh.policy
        rho = vecmat(np.ascontiguousarray(out[h].reshape(-1)), flat, np.empty(S))   # fixed order, no BLAS
    return out


def expected_offline_counts(inst: TabularLinearMDP, beh: Behaviour, N_off: int) -> np.ndarray:
    r""":math:`\mathbb E[n_h(s,a)] = N_{\rm off}\Pr_b(s_h = s, a_h = a)`, ``(H, S, A)`` (the oracle prediction's input)."""
    N_off = check_int(N_off, "N_off", 0)
    return N_off * behaviour_occupancy(inst, beh)


@dataclass(frozen=True, eq=False)
class OfflineLinearData:
    r"""Sufficient statistics of an offline dataset of ``N_off`` episodes, per step.

    Attributes
    ----------
    counts : int64 array (H, S, A)
        :math:`n_h(s,a)`; :math:`\Lambda_{{\rm off},h} = \mathrm{diag}(n_h)` for one-hot features.
    reward_sum : float64 array (H, S, A)
    next_counts : int64 array (H, S, A, S)
    N_off : int
    behaviour : str
    """

    counts: np.ndarray
    reward_sum: np.ndarray
    next_counts: np.ndarray
    N_off: int
    behaviour: str

    def __post_init__(self):
        c = np.asarray(self.counts)
        if c.ndim != 3 or c.dtype.kind not in "iu" or np.any(c < 0):
            raise ValidationError(f"counts has dtype {c.dtype} and shape {c.shape} "
                                  "(rule: non-negative integer (H, S, A))")
        H, S, A = c.shape
        nx = np.asarray(self.next_counts)
        if nx.shape != (H, S, A, S) or nx.dtype.kind not in "iu":
            raise ValidationError(f"next_counts has shape {nx.shape} (rule: integer ({H}, {S}, {A}, {S}))")
        if np.any(nx.sum(axis=-1) != c):
            h, s, a = np.argwhere(nx.sum(axis=-1) != c)[0]
            raise ValidationError(f"next_counts[{h}, {s}, {a}] sums to {nx[h, s, a].sum()} != counts = "
                                  f"{c[h, s, a]} (rule: every transition has a next state)")
        rs = np.asarray(self.reward_sum, dtype=np.float64)
        if rs.shape != c.shape or np.any(rs < -1e-12) or np.any(rs > c + 1e-9):
            raise ValidationError("reward_sum (rule: shape of counts, entries in [0, counts])")
        _store(self, counts=c.astype(np.int64), next_counts=nx.astype(np.int64), reward_sum=rs)


def empty_offline(inst: TabularLinearMDP) -> OfflineLinearData:
    """The empty dataset :math:`\\mathcal D_{\\rm off} = \\emptyset` (online-only learning)."""
    H, S, A = inst.H, inst.S, inst.A
    return OfflineLinearData(np.zeros((H, S, A), np.int64), np.zeros((H, S, A)),
                             np.zeros((H, S, A, S), np.int64), 0, "none")


def sample_offline_linear(inst: TabularLinearMDP, beh: Behaviour, N_off: int, *, seed) -> OfflineLinearData:
    r"""Draw an offline dataset of ``N_off`` behaviour episodes through its sufficient statistics.

    Chained multinomials (module docstring): exactly the law of ``N_off`` independent episodes.

    Parameters
    ----------
    inst : TabularLinearMDP
    beh : Behaviour
    N_off : int >= 0
    seed : int, numpy.random.SeedSequence or numpy.random.Generator

    Returns
    -------
    OfflineLinearData

    Examples
    --------
    >>> inst = two_branch_instance(0.1)
    >>> data = sample_offline_linear(inst, behaviour_policy(inst, "hard_branch"), 100, seed=0)
    >>> int(data.counts[1].sum()), int(data.counts[1, 2].sum())      # step 1: all in the hard state
    (100, 0)
    """
    N_off = check_int(N_off, "N_off", 0)
    H, S, A = inst.H, inst.S, inst.A
    if beh.policy.shape != (S, A) or not beh.start_step < H:
        raise ValidationError(f"behaviour {beh.name!r}: policy {beh.policy.shape}, start_step {beh.start_step} "
                              f"(rule: policy (S, A) = ({S}, {A}) and start_step < H = {H})")
    off = np.flatnonzero((beh.start > 0) & (inst.layer != beh.start_step))
    if off.size:
        raise ValidationError(f"behaviour {beh.name!r}: start[{off[0]}] > 0 on layer {inst.layer[off[0]]} "
                              f"(rule: episodes start on layer start_step = {beh.start_step})")
    rng = as_generator(seed)
    counts = np.zeros((H, S, A), np.int64)
    sums = np.zeros((H, S, A))
    nxt = np.zeros((H, S, A, S), np.int64)
    state_counts = rng.multinomial(N_off, beh.start)
    for h in range(beh.start_step, H):
        for s in range(S):
            if state_counts[s]:
                counts[h, s] = rng.multinomial(state_counts[s], beh.policy[s])
        sums[h] = rng.binomial(counts[h], inst.r).astype(np.float64)
        for s in range(S):
            for a in range(A):
                if counts[h, s, a]:
                    nxt[h, s, a] = rng.multinomial(counts[h, s, a], inst.P[s, a])
        state_counts = nxt[h].sum(axis=(0, 1))
    return OfflineLinearData(counts, sums, nxt, N_off, beh.name)


def offline_covariance(inst: TabularLinearMDP, data: OfflineLinearData) -> np.ndarray:
    r""":math:`\Lambda_{{\rm off},h} = \sum_{s,a} n_h(s,a)\,\phi(s,a)\phi(s,a)^\top`, shape ``(H, d, d)``.

    Written for the general feature map ``inst.linear.phi``; with one-hot features it is
    :math:`\mathrm{diag}(n_h)`.
    """
    phi = inst.linear.phi.reshape(inst.S * inst.A, inst.d)
    n = data.counts.reshape(inst.H, -1).astype(np.float64)
    out = np.zeros((inst.H, inst.d, inst.d))
    for h in range(inst.H):
        for k in np.flatnonzero(n[h]):
            out[h] += n[h, k] * np.outer(phi[k], phi[k])
    return out
