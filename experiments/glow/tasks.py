r"""Task functions of the GLOW / HyGLOW claims (arXiv 2401.09681): ``run(config, seed) -> {metric: value}``.

Every task dispatches on its *learner* keys; the other keys describe the instance (the
:math:`\kappa`-layered MDP and its model family, :func:`rltheory.envs.model_family`), and the random
stream depends on them only, so a claim and its alternatives meet the same instances and draws.
"""

from __future__ import annotations

import numpy as np

from rltheory.algorithms.glow import glow, glow_class_arrays, h2o
from rltheory.bounds.glow import potential_bound
from rltheory.curves import geometric_steps
from rltheory.envs import kappa_layered, model_family, offline_distribution, random_tabular
from rltheory.solvers import (backward_induction, coverability, coverability_lp, coverability_potential,
                              max_reach_probability, occupancy)

#: Learner keys of the GLOW tasks.
GLOW_KEYS = ("select", "weighting", "penalty", "gamma_scale", "beta_scale")


def _children(seed: np.random.SeedSequence, n: int) -> list:
    """``n`` independent child streams of ``seed``, built without mutating it."""
    return [np.random.SeedSequence(seed.entropy, spawn_key=tuple(seed.spawn_key) + (k,),
                                   pool_size=seed.pool_size) for k in range(n)]


def make_family(config: dict, seed: np.random.SeedSequence):
    """The model family of a config (``S, A, H, kappa, n_optimistic, n_pessimistic, n_transition``)."""
    return model_family(config["S"], config["A"], config["H"], config["kappa"], seed,
                        n_optimistic=config["n_optimistic"], n_pessimistic=config["n_pessimistic"],
                        n_transition=config["n_transition"])


def run_glow_config(config: dict, family, seed, gamma_scale=None):
    """GLOW (or an alternative named by the learner keys) on ``family`` for ``config["T"]`` rounds."""
    return glow(family, config["T"], seed, select=config["select"], weighting=config["weighting"],
                penalty=config["penalty"], beta_scale=config["beta_scale"],
                gamma_scale=config["gamma_scale"] if gamma_scale is None else gamma_scale)


def run_glow_regret(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Cumulative expected regret of GLOW / its alternatives along the run.

    Returns ``regret`` (geometric steps, cumulative regret), ``final_regret``, ``C_cov`` (exact, all policies),
    ``qstar_excluded`` (fraction of rounds with :math:`Q^* \notin \mathcal F^{(t)}`).
    """
    inst, learn = _children(seed, 2)
    fam = make_family(config, inst)
    out = run_glow_config(config, fam, learn)
    cum = out.run.cumulative_regret
    steps = geometric_steps(len(cum))
    return {"regret": (steps, cum[steps - 1]), "final_regret": float(cum[-1]),
            "C_cov": coverability(fam.truth).value,
            "qstar_excluded": float(1.0 - out.qstar_in_set.mean())}


def kappa_for_coverability(S: int, A: int, H: int, C_cov: float, seed: np.random.SeedSequence) -> float:
    r"""The control strength :math:`\kappa` at which the seed's :math:`\kappa`-layered MDP has coverability ``C_cov``.

    :math:`C_{\mathrm{cov}}(\kappa)` (:func:`rltheory.solvers.coverability`, exact, all policies) is
    continuous and non-decreasing in :math:`\kappa`, from :math:`A` at 0 to :math:`SA` at 1 on these sizes;
    the root of :math:`C_{\mathrm{cov}}(\kappa) - C` is found by Brent's method to :math:`10^{-14}` in
    :math:`\kappa` on the instance that ``seed`` draws (the same one :func:`make_family` draws).
    """
    from scipy.optimize import brentq

    def gap(k: float) -> float:
        return coverability(kappa_layered(S, A, H, k, seed)).value - C_cov

    lo, hi = gap(0.0), gap(1.0)
    if not lo <= 1e-12 or not hi >= -1e-12:
        raise ValueError(f"C_cov = {C_cov} outside [{lo + C_cov:g}, {hi + C_cov:g}], the range of the "
                         "kappa-layered family at these sizes")
    if abs(lo) <= 1e-12:
        return 0.0
    if abs(hi) <= 1e-12:
        return 1.0
    return float(brentq(gap, 0.0, 1.0, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=200))


def run_glow_regret_at_coverability(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""GLOW's (or an alternative's) cumulative expected regret after ``config["T"]`` rounds at a given coverability.

    The instance key ``C_cov`` replaces ``kappa``: the task sets :math:`\kappa` by
    :func:`kappa_for_coverability` so that the true model's exact coverability equals ``C_cov`` (to
    :math:`10^{-9}`), then draws the model family as :func:`run_glow_regret` does.  Returns ``regret``
    (scalar, the sum of the T per-round expected regrets), ``kappa`` and ``C_cov_exact``.
    """
    inst, learn = _children(seed, 2)
    kappa = kappa_for_coverability(config["S"], config["A"], config["H"], config["C_cov"], inst)
    fam = make_family({**config, "kappa": kappa}, inst)
    c = coverability(fam.truth).value
    if not abs(c - config["C_cov"]) <= 1e-9 * max(1.0, c):
        raise ValueError(f"coverability {c!r} at kappa = {kappa!r}, target {config['C_cov']!r}")
    out = run_glow_config(config, fam, learn)
    return {"regret": float(out.run.cumulative_regret[-1]), "kappa": kappa, "C_cov_exact": c}


def run_potential(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Lemma E.3's potential on GLOW's own policy sequence, divided by :math:`5 C \log T`.

    :math:`d^{(t)} = d^{\pi^{(t)}}` exactly (true model) for GLOW's policies (``sequence = "glow"``) or for
    :func:`_pair_sweep` (``sequence = "pair_sweep"``), :math:`\Psi(T) = \max_h \sum_{t \le T}
    \mathbb E_{d^{(t)}_h}[d^{(t)}_h/\tilde d^{(t+1)}_h]`, :math:`\tilde d^{(t+1)} = \sum_{s \le t} d^{(s)}`,
    logged for :math:`T \ge 2`.  Learner key ``coverability_used``: ``"C_cov"`` (the exact coefficient) or
    ``"one"`` (:math:`C = 1`, the value of :math:`\max_\pi \sum_{x,a} d^\pi_h`, the sup taken outside the sum).
    """
    inst, learn = _children(seed, 2)
    fam = make_family(config, inst)
    if config["sequence"] == "pair_sweep":
        d = _pair_sweep(fam.truth, config["T"])
    else:
        out = run_glow_config(config, fam, learn)
        C = glow_class_arrays(fam)
        d = C.Df[fam.true_index][out.chosen]                # (T, H, S, A)
    pot = coverability_potential(d).max(axis=1)
    c = coverability(fam.truth).value if config["coverability_used"] == "C_cov" else 1.0
    steps = geometric_steps(len(pot))
    steps = steps[steps >= 2]
    ratio = pot[steps - 1] / np.array([potential_bound(int(T), c) for T in steps])
    return {"potential_ratio": (steps, ratio), "C_cov": coverability(fam.truth).value,
            "final_potential": float(pot[-1])}


def _pair_sweep(mdp, T: int) -> np.ndarray:
    r"""Occupancies ``(T, H, S, A)`` of the sequence that targets the last-step pairs in turn.

    Round t plays the policy maximising :math:`\Pr(x_{H-1} = x, a_{H-1} = a)` for the pair
    :math:`(x, a)` number :math:`(t-1) \bmod SA` (backward induction on its indicator reward): a
    sequence that keeps reaching pairs it has not covered yet.
    """
    H, S, A = mdp.H, mdp.S, mdp.A
    occ = []
    for p in range(S * A):
        R = np.zeros((H, S, A))
        R[H - 1, p // A, p % A] = 1.0
        occ.append(occupancy(mdp, backward_induction(mdp.with_rewards(R, "per_step")).policy))
    occ = np.array(occ)
    return occ[np.arange(T) % (S * A)]


def run_clipping(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""GLOW at three clipping scales :math:`\gamma_0/30, \gamma_0, 30\gamma_0` on one instance and stream.

    :math:`\gamma_0` = ``gamma_scale`` times Theorem 3.1's :math:`\sqrt{C_{\mathrm{cov}}/(T\log(|F||W|/\delta))}`.
    ``u_ratio`` = min(regret at the ends) / regret in the middle; the per-scale regrets are returned too.
    """
    inst, learn = _children(seed, 2)
    fam = make_family(config, inst)
    g0 = config["gamma_scale"]
    regs = [float(run_glow_config(config, fam, np.random.SeedSequence(learn.entropy, spawn_key=learn.spawn_key),
                                  gamma_scale=g).run.cumulative_regret[-1]) for g in (g0 / 30, g0, 30 * g0)]
    mid = max(regs[1], 1e-12)
    return {"u_ratio": min(regs[0], regs[2]) / mid, "regret_low": regs[0], "regret_mid": regs[1],
            "regret_high": regs[2]}


def run_hybrid(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Risk of the uniform mixture of H2O's iterates (base ``config["base"]``) along the run.

    Offline data: ``T`` tuples per layer from :math:`\nu = (1-\eta) d^{\pi^*} + \eta\,\mathrm{Unif}`
    (:func:`rltheory.envs.offline_distribution`); learner keys ``base``, ``offline``, ``select``, ``gamma_scale``.
    """
    inst, learn = _children(seed, 2)
    fam = make_family(config, inst)
    nu = offline_distribution(fam.truth, config["eta"])
    out = h2o(fam, config["T"], learn, base=config["base"], nu=nu, offline=config["offline"],
              select=config["select"], gamma_scale=config["gamma_scale"])
    steps = geometric_steps(config["T"])
    return {"risk": (steps, out.mixture_risk[steps - 1]), "final_risk": float(out.mixture_risk[-1]),
            "C_star": float(out.run.params["C_star"]), "C_cov": float(out.run.params["C_cov"])}


def run_coverability_identity(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""``|C - C_LP|`` between a coverability formula (learner key ``solver``) and the LP of Definition 2.1.

    Instance: a :math:`\kappa`-layered MDP with :math:`\kappa \sim U[0,1]` or a Dirichlet ``random_tabular``
    (``instance``).  ``solver``: ``"dp"`` (:func:`rltheory.solvers.coverability`, sum of sups by the
    per-target DP), ``"sup_outside_sum"`` (:math:`\max_h \sup_\pi \sum_{x,a} d^\pi_h = 1`, sup and sum
    exchanged) or ``"reachable_states"`` (:math:`A` times the largest number of states reachable at one
    step, the tabular bound :math:`C_{\mathrm{cov}} \le |S||A|` restricted to reachable states).
    """
    rng = np.random.default_rng(seed)
    if config["instance"] == "kappa_layered":
        mdp = kappa_layered(config["S"], config["A"], config["H"], float(rng.uniform()), rng)
    else:
        mdp = random_tabular(config["S"], config["A"], config["H"], rng, gamma_max=2)
    lp = float(coverability_lp(mdp).max())
    solver = config["solver"]
    if solver == "dp":
        c = coverability(mdp).value
    elif solver == "sup_outside_sum":
        c = 1.0
    elif solver == "reachable_states":
        c = float(mdp.A * (max_reach_probability(mdp) > 0).sum(axis=1).max())
    else:
        raise ValueError(f"solver {solver!r}")
    return {"abs_error": abs(c - lp), "C_lp": lp}
