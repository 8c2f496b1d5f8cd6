r"""Learners on the revealing-POMDP hard instances (arXiv 2302.01333; specification Section 5).

Costly revealing action (:func:`rltheory.envs.hard_instances.pomdp.costly_reveal_pomdp`), regret
over ``T`` episodes, each a :class:`~rltheory.algorithms.LearnerRun` whose per-episode expected
regret is :math:`V^* - V(\pi_t)` with :math:`V(\pi_t)` the exact value of the episode's open-loop
policy (:func:`rltheory.kernels.pomdp.open_loop_value_kernel`) and :math:`V^*=1` (the exploit
action of the true guess returns 1 surely; no policy returns more than the total-reward bound 1):

* :func:`reveal_explore_then_commit` -- ``N_exp = ceil((C T^2)^{1/3})`` reveal episodes, then the
  per-pair majority guess (the explore-then-commit behind the :math:`T^{2/3}` rate of m-step
  revealing POMDPs; specification Sections 4 and 5C, [R]).  ``C = c_explore * k / (a eps)^2``,
  the order of the reveal episodes that identify z (each reveal hits a given pair w.p. 1/k and
  shows its sign with bias :math:`a\varepsilon`).
* :func:`ucb_exploit` -- UCB1 over the :math:`2^k` exploit actions, never revealing ("a UCB-style
  learner restricted to exploit trajectories").
* :func:`plug_in_exploit` -- always exploit the majority guess from the free step-1 observations
  (the learner of the single-step case: information comes at no cost there).
* :func:`fixed_guess` -- one random guess forever (does not learn).
* :func:`omle_finite_class` -- OMLE on a finite model class of tiny instances (reconstructed).

Noisy combination lock (:func:`rltheory.envs.hard_instances.pomdp.noisy_lock`), sample complexity
(:class:`LockSearchResult`):

* :func:`lock_search` -- step-by-step successive elimination on the noisy next observation
  (specification Section 5B: about :math:`A H\log(AH)/a^2` episodes);
* :func:`lock_fixed_budget` -- a fixed per-action budget :math:`\lceil 2\log(2AL/\delta)/a^4\rceil`, the
  :math:`\alpha^{-4}` dependence of the earlier analysis (Liu et al. 2022, as restated in the
  specification Section 3), a weaker alternative;
* :func:`lock_blind_search` -- tries whole codes in random order using only the final reward
  (ignores the noisy observations: :math:`A^{H-1}` codes).

Fidelity: all ``reconstructed`` (the paper gives lower bounds; these learners are the
specification's derived constructions, [D]/[R]).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import numpy as np

from .._errors import ValidationError
from .._random import as_generator
from .._validation import check_int
from ..models.pomdp import POMDP
from ._pomdp_loops import (Model, RevealLayout, count_on_track, etc_loop, fixed_action_loop, plug_in_loop,
                           ucb_exploit_loop)
from .harness import LearnerRun

__all__ = ["reveal_explore_then_commit", "ucb_exploit", "plug_in_exploit", "fixed_guess", "LockSearchResult",
           "lock_search", "lock_fixed_budget", "lock_blind_search", "etc_exploration_episodes", "omle_finite_class"]


def _model(p: POMDP) -> Model:
    return Model(np.ascontiguousarray(p.T4), np.ascontiguousarray(p.O3), np.ascontiguousarray(p.r),
                 np.ascontiguousarray(p.mu0))


def _layout(inst) -> RevealLayout:
    if not hasattr(inst, "pomdp") or not hasattr(inst, "guess_action"):
        raise ValidationError(f"instance is {type(inst).__name__} (rule: a CostlyReveal from "
                              "rltheory.envs.hard_instances.pomdp.costly_reveal_pomdp)")
    from ..solvers.pomdp import open_loop_value
    v_star = open_loop_value(inst.pomdp, inst.optimal_actions)
    n = 2 * inst.k
    return RevealLayout(inst.k, inst.sample_obs0, n + 1, v_star)


def _run(name, inst, T, loop, args, seed, params) -> LearnerRun:
    T = check_int(T, "T", minimum=1)
    rng = as_generator(seed)
    lay = _layout(inst)
    regret = np.zeros(T)
    returns = np.zeros(T)
    out = loop(_model(inst.pomdp), lay, T, *args, rng, regret, returns)
    p = dict(params)
    p["T"] = T
    if out is not None:
        p["commit_action"] = int(out)
    return LearnerRun(name, regret, returns, lay.v_star, p, fidelity="reconstructed")


def etc_exploration_episodes(T: int, k: int, eps: float, a: float, c_explore: float = 1.0) -> int:
    r""":math:`N_{exp}=\min(T,\lceil (C T^2)^{1/3}\rceil)` with :math:`C=c_{explore}\,k/(a\varepsilon)^2`."""
    C = c_explore * k / (a * eps) ** 2
    return int(min(T, math.ceil((C * T * T) ** (1.0 / 3.0))))


def reveal_explore_then_commit(inst, T: int, seed, c_explore: float = 1.0) -> LearnerRun:
    r"""Explore-then-commit with :math:`N_{exp}=(CT^2)^{1/3}` reveal episodes (see the module docstring)."""
    N = etc_exploration_episodes(T, inst.k, inst.eps, inst.a, c_explore)
    return _run("reveal_explore_then_commit", inst, T, etc_loop, (N,), seed,
                {"N_exp": N, "c_explore": c_explore})


def ucb_exploit(inst, T: int, seed) -> LearnerRun:
    """UCB1 over the 2^k exploit actions (untried arms first, in a seeded random order); never reveals."""
    rng = as_generator(seed)
    order = rng.permutation(1 << inst.k).astype(np.int64)
    return _run("ucb_exploit", inst, T, ucb_exploit_loop, (order,), rng, {"arms": 1 << inst.k})


def plug_in_exploit(inst, T: int, seed) -> LearnerRun:
    """Exploit the majority guess from all step-1 observations so far (ties: fair coins)."""
    return _run("plug_in_exploit", inst, T, plug_in_loop, (), seed, {})


def fixed_guess(inst, T: int, seed) -> LearnerRun:
    """One uniformly random guess, played forever."""
    rng = as_generator(seed)
    g = int(rng.integers(0, 1 << inst.k))
    return _run("fixed_guess", inst, T, fixed_action_loop, (1 + g,), rng, {"guess": g})


# --------------------------------------------------------------------------- OMLE on a finite class

def omle_finite_class(instances, truth: int, T: int, seed, beta: float | None = None,
                      delta: float = 0.05) -> LearnerRun:
    r"""OMLE (optimistic maximum likelihood; Liu et al. 2022a, Alg. 1 as restated in arXiv 2209.14990) on a finite class.

    **Reconstructed** for tiny instances (specification Section 3: use OMLE only with a finite
    model class where likelihoods and planning are exact).  ``instances``: the model class
    :math:`\Theta` as a list of :class:`~rltheory.envs.hard_instances.pomdp.CostlyReveal` (e.g. every
    hypothesis :math:`z` of a small ``k``), ``truth``: the index of the true model.  Each iteration:

    1. :math:`(\theta^t,\pi^t)=\arg\max_{\theta\in\Theta^t,\pi}V_\theta(\pi)`: every model's optimal
       policy is its exploit action with value 1, so the optimistic model is the most likely one in
       :math:`\Theta^t` (ties: lowest index) and :math:`\pi^t` its open-loop optimal policy
       (:attr:`CostlyReveal.optimal_actions`);
    2. for :math:`h=0..H-1` one episode of :math:`\pi^t\circ_h\mathrm{Unif}(\mathcal A)\circ_{h+1}\mathrm{Unif}(\mathcal A)`
       (uniform actions at steps h and h+1, :math:`U_{A}=\mathcal A` for m = 2);
    3. :math:`\Theta^{t+1}=\{\theta:\sum_D\log P_\theta(\tau)\ge\max_{\theta'}\sum_D\log P_{\theta'}(\tau)-\beta\}`,
       :math:`\beta=\log(|\Theta|/\delta)` by default, with exact likelihoods from the belief filter
       (the policy's factors cancel).

    Every episode's expected regret is exact: :math:`1 - V(\pi)` with the value of the (uniformly
    randomised) open-loop policy averaged over its actions (:func:`rltheory.solvers.open_loop_value`).
    Runs ``T`` episodes (the last iteration may be cut).  OMLE is a PAC method: every episode
    explores, so its regret grows linearly; its output is the optimistic model's policy
    (``params["final_model"]``, with ``params["final_set"]`` the size of the last confidence set).
    """
    from ..solvers.pomdp import belief_filter, open_loop_value
    T = check_int(T, "T", minimum=1)
    if not instances or not all(hasattr(i, "pomdp") for i in instances):
        raise ValidationError("instances (rule: a non-empty list of CostlyReveal models)")
    K = len(instances)
    truth = check_int(truth, "truth", minimum=0)
    if truth >= K:
        raise ValidationError(f"truth = {truth} (rule: an index in 0..{K - 1})")
    rng = as_generator(seed)
    beta = math.log(K / delta) if beta is None else float(beta)
    true = instances[truth].pomdp
    H, A = true.H, true.A
    model = _model(true)
    ll = np.zeros(K)
    alive = np.ones(K, dtype=bool)
    regret, returns = np.zeros(T), np.zeros(T)
    value_cache: dict = {}

    def value(acts: tuple) -> float:
        if acts not in value_cache:
            value_cache[acts] = open_loop_value(true, np.array(acts, dtype=np.int64))
        return value_cache[acts]

    v_star = value(tuple(int(x) for x in instances[truth].optimal_actions))
    t = 0
    from ..kernels.pomdp import sample_open_loop_episode
    obs = np.zeros(H, dtype=np.int64)
    while t < T:
        cand = np.flatnonzero(alive)
        best = cand[np.argmax(ll[cand])]
        pi = [int(x) for x in instances[best].optimal_actions]
        for h in range(H):
            if t >= T:
                break
            uni = [s for s in (h, h + 1) if s < H]
            # exact value of the randomised policy: average over its uniform actions
            vals = []
            for combo in itertools.product(range(A), repeat=len(uni)):
                acts = list(pi)
                for s, a_ in zip(uni, combo):
                    acts[s] = a_
                vals.append(value(tuple(acts)))
            regret[t] = v_star - math.fsum(vals) / len(vals)
            acts = list(pi)
            for s in uni:
                acts[s] = int(rng.integers(0, A))
            acts_arr = np.array(acts, dtype=np.int64)
            sample_open_loop_episode(model.T4, model.O3, model.mu0, acts_arr, rng, obs)
            returns[t] = sum(true.r[g, obs[g], acts[g]] for g in range(H))
            for i in range(K):
                lik = belief_filter(instances[i].pomdp, obs, acts_arr).likelihood
                ll[i] += math.log(lik) if lik > 0 else -math.inf
            alive = ll >= ll.max() - beta
            t += 1
    cand = np.flatnonzero(alive)
    final = int(cand[np.argmax(ll[cand])])
    return LearnerRun("omle_finite_class", regret, returns, v_star,
                      {"T": T, "beta": beta, "models": K, "final_set": int(alive.sum()), "final_model": final},
                      fidelity="reconstructed")


# --------------------------------------------------------------------------- noisy combination lock

@dataclass(frozen=True)
class LockSearchResult:
    """Outcome of a lock search: ``algorithm``, ``episodes`` used, ``code`` found ``(H-1,)`` (-1 where
    undecided), ``params`` (read-only) and ``fidelity``."""

    algorithm: str
    episodes: int
    code: np.ndarray
    params: Mapping = field(default_factory=dict)
    fidelity: str = "reconstructed"

    def __post_init__(self):
        c = np.ascontiguousarray(self.code, dtype=np.int64)
        c.setflags(write=False)
        object.__setattr__(self, "code", c)
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))


def _check_lock(lock) -> tuple[POMDP, int, int]:
    if not isinstance(lock, POMDP) or lock.n_obs != 2 or lock.S != 2:
        raise ValidationError(f"lock is {lock!r} (rule: a noisy_lock POMDP with 2 latent states and 2 observations)")
    return lock, lock.H - 1, lock.A


def lock_search(lock: POMDP, seed, delta: float = 0.05, max_rounds: int = 10 ** 6) -> LockSearchResult:
    r"""Step-by-step successive elimination on the noisy lock.

    For step :math:`h=0..L-1` (:math:`L=H-1`): every round plays each surviving action once after
    the code found so far and records :math:`\mathbb 1[o_{h+1}=0]` (0 leans "on track"); after round
    :math:`r`, an action is dropped when its mean plus :math:`\rho_r` is below the best mean minus
    :math:`\rho_r`, :math:`\rho_r=\sqrt{\log(4ALr^2/\delta)/(2r)}` (anytime Hoeffding, union over
    actions, steps and rounds).  The learner does not know ``a``; it needs about
    :math:`\sum_h A\log(AL/(\delta a^2))/a^2` episodes.
    """
    lock, L, A = _check_lock(lock)
    rng = as_generator(seed)
    model = _model(lock)
    code = np.full(L, -1, dtype=np.int64)
    acts = np.zeros(lock.H, dtype=np.int64)
    episodes = 0
    for h in range(L):
        alive = list(range(A))
        wins = np.zeros(A)
        r = 0
        while len(alive) > 1 and r < max_rounds:
            r += 1
            for a_ in alive:
                acts[:h] = code[:h]
                acts[h] = a_
                wins[a_] += count_on_track(model, acts, h + 1, 1, rng)
                episodes += 1
            rho = math.sqrt(math.log(4 * A * L * r * r / delta) / (2 * r))
            best = max(wins[i] / r for i in alive)
            alive = [i for i in alive if wins[i] / r + rho >= best - rho]
        code[h] = alive[0] if len(alive) == 1 else max(alive, key=lambda i: wins[i])
    return LockSearchResult("lock_search", episodes, code, {"delta": delta})


def lock_fixed_budget(lock: POMDP, a: float, seed, delta: float = 0.05) -> LockSearchResult:
    r"""Each action ``m`` times per step, :math:`m=\lceil 2\log(2AL/\delta)/a^4\rceil` (an :math:`\alpha^{-4}` budget)."""
    lock, L, A = _check_lock(lock)
    rng = as_generator(seed)
    model = _model(lock)
    m = int(math.ceil(2 * math.log(2 * A * L / delta) / a ** 4))
    code = np.full(L, -1, dtype=np.int64)
    acts = np.zeros(lock.H, dtype=np.int64)
    for h in range(L):
        wins = np.zeros(A)
        for a_ in range(A):
            acts[:h] = code[:h]
            acts[h] = a_
            wins[a_] = count_on_track(model, acts, h + 1, m, rng)
        code[h] = int(np.argmax(wins))
    return LockSearchResult("lock_fixed_budget", L * A * m, code, {"m": m, "delta": delta})


def lock_blind_search(lock: POMDP, seed) -> LockSearchResult:
    """Try the A^(H-1) codes in a random order until the (perfect) last observation shows "on track"."""
    lock, L, A = _check_lock(lock)
    rng = as_generator(seed)
    model = _model(lock)
    n_codes = A ** L
    order = rng.permutation(n_codes)
    acts = np.zeros(lock.H, dtype=np.int64)
    for i, c in enumerate(order):
        digits = [(int(c) // A ** j) % A for j in range(L)]
        acts[:L] = digits
        if count_on_track(model, acts, L, 1, rng):
            return LockSearchResult("lock_blind_search", i + 1, np.array(digits), {"codes": n_codes})
    return LockSearchResult("lock_blind_search", n_codes, np.full(L, -1), {"codes": n_codes})
