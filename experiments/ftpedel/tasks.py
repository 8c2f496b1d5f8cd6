r"""Task functions of the FTPedel claims (Wagenmaker & Pacchiano, ICML 2023, arXiv 2211.04974).

One task = one instance of the two-branch family
(:func:`rltheory.envs.offline_linear.two_branch_instance`), one offline dataset of ``N_off`` episodes
of a behaviour policy, and one learner run to termination.  The seed is split into a data stream
(the offline dataset) and a learner stream (online episodes, tie-breaking): the offline data and the
instance depend only on the instance keys, so every alternative meets the same datasets.

Config keys.  *Learner settings* (:data:`LEARNER_KEYS`): ``algorithm`` (``"ftpedel"``,
``"elimination-uniform"`` = the same elimination rule with uniform online exploration,
``"offline-lcb"`` = VI-LCB on the offline data alone, ``"fixed-budget"`` = a fixed budget of uniform
episodes then greedy, ``"null"``), ``use_offline`` (False = the online-only learner, which ignores
``D_off``), ``budget`` (of ``"fixed-budget"``), ``lcb_c``.  Instance and sweep: ``p``, ``gap_hard``,
``gap_easy``, ``gap_start``, ``behaviour``, ``N_off``, ``eps``, ``delta``, ``beta_scale`` (the one global
constant of the learner and of the prediction; kept fixed by every alternative), derived axes
``inv_gap`` = 1/``gap_easy`` and ``inv_p`` = 1/``p``.

Metrics: ``online_episodes``, ``not_eps_optimal`` (0/1, exact evaluation), ``suboptimality``,
``certified``; with ``predict=True`` also ``T_o2o`` (the oracle design at the expected offline counts,
:func:`rltheory.solvers.experiment_design.oracle_design`) and ``ratio_to_prediction`` = online episodes
/ (H T_o2o).
"""

from __future__ import annotations

import math

import numpy as np

LEARNER_KEYS = ("algorithm", "use_offline", "budget", "lcb_c")
DEFAULTS = {"gap_hard": 1.0, "gap_easy": 0.6, "gap_start": 0.5, "delta": 0.1, "beta_scale": 0.05,
            "use_offline": True, "budget": 2000, "lcb_c": 1.0}


def _cfg(config: dict) -> dict:
    cfg = {**DEFAULTS, **config}
    if "inv_gap" in cfg:
        cfg["gap_easy"] = 1.0 / float(cfg["inv_gap"])
    if "inv_p" in cfg:
        cfg["p"] = 1.0 / float(cfg["inv_p"])
    return cfg


#: Per-process memos of the instances and predictions.  Plain dicts, not ``functools.lru_cache``:
#: the task functions are shipped to worker processes by value, and an ``lru_cache`` wrapper would be
#: pickled by reference to this file's module, which workers cannot import by name.
_INSTANCES: dict = {}
_PREDICTIONS: dict = {}


def _instance(p: float, gap_hard: float, gap_easy: float, gap_start: float):
    key = (p, gap_hard, gap_easy, gap_start)
    if key not in _INSTANCES:
        from rltheory.envs.offline_linear import two_branch_instance
        from rltheory.solvers.experiment_design import policy_table
        inst = two_branch_instance(p, gap_hard=gap_hard, gap_easy=gap_easy, gap_start=gap_start)
        _INSTANCES[key] = (inst, policy_table(inst))
    return _INSTANCES[key]


def prediction_beta(n_policies: int, H: int, eps: float, delta: float) -> float:
    r"""The learner's final-epoch :math:`\log(4H^2|\Pi|L^2/\delta)`, :math:`L = \lceil\log_2(1/\epsilon)\rceil` (the prediction's beta)."""
    L = max(1, math.ceil(math.log2(1.0 / eps)))
    return math.log(4.0 * H * H * n_policies * L * L / delta)


def t_o2o(p, gap_hard, gap_easy, gap_start, behaviour, N_off, eps, delta, beta_scale) -> float:
    """Oracle prediction T_o2o at the expected offline counts of ``N_off`` behaviour episodes."""
    key = (p, gap_hard, gap_easy, gap_start, behaviour, N_off, eps, delta, beta_scale)
    if key not in _PREDICTIONS:
        _PREDICTIONS[key] = _t_o2o(*key)
    return _PREDICTIONS[key]


def _t_o2o(p, gap_hard, gap_easy, gap_start, behaviour, N_off, eps, delta, beta_scale) -> float:
    from rltheory.envs.offline_linear import behaviour_policy, expected_offline_counts
    from rltheory.solvers.experiment_design import oracle_design
    inst, tab = _instance(p, gap_hard, gap_easy, gap_start)
    n = expected_offline_counts(inst, behaviour_policy(inst, behaviour), int(N_off))
    beta = prediction_beta(tab.n, inst.H, eps, delta)
    T = oracle_design(inst, n, eps, delta, scale=beta_scale, table=tab, beta=beta).T
    return float(f"{T:.6g}")      # solver accuracy ~1e-8: six digits are the same on every machine


def run(config: dict, seed: np.random.SeedSequence) -> dict:
    """One learner run on the two-branch instance with an offline dataset (module docstring)."""
    from rltheory.algorithms.ftpedel import fixed_budget_greedy, ftpedel, null_learner, offline_lcb
    from rltheory.envs.offline_linear import behaviour_policy, empty_offline, sample_offline_linear
    cfg = _cfg(config)
    p, gh, ge, g0 = float(cfg["p"]), float(cfg["gap_hard"]), float(cfg["gap_easy"]), float(cfg["gap_start"])
    inst, tab = _instance(p, gh, ge, g0)
    data_seed, learn_seed = seed.spawn(2)
    eps, delta = float(cfg["eps"]), float(cfg["delta"])
    N_off = int(cfg["N_off"])
    off = sample_offline_linear(inst, behaviour_policy(inst, cfg["behaviour"]), N_off, seed=data_seed)
    if not cfg["use_offline"]:
        off = empty_offline(inst)
    alg = cfg["algorithm"]
    if alg in ("ftpedel", "elimination-uniform"):
        r = ftpedel(inst, off, eps, delta, learn_seed, beta_scale=float(cfg["beta_scale"]), table=tab,
                    explore="optcov" if alg == "ftpedel" else "uniform")
    elif alg == "offline-lcb":
        r = offline_lcb(inst, off, eps, delta, learn_seed, c=float(cfg["lcb_c"]), table=tab)
    elif alg == "fixed-budget":
        r = fixed_budget_greedy(inst, off, eps, delta, learn_seed, budget=int(cfg["budget"]), table=tab)
    elif alg == "null":
        r = null_learner(inst, eps, delta, learn_seed, table=tab)
    else:
        raise ValueError(f"unknown algorithm {alg!r}")
    out = {"online_episodes": float(r.online_episodes), "not_eps_optimal": float(not r.eps_optimal),
           "suboptimality": float(r.suboptimality), "certified": float(r.certified)}
    if cfg.get("predict"):
        T = t_o2o(p, gh, ge, g0, cfg["behaviour"], N_off, eps, delta, float(cfg["beta_scale"]))
        out["T_o2o"] = T
        out["ratio_to_prediction"] = r.online_episodes / (inst.H * T) if T > 0 else float("inf")
    return out
