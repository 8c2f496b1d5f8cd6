r"""Bandit claims of Rashidinejad et al., *A Tale of Pessimism* (NeurIPS 2021, arXiv 2103.12021), §3-4.

Upper rates (Theorems 1 and 4) are checked on the **worst case over instance
grids that do not depend on N** (:mod:`.bandit_tasks`): at every N the metric
is the largest mean suboptimality over a fixed log-spaced grid of gaps (or of
rare-arm / rare-context masses).  Each claim runs its learner beside the
learners a reader would try instead, on the same instances, datasets and
seeds: the empirical best arm (Proposition 1), the most-played arm/action
(behaviour cloning, Propositions 2-3), LCB with a larger penalty (Theorem 3)
and a null learner (a uniformly random arm).  Lower bounds (Theorems 2 and 5)
are checked as facts about their hard instances: the exact divergence between
the data laws of the hard pair (or packing) at sample size N against what the
proof needs, with a pair of fixed, larger separation as the instance the
statement does not cover.

Penalty scale.  Algorithm 1's literal constant is used as is.  Algorithm 2's
:math:`\sqrt{2000}` exceeds the reward range at laptop N (spec §7), so the
contextual claims in which the scale matters come once per scale
``c`` in :data:`C_SWEEP` (ids ``<id>.c0.1``, ``<id>.c0.3``, ``<id>.c1``, ``<id>.literal``);
a scaled penalty makes that claim ``reconstructed``.
"""

from __future__ import annotations

from rltheory.bounds import Bound
from rltheory.bounds import lcb_bandits as B
from rltheory.claims.checks import ExplicitCheck, RateCheck
from rltheory.claims.claim import Alternative, Claim, Experiment, Scale

from .bandit_tasks import LEARNER_KEYS, run_cb, run_fano_packing, run_le_cam_pair, run_mab

#: Penalty scales of Algorithm 2 every scaled contextual claim is run at ("literal" = sqrt(2000)).
C_SWEEP = (0.1, 0.3, 1.0, "literal")
SEEDS = 5

# --------------------------------------------------------------------------- alternatives

GREEDY = Alternative(
    "empirical best", {"algorithm": "empirical_best"}, role="fails",
    description=("argmax of the empirical mean, no penalty (Proposition 1: constant error when a rarely "
                 "sampled, high-variance arm looks best after one lucky draw)"))
BC = Alternative(
    "most played", {"algorithm": "most_played"}, role="fails",
    description=("behaviour cloning, argmax of the counts (fails for C* > 2 in bandits, §3.4, and in "
                 "contextual bandits for C* in (1, 2), Proposition 3)"))
NULL = Alternative(
    "uniform", {"algorithm": "uniform"}, role="null",
    description="a uniformly random arm/action per context, the data ignored: does not learn")
LARGE_L = Alternative(
    "LCB, L = sqrt(N)", {"penalty": "sqrt_N"}, role="weaker",
    description=("LCB with penalty sqrt(L/N(a)), L = sqrt(N), which would give exponential decay for "
                 "C* < 2; Theorem 3: error >~ sqrt(L/N) = N^(-1/4) for C* = 6"))


def _scales(quick_grid: dict, paper_grid: dict, fixed: dict, quick_fixed: dict | None = None,
            paper_fixed: dict | None = None, seeds: int = SEEDS) -> dict:
    """``{"quick": Scale, "paper": Scale}`` sharing ``fixed`` (each scale may add its own fixed values)."""
    return {"quick": Scale(grid=quick_grid, fixed={**fixed, **(quick_fixed or {})}, seeds=seeds),
            "paper": Scale(grid=paper_grid, fixed={**fixed, **(paper_fixed or {})}, seeds=max(seeds, 10))}


# --------------------------------------------------------------------------- multi-armed bandits

_MAB_N_QUICK = [2000, 8000, 32000, 128000]
_MAB_N_PAPER = [2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 512000, 1000000]
_MAB_LCB = {"algorithm": "lcb", "penalty": "delta"}
_GRID_NOTE = ("worst case at each N over a fixed grid (independent of N): the Theorem-2 member f2 "
              "(mu(a*) = 1/C*, arms Bern(1/2) and Bern(1/2 + g)) for g = 2^(-k/2), k = 2..16")
_PROP1_NOTE = ("and the Proposition-1 shape with a fixed rare-arm mass m = 2^(-k), k = 6..20 (frequent "
               "optimal arm paying 1/2 surely, rare arm Bern(1/4)) [R: Proposition 1 ties m to 1/N]")


def mab_rate_claim(id: str, statement: str, family: str, cstars_quick: list, cstars_paper: list,
                   alternatives: list, note: str, datasets: int = 5000) -> Claim:
    """Theorem 1's rate in N for Algorithm 1 (delta = 1/N) on a worst case over ``family``'s fixed grid."""
    return Claim(
        id=id, statement=statement, source=B.source("Theorem 1 (eq. 8)"), fidelity="verified",
        fidelity_note=("Algorithm 1 with the paper's penalty sqrt(log(2|A|N)/(2N(a))), delta = 1/N; " + note +
                       "; N >= 8 C* log N on the whole sweep; the check allows Theorem 1's log^(1/2) of 2|A|N"),
        experiment=Experiment(
            run=run_mab, learner=LEARNER_KEYS,
            scales=_scales({"N": _MAB_N_QUICK, "C_star": cstars_quick}, {"N": _MAB_N_PAPER, "C_star": cstars_paper},
                           {"family": family, **_MAB_LCB}, {"datasets": datasets}, {"datasets": 100000}),
            instance=f"two-armed bandits in MAB(C*), worst case over a fixed grid ({family})"),
        metric="subopt", units="max over the grid of the mean suboptimality, reward units",
        check=RateCheck(param="N"), bound=B.MAB_RATE, alternatives=alternatives, version="2")


mab_rate_N = mab_rate_claim(
    "lcb.mab_rate_N",
    ("LCB for bandits (Algorithm 1, delta = 1/N) has worst-case expected suboptimality over MAB(C*) "
     "<~ sqrt(C* log(2N|A|)/N): exponent -1/2 in N up to log^(1/2), for every C* >= 2 swept"),
    "class", [2, 8], [2, 4, 8, 16], [GREEDY, BC, NULL], _GRID_NOTE + " " + _PROP1_NOTE)

mab_rate_N_vs_bc = mab_rate_claim(
    "lcb.mab_rate_N_vs_bc",
    ("On the Theorem-2 family (the optimal arm is the rarer one, mu(a*) = 1/C*, C* > 2), LCB's worst case "
     "decays like sqrt(C*/N) up to log^(1/2) while the most-played arm (behaviour cloning) does not decay"),
    "thm2", [4, 16], [4, 8, 16], [BC, NULL], _GRID_NOTE, datasets=4000)


def thm1_explicit(config: dict, step=None) -> float:
    """Theorem 1, eq. (9) in expectation with delta = 1/N, at a run's config."""
    return B.thm1_expected_bound(C_star=config["C_star"], N=config["N"])


mab_explicit_Cstar = Claim(
    id="lcb.mab_explicit_Cstar",
    statement=("LCB's worst-case expected suboptimality over MAB(C*) stays below Theorem 1's explicit bound "
               "2 sqrt(C* log(2|A|N)/N) + 2/N (eq. 9 with delta = 1/N, in expectation), for C* in {2, 4, 8, 16}"),
    source=B.source("Theorem 1 (eq. 9)"), fidelity="verified",
    fidelity_note=("Algorithm 1, literal penalty, delta = 1/N; " + _GRID_NOTE + " " + _PROP1_NOTE +
                   "; N >= 8 C* log N; each run's mean over 2000 datasets against the bound"),
    experiment=Experiment(
        run=run_mab, learner=LEARNER_KEYS,
        scales=_scales({"C_star": [2, 4, 8, 16], "N": [2000, 16000, 128000]},
                       {"C_star": [2, 4, 8, 16, 32], "N": [4000, 64000, 1000000]},
                       {"family": "class", **_MAB_LCB}, {"datasets": 2000}, {"datasets": 100000}),
        instance="two-armed bandits in MAB(C*), worst case over a fixed grid (class)"),
    metric="subopt", units="max over the grid of the mean suboptimality, reward units",
    check=ExplicitCheck(bound_value=thm1_explicit, delta=0.0), bound=B.MAB_EXPLICIT,
    alternatives=[GREEDY, BC, NULL], version="2")


def prop2_explicit(config: dict, step=None) -> float:
    """Proposition 2's bound exp(-N KL(Bern(1/2) || Bern(1/C*))) at a run's config."""
    return B.prop2_bound(C_star=config["C_star"], N=config["N"])


mab_most_played_exponential = Claim(
    id="lcb.mab_most_played_exponential",
    statement=("For C* in (1, 2) the most-played arm has E[r(a*) - r(a_hat)] <= exp(-N KL(Bern(1/2) || "
               "Bern(1/C*))) (Proposition 2), here for C* = 1.5 on every instance of the Theorem-3 shape "
               "with gaps in {1/2, 1/8, 1/16}; LCB with delta = 1/N is not exponentially fast there (Theorem 3)"),
    source=B.source("Proposition 2 (eq. 13) and Theorem 3"), fidelity="verified",
    fidelity_note=("exact expectations by enumeration of the sufficient statistics (two arms), so risks far "
                   "below 1e-6 are measured; ties broken uniformly; the Theorem-3 instance (mu(a*) = 2/3, "
                   "r(a*) = 1/2 surely, other arm Bern(1/2 - g)) with fixed gaps instead of g(N, L); the "
                   "runs are deterministic, so the 5 seeds repeat one number"),
    experiment=Experiment(
        run=run_mab, learner=LEARNER_KEYS,
        scales=_scales({"N": [10, 20, 40, 80, 160]}, {"N": [10, 20, 40, 80, 160, 320, 640]},
                       {"family": "thm3", "C_star": 1.5, "method": "exact", "algorithm": "most_played",
                        "penalty": "delta"}),
        instance="Theorem-3 shape, C* = 1.5, fixed gaps"),
    metric="subopt", units="max over the grid of the exact expected suboptimality, reward units",
    check=ExplicitCheck(bound_value=prop2_explicit, delta=0.0), bound=B.PROP2,
    alternatives=[Alternative("LCB, delta = 1/N", {"algorithm": "lcb"}, role="weaker",
                              description="Algorithm 1 (Theorem 3: error >~ sqrt(L/N) exp(-32 L), polynomial)"),
                  GREEDY, NULL],
    figure="loglog", version="2")

mab_nonadaptive_large_L = Claim(
    id="lcb.mab_nonadaptive_large_L",
    statement=("On the Theorem-3 shape with C* = 6 (mu(a*) = 1/6, r(a*) ~ Bern(1/2), other arm 1/2 - g surely), "
               "LCB with delta = 1/N (L = log(4N)/2) has worst-case error over the gaps decaying like "
               "N^(-1/2) up to log^(1/2), whereas a penalty L = sqrt(N) (which would give exponential decay for "
               "C* < 2) has error >~ sqrt(L/N) = N^(-1/4): no single penalty serves both regimes (Theorem 3)"),
    source=B.source("Theorems 1 and 3"), fidelity="verified",
    fidelity_note=("penalty in the Theorem-3 form b = sqrt(L/N(a)); worst case over the fixed gaps "
                   "g = 2^(-k/2), k = 2..16 (Theorem 3 ties g to sqrt(L/(4N)))"),
    experiment=Experiment(
        run=run_mab, learner=LEARNER_KEYS,
        scales=_scales({"N": [1000, 4000, 16000, 64000]}, {"N": [1000, 4000, 16000, 64000, 256000, 1000000]},
                       {"family": "thm3", "C_star": 6.0, **_MAB_LCB}, {"datasets": 4000}, {"datasets": 100000}),
        instance="Theorem-3 shape, C* = 6, worst case over fixed gaps"),
    metric="subopt", units="max over the grid of the mean suboptimality, reward units",
    check=RateCheck(param="N"), bound=B.THM3_LARGE_L, alternatives=[LARGE_L, BC, NULL], version="2")


def le_cam_allowance(config: dict, step=None) -> float:
    """The divergence Theorem 2's proof allows at the run's (C*, N): 200 N delta^2 / C* at the theorem's delta."""
    return B.le_cam_kl_allowance(C_star=config["C_star"], N=config["N"])


mab_lower_bound = Claim(
    id="lcb.mab_lower_bound",
    kind="instance",
    statement=("Theorem 2 (C* >= 2), the instance fact behind the lower bound: the two members of the Le Cam "
               "pair (mu = (1 - 1/C*, 1/C*), arms Bern(1/2) and Bern(1/2 -+ delta), delta = min(1/4, "
               "sqrt(C*/N))) have data laws at sample size N within KL <= 200 N delta^2 / C* (a constant), so "
               "every learner errs by >~ delta exp(-KL) ~ sqrt(C*/N) on one of them"),
    source=B.source("Theorem 2 (App. A)"), fidelity="verified",
    fidelity_note=("exact KL of the N-sample laws, N mu(2) KL(Bern(1/2 - delta) || Bern(1/2 + delta)) "
                   "(envs.offline_sampling.dataset_kl); the exact TV (hard.thm2_pair_tv) and Le Cam's bound "
                   "delta (1 - TV)/2 are reported beside it; the constant 200 is the spec's reading of "
                   "App. A; deterministic, so the 5 seeds repeat one number"),
    experiment=Experiment(
        run=run_le_cam_pair,
        scales=_scales({"N": [1000, 4000, 16000, 64000], "C_star": [2.0, 8.0]},
                       {"N": [1000, 4000, 16000, 64000, 256000, 1000000], "C_star": [2.0, 4.0, 8.0, 16.0]},
                       {"separation": "theorem"}),
        instance="Theorem-2 Le Cam pair, separation min(1/4, sqrt(C*/N))"),
    metric="kl", units="nats",
    check=ExplicitCheck(bound_value=le_cam_allowance, delta=0.0),
    bound=Bound("KL between the pair's N-sample data laws", "upper", {}, B.source("Theorem 2 (App. A)"),
                formula=B.le_cam_kl_allowance),
    alternatives=[Alternative("separation 1/4", {"separation": 0.25}, role="uncovered",
                              description=("the same pair with a fixed separation 1/4: its data laws drift "
                                           "apart linearly in N, so the pair is not hard"))],
    version="2")

# --------------------------------------------------------------------------- contextual bandits

_CB_SCALED_NOTE = {
    "literal": ("Algorithm 2 with the paper's penalty sqrt(2000 log(2S|A|N)/N(s,a)) (c = literal); unseen "
                "actions rank below seen ones (the paper scores them r = 0, b = 1) [R]"),
    "scaled": ("Algorithm 2 with its penalty scaled: c sqrt(log(2S|A|N)/N(s,a)), c = {c} instead of sqrt(2000) "
               "(the literal constant exceeds the reward range at laptop N); unseen actions rank below seen ones [R]"),
}


def _c_label(c) -> str:
    return "literal" if c == "literal" else f"c{c:g}"


def _c_note(c) -> str:
    return _CB_SCALED_NOTE["literal"] if c == "literal" else _CB_SCALED_NOTE["scaled"].format(c=f"{c:g}")


def cb_claims_per_scale(base_id: str, statement: str, source: str, experiment_for, bound: Bound,
                        note: str, alternatives: list) -> list:
    """One claim per penalty scale in :data:`C_SWEEP`: ids ``<base_id>.c0.1`` ... ``<base_id>.literal``.

    The claims share the family ``base_id``: every scale meets the same datasets and seeds.

    ``experiment_for(c)`` builds the experiment at scale ``c``; a scaled run is ``reconstructed``,
    the literal one ``partly`` (the unseen-action convention).
    """
    return [Claim(id=f"{base_id}.{_c_label(c)}", family=base_id,
                  statement=f"{statement} [penalty scale {_c_label(c)}]",
                  source=B.source(source),
                  fidelity="partly" if c == "literal" else "reconstructed",
                  fidelity_note=f"{_c_note(c)}; {note}",
                  experiment=experiment_for(c), metric="subopt",
                  units="max over the grid of the mean suboptimality, reward units",
                  check=RateCheck(param="N"), bound=bound, alternatives=alternatives, version="2")
            for c in C_SWEEP]


cb_rate_expert = Claim(
    id="lcb.cb_rate_expert",
    statement=("LCB for contextual bandits on expert data (C* = 1) has worst-case expected suboptimality "
               "<~ S/N up to logs: exponent -1 in N up to log^1 (Theorem 4; matched by Theorem 5 for C* = 1)"),
    source=B.source("Theorems 4 and 5"), fidelity="partly",
    fidelity_note=(_c_note("literal") + "; on expert data only the expert's action is ever seen, so with this "
                   "convention every scale c returns the same policy and the scale is not swept; S = 10 "
                   "contexts, S - 1 of mass zeta and one of mass 1 - (S-1) zeta, zeta = 2^(-k), k = 4..16 (a "
                   "fixed grid: the lower-bound instance ties zeta to 1/(N+1)); N on powers of 4, so the grid "
                   "meets every N at the same relative place; behaviour cloning coincides with LCB here (the "
                   "paper's imitation regime), so the null learner is the only alternative; the check allows "
                   "Theorem 4's log^1 of 2S|A|N on the S/N term (on expert data LCB's error is the missing mass, "
                   "bounded by 4 S C*/(9N) without a log, App. B.1: the measured exponent is what to read)"),
    experiment=Experiment(
        run=run_cb, learner=LEARNER_KEYS,
        scales=_scales({"N": [128, 512, 2048, 8192]}, {"N": [128, 512, 2048, 8192, 32768], "S": [10, 30]},
                       {"family": "expert", "C_star": 1.0, "algorithm": "lcb", "c": "literal"},
                       {"S": 10, "datasets": 2000}, {"datasets": 20000}),
        instance="expert contextual bandit, worst case over a fixed grid of rare-context masses"),
    metric="subopt", units="max over the grid of the mean suboptimality, reward units",
    check=RateCheck(param="N"), bound=B.CB_FAST_RATE, alternatives=[NULL], version="2")


def _coverage_experiment(c) -> Experiment:
    return Experiment(
        run=run_cb, learner=LEARNER_KEYS,
        scales=_scales({"N": [1000, 4000, 16000, 64000]},
                       {"N": [1000, 4000, 16000, 64000, 256000], "C_star": [2.0, 4.0, 8.0]},
                       {"family": "thm5", "S": 10, "algorithm": "lcb", "c": c},
                       {"C_star": 4.0, "datasets": 500}, {"datasets": 20000}),
        instance="Theorem-5 contextual bandit (rarer action optimal), worst case over fixed gaps")


cb_rate_coverage = cb_claims_per_scale(
    "lcb.cb_rate_coverage",
    ("LCB for contextual bandits with C* >= 2 has worst-case expected suboptimality <~ sqrt(S(C* - 1)/N) + S/N: "
     "exponent -1/2 in N up to log^(1/2)"),
    "Theorem 4", _coverage_experiment, B.CB_SQRT_RATE,
    ("Theorem-5 instance for C* >= 2 (S = 10, rho uniform, mu(s, a2) = 1/(S C*), R(s, a2) = Bern(1/2 + g), "
     "v = (1, ..., 1): the rarer action optimal everywhere), worst case over fixed gaps g = 2^(-k/2), "
     "k = 2..14; quick scale C* = 4, 500 datasets per instance"),
    [BC, NULL])

# The middle regime C* = 1 + eta (Theorems 4 and 5): expert contexts of mass (1 - eta)(zeta, ..., rest) and
# S gap contexts of mass eta/S with both actions in the data; switch near N = S/eta = 1e4.
_ETA = 1e-3
_MID_FIXED = {"family": "middle", "S": 10, "S_expert": 10, "C_star": 1 + _ETA, "algorithm": "lcb"}
_MID_NOTE = ("instance [D]: hard.interpolation_contextual (S = 10 gap contexts of mass eta/S with both actions "
             "in the data, eta/(S C*) each, R(s, a2) = Bern(1/2 + g), v = (1, ..., 1); 10 expert contexts of "
             "masses (1 - eta)(zeta, ..., zeta, rest)), C* = 1 + eta exactly, eta = 1e-3; zeta = 2^(-k), "
             "k = 4..16 and g = 2^(-k/2), k = 2..14 on fixed grids; the expected suboptimality is the sum of "
             "an expert part (depends on zeta only) and a gap part (depends on g only), so the worst case "
             "over the product grid is the sum of the two maxima")

cb_middle_small_N = Claim(
    id="lcb.cb_middle_small_N",
    statement=("Contextual bandit, nearly expert data C* = 1 + eta (eta = 1e-3): for N << S/(C* - 1) LCB's "
               "worst-case expected suboptimality decays like S/N, exponent -1 in N up to log^1 (the S/N term "
               "of Theorem 4 dominates sqrt(S(C* - 1)/N) there)"),
    source=B.source("Theorem 4"), fidelity="partly",
    fidelity_note=(_c_note("literal") + "; " + _MID_NOTE + "; N eta/S in [1/300, 1/20]; the penalty scale "
                   "acts only on the gap contexts, whose part is below 1/20 of the metric at these N, so it "
                   "is not swept; behaviour cloning coincides with LCB on the expert contexts, so the null "
                   "learner is the alternative; the check allows Theorem 4's log^1 of 2S|A|N on the S/N term"),
    experiment=Experiment(
        run=run_cb, learner=LEARNER_KEYS,
        scales=_scales({"N": [32, 64, 128, 256]}, {"N": [16, 32, 64, 128, 256, 512]},
                       {**_MID_FIXED, "c": "literal"}, {"datasets": 1000}, {"datasets": 20000}),
        instance="interpolation family [D], C* = 1 + 1e-3, N << S/(C* - 1), fixed grids"),
    metric="subopt", units="max over the grid of the mean suboptimality, reward units",
    check=RateCheck(param="N"), bound=B.CB_FAST_RATE, alternatives=[NULL], version="2")

_MID_LARGE_N = [1280000, 2560000, 5120000, 10240000]


def _middle_large_experiment(c) -> Experiment:
    return Experiment(
        run=run_cb, learner=LEARNER_KEYS,
        scales=_scales({"N": _MID_LARGE_N}, {"N": [640000] + _MID_LARGE_N + [20480000, 40960000]},
                       {**_MID_FIXED, "c": c}, {"datasets": 400}, {"datasets": 20000}),
        instance="interpolation family [D], C* = 1 + 1e-3, N >> S/(C* - 1), fixed grids")


cb_middle_large_N = cb_claims_per_scale(
    "lcb.cb_middle_large_N",
    ("Contextual bandit, C* = 1 + eta (eta = 1e-3): for N >> S/(C* - 1) LCB's worst-case expected "
     "suboptimality is <~ sqrt(S(C* - 1)/N): exponent -1/2 in N up to log^(1/2) (Theorem 4; the matching "
     "lower bound is lcb.cb_lower_bound)"),
    "Theorem 4", _middle_large_experiment, B.CB_SQRT_RATE,
    _MID_NOTE + "; N eta/S in [128, 1024]; quick scale 400 datasets per instance", [BC, NULL])


def fano_allowance(config: dict, step=None) -> float:
    """What Fano's method needs of the largest pairwise KL: S/16 - log 2 (log|V| >= S/8)."""
    return B.fano_kl_allowance(S=config["S"])


cb_lower_bound = Claim(
    id="lcb.cb_lower_bound",
    kind="instance",
    statement=("Theorem 5 (C* in (1, 2)), the instance fact behind the lower bound sqrt(S(C* - 1)/N): on the "
               "packing family (gap contexts of mass (C* - 1)/S, both actions with data (C* - 1)/(S C*), "
               "R(s, a2) = Bern(1/2 + v_s delta), delta = min(1/3, sqrt(S C*/(200 (C* - 1) N)))), the data laws "
               "of any two sign vectors at sample size N are within KL <= S/16 - log 2, which Fano's "
               "inequality with log|V| >= S/8 needs for an identification error >= 1/2"),
    source=B.source("Theorem 5 (App. B.2)"), fidelity="partly",
    fidelity_note=("exact KL between the N-sample laws of v = (1, ..., 1) and -v (the largest over {-1, 1}^S, "
                   "hence over any packing) on hard.thm5_contextual; the Gilbert-Varshamov size |V| >= "
                   "exp(S/8) is taken from the paper, not constructed; S = 64 (the allowance is positive only "
                   "for S >= 12); deterministic, so the 5 seeds repeat one number"),
    experiment=Experiment(
        run=run_fano_packing,
        scales=_scales({"N": [10000, 100000, 1000000, 10000000], "C_star": [1.001, 1.5]},
                       {"N": [10000, 100000, 1000000, 10000000, 100000000], "C_star": [1.001, 1.1, 1.5],
                        "S": [16, 64, 256]},
                       {"separation": "theorem"}, {"S": 64}),
        instance="Theorem-5 packing for C* in (1, 2), separation ~ sqrt(S C*/((C* - 1) N))"),
    metric="max_pair_kl", units="nats",
    check=ExplicitCheck(bound_value=fano_allowance, delta=0.0),
    bound=Bound("largest KL between two members' N-sample data laws", "upper", {},
                B.source("Theorem 5 (App. B.2)"), formula=B.fano_kl_allowance),
    alternatives=[Alternative("separation 1/10", {"separation": 0.1}, role="uncovered",
                              description=("the same family with a fixed separation 1/10: the members' data "
                                           "laws drift apart linearly in N, so Fano's condition fails"))],
    version="2")

CLAIMS = [mab_rate_N, mab_rate_N_vs_bc, mab_explicit_Cstar, mab_most_played_exponential,
          mab_nonadaptive_large_L, mab_lower_bound, cb_rate_expert, *cb_rate_coverage, cb_middle_small_N,
          *cb_middle_large_N, cb_lower_bound]
