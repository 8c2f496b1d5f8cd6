r"""Task functions of the HF-UCRL-RFE++ claims (Zhang, Zhang & Gu, ICML 2023, arXiv 2303.10165).

Metric.  After ``k`` exploration episodes a learner plans, for every test
reward of a battery (the instance's reward, 20 random rewards
:math:`r_h(s,a)\in[0,1/H]`, late state indicators; total reward <= 1, none in
the exploration dictionary), the DP policy in its model; the planning
suboptimality :math:`V^*_1(s_1;r) - V_1^{\hat\pi_r}(s_1;r)` is computed exactly in
the true model.  ``max_subopt`` is its maximum over the battery (the
uniform-in-r guarantee of Theorem 2.6.3).

Config keys.  *Learner settings* (:data:`LEARNER_KEYS`): ``algorithm``
(``"hf"`` = HF-UCRL-RFE++, ``"hoeffding"`` = the UCRL-RFE-type Hoeffding
baseline, ``"uniform-ls"`` = uniform exploration with least squares,
``"null"`` = plans in :math:`\hat\theta_0 = 0`), ``beta_scale``, ``bias_term``,
``delta``, ``oracle``, ``constraints``, ``n_random_candidates``,
``dictionary_random``.  Everything else describes the instance family and the
sweep, and alone determines the random stream (instances, test rewards).
"""

from __future__ import annotations

import math

import numpy as np

LEARNER_KEYS = ("algorithm", "beta_scale", "bias_term", "delta", "oracle", "constraints",
                "n_random_candidates", "dictionary_random")
DELTA = 0.01


def learn(mdp, config: dict, seed):
    """Run the learner named by ``config["algorithm"]`` for ``config["K"]`` episodes on ``mdp``."""
    from rltheory.algorithms.hf_rfe import hf_ucrl_rfe, null_planner, ucrl_rfe_hoeffding, uniform_least_squares
    alg = config["algorithm"]
    K = int(config["K"])
    kw = dict(beta_scale=float(config.get("beta_scale", 1.0)), delta=float(config.get("delta", DELTA)),
              oracle=config.get("oracle", "auto"), constraints=config.get("constraints", "latest"),
              n_random_candidates=int(config.get("n_random_candidates", 0)),
              dictionary_random=int(config.get("dictionary_random", 0)))
    if alg == "hf":
        return hf_ucrl_rfe(mdp, K, seed, bias_term=bool(config.get("bias_term", True)), **kw)
    if alg == "hoeffding":
        return ucrl_rfe_hoeffding(mdp, K, seed, **kw)
    if alg == "uniform-ls":
        return uniform_least_squares(mdp, K, seed)
    if alg == "null":
        return null_planner(mdp, K)
    raise ValueError(f"unknown algorithm {alg!r}")


def metrics(mdp, run, test_seed) -> dict:
    r"""Planning errors over the test battery and, for oracle learners, the certificate quantities.

    ``max_subopt`` (curve over the logged episodes), ``final_max_subopt``;
    for HF-UCRL-RFE++ and the Hoeffding baseline also ``vhat_K`` =
    :math:`\hat V_{K,1}`, ``certificate_ratio`` (curve of
    :math:`\max_r \mathrm{subopt}_r(\theta_k) / (4\hat V_{k,1})`, at most 1 by Lemma 2.8.7;
    0/0 counts as 0 and :math:`\hat V` is floored at :math:`10^{-12}`),
    ``vhat_rise`` (curve of the largest rise :math:`\max_{j\le k}(\hat V_{j,1} -
    \hat V_{j-1,1})^+`, Lemma 2.8.8) and ``M`` (the run's number of moment levels).
    """
    from rltheory.algorithms.hf_rfe import evaluation_rewards
    T, _ = evaluation_rewards(mdp, test_seed)
    sub = np.maximum(run.suboptimality(mdp, T), 0.0)       # (steps, rewards); clip -1e-16 round-off
    mx = sub.max(axis=1)
    steps = np.asarray(run.steps)
    out = {"max_subopt": (steps, mx), "final_max_subopt": float(mx[-1])}
    if run.oracle != "none":
        vh = np.asarray(run.vhat1)
        rise = np.concatenate([[0.0], np.maximum.accumulate(np.maximum(np.diff(vh), 0.0))])
        out.update({"vhat_K": float(vh[-1]), "certificate_ratio": (steps, mx / np.maximum(4.0 * vh[steps - 1], 1e-12)),
                    "vhat_rise": (steps, rise[steps - 1]), "M": float(run.params["M"])})
    return out


def run_random(config: dict, seed: np.random.SeedSequence) -> dict:
    """One reward-free run on a random linear mixture MDP (``S, A, d, H, K`` + learner settings)."""
    from rltheory.envs.linear import random_linear_mixture
    inst, learn_seed, test = seed.spawn(3)
    mdp = random_linear_mixture(int(config["S"]), int(config["A"]), int(config["d"]), int(config["H"]), inst)
    return metrics(mdp, learn(mdp, config, learn_seed), test)


def run_hypercube(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Reward-free runs on hypercube instances with :math:`\Delta` on a fixed grid (not tied to K).

    config: ``d, H, K``, ``Deltas`` (the grid), ``replicates`` (independent sign
    draws per :math:`\Delta`) and learner settings.  Scalar metrics:
    ``worst_mean_subopt`` = :math:`\max_\Delta` of the mean over sign draws of
    the final max-suboptimality (a worst case over a grid that does not depend
    on K or d), and ``vhat_K`` (mean).  Curves (``certificate_ratio``,
    ``vhat_rise``): the maximum over all runs of the task.
    """
    from rltheory.envs.hard_instances.hf_rfe import hypercube_instance
    d, H = int(config["d"]), int(config["H"])
    per_delta, curves = [], []
    for Delta, child in zip(config["Deltas"], seed.spawn(len(config["Deltas"]))):
        outs = []
        for rep in child.spawn(int(config.get("replicates", 1))):
            inst, learn_seed, test = rep.spawn(3)
            h = hypercube_instance(d, H, Delta=float(Delta), seed=inst)
            outs.append(metrics(h.mdp, learn(h.mdp, config, learn_seed), test))
        per_delta.append(float(np.mean([o["final_max_subopt"] for o in outs])))
        curves.extend(outs)
    out = {"worst_mean_subopt": max(per_delta)}
    if "vhat_K" in curves[0]:
        out["vhat_K"] = float(np.mean([o["vhat_K"] for o in curves]))
        out["M"] = curves[0]["M"]
        for name in ("certificate_ratio", "vhat_rise"):
            out[name] = (curves[0][name][0], np.max([o[name][1] for o in curves], axis=0))
    return out


def run_hard_pair(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Exact KL between the observation laws of a hard hypercube pair after ``K`` episodes.

    config: ``d, K``, ``separation`` (``"paper"``: :math:`\Delta = \sqrt{\delta_0/K}/(4\sqrt2)`;
    ``"frozen"``: that value at ``K0`` episodes, kept for every K), ``K0``.  The
    seed draws :math:`\mathrm{sign}(\mu)`; the metric ``kl`` is the largest KL over
    the coordinates flipped and over exploration policies
    (:func:`rltheory.envs.hard_instances.hf_rfe.hypercube_pair_kl`,
    ``"most_informative"``); ``kl_uniform`` is the KL under uniform exploration.
    """
    from rltheory.envs.hard_instances.hf_rfe import delta_for_K, hypercube_pair_kl
    d, K = int(config["d"]), int(config["K"])
    sep = config["separation"]
    if sep not in ("paper", "frozen"):
        raise ValueError(f"unknown separation {sep!r}")
    Delta = delta_for_K(K if sep == "paper" else int(config["K0"]))
    signs = np.random.default_rng(seed).choice(np.array([-1.0, 1.0]), size=d - 1)
    kl = [hypercube_pair_kl(d, Delta, K, signs, i) for i in range(d - 1)]
    klu = [hypercube_pair_kl(d, Delta, K, signs, i, policy="uniform") for i in range(d - 1)]
    return {"kl": max(kl), "kl_uniform": max(klu), "Delta": Delta, "Delta_sqrt_K": Delta * math.sqrt(K)}
