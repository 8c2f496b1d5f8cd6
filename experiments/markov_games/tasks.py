r"""Task functions of the Markov-games claims (arXiv 2303.12287): ``run(config, seed) -> {metric: value}``.

Every task dispatches on its *learner* keys (the solver, the learner, the
deviator, the search procedure); the other keys describe the instance, and
the random stream (``seed``) depends on them only, so a claim and its
alternatives meet the same games and the same random draws.
"""

from __future__ import annotations

import numpy as np

from rltheory.bounds.markov_games import aggregation_slack
from rltheory.kernels.linalg import dot, matvec, vecmat


def _children(seed: np.random.SeedSequence, n: int) -> list:
    """``n`` independent child streams of ``seed``, built without mutating it (a repeated call is identical)."""
    return [np.random.SeedSequence(seed.entropy, spawn_key=tuple(seed.spawn_key) + (k,),
                                   pool_size=seed.pool_size) for k in range(n)]


# =========================================================================== LP equilibria (identity)

def _welfare_profile(U: np.ndarray) -> np.ndarray:
    """Point mass on the profile of largest total payoff: the welfare LP with the incentive constraints dropped."""
    welfare = U.reshape(U.shape[0], -1).sum(axis=0)
    x = np.zeros_like(welfare)
    x[int(np.argmax(welfare))] = 1.0
    return x


def run_lp_equilibria(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Largest violation of the defining inequalities of normal-form CCE, CE and zero-sum Nash outputs.

    Instance: a random general-sum game with ``actions`` (i.i.d. uniform
    payoffs) and an ``n_zero_sum`` x ``n_zero_sum`` Gaussian zero-sum matrix.
    Learner key ``solver``:

    ``"lp"``
        the LPs of :mod:`rltheory.solvers.normal_form`: CCE (feasible and maximum
        welfare), CE (maximum welfare), and the maxmin LP of the zero-sum game;
    ``"no_incentives"``
        the welfare LP with the incentive constraints dropped (a point mass on
        the best-welfare profile) as CCE and CE, and the row player's best pure
        response to a uniform column with a uniform column as "Nash";
    ``"cce_for_ce"``
        the maximum-welfare CCE reported where a CE is asked for (CCE != CE).
    """
    from rltheory.envs.games import random_normal_form
    from rltheory import solvers as gs
    rng = np.random.default_rng(seed)
    U = random_normal_form(tuple(config["actions"]), rng).payoffs()
    A = rng.standard_normal((config["n_zero_sum"], config["n_zero_sum"]))
    solver = config["solver"]
    if solver == "no_incentives":
        cce = [_welfare_profile(U)]
        ce = _welfare_profile(U)
        x = np.eye(A.shape[0])[int(np.argmax(A.mean(axis=1)))]
        y = np.full(A.shape[1], 1.0 / A.shape[1])
    elif solver in ("lp", "cce_for_ce"):
        cce = [gs.normal_form_cce(U, obj).distribution.reshape(-1) for obj in ("feasible", "welfare")]
        ce = (gs.normal_form_ce(U, "welfare") if solver == "lp" else
              gs.normal_form_cce(U, "welfare")).distribution.reshape(-1)
        zs = gs.zero_sum_nash(A)
        x, y = zs.x, zs.y
    else:
        raise ValueError(f"solver {solver!r}")
    viol = [float(_mv(gs.cce_constraint_matrix(U), d).max()) for d in cce]
    viol.append(float(_mv(gs.ce_constraint_matrix(U), ce).max()))
    Ay = _mv(A, y)
    v = float(dot(x, Ay))                      # zero-sum Nash: no pure deviation of either player gains
    viol += [float(Ay.max() - v), float(v - vecmat(x, A, np.empty(A.shape[1])).min())]
    return {"max_violation": max(0.0, max(viol))}


def _mv(M, x):
    """``M x`` in the fixed order of :func:`rltheory.kernels.linalg.matvec` (same bits on every CPU)."""
    M = np.ascontiguousarray(M, dtype=float)
    return matvec(M, np.ascontiguousarray(x, dtype=float), np.empty(M.shape[0]))


# =========================================================================== Markov CCE (identity)

def _correlated_policy(g, solver: str) -> np.ndarray:
    """The correlated Markov policy ``(H, S, n_joint)`` a ``solver`` returns for the Markov game ``g``."""
    from rltheory import solvers as gs
    if solver in ("backward_induction", "product_of_marginals"):
        X = np.array(gs.markov_cce(g).policy)
        if solver == "product_of_marginals":
            shaped = X.reshape((g.H, g.S) + g.actions)
            m0, m1 = shaped.sum(axis=3), shaped.sum(axis=2)
            X = (m0[..., :, None] * m1[..., None, :]).reshape(g.H, g.S, -1)
        return X
    if solver == "myopic":
        Rf = g.R_full()
        X = np.zeros((g.H, g.S, g.n_joint))
        for h in range(g.H):
            for s in range(g.S):
                X[h, s] = gs.normal_form_cce(Rf[:, h, s].reshape((g.m,) + g.actions)).distribution.reshape(-1)
        return X
    raise ValueError(f"solver {solver!r}")


def run_markov_cce(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""CCE gap of a correlated Markov policy against the exact best history-dependent response.

    Instance: a random 2-player Markov game (``S``, ``A``, ``H``).  Learner key
    ``solver``: ``"backward_induction"`` (stage CCE LPs on
    :math:`Q_{i,h}(s, \cdot)`, :func:`rltheory.solvers.markov_cce`),
    ``"myopic"`` (stage CCE LPs on the immediate rewards, continuation
    values ignored) or ``"product_of_marginals"`` (the backward-induction
    CCE with its correlation dropped: the product of its stage marginals).

    The best deviation is computed by enumerating the deviator's observable
    histories against the other player's marginal
    (:func:`rltheory.solvers.general_deviation_value`) and cross-checked
    with the single-agent MDP of :func:`rltheory.solvers.correlated_best_response`.
    """
    from rltheory.envs.games import random_markov_game
    from rltheory import solvers as gs
    g = random_markov_game(config["S"], [config["A"]] * 2, config["H"], np.random.default_rng(seed))
    X = _correlated_policy(g, config["solver"])
    V = gs.correlated_policy_values(g, X)
    gaps, disagreement = [], 0.0
    for i in range(g.m):
        other = 1 - i
        pols = [None, None]
        pols[other] = X.reshape((g.H, g.S) + g.actions).sum(axis=2 + i)[None]   # (1, H, S, A_other)
        pols[i] = np.full((1, g.H, g.S, g.actions[i]), 1.0 / g.actions[i])     # ignored by the deviator
        best = gs.general_deviation_value(g, pols, i)
        disagreement = max(disagreement, abs(best - gs.correlated_best_response(g, X, i).value))
        gaps.append(best - float(dot(g.mu0, V[i, 0])))
    return {"cce_gap": max(0.0, max(gaps)), "general_vs_mdp": disagreement}


# =========================================================================== independent learning, Shapley game

def shapley_run(config: dict, seed: np.random.SeedSequence):
    r"""The iterates of one learner on the repeated Shapley game, ``T`` episodes of ``H`` steps.

    Learner key ``learner``:

    ``"hedge"``
        independent per-step Hedge, :math:`\eta = \sqrt{8 \ln 3 / T}`, initial
        scores ``init_scale`` N(0, 1) (specification Section 5.1);
    ``"hedge_eta_1_over_T"``
        the same with :math:`\eta = \sqrt{8 \ln 3}/T`, a rate decaying too fast;
    ``"frozen"``
        the null learner: the fixed random policy :math:`\propto \exp(Z)` from
        the same N(0, 1) draws :math:`Z`, never updated;
    ``"annealed_nash"``
        a centralised learner that computes the stage Nash equilibrium
        :math:`\pi^\star` (support enumeration) and plays
        :math:`(1 - t^{-1/2})\pi^\star + t^{-1/2}\exp(Z)/\Sigma`.

    Returns
    -------
    game, IndependentRun
    """
    from rltheory.algorithms import games as ag
    from rltheory.envs.hard_instances.markov_games import repeated_shapley_game, shapley_payoffs
    g = repeated_shapley_game(config["H"])
    T, learner = int(config["T"]), config["learner"]
    rng = np.random.default_rng(seed)
    if learner in ("hedge", "hedge_eta_1_over_T"):
        eta = ag.hedge_learning_rate(3, T) if learner == "hedge" else float(np.sqrt(8.0 * np.log(3))) / T
        return g, ag.independent_hedge(g, T, eta, init_scale=config["init_scale"], seed=rng)
    start = ag.random_start_policies(g, rng)
    if learner == "frozen":
        return g, ag.stationary_run(g, T, start)
    if learner == "annealed_nash":
        nash = ag.bimatrix_nash(shapley_payoffs())
        target = tuple(np.broadcast_to(x, p.shape) for x, p in zip(nash, start))
        return g, ag.annealed_run(g, T, start, target, power=0.5)
    raise ValueError(f"learner {learner!r}")


def run_hedge_regret(config: dict, seed: np.random.SeedSequence) -> dict:
    r""":math:`\mathrm{Reg}_1(T)/T` of player 1 against Markov and against general deviations.

    Both exact: Markov deviations separate over steps (one state); general
    deviations by enumerating the :math:`3^{H-1}` opponent histories
    (:func:`rltheory.algorithms.games.regret_curve`).
    """
    from rltheory.algorithms.games import regret_curve
    g, run = shapley_run(config, seed)
    T = run.T
    _, rm = regret_curve(g, run, 0, deviations="markov")
    _, rg = regret_curve(g, run, 0, deviations="general")
    return {"markov_regret_per_T": float(rm[0] / T), "general_regret_per_T": float(rg[0] / T)}


# =========================================================================== aggregation (derived)

def _stage_game(config: dict, ss) -> np.ndarray:
    from rltheory.envs.games import random_normal_form
    from rltheory.envs.hard_instances.markov_games import shapley_payoffs
    if config["instance"] == "shapley":
        return shapley_payoffs()
    if config["instance"] == "random":
        return random_normal_form((3, 3), np.random.default_rng(ss)).payoffs()
    raise ValueError(f"instance {config['instance']!r}")


def _hedge_aggregation(U, config: dict, ss_run, ss_mc) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean Nash gaps ``(m,)``, CCE-gap upper bounds ``(m,)`` and the ``(T, H)`` summed gaps of Hedge iterates."""
    from rltheory.algorithms.games import independent_hedge
    from rltheory.envs.games import repeated_game
    from rltheory import solvers as gs
    g = repeated_game(U, config["H"])
    run = independent_hedge(g, config["T"], config["eta"], init_scale=1.0, seed=np.random.default_rng(ss_run))
    base = run.values.mean(axis=0)
    gaps = gs.stage_nash_gaps(g, run.policies)                        # (m, T, H)
    rng = np.random.default_rng(ss_mc)
    deltas = []
    for i in range(g.m):
        if config["deviator"] == "bayes":
            est = gs.bayesian_deviator(g, run.policies, i, config["n_mc"], rng)
            deltas.append(est.mean + 3.0 * est.se - base[i])
        elif config["deviator"] == "markov":
            deltas.append(gs.markov_deviation_value(g, run.policies, i).value - base[i])
        else:
            raise ValueError(f"deviator {config['deviator']!r}")
    return gaps.mean(axis=(1, 2)), np.array(deltas), gaps.sum(axis=0)


def run_aggregation(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Aggregation (specification Section 3, derived): :math:`\max_i [\mathrm{avg}_{h,t}\mathrm{NashGap}_i - \hat\Delta_i^+]`.

    Instance: the Shapley game or a random 3x3 game, repeated for ``H`` steps;
    ``T`` product policies.  Learner keys:

    ``policies="hedge"``
        the ``T`` iterates of per-step Hedge (rate ``eta``, N(0,1) initial
        scores): Markov product policies, the case the inequality covers;
    ``policies="trigger"``
        ``T`` history-dependent trigger policies
        (:func:`rltheory.algorithms.games.trigger_policies`): on the path the
        maximum-welfare stage CCE, off the path minmax punishment; the
        specification says punishments break the simple argument.
        :math:`\Delta_i^+` is the exact known-component bound
        :func:`rltheory.algorithms.games.trigger_deviation_bound`;
    ``deviator="bayes"``
        :math:`\hat\Delta_i^+` = the Monte Carlo Bayesian deviator's gain plus
        3 standard errors (an upper confidence bound on :math:`\Delta_i`);
    ``deviator="markov"``
        :math:`\Delta_i` replaced by the gain of the best Markov deviation (a
        deviator without memory, as MARL code usually reports).

    The inequality says the metric ``nash_gap_excess`` is at most
    :math:`\sqrt{2 \ln T / H}`.
    """
    from rltheory.algorithms import games as ag
    ss_game, ss_run, ss_mc = _children(seed, 3)
    U = _stage_game(config, ss_game)
    if config["policies"] == "hedge":
        mean_gap, delta, summed = _hedge_aggregation(U, config, ss_run, ss_mc)
    elif config["policies"] == "trigger":
        tp = ag.trigger_policies(U, config["H"], config["T"])
        gaps = ag.trigger_nash_gaps(U, tp)
        mean_gap, delta, summed = gaps.mean(axis=(1, 2)), ag.trigger_deviation_bound(U, tp), gaps.sum(axis=0)
    else:
        raise ValueError(f"policies {config['policies']!r}")
    return {"nash_gap_excess": float((mean_gap - delta).max()),
            "mean_nash_gap": float(mean_gap.max()),
            "deviation_gain": float(delta.max()),
            "min_summed_nash_gap": float(summed.min()),
            "bound": aggregation_slack(config["T"], config["H"])}


# =========================================================================== normal-form sparse CCE

def run_sparse_cce(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""CCE gap of the uniform mixture of ``T`` independent-learner iterates on a random ``n x n`` game.

    Learner key ``eta_rule``: ``"sqrt"`` (Hedge, :math:`\eta = \sqrt{8 \ln n / T}`,
    uniform start), ``"inverse"`` (:math:`\eta = \sqrt{8 \ln n} / T`, decaying
    too fast: Hedge's bound :math:`\ln n/\eta + \eta T/8` is then linear in T)
    or ``"frozen"`` (the null learner: the uniform start, never updated).
    Also records the support size of the LP CCE (a vertex, not sparse in the
    product sense).
    """
    from rltheory.algorithms import games as ag
    from rltheory.envs.games import random_normal_form
    from rltheory import solvers as gs
    n, T = int(config["n"]), int(config["T"])
    g = random_normal_form((n, n), np.random.default_rng(seed))
    rule = config["eta_rule"]
    if rule in ("sqrt", "inverse"):
        eta = np.sqrt(8.0 * np.log(n) / T) if rule == "sqrt" else np.sqrt(8.0 * np.log(n)) / T
        run = ag.independent_hedge(g, T, eta, seed=0)
    elif rule == "frozen":
        run = ag.stationary_run(g, T, tuple(np.full((1, 1, a), 1.0 / a) for a in g.actions))
    else:
        raise ValueError(f"eta_rule {rule!r}")
    gap = float(gs.mixture_cce_gaps(g, run.policies, "markov").max())
    return {"cce_gap": gap, "lp_cce_support": float(gs.normal_form_cce(g.payoffs()).support_size)}


# =========================================================================== query counting (illustration)

def run_query_search(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Distinct profiles read by a search on a random binary-action game with ``m = log2(profiles)`` players.

    Learner key ``search``: ``"exhaustive"`` (exact pure-equilibrium search in
    random order, :func:`rltheory.algorithms.games.exhaustive_pure_nash_search`)
    or ``"sampled_eps_nash"`` (verify by sampling that the uniform profile is
    an ``eps``-Nash equilibrium with confidence ``1 - delta``,
    :func:`rltheory.algorithms.games.sampled_uniform_nash_search`).
    """
    from rltheory.algorithms import games as ag
    from rltheory.envs.games import hashed_binary_action_game
    ss_game, ss_search = _children(seed, 2)
    game = hashed_binary_action_game(int(round(np.log2(config["profiles"]))), ss_game)
    if config["search"] == "exhaustive":
        queries, found = ag.exhaustive_pure_nash_search(game, np.random.default_rng(ss_search))
    elif config["search"] == "sampled_eps_nash":
        queries, found = ag.sampled_uniform_nash_search(game, config["eps"], config["delta"],
                                                        np.random.default_rng(ss_search))
    else:
        raise ValueError(f"search {config['search']!r}")
    return {"queries": float(queries), "found": float(found)}
