r"""Layered instances with tunable coverability, finite model families and offline data.

For Amortila, Foster, Jiang, Sekhari & Xie, "Harnessing Density Ratios for
Online Reinforcement Learning", ICLR 2024, arXiv 2401.09681; the construction
is the specification's Section 6 [R, design].

**The kappa-controlled layered family** (:func:`kappa_layered`).  States
:math:`x \in \{0..S-1\}` at every step :math:`h = 0..H-1`, start state 0, and

.. math::

    P_h(x' \mid x, a) = (1 - \kappa)\,\nu(x') + \kappa\, \mathbb 1[x' = g_h(x, a)],
    \qquad g_h(x, a) = (A x + a + c_h) \bmod S,

with :math:`\nu` uniform and a shift :math:`c_h` drawn per step.  From any state
:math:`A^k` successors are reachable in :math:`k` steps, so for :math:`\kappa = 1`
and :math:`A^h \ge S` every state is reached for sure (:math:`C_h = SA`), while for
:math:`\kappa = 0` the dynamics ignore the action (:math:`C_h = A`).  The
exact :math:`C_{\mathrm{cov}}` is :func:`rltheory.solvers.coverability`.

Rewards are paid at the last step only, so every return lies in :math:`[0, 1]`
(``reward_range="total"``, the paper's normalisation): base rewards
:math:`b(x,a) \sim U[0, b_{\max}]` and a *jackpot* pair :math:`(x^\dagger, a^\dagger)`
paying ``jackpot``.

**Model families** (:func:`model_family`): the true model and perturbed
candidates, in a random order (the index of the truth is returned):

* ``"optimistic"``: the jackpot moved to another last-step pair with a larger
  value (1.0); they differ from the truth at two pairs only, and those are
  hard to reach when :math:`\kappa` is large (only the action sequences that
  lead there reach them);
* ``"pessimistic"``: the jackpot pair pays a base reward (the candidate
  differs only at :math:`(x^\dagger, a^\dagger)`): a learner that trusts it never goes there;
* ``"transition"``: one step of :math:`g` on the optimal path redirected: the mass
  :math:`\max(\kappa, 1/S)` of the row moved from :math:`g_h(x,a)` to another state (a wrong belief
  about the dynamics; it differs from the truth at one pair even when :math:`\kappa = 0`).

**Offline data** (:func:`offline_distribution`, :func:`sample_offline`):
:math:`\nu_h = (1-\eta) d^{\pi^*}_h + \eta\, \mathrm{Unif}(\mathcal S \times \mathcal A)`
per layer, with :math:`C^\star = \max_{h,x,a} d^{\pi^*}_h(x,a)/\nu_h(x,a)`
(Definition 4.4) computed exactly (:func:`single_policy_concentrability`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._random import as_generator
from .._validation import as_float_array, check_int, check_probability
from ..kernels.sampling import cumulative
from ..models import TabularMDP
from ..solvers import backward_induction, occupancy

__all__ = ["kappa_layered", "ModelFamily", "model_family", "offline_distribution",
           "single_policy_concentrability", "sample_offline", "KINDS"]

#: Kinds of candidate models in a family.
KINDS = ("true", "optimistic", "pessimistic", "transition")


def _layered_arrays(S, A, H, kappa, shifts, base, jack, jackpot):
    nu = np.full(S, 1.0 / S)
    P = np.empty((H, S, A, S))
    for h in range(H):
        for x in range(S):
            for a in range(A):
                P[h, x, a] = (1.0 - kappa) * nu
                P[h, x, a, (A * x + a + shifts[h]) % S] += kappa
    R = np.zeros((H, S, A))
    R[H - 1] = base
    R[H - 1, jack[0], jack[1]] = jackpot
    return P, R


def kappa_layered(S: int, A: int, H: int, kappa: float, seed=0, jackpot: float = 0.8,
                  base_max: float = 0.3) -> TabularMDP:
    r"""The :math:`\kappa`-controlled layered MDP (module docstring), ``reward_range="total"``.

    Draws, in order: the shifts :math:`c_h` (``H`` integers), the base rewards
    (``S*A`` uniforms), the jackpot state and action.

    Examples
    --------
    >>> from rltheory.solvers import coverability
    >>> [coverability(kappa_layered(4, 2, 3, k, seed=0)).value for k in (0.0, 1.0)]
    [2.0, 8.0]
    """
    S, A, H = check_int(S, "S", 2), check_int(A, "A", 2), check_int(H, "H", 2)
    kappa = check_probability(kappa, "kappa")
    jackpot = check_probability(jackpot, "jackpot")
    base_max = check_probability(base_max, "base_max")
    return _draw_kappa_layered(S, A, H, kappa, as_generator(seed), jackpot, base_max)[0]


def _draw_kappa_layered(S, A, H, kappa, rng, jackpot, base_max):
    """The true instance from ``rng`` (shifts, base rewards, jackpot pair, in that order), with the
    draws the model family perturbs: ``(mdp, P, R, shifts, base, jack)``."""
    shifts = rng.integers(0, S, size=H)
    base = rng.uniform(0.0, base_max, size=(S, A))
    jack = (int(rng.integers(S)), int(rng.integers(A)))
    P, R = _layered_arrays(S, A, H, kappa, shifts, base, jack, jackpot)
    mu0 = np.zeros(S)
    mu0[0] = 1.0
    mdp = TabularMDP(P, R, mu0, H=H, reward_range="total", name=f"kappa_layered(kappa={kappa:g})")
    return mdp, P, R, shifts, base, jack


@dataclass(frozen=True, eq=False)
class ModelFamily:
    """A finite model class :math:`\\mathcal M` containing the true model.

    Attributes
    ----------
    models : tuple of TabularMDP
        The candidates (one of them the truth).
    kinds : tuple of str
        The kind of each candidate (:data:`KINDS`).
    true_index : int
        Index of the true model.
    """

    models: tuple
    kinds: tuple
    true_index: int

    @property
    def truth(self) -> TabularMDP:
        """The true model."""
        return self.models[self.true_index]

    def __len__(self) -> int:
        return len(self.models)


def model_family(S: int, A: int, H: int, kappa: float, seed=0, n_optimistic: int = 6, n_pessimistic: int = 5,
                 n_transition: int = 4, jackpot: float = 0.8, base_max: float = 0.3) -> ModelFamily:
    r"""The true :func:`kappa_layered` instance and perturbed candidates, in a random order.

    The same ``seed`` draws the true instance exactly as :func:`kappa_layered`
    does, then the candidates: optimistic jackpot pairs (distinct, not the
    true one), pessimistic candidates (the jackpot pair pays a base reward
    :math:`U[0, b_{\max}]`), redirected steps (a step ``h < H-1`` and the
    redirection of :math:`g_h` at the optimal path's pair), then the order.

    Examples
    --------
    >>> fam = model_family(4, 2, 3, 1.0, seed=0, n_optimistic=2, n_pessimistic=1, n_transition=1)
    >>> (len(fam), fam.kinds.count("true"), fam.kinds[fam.true_index])
    (5, 1, 'true')
    """
    S, A, H = check_int(S, "S", 2), check_int(A, "A", 2), check_int(H, "H", 2)
    for v, nm in ((n_optimistic, "n_optimistic"), (n_pessimistic, "n_pessimistic"), (n_transition, "n_transition")):
        check_int(v, nm, 0)
    if n_optimistic > S * A - 1:
        raise ValidationError(f"n_optimistic = {n_optimistic} (rule: at most S*A - 1 = {S * A - 1} other pairs)")
    kappa = check_probability(kappa, "kappa")
    rng = as_generator(seed)
    true, P, R, shifts, base, jack = _draw_kappa_layered(S, A, H, kappa, rng, jackpot, base_max)
    mu0, name = true.mu0, true.name
    cands, kinds = [true], ["true"]
    others = [i for i in range(S * A) if i != jack[0] * A + jack[1]]
    for i in rng.permutation(others)[:n_optimistic]:
        R2 = R.copy()
        R2[H - 1, jack[0], jack[1]] = base[jack]
        R2[H - 1, i // A, i % A] = 1.0
        cands.append(TabularMDP(P, R2, mu0, H=H, reward_range="total", name=name + " optimistic"))
        kinds.append("optimistic")
    for _ in range(n_pessimistic):
        R2 = R.copy()
        R2[H - 1, jack[0], jack[1]] = rng.uniform(0.0, base_max)
        cands.append(TabularMDP(P, R2, mu0, H=H, reward_range="total", name=name + " pessimistic"))
        kinds.append("pessimistic")
    pi_star = backward_induction(true).policy
    d_star = occupancy(true, pi_star).sum(axis=2)
    for _ in range(n_transition):
        h = int(rng.integers(H - 1))
        x = int(np.argmax(d_star[h]))
        a = int(pi_star[h, x])
        P2 = P.copy()
        old = (A * x + a + shifts[h]) % S
        new = (old + 1 + int(rng.integers(S - 1))) % S
        moved = min(max(kappa, 1.0 / S), P2[h, x, a, old])   # kappa = 0 still moves the nu mass 1/S
        P2[h, x, a, old] -= moved
        P2[h, x, a, new] += moved
        cands.append(TabularMDP(P2, R, mu0, H=H, reward_range="total", name=name + " transition"))
        kinds.append("transition")
    order = rng.permutation(len(cands))
    models = tuple(cands[i] for i in order)
    return ModelFamily(models, tuple(kinds[i] for i in order), int(np.argmax(order == 0)))


def offline_distribution(mdp: TabularMDP, eta: float) -> np.ndarray:
    r""":math:`\nu_h = (1-\eta) d^{\pi^*}_h + \eta/(SA)`, shape ``(H, S, A)``.

    :math:`\pi^*` from backward induction (ties to the lowest action)."""
    eta = check_probability(eta, "eta")
    d = occupancy(mdp, backward_induction(mdp).policy)
    return (1.0 - eta) * d + eta / (mdp.S * mdp.A)


def single_policy_concentrability(mdp: TabularMDP, nu) -> float:
    r""":math:`C^\star = \max_{h,x,a} d^{\pi^*}_h(x,a) / \nu_h(x,a)` (Def. 4.4).

    ``+inf`` if :math:`\nu` misses the support of :math:`d^{\pi^*}`.

    Examples
    --------
    >>> M = kappa_layered(4, 2, 3, 1.0, seed=0)
    >>> round(single_policy_concentrability(M, offline_distribution(M, 0.5)), 6)   # 1 / (0.5 + 0.5/8)
    1.777778
    """
    nu = as_float_array(nu, "nu", ndim=3)
    if nu.shape != (mdp.H, mdp.S, mdp.A):
        raise ValidationError(f"nu has shape {nu.shape} (rule: (H, S, A) = {(mdp.H, mdp.S, mdp.A)})")
    d = occupancy(mdp, backward_induction(mdp).policy)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(nu > 0, d / np.where(nu > 0, nu, 1.0), np.where(d > 0, np.inf, 0.0))
    return float(r.max())


def sample_offline(mdp: TabularMDP, nu, n: int, seed=0):
    r"""``n`` i.i.d. tuples per layer: :math:`(x,a) \sim \nu_h`, :math:`x' \sim P_h(\cdot|x,a)`, :math:`r = R_h(x,a)`.

    Returns ``(tuples, rewards)``: int64 ``(3, H, n)`` rows ``x, a, x'`` and float ``(H, n)``.
    """
    n = check_int(n, "n", 0)
    nu = as_float_array(nu, "nu", ndim=3)
    if nu.shape != (mdp.H, mdp.S, mdp.A):
        raise ValidationError(f"nu has shape {nu.shape} (rule: (H, S, A) = {(mdp.H, mdp.S, mdp.A)})")
    rng = as_generator(seed)
    out = np.zeros((3, mdp.H, n), dtype=np.int64)
    rew = np.zeros((mdp.H, n))
    for h in range(mdp.H):
        p = nu[h].reshape(-1)
        idx = rng.choice(p.size, size=n, p=p / p.sum())
        x, a = idx // mdp.A, idx % mdp.A
        Ph = mdp.P_at(h)
        u = rng.random(n)
        cdf = cumulative(Ph)[x, a]                     # exactly 1 from the last positive entry on
        y = (u[:, None] >= cdf).sum(axis=1)            # first index with u < F: never a zero-probability state
        out[0, h], out[1, h], out[2, h] = x, a, y
        rew[h] = mdp.R_at(h)[x, a]
    return out, rew
