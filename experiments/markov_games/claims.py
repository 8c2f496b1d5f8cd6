r"""Claims of "Hardness of Independent Learning and Sparse Equilibrium Computation in Markov Games".

Foster, Golowich & Kakade, ICML 2023 (PMLR 202:10188–10221), arXiv 2303.12287.
Specification: ``shared/papers/markov_games_hardness.md``.

What the paper proves (its abstract, [V]): unless PPAD-hard problems are
poly-time solvable, no poly-time algorithm attains no-regret against general
(history-dependent) deviations in two-player general-sum Markov games when run
independently by all players, even for a known game; for unknown games the
number of episodes must be exponential in the number of players; both hold
for centralised algorithms since sparse CCE computation is itself hard.
These are complexity statements and cannot be run.  The claims check what
the toolkit *can* check, each against alternatives run on its own instances:

* ``lp_equilibria_identity``, ``markov_cce_identity`` -- the contrast set of
  Section 4 [R, standard facts]; alternatives are wrong solvers a reader
  would try (incentive constraints dropped, CCE for CE, myopic stage CCEs,
  correlation dropped).
* ``hedge_markov_regret_rate`` -- Hedge's regret bound against Markov
  deviations on the repeated Shapley game (the abstract's "no-regret against
  Markov deviations remains achievable"); alternatives: a frozen policy and a
  learning rate decaying like 1/T.
* ``hedge_general_regret_persists`` -- general-deviation regret of the same
  dynamics does not vanish; alternatives: learners whose iterates stay near
  or converge to the equilibrium, whose general regret does vanish.
* ``aggregation_nash_extraction`` -- the derived [D] inequality
  :math:`\mathrm{avg}_{h,t}\mathrm{NashGap}_i \le \Delta_i + \sqrt{2\ln T/H}`
  for Markov product policies; alternatives: a memoryless deviator in place of
  :math:`\Delta_i`, and history-dependent trigger policies (outside the statement).
* ``normal_form_sparse_cce_rate`` -- normal-form sparse CCE is easy (Hedge).
* ``exp_players_queries`` -- an illustration of exponential query counts for
  exact search, with a sampling search that shows random games are *not*
  hard instances for the paper's approximate problem.
"""

from __future__ import annotations

from rltheory.bounds.markov_games import (EXACT_SEARCH_QUERIES, GENERAL_REGRET_PERSISTS, HEDGE_MARKOV_REGRET,
                                          SPARSE_CCE_GAP, aggregation_slack, source)
from rltheory.claims import (Alternative, Claim, Experiment, ExplicitCheck, IdentityCheck, RateCheck,
                             Scale)

from .tasks import (run_aggregation, run_hedge_regret, run_lp_equilibria, run_markov_cce, run_query_search,
                    run_sparse_cce)

# =========================================================================== identities (contrast set)

lp_equilibria_identity = Claim(
    id="markov_games.lp_equilibria_identity",
    statement=("Normal-form CCE and CE computed by LP (feasibility and maximum welfare) and the "
               "zero-sum Nash equilibrium from the maxmin LP satisfy their defining inequalities to 1e-8."),
    source=source("Section 4 of the specification (contrast set; standard facts)"),
    fidelity="reconstructed",
    fidelity_note=("[R, standard facts] The LPs are the textbook CCE/CE/maxmin programmes listed in the "
                   "specification's contrast set, not statements of the paper."),
    experiment=Experiment(
        run=run_lp_equilibria,
        scales={"quick": Scale(grid={"actions": [[3, 3, 3], [4, 5]]},
                               fixed={"solver": "lp", "n_zero_sum": 30}, seeds=5),
                "paper": Scale(grid={"actions": [[3, 3, 3], [4, 5], [2, 2, 2, 2, 2], [10, 10]]},
                               fixed={"solver": "lp", "n_zero_sum": 100}, seeds=20)},
        instance="random general-sum normal-form games (uniform payoffs) and Gaussian zero-sum matrices",
        learner=("solver",)),
    metric="max_violation",
    units="largest violated equilibrium inequality, payoff units",
    check=IdentityCheck(target=0.0, tol=1e-8),
    alternatives=[
        Alternative("no incentive constraints", {"solver": "no_incentives"}, role="fails",
                    description=("the welfare LP without its incentive constraints (the best-welfare profile) "
                                 "as CCE and CE, and a pure best response to a uniform column as zero-sum Nash")),
        Alternative("CCE reported as CE", {"solver": "cce_for_ce"}, role="fails",
                    description="the maximum-welfare CCE where a CE is asked for (CCE != CE)"),
    ],
    tags=("identity",),
)

markov_cce_identity = Claim(
    id="markov_games.markov_cce_identity",
    statement=("The Markov CCE of a known Markov game computed by backward induction over stage-game CCE "
               "LPs has CCE gap <= 1e-8 against the exact best history-dependent response."),
    source=source("Section 4 of the specification (Markov CCE of a known game; standard facts)"),
    fidelity="reconstructed",
    fidelity_note=("[R, standard facts] Backward induction over stage CCEs (specification Section 4, "
                   "prediction 5.4). The best general response is computed by enumerating histories and "
                   "cross-checked with the single-agent MDP over (h, s)."),
    experiment=Experiment(
        run=run_markov_cce,
        scales={"quick": Scale(fixed={"S": 5, "A": 3, "H": 5, "solver": "backward_induction"}, seeds=5),
                "paper": Scale(fixed={"S": 5, "A": 3, "H": 5, "solver": "backward_induction"}, seeds=20)},
        instance="random 2-player Markov games, S = 5, A = 3, H = 5 (Dirichlet(1) transitions)",
        learner=("solver",)),
    metric="cce_gap",
    units="CCE gap, return units",
    check=IdentityCheck(target=0.0, tol=1e-8),
    alternatives=[
        Alternative("myopic stage CCEs", {"solver": "myopic"}, role="fails",
                    description="stage CCE LPs on the immediate rewards, continuation values ignored"),
        Alternative("product of stage marginals", {"solver": "product_of_marginals"}, role="fails",
                    description=("the backward-induction CCE with its correlation dropped: at every (h, s) the "
                                 "product of the two marginals (what independent players could play)")),
    ],
    tags=("identity",),
)

# =========================================================================== independent Hedge, repeated Shapley game

_SHAPLEY = {"H": 6, "init_scale": 1.0, "learner": "hedge"}
_SHAPLEY_SCALES = {"quick": Scale(grid={"T": [100, 300, 1000, 3000, 10000]}, fixed=_SHAPLEY, seeds=5),
                   "paper": Scale(grid={"T": [100, 300, 1000, 3000, 10000, 30000]}, fixed=_SHAPLEY, seeds=20)}
_SHAPLEY_EXPERIMENT = Experiment(run=run_hedge_regret, scales=_SHAPLEY_SCALES,
                                 instance="Shapley game repeated for H = 6 steps (one state)",
                                 learner=("learner",))
_FROZEN = Alternative("frozen random policy", {"learner": "frozen"}, role="null",
                      description=("the fixed random product policy exp(Z)/sum from the same N(0,1) draws Z as "
                                   "Hedge's initial scores, never updated"))
_ETA_OVER_T = Alternative("eta = sqrt(8 ln 3)/T", {"learner": "hedge_eta_1_over_T"},
                          description=("independent per-step Hedge with a learning rate decaying like 1/T "
                                       "instead of 1/sqrt(T); it barely leaves its near-uniform start"))

hedge_markov_regret_rate = Claim(
    id="markov_games.hedge_markov_regret_rate",
    statement=("Independent per-step Hedge (eta = sqrt(8 ln 3 / T)) on the repeated Shapley game (H = 6) has "
               "regret per episode against Markov deviations at most Hedge's bound sqrt(ln 3 / (2T)) at every "
               "T: it vanishes like T^{-1/2}, so no-regret against Markov deviations is achievable by "
               "independent learners."),
    source=HEDGE_MARKOV_REGRET.source,
    fidelity="partly",
    fidelity_note=("[V] concept from the abstract; the instance, learner (eta = sqrt(8 ln 3 / T), N(0,1) initial "
                   "scores) and reference numbers are the specification's [D] Section 5.1. The bound is Hedge's "
                   "(Cesa-Bianchi & Lugosi 2006, Thm 2.2), averaged over the H per-step learners; it holds "
                   "deterministically, so every run is compared with it (no tolerance)."),
    experiment=_SHAPLEY_EXPERIMENT,
    metric="markov_regret_per_T",
    units="regret / T against Markov deviations, return units",
    check=ExplicitCheck(delta=0.0),
    bound=HEDGE_MARKOV_REGRET,
    alternatives=[
        _FROZEN,
        Alternative(_ETA_OVER_T.name, _ETA_OVER_T.overrides, role="fails",
                    description=_ETA_OVER_T.description + "; Hedge's bound ln 3/eta + eta T/8 is then linear in T"),
    ],
    figure="loglog",
)

hedge_general_regret_persists = Claim(
    id="markov_games.hedge_general_regret_persists",
    statement=("On the repeated Shapley game (H = 6), the regret per episode of independent per-step Hedge "
               "against general (history-dependent) deviations does not vanish: its exponent in T is at least "
               "-0.25 (a no-regret rate would be -0.5). A stationary Nash equilibrium policy has general regret "
               "exactly 0 (no exponent can be fitted), so the alternatives are learners whose iterates approach "
               "the equilibrium."),
    source=GENERAL_REGRET_PERSISTS.source,
    fidelity="partly",
    fidelity_note=("[V] the phenomenon behind the paper's hardness; the demonstration on the Shapley game is the "
                   "specification's derived Section 5.1 (general deviations computed exactly by enumerating the "
                   "3^5 opponent histories). 'Does not vanish' is exponent 0; the tolerance 0.25 puts the "
                   "threshold halfway to the no-regret exponent -0.5."),
    experiment=_SHAPLEY_EXPERIMENT,
    metric="general_regret_per_T",
    units="regret / T against general deviations, return units",
    check=RateCheck(param="T", tolerance=0.25),
    bound=GENERAL_REGRET_PERSISTS,
    alternatives=[
        Alternative("centralised annealing to Nash", {"learner": "annealed_nash"}, role="uncovered",
                    description=("a centralised learner that computes the stage Nash equilibrium (support "
                                 "enumeration; easy on 3x3, PPAD-hard in general) and plays "
                                 "(1 - t^-1/2) Nash + t^-1/2 exp(Z)/sum: its iterates converge, so the history "
                                 "tells a deviator little")),
        Alternative(_ETA_OVER_T.name, _ETA_OVER_T.overrides, role="uncovered",
                    description=_ETA_OVER_T.description + " (the uniform start is the Shapley equilibrium)"),
        _FROZEN,
    ],
    figure="loglog",
)

# =========================================================================== aggregation (derived)

aggregation_nash_extraction = Claim(
    id="markov_games.aggregation_nash_extraction",
    statement=("For T Markov product policies of the H-step repeated game (per-step Hedge iterates), the "
               "average Nash gap over (h, t) of each player is at most its CCE gap against general "
               "deviations plus sqrt(2 ln T / H), so some (h, t) is an approximate Nash equilibrium."),
    source=source("Section 3 of the specification (aggregation technique; derived)"),
    fidelity="reconstructed",
    fidelity_note=("DERIVED [D] in the specification's Section 3 (Bayes-mixture log-loss <= ln T, Pinsker, "
                   "Cauchy-Schwarz; steps in proofs_check/markov_games.py), for Markov product policies only; "
                   "the paper's gadget for history-dependent product policies is not reconstructed. Delta_i is "
                   "the Monte Carlo Bayesian deviator's gain plus 3 standard errors, so a run may fail with "
                   "probability about 0.00135 (the check's delta)."),
    experiment=Experiment(
        run=run_aggregation,
        scales={"quick": Scale(grid={"instance": ["shapley", "random"], "T": [20, 50]},
                               fixed={"H": 400, "eta": 0.5, "n_mc": 1000, "deviator": "bayes",
                                      "policies": "hedge"}, seeds=5),
                "paper": Scale(grid={"instance": ["shapley", "random"], "T": [20, 50, 100],
                                     "H": [100, 400, 1000]},
                               fixed={"eta": 0.5, "n_mc": 4000, "deviator": "bayes", "policies": "hedge"},
                               seeds=10)},
        instance="Shapley game and random 3x3 games repeated for H steps; T product policies",
        learner=("policies", "deviator", "eta")),
    metric="nash_gap_excess",
    units="average Nash gap minus the CCE-gap bound, return units",
    check=ExplicitCheck(bound_value=lambda cfg, step: aggregation_slack(cfg["T"], cfg["H"]), delta=0.00135),
    alternatives=[
        Alternative("memoryless deviator", {"deviator": "markov"}, role="fails",
                    description=("Delta_i replaced by the gain of the best Markov deviation (a deviator without "
                                 "memory, what MARL code usually reports as the CCE gap)")),
        Alternative("trigger policies", {"policies": "trigger"}, role="uncovered",
                    description=("T history-dependent product policies: on the path the maximum-welfare stage "
                                 "CCE, after a deviation minmax punishment (folk theorem); Delta_i bounded "
                                 "exactly by a deviator told the component. The specification says punishments "
                                 "break the simple argument")),
    ],
    tags=("derived",),
)

# =========================================================================== normal-form sparse CCE

normal_form_sparse_cce_rate = Claim(
    id="markov_games.normal_form_sparse_cce_rate",
    statement=("In normal-form games sparse CCE is easy: T rounds of independent Hedge on an n x n game give a "
               "T-sparse eps-CCE with eps <= sqrt(ln n / (2T)) at every T, i.e. T = ln n / (2 eps^2)."),
    source=SPARSE_CCE_GAP.source,
    fidelity="reconstructed",
    fidelity_note=("[R, standard] Hedge's regret bound sqrt(T ln n / 2) (Cesa-Bianchi & Lugosi 2006, Thm 2.2), "
                   "which holds deterministically: every run is compared with it. The contrast that makes the "
                   "paper's hardness specific to Markov games with history-dependent deviations."),
    experiment=Experiment(
        run=run_sparse_cce,
        scales={"quick": Scale(grid={"T": [100, 300, 1000, 3000]}, fixed={"n": 10, "eta_rule": "sqrt"},
                               seeds=5),
                "paper": Scale(grid={"T": [100, 300, 1000, 3000, 10000], "n": [3, 10, 30]},
                               fixed={"eta_rule": "sqrt"}, seeds=20)},
        instance="random n x n general-sum games with uniform payoffs",
        learner=("eta_rule",)),
    metric="cce_gap",
    units="CCE gap, return units",
    check=ExplicitCheck(delta=0.0),
    bound=SPARSE_CCE_GAP,
    alternatives=[
        Alternative("eta = sqrt(8 ln n)/T", {"eta_rule": "inverse"}, role="fails",
                    description="learning rate decaying like 1/T instead of 1/sqrt(T)"),
        Alternative("frozen uniform", {"eta_rule": "frozen"}, role="null",
                    description="the uniform start of Hedge, never updated"),
    ],
)

# =========================================================================== query counting (illustration)

exp_players_queries = Claim(
    id="markov_games.exp_players_queries",
    statement=("Illustration: on random binary-action m-player games (m = 8..20) an exact pure-equilibrium "
               "search (random order; every profile when no pure equilibrium exists, as certifying that needs) "
               "reads a number of profiles linear in the number 2^m of profiles. This is a cost of exactness, "
               "not the paper's lower bound: these games are easy for the paper's approximate problem, as the "
               "sampling alternative (an eps-Nash certificate from O(m log(m/delta)/eps^2) reads) shows."),
    source=EXACT_SEARCH_QUERIES.source,
    fidelity="reconstructed",
    fidelity_note=("ILLUSTRATION only (specification Section 5.5): exact search on random games, not the "
                   "paper's query-complexity reduction ([R]: Babichenko 2016; Rubinstein 2016), whose hard "
                   "instances are constructed. Tolerance 0.1 on the exponent 1: the probability that no pure "
                   "equilibrium exists drifts towards 1/e over the range."),
    experiment=Experiment(
        run=run_query_search,
        scales={"quick": Scale(grid={"profiles": [2 ** 8, 2 ** 11, 2 ** 14, 2 ** 17, 2 ** 20]},
                               fixed={"search": "exhaustive", "eps": 0.1, "delta": 0.05}, seeds=10),
                "paper": Scale(grid={"profiles": [2 ** 8, 2 ** 10, 2 ** 12, 2 ** 14, 2 ** 16, 2 ** 18, 2 ** 20,
                                                  2 ** 22]},
                               fixed={"search": "exhaustive", "eps": 0.1, "delta": 0.05}, seeds=50)},
        instance="random m-player binary-action games, payoffs i.i.d. uniform (hashed), m = log2(profiles)",
        learner=("search", "eps", "delta")),
    metric="queries",
    units="joint profiles read (count)",
    check=RateCheck(param="profiles", tolerance=0.1),
    bound=EXACT_SEARCH_QUERIES,
    alternatives=[
        Alternative("sampled eps-Nash certificate", {"search": "sampled_eps_nash"}, role="uncovered",
                    description=("verify by sampling (Hoeffding, union over players and doubling rounds) that the "
                                 "uniform profile is a 0.1-Nash equilibrium with confidence 0.95; exhaustive "
                                 "fallback when the samples would cover every profile")),
    ],
    tags=("illustration",),
)

CLAIMS = [lp_equilibria_identity, markov_cce_identity, hedge_markov_regret_rate,
          hedge_general_regret_persists, aggregation_nash_extraction, normal_form_sparse_cce_rate,
          exp_players_queries]
