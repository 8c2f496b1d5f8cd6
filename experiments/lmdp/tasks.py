r"""Task functions of the LMDP claims (arXiv 2210.11604): ``run(config, seed) -> {metric: value}``.

Learner keys (:data:`LEARNER_KEYS`): ``learner`` in

``"hf"``
    the value-optimistic Bernstein learner of :func:`rltheory.algorithms.lmdp_hf` (reconstructed);
``"hf_model_opt"``
    the same framework with the model-optimistic solver (Bernstein box, per-context
    optimistic alpha vectors, greedy-belief actions; ``solver="model_opt"``, reconstructed);
``"hoeffding_H"``
    the same learner with the H-scaled Hoeffding bonus :math:`c H \sqrt{S\iota/n}`;
``"hf_blind"``
    the same learner (value-optimistic) without the context in hindsight: every episode
    pooled into one model (``hindsight=False``);
``"greedy"``
    the same learner without bonus (certainty equivalence);
``"null"``
    :func:`rltheory.algorithms.lmdp_null`, which never updates;

and ``bonus_scale`` (the scale :math:`c` of either bonus and of the box widths).  The other keys
describe the instance; the instance and the learner's random stream are two
children of the task's seed, so a claim and its alternatives meet the same
instances and the same draws.
"""

from __future__ import annotations

import numpy as np

LEARNER_KEYS = ("learner", "bonus_scale")
_BONUS = {"hf": "bernstein", "hoeffding_H": "hoeffding_H", "greedy": "none"}


def _children(seed: np.random.SeedSequence, n: int) -> list:
    """``n`` independent child streams of ``seed``, built without mutating it."""
    return [np.random.SeedSequence(seed.entropy, spawn_key=tuple(seed.spawn_key) + (k,),
                                   pool_size=seed.pool_size) for k in range(n)]


def p_of_var_star(v: float) -> float:
    r"""The noise :math:`p \le 1/2` with :math:`p(1-p) = \mathrm{Var}^*` (variance family)."""
    return float((1.0 - np.sqrt(max(1.0 - 4.0 * v, 0.0))) / 2.0)


def instance(config: dict, ss: np.random.SeedSequence):
    """The LMDP of a config (``family`` in {"random", "revealing", "reward_revealing", "variance"})."""
    from rltheory.envs import random_lmdp, revealing_lmdp, reward_revealing_lmdp, variance_lmdp
    fam = config["family"]
    if fam == "random":
        return random_lmdp(config["M"], config["S"], config["A"], config["H"], seed=ss,
                           Gamma=config.get("Gamma"))
    M, A = config["M"], config["A"]
    good = (np.arange(M) + 1) % A          # action 0 (the null learner's) is bad in context 0
    if fam == "revealing":
        return revealing_lmdp(M, A, config["H"], gap=config["gap"], p=config["p"], good_actions=good)
    if fam == "reward_revealing":
        return reward_revealing_lmdp(M, A, config["H"], gap=config["gap"], p=config["p"], good_actions=good)
    if fam == "variance":
        p = config["p"] if "p" in config else p_of_var_star(config["var_star"])
        return variance_lmdp(M, A, config["H"], p=p, gap=config["gap"], good_actions=good)
    raise ValueError(f"family {fam!r}")


def learner_run(config: dict, seed: np.random.SeedSequence):
    """``(lmdp, LearnerRun)`` of the config's learner on the config's instance."""
    from rltheory.algorithms.lmdp_hf import lmdp_hf, lmdp_null
    inst_ss, learn_ss = _children(seed, 2)
    lmdp = instance(config, inst_ss)
    K, learner = int(config["K"]), config["learner"]
    if learner == "null":
        return lmdp, lmdp_null(lmdp, K, learn_ss)
    if learner == "hf_blind":
        return lmdp, lmdp_hf(lmdp, K, learn_ss, bonus_scale=config["bonus_scale"], hindsight=False)
    if learner == "hf_model_opt":
        return lmdp, lmdp_hf(lmdp, K, learn_ss, solver="model_opt", bonus_scale=config["bonus_scale"])
    return lmdp, lmdp_hf(lmdp, K, learn_ss, bonus=_BONUS[learner], bonus_scale=config["bonus_scale"])


def run_regret(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Cumulative expected regret :math:`\sum_{k \le K}(V^* - V^{\pi_k})` (exact) along the run.

    Returns ``{"regret": (steps, cumulative regret at geometric steps)}``;
    a check on ``x_from="config"`` reads its last value.
    """
    _, run = learner_run(config, seed)
    steps, reg = run.curve(per_decade=10)
    return {"regret": (steps, reg)}


def run_hard_pair(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Exact divergences ``KL(base || perturbed)`` (and TV, squared Hellinger, chi^2(base || perturbed))
    between the one-episode observation laws of the hard pair.

    Instance keys: ``M``, ``depth``, ``A``, ``inv_eps`` (:math:`\varepsilon = 1/\mathrm{inv\_eps}`)
    and ``perturbation`` (``"bernoulli"``: the lower-bound family; ``"deterministic"``:
    outside it).  Laws under the uniformly random policy, context revealed at
    the end; target ``(m, leaf, a) = (0, 0, 0)``.  Deterministic (``seed`` unused).
    """
    from rltheory.envs.hard_instances.lmdp import lmdp_hard_pair, uniform_trajectory_laws
    from rltheory.solvers import chi2, hellinger2, kl, tv
    base, pert = lmdp_hard_pair(config["M"], config["depth"], config["A"], 1.0 / config["inv_eps"],
                                perturbation=config["perturbation"])
    p, q = uniform_trajectory_laws(base, pert)
    return {"kl": kl(p, q), "tv": tv(p, q), "hellinger2": hellinger2(p, q), "chi2": chi2(p, q)}


def _markov_optimum(lmdp) -> float:
    """Best deterministic Markov policy ``(h, s) -> a`` by enumeration (tiny instances)."""
    import itertools
    from rltheory.solvers.latent_reference import policy_value_histories
    best = -np.inf
    for acts in itertools.product(range(lmdp.A), repeat=lmdp.H * lmdp.S):
        table = np.array(acts).reshape(lmdp.H, lmdp.S)
        best = max(best, policy_value_histories(lmdp, lambda hist, t=table: t[len(hist) // 3, hist[-1]]))
    return float(best)


def run_exact_optimum(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""``|V_solver - V*_histories|``: a solver's optimum against backward induction on the history tree.

    Instance: :func:`rltheory.envs.random_lmdp` (``M, S, A, H``).  Learner key
    ``solver``: ``"belief_dp"`` (:func:`rltheory.solvers.lmdp_optimal_value`),
    ``"markov"`` (best deterministic Markov policy, enumerated) or
    ``"context_told"`` (:math:`\sum_m w_m V^*_m`, the value when the context is shown).
    """
    from rltheory.models import to_tabular
    from rltheory.solvers import backward_induction, lmdp_optimal_value
    from rltheory.solvers.latent_reference import optimal_value_histories
    lmdp = instance({**config, "family": "random"}, _children(seed, 1)[0])
    solver = config["solver"]
    if solver == "belief_dp":
        v = lmdp_optimal_value(lmdp)
    elif solver == "markov":
        v = _markov_optimum(lmdp)
    elif solver == "context_told":
        v = sum(lmdp.w[m] * float(np.sum(lmdp.nu[m] * backward_induction(to_tabular(lmdp, m)).V[0]))
                for m in range(lmdp.M))
    else:
        raise ValueError(f"solver {solver!r}")
    return {"abs_error": abs(v - optimal_value_histories(lmdp))}
