r"""Task function of the adversarial-MDP claims (Dai, Luo, Wei & Zimmert, ICML 2023, arXiv 2301.12942).

Metric.  ``regret``: the exact pseudo-regret :math:`\sum_{k<K} V^{\pi_k}_{\ell_k}(\mu_0) - V^{\pi^*}_{\ell_k}(\mu_0)`
after the run's ``K`` episodes against the best fixed policy in hindsight, each episode's term computed by
exact policy evaluation inside the episode loop; ``regret_curve`` the cumulative regret at geometric steps.

Config keys.  *Learner settings* (:data:`LEARNER_KEYS`): ``algorithm`` (``"ftrl"`` = Algorithm 1,
``"exp-K2/3"`` = exponential weights with Luo et al.'s K^{2/3} tuning, ``"exp-uncapped"`` = exponential
weights with a constant rate, ``"uniform"`` = the null learner, ``"ftrl-linear-mdp"`` = the simulator-free
epoch variant, ``"exp-linear-mdp"`` = the same epochs with uncapped exponential weights), ``bonus``,
``cov``, ``eta_scale``, ``beta_scale``, ``eta_const``.  Everything else (``instance``, ``S``, ``A``,
``H``, ``d``, ``K``, ``losses``, ``amplitude``, ``spread``, ``noise``) describes the instance family and
the sweep; the instance of seed ``i`` is the same at every swept value and for every arm
(:func:`instance_seed`), the learner's stream depends on the config without its learner settings.
"""

from __future__ import annotations

import numpy as np

LEARNER_KEYS = ("algorithm", "bonus", "cov", "eta_scale", "beta_scale", "eta_const")


def make_instance(config: dict, seed):
    """The instance of ``config`` (``instance`` in ``{"one_hot", "linear", "trap"}``) from ``seed``."""
    from rltheory.envs.adversarial import delayed_reward_trap, layered_one_hot, random_linear_adversarial
    kind, K, A, H = config["instance"], int(config["K"]), int(config["A"]), int(config["H"])
    kw = {}
    if config.get("losses", "switching") == "switching":
        kw = {"amplitude": float(config.get("amplitude", 0.2)), "spread": float(config.get("spread", 0.3))}
    if kind == "one_hot":
        return layered_one_hot(int(config["S"]), A, H, K, seed, losses=config.get("losses", "switching"), **kw)
    if kind == "linear":
        return random_linear_adversarial(int(config["S"]), A, H, int(config["d"]), K, seed,
                                         losses=config.get("losses", "switching"), **kw)
    if kind == "trap":
        return delayed_reward_trap(A, H, K, seed=seed, noise=float(config.get("noise", 0.1)))
    raise ValueError(f"unknown instance {kind!r}")


def learn(model, config: dict, seed):
    """Run the learner named by ``config["algorithm"]`` on ``model``."""
    from rltheory.algorithms.adversarial_baselines import exp_weights_linear_q, exp_weights_uncapped, uniform_play
    from rltheory.algorithms.ftrl_logbarrier import ftrl_linear_mdp, ftrl_logbarrier
    alg = config["algorithm"]
    cov = config.get("cov", "exact")
    if alg == "ftrl":
        return ftrl_logbarrier(model, seed, cov=cov, bonus=bool(config.get("bonus", True)),
                               eta_scale=float(config.get("eta_scale", 1.0)),
                               beta_scale=float(config.get("beta_scale", 1.0)))
    if alg == "exp-K2/3":
        return exp_weights_linear_q(model, seed, cov=cov, bonus=bool(config.get("bonus", True)))
    if alg == "exp-uncapped":
        return exp_weights_uncapped(model, seed, cov=cov, eta=float(config.get("eta_const", 1.0)))
    if alg == "uniform":
        return uniform_play(model, seed)
    if alg == "ftrl-linear-mdp":
        return ftrl_linear_mdp(model, seed, bonus=bool(config.get("bonus", True)))
    if alg == "exp-linear-mdp":
        return ftrl_linear_mdp(model, seed, rule="exp", eta=float(config.get("eta_const", 1.0)),
                               bonus=bool(config.get("bonus", True)))
    raise ValueError(f"unknown algorithm {alg!r}")


def instance_seed(seed: np.random.SeedSequence) -> np.random.SeedSequence:
    """The instance's stream: the root entropy, the claim's stream and the seed index only.

    A runner task's ``spawn_key`` is ``(stream, config hash, seed index)``
    (:mod:`rltheory.runner.tasks`); dropping the config hash makes seed ``i`` meet the same
    transitions, features and loss parameters at every swept value (at every K only the length
    of the loss sequence and its switching period change), so a slope over the sweep is not
    confounded by a new random instance at each point.  Other seed sequences are spawned from.
    """
    key = tuple(seed.spawn_key)
    if len(key) == 3:
        return np.random.SeedSequence(seed.entropy, spawn_key=(key[0], key[2], 0xAD))
    return seed.spawn(1)[0]


def run_adversarial(config: dict, seed: np.random.SeedSequence) -> dict:
    """One learner run on one instance; metrics ``regret`` (scalar) and ``regret_curve``."""
    inst_seed = instance_seed(seed)
    learn_seed = seed.spawn(1)[0]
    model = make_instance(config, inst_seed)
    run = learn(model, config, learn_seed)
    steps, values = run.curve()
    return {"regret": float(run.cumulative_regret[-1]), "regret_curve": (steps, values),
            "comparator_loss": float(run.v_star)}


#: Learner settings of the MGR agreement task: the covariance estimator compared with the exact inverse.
ESTIMATOR_KEYS = ("cov", "M_scale")


def agreement_z(H: int, d: int, delta: float) -> float:
    r"""Normal quantile :math:`z = \Phi^{-1}(1 - \delta/(2Hd^2))`: two-sided, Bonferroni over the :math:`Hd^2` entries."""
    from statistics import NormalDist
    return NormalDist().inv_cdf(1.0 - delta / (2.0 * H * d * d))


def run_mgr_agreement(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""A covariance estimator against the exact-covariance learner's inverse, at a policy that learner plays.

    The exact-covariance Algorithm 1 (``eta_scale`` of the config) runs ``K`` episodes on the instance; at
    its last policy :math:`\pi_K` the exact :math:`Y_h^{-1} = (\gamma I + \Sigma_h)^{-1}`
    (:func:`rltheory.algorithms.ftrl_logbarrier.exact_covariance`, the learner's own kernel) is compared
    with the estimator named by ``cov``:

    * ``"mgr"``: the mean of ``n_draws`` independent MGR estimates
      (:func:`rltheory.algorithms.ftrl_logbarrier.mgr_inverse`, the learner's kernel) with
      :math:`M = \lceil M_{\rm scale}\ln K/(c\gamma)\rceil`, :math:`c = 1/2`;
    * ``"diagonal"``: :math:`(\gamma I + \mathrm{diag}\,\Sigma_h)^{-1}`; ``"isotropic"``:
      :math:`(\gamma + \mathrm{tr}\,\Sigma_h/d)^{-1} I` (deterministic; standard error 0).

    Metrics: ``bias_lcb`` :math:`= \max_{h,i,j}(|D_{h,ij}| - z\,\mathrm{se}_{h,ij})` with :math:`D` the
    estimate's mean minus :math:`Y_h^{-1}`, se the standard error of the mean over the draws and
    :math:`z` = :func:`agreement_z` at per-run level ``delta`` (a lower confidence bound on the largest
    entry of the bias, which exceeds the true one with probability at most ``delta``); ``bias_max``
    :math:`= \max|D|`; ``se_max``; ``M``.  The reference learner's stream and the draws' stream do not
    depend on the estimator keys (common random numbers across arms).
    """
    from rltheory.algorithms.ftrl_logbarrier import exact_covariance, ftrl_logbarrier, mgr_inverse
    inst_seed = instance_seed(seed)
    learn_seed, draw_seed = seed.spawn(2)
    model = make_instance(config, inst_seed)
    K, H, S, A, d = model.K, model.H, model.S, model.A, model.d
    pols = np.empty((K, H, S, A))
    ref = ftrl_logbarrier(model, learn_seed, cov="exact", eta_scale=float(config.get("eta_scale", 1.0)),
                          policies_out=pols)
    gamma, c = float(ref.params["gamma"]), 0.5
    pi = pols[K - 1]
    Sigma, Yinv = exact_covariance(model, pi, gamma)
    cov = config["cov"]
    M = 0
    if cov == "mgr":
        M = int(np.ceil(float(config.get("M_scale", 1.0)) * np.log(max(K, 2)) / (c * gamma)))
        draws = mgr_inverse(model, pi, gamma, M, draw_seed, c=c, n=int(config["n_draws"]))
        est = draws.mean(axis=0)
        se = draws.std(axis=0, ddof=1) / np.sqrt(draws.shape[0])
    elif cov == "diagonal":
        est = np.zeros_like(Yinv)
        for h in range(H):
            est[h] = np.diag(1.0 / (gamma + np.diag(Sigma[h])))
        se = np.zeros_like(Yinv)
    elif cov == "isotropic":
        est = np.zeros_like(Yinv)
        for h in range(H):
            est[h] = np.eye(d) / (gamma + np.trace(Sigma[h]) / d)
        se = np.zeros_like(Yinv)
    else:
        raise ValueError(f"unknown covariance estimator {cov!r}")
    D = est - Yinv
    z = agreement_z(H, d, float(config["delta"]))
    return {"bias_lcb": float(np.max(np.abs(D) - z * se)), "bias_max": float(np.max(np.abs(D))),
            "se_max": float(np.max(se)), "M": float(M)}
