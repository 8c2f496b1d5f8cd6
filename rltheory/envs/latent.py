r"""Latent MDP generators: random LMDPs, belief-collapsing families and the variance family.

Zhou, Wang & Du, "Horizon-Free and Variance-Dependent Reinforcement Learning
for Latent Markov Decision Processes", ICML 2023, arXiv 2210.11604;
specification Section 6 ([R], design).  Every instance has deterministic
rewards and total reward at most 1 on every trajectory
(:class:`rltheory.models.LatentMDP` checks it).

* :func:`random_lmdp` -- Dirichlet transitions with at most ``Gamma``
  successors, rewards in :math:`\{0, 1/H\}` (a coin per entry, so rewards
  reveal the context only sometimes).
* Belief-collapsing families, on which the belief DP stays polynomial in H:

  (a) :func:`revealing_lmdp` -- the start state reveals the context; then
      :math:`M` separate MDPs;
  (b) :func:`probe_state_lmdp` -- contexts differ only at one probe state;
  (c) :func:`last_step_lmdp` -- identical transitions, context-dependent
      rewards only in the state reached at the last step; the belief never
      moves and the optimal policy is Markov.

* :func:`reward_revealing_lmdp` -- family (a) with the context revealed by the
  first reward instead of the start state, so :math:`S = 4` whatever :math:`M`
  (the family of the growth-in-:math:`M` check).
* :func:`variance_lmdp` -- one random transition per episode, a two-point law
  with probability :math:`p`, so :math:`\mathrm{Var}^* = p(1-p)` in closed form
  (:func:`variance_lmdp_var_star`).
"""

from __future__ import annotations

import numpy as np

from .._errors import ValidationError
from .._random import as_generator
from .._validation import check_int
from ..models.latent import LatentMDP

__all__ = ["random_lmdp", "revealing_lmdp", "revealing_lmdp_optimum", "reward_revealing_lmdp", "probe_state_lmdp",
           "last_step_lmdp", "variance_lmdp", "variance_lmdp_var_star"]


def _prob(x, name: str, lo: float = 0.0, hi: float = 1.0) -> float:
    x = float(x)
    if not (np.isfinite(x) and lo <= x <= hi):
        raise ValidationError(f"{name} = {x!r} (rule: {lo:g} <= {name} <= {hi:g})")
    return x


def _check_p_gap(p, gap) -> tuple[float, float]:
    """The noise ``0 <= p <= 1`` and the gap ``0 <= gap <= 1 - p`` of the two-point families."""
    p = _prob(p, "p", 0.0, 1.0)
    return p, _prob(gap, "gap", 0.0, 1.0 - p)


def _check_theta(theta) -> np.ndarray:
    """``theta (M, A)``: finite probabilities, ``M, A >= 1`` (the probe-state family)."""
    th = np.asarray(theta, dtype=np.float64)
    if th.ndim != 2 or th.shape[0] < 1 or th.shape[1] < 1:
        raise ValidationError(f"theta has shape {th.shape} (rule: (M, A) probabilities in [0, 1], M, A >= 1)")
    bad = np.argwhere(~(np.isfinite(th) & (th >= 0.0) & (th <= 1.0)))
    if bad.size:
        m, a = (int(i) for i in bad[0])
        raise ValidationError(f"theta[{m}, {a}] = {float(th[m, a])!r} (rule: (M, A) probabilities in [0, 1])")
    return th


def random_lmdp(M: int, S: int, A: int, H: int, seed, Gamma: int | None = None) -> LatentMDP:
    r"""A random LMDP: ``P_m(.|s,a)`` Dirichlet(1) on ``Gamma`` random successors, ``nu_m`` Dirichlet(1),
    ``w`` Dirichlet(1) pulled towards uniform (``(w + 1/M)/2``), ``R_m(s,a) in {0, 1/H}`` fair coins.

    Total reward is at most :math:`H \cdot 1/H = 1`.
    """
    M, S, A, H = (check_int(v, nm) for v, nm in ((M, "M"), (S, "S"), (A, "A"), (H, "H")))
    G = S if Gamma is None else check_int(Gamma, "Gamma")
    if G > S:
        raise ValidationError(f"Gamma = {G} (rule: Gamma <= S = {S})")
    rng = as_generator(seed)
    P = np.zeros((M, S, A, S))
    for m in range(M):
        for s in range(S):
            for a in range(A):
                supp = rng.choice(S, size=G, replace=False)
                P[m, s, a, supp] = rng.dirichlet(np.ones(G))
    R = rng.integers(0, 2, size=(M, S, A)) / H
    nu = rng.dirichlet(np.ones(S), size=M)
    w = (rng.dirichlet(np.ones(M)) + 1.0 / M) / 2.0
    return LatentMDP(P, R, nu, w / w.sum(), H, name=f"random_lmdp(M={M}, S={S}, A={A}, H={H}, Gamma={G})")


def _good_actions(M: int, A: int, good) -> np.ndarray:
    g = np.arange(M) % A if good is None else np.asarray(good, dtype=np.int64)
    if g.shape != (M,) or np.any(g < 0) or np.any(g >= A):
        raise ValidationError(f"good_actions = {good!r} (rule: M integers in [0, A))")
    return g


def _good_to_G_else_Y(M, S, A, g, p, G, B, Y) -> np.ndarray:
    """``P (M,S,A,S)``: from every state, context ``m``'s good action ``g[m]`` moves to ``G`` w.p.
    ``1 - p`` and to ``B`` w.p. ``p``; every other action moves to ``Y``."""
    P = np.zeros((M, S, A, S))
    P[:, :, :, Y] = 1.0
    for m in range(M):
        P[m, :, g[m], :] = 0.0
        P[m, :, g[m], G] = 1.0 - p
        P[m, :, g[m], B] += p
    return P


def revealing_lmdp(M: int, A: int, H: int, gap: float = 0.2, p: float = 0.25,
                   good_actions=None) -> LatentMDP:
    r"""Family (a): the start state reveals the context; then a chain of ``H - 1`` paid steps.

    States: markers :math:`0, \dots, M-1` (:math:`\nu_m = \delta_m`), then
    :math:`G = M`, :math:`B = M+1`, :math:`Y = M+2`.  In context :math:`m`, from
    any state, the good action :math:`a^*_m` (default :math:`m \bmod A`) moves to
    :math:`G` w.p. :math:`1-p` and to :math:`B` w.p. :math:`p`; every other
    action moves to :math:`Y`.  Rewards :math:`R(G,\cdot) = 1/(H-1)`,
    :math:`R(B,\cdot) = 0`, :math:`R(Y,\cdot) = (1-p-\mathrm{gap})/(H-1)`, markers 0;
    :math:`w` uniform.  Total reward :math:`\le 1`; :math:`\Gamma = 2` (1 when
    :math:`p = 0`).  :math:`V^* = 1 - p` (:func:`revealing_lmdp_optimum`);
    each bad action costs :math:`\mathrm{gap}/(H-1)` in expectation.
    """
    M, A, H = check_int(M, "M"), check_int(A, "A"), check_int(H, "H", minimum=2)
    p, gap = _check_p_gap(p, gap)
    g = _good_actions(M, A, good_actions)
    S = M + 3
    G, B, Y = M, M + 1, M + 2
    P = _good_to_G_else_Y(M, S, A, g, p, G, B, Y)
    R = np.zeros((M, S, A))
    R[:, G, :] = 1.0 / (H - 1)
    R[:, Y, :] = (1.0 - p - gap) / (H - 1)
    nu = np.eye(M, S)
    return LatentMDP(P, R, nu, np.full(M, 1.0 / M), H,
                     name=f"revealing(M={M}, A={A}, H={H}, gap={gap:g}, p={p:g})")


def revealing_lmdp_optimum(p: float) -> float:
    """:math:`V^* = 1 - p` of :func:`revealing_lmdp` (every paid step in G w.p. :math:`1-p`)."""
    return 1.0 - float(p)


def reward_revealing_lmdp(M: int, A: int, H: int, gap: float = 0.2, p: float = 0.25,
                          good_actions=None) -> LatentMDP:
    r"""Family (a) with a fixed state space: the first *reward* reveals the context, :math:`S = 4` for every ``M``.

    States: start :math:`0` (:math:`\nu_m = \delta_0` for every context), :math:`G = 1`,
    :math:`B = 2`, :math:`Y = 3`.  At the start every action pays
    :math:`R_m(0, \cdot) = m/(MH)`, distinct across contexts, so the first
    observed reward identifies :math:`m` (the belief collapses after one step),
    and every action moves to :math:`G` w.p. :math:`1-p`, to :math:`B` w.p. :math:`p` in
    every context (the first action is taken before the context shows, so it
    must not matter); then, as in :func:`revealing_lmdp`, from :math:`G, B, Y` the good action
    :math:`a^*_m` (default :math:`m \bmod A`) moves to :math:`G` w.p. :math:`1-p` and to
    :math:`B` w.p. :math:`p`, every other action to :math:`Y`, with
    :math:`R(G,\cdot) = 1/H`, :math:`R(B,\cdot) = 0`, :math:`R(Y,\cdot) = (1-p-\mathrm{gap})/H`.
    Total reward :math:`< (M-1)/(MH) + (H-1)/H < 1`; :math:`\Gamma = 2` (1 when
    :math:`p = 0`); ``w`` uniform.  :math:`V^* = (1-p)(H-1)/H + (M-1)/(2MH)`; each
    bad action costs :math:`\mathrm{gap}/H` in expectation.

    Unlike :func:`revealing_lmdp` (whose :math:`M` marker states give :math:`S = M + 3`),
    sweeping :math:`M` here leaves :math:`S, A, \Gamma` and the per-context problem unchanged.
    """
    M, A, H = check_int(M, "M"), check_int(A, "A"), check_int(H, "H", minimum=2)
    p, gap = _check_p_gap(p, gap)
    g = _good_actions(M, A, good_actions)
    S, G, B, Y = 4, 1, 2, 3
    P = _good_to_G_else_Y(M, S, A, g, p, G, B, Y)
    P[:, 0, :, :] = 0.0
    P[:, 0, :, G] = 1.0 - p
    P[:, 0, :, B] += p
    R = np.zeros((M, S, A))
    R[:, 0, :] = (np.arange(M) / (M * H))[:, None]
    R[:, G, :] = 1.0 / H
    R[:, Y, :] = (1.0 - p - gap) / H
    nu = np.zeros((M, S))
    nu[:, 0] = 1.0
    return LatentMDP(P, R, nu, np.full(M, 1.0 / M), H,
                     name=f"reward_revealing(M={M}, A={A}, H={H}, gap={gap:g}, p={p:g})")


def probe_state_lmdp(A: int, H: int, theta) -> LatentMDP:
    r"""Family (b): the contexts differ only at a probe state.

    States: probe :math:`0` (start, all contexts), :math:`G = 1`, :math:`B = 2`.
    From the probe, action :math:`a` in context :math:`m` moves to :math:`G` w.p.
    ``theta[m, a]`` and to :math:`B` otherwise; from :math:`G` and :math:`B`
    every action returns to the probe.  :math:`R(G, \cdot) = 1/\lfloor H/2 \rfloor`,
    all else 0 (the agent is in :math:`G` at most :math:`\lfloor H/2\rfloor` times).
    The belief moves only at the probe, and after :math:`j` probe visits it is
    a function of the counts of :math:`G` outcomes per action, so at most
    :math:`O(H^{A})` beliefs occur.  ``w`` uniform.
    """
    A, H = check_int(A, "A"), check_int(H, "H", minimum=2)
    theta = _check_theta(theta)
    if theta.shape[1] != A:
        raise ValidationError(f"theta has shape {theta.shape} (rule: (M, A) probabilities in [0, 1], A = {A})")
    M = theta.shape[0]
    P = np.zeros((M, 3, A, 3))
    P[:, 0, :, 1] = theta
    P[:, 0, :, 2] = 1.0 - theta
    P[:, 1:, :, 0] = 1.0
    R = np.zeros((M, 3, A))
    R[:, 1, :] = 1.0 / (H // 2)
    nu = np.zeros((M, 3))
    nu[:, 0] = 1.0
    return LatentMDP(P, R, nu, np.full(M, 1.0 / M), H, name=f"probe_state(M={M}, A={A}, H={H})")


def last_step_lmdp(M: int, A: int, H: int, seed) -> LatentMDP:
    r"""Family (c): a deterministic clock :math:`0 \to 1 \to \dots \to H-1` shared by all contexts,
    rewards :math:`R_m(H-1, a) \sim U[0,1]` only in the last state (all else 0).

    The belief never moves before the last step, so the optimal policy is
    Markov and :math:`V^* = \max_a \sum_m w_m R_m(H-1, a)`; ``w`` uniform.
    """
    M, A, H = check_int(M, "M"), check_int(A, "A"), check_int(H, "H")
    rng = as_generator(seed)
    S = H
    P = np.zeros((M, S, A, S))
    for s in range(S):
        P[:, s, :, min(s + 1, S - 1)] = 1.0
    R = np.zeros((M, S, A))
    R[:, S - 1, :] = rng.random((M, A))
    nu = np.zeros((M, S))
    nu[:, 0] = 1.0
    return LatentMDP(P, R, nu, np.full(M, 1.0 / M), H, name=f"last_step(M={M}, A={A}, H={H})")


def variance_lmdp(M: int, A: int, H: int, p: float, gap: float = 0.1, good_actions=None) -> LatentMDP:
    r"""The variance family: :math:`\mathrm{Var}^* = p(1-p)` for every ``M, A, H`` (closed form).

    States: markers :math:`0..M-1` (:math:`\nu_m = \delta_m`, the start reveals
    the context), :math:`G = M`, :math:`B = M+1`, :math:`Y = M+2`, :math:`Z = M+3`.
    From marker :math:`m` the good action :math:`a^*_m` (default :math:`m \bmod A`)
    moves to :math:`G` w.p. :math:`1-p` and to :math:`B` w.p. :math:`p`; the
    other actions (and the markers of other contexts) move to :math:`Y`.
    :math:`G, B, Y` pay :math:`1, 0, 1-p-\mathrm{gap}` for every action and move
    to the absorbing :math:`Z` (reward 0).  ``w`` uniform; ``H >= 2``.

    Every policy has :math:`\alpha^\pi_1(m, G) = 1`, :math:`\alpha^\pi_1(m, B) = 0`, so the
    only one-step variance is :math:`p(1-p)` at step 0 when :math:`a^*_m` is
    played: :math:`\mathrm{Var}^\pi = p(1-p)\sum_m w_m \Pr^\pi_m[a_0 = a^*_m]` and
    :math:`\mathrm{Var}^* = p(1-p)` (checked in ``proofs_check/lmdp.py``).
    :math:`V^* = 1 - p`; a bad action costs ``gap``.
    """
    M, A, H = check_int(M, "M"), check_int(A, "A"), check_int(H, "H", minimum=2)
    p, gap = _check_p_gap(p, gap)
    g = _good_actions(M, A, good_actions)
    S = M + 4
    G, B, Y, Z = M, M + 1, M + 2, M + 3
    P = np.zeros((M, S, A, S))
    P[:, :, :, Z] = 1.0
    P[:, :M, :, :] = 0.0
    P[:, :M, :, Y] = 1.0
    for m in range(M):
        P[m, m, g[m], Y] = 0.0
        P[m, m, g[m], G] = 1.0 - p
        P[m, m, g[m], B] += p
    R = np.zeros((M, S, A))
    R[:, G, :] = 1.0
    R[:, Y, :] = 1.0 - p - gap
    return LatentMDP(P, R, np.eye(M, S), np.full(M, 1.0 / M), H,
                     name=f"variance(M={M}, A={A}, H={H}, p={p:g}, gap={gap:g})")


def variance_lmdp_var_star(p: float) -> float:
    r""":math:`\mathrm{Var}^* = p(1-p)` of :func:`variance_lmdp` (closed form)."""
    p = float(p)
    return p * (1.0 - p)
