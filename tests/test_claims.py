"""Verdict logic of the claims engine on synthetic inputs (no learner involved)."""

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.claims import (Bound, Claim, Experiment, ExplicitCheck, IdentityCheck, Alternative,
                             RateCheck, Run, Scale, Source, combine, select)
from rltheory.claims.engine import evaluate

SRC = Source("A synthetic paper", arxiv="0000.00000", theorem="Thm 1")


def _noop(config, seed):  # never called: runs are synthetic
    raise AssertionError


def _claim(check, bound=None, **kw):
    return Claim(id=kw.pop("id", "synthetic.claim"), statement="synthetic", source=SRC,
                 fidelity="verified", metric="m",
                 experiment=Experiment(_noop, {"quick": Scale({"K": [1]}), "paper": Scale({"K": [1]})},
                                       learner=("variant",)),
                 check=check, alternatives=[Alternative("wrong", {"variant": "wrong"}, "a wrong variant")],
                 bound=bound, **kw)


ALT = "alt:wrong"


def power_runs(arm, slope, xs=(10, 30, 100, 300, 1000, 3000), seeds=12, noise=0.05, rng=None, const=2.0):
    rng = rng or np.random.default_rng(0)
    runs = []
    for sd in range(seeds):
        for x in xs:
            v = const * x ** slope * np.exp(noise * rng.standard_normal())
            runs.append(Run(f"{arm}-{sd}-{x}", arm, {"K": x}, sd, {"m": (np.array([-1]), np.array([v]))}))
    return runs


UPPER = Bound("regret", "upper", {"K": 0.5}, SRC)
LOWER = Bound("risk", "lower", {"N": -0.5}, SRC)


@pytest.mark.parametrize("slope,expected", [(0.3, "consistent"), (0.9, "violated")])
def test_upper_rate_decisions(slope, expected):
    claim = _claim(RateCheck("K"), UPPER)
    runs = power_runs("claim", slope) + power_runs(ALT, 1.0)
    v = evaluate(claim, runs, "quick")
    assert v.main.status == expected
    assert v.alternatives[0].status == "violated"
    assert v.status == expected
    assert abs(v.main.estimate - slope) < 0.05


def test_rate_on_the_threshold_is_inconclusive_and_says_what_would_decide():
    claim = _claim(RateCheck("K"), UPPER)
    runs = power_runs("claim", 0.5, noise=0.4, seeds=6) + power_runs(ALT, 1.0)
    v = evaluate(claim, runs, "quick")
    assert v.status == "inconclusive"
    assert "would decide" in v.main.detail or "threshold" in v.main.detail


def test_every_alternative_passing_too_makes_the_claim_vacuous():
    """A metric that every alternative also satisfies: the check cannot tell them apart."""
    claim = _claim(RateCheck("K"), UPPER)
    runs = power_runs("claim", 0.2) + power_runs(ALT, 0.2)   # the alternative as good as the claim
    v = evaluate(claim, runs, "quick")
    assert v.main.status == "consistent"
    assert v.alternatives[0].status == "consistent"
    assert v.status == "vacuous" and v.label == "vacuous (every alternative passes too)"


def test_an_undecided_alternative_and_none_violated_is_inconclusive():
    claim = _claim(RateCheck("K"), UPPER)
    runs = power_runs("claim", 0.2) + power_runs(ALT, 0.5, noise=0.4, seeds=6)
    v = evaluate(claim, runs, "quick")
    assert v.alternatives[0].status == "inconclusive"
    assert v.status == "inconclusive" and v.reason == "check lacks power"


def test_one_violated_alternative_among_several_suffices():
    claim = Claim(id="synthetic.two", statement="s", source=SRC, fidelity="verified", metric="m",
                  experiment=Experiment(_noop, {"quick": Scale({"K": [1]}), "paper": Scale({"K": [1]})},
                                        learner=("variant",)),
                  check=RateCheck("K"), bound=UPPER,
                  alternatives=[Alternative("same", {"variant": "same"}),
                                Alternative("linear", {"variant": "linear"}, role="null")])
    runs = power_runs("claim", 0.3) + power_runs("alt:same", 0.3) + power_runs("alt:linear", 1.0)
    v = evaluate(claim, runs, "quick")
    assert [a.status for a in v.alternatives] == ["consistent", "violated"]
    assert v.status == "consistent"
    d = v.to_json()
    assert [a["name"] for a in d["alternatives"]] == ["same", "linear"]
    assert {"name", "verdict", "estimate", "ci"} <= set(d["alternatives"][1])
    assert d["alternatives"][1]["verdict"] == "violated"


def test_lower_rate_mirrors_upper():
    claim = _claim(RateCheck("N"), LOWER)
    def runs(arm, slope):
        return [Run(r.key, arm, {"N": r.config["K"]}, r.seed, r.metrics) for r in power_runs(arm, slope)]
    v = evaluate(claim, runs("claim", -0.5 + 0.2) + runs(ALT, -1.0), "quick")
    assert v.main.status == "consistent" and v.alternatives[0].status == "violated"
    v2 = evaluate(claim, runs("claim", -1.0) + runs(ALT, -1.0), "quick")
    assert v2.status == "violated"


def test_polylog_tolerance_admits_a_log_factor_only_when_declared():
    xs = np.array([100, 300, 1000, 3000, 10000, 30000])
    def runs(arm, logp):
        out = []
        for sd in range(8):
            for x in xs:
                v = np.sqrt(x) * np.log(x) ** logp * (1 + 0.01 * ((sd % 3) - 1))
                out.append(Run(f"{arm}{sd}{x}", arm, {"K": int(x)}, sd, {"m": (np.array([-1]), np.array([v]))}))
        return out
    strict = _claim(RateCheck("K"), UPPER)
    loose = _claim(RateCheck("K"), Bound("regret", "upper", {"K": 0.5}, SRC, log_power=1.0))
    ctrl = power_runs(ALT, 1.0, xs=xs)
    assert evaluate(strict, runs("claim", 1.0) + ctrl, "quick").main.status == "violated"
    assert evaluate(loose, runs("claim", 1.0) + ctrl, "quick").main.status == "consistent"


def test_rate_from_curves_reads_steps():
    steps = np.array([1, 10, 100, 1000, 10000])
    def runs(arm, slope):
        return [Run(f"{arm}{sd}", arm, {"S": 4}, sd,
                    {"m": (steps, (steps ** slope) * (1 + 0.02 * sd))}) for sd in range(6)]
    claim = _claim(RateCheck("K", x_from="step", fit_min=10), UPPER)
    v = evaluate(claim, runs("claim", 0.4) + runs(ALT, 1.0), "quick")
    assert v.status == "consistent"
    assert v.main.series[0].x.min() == 10


def test_groups_are_fitted_separately_and_any_violation_counts():
    good = power_runs("claim", 0.3)
    bad = [Run(r.key + "b", "claim", {**r.config, "S": 2}, r.seed, r.metrics)
           for r in power_runs("claim", 0.9, rng=np.random.default_rng(5))]
    claim = _claim(RateCheck("K"), UPPER)
    v = evaluate(claim, good + bad + power_runs(ALT, 1.0), "quick")
    assert v.status == "violated"
    assert all(k.endswith("b") for k in v.main.offending)


def test_metric_vanishing_cannot_be_fitted():
    runs = [Run(f"c{sd}{x}", "claim", {"K": x}, sd, {"m": (np.array([-1]), np.array([0.0]))})
            for sd in range(3) for x in (10, 100)]
    v = evaluate(_claim(RateCheck("K"), UPPER), runs + power_runs(ALT, 1.0), "quick")
    assert v.main.status == "inconclusive" and "no exponent" in v.main.detail


def test_explicit_check_deterministic_bound():
    bound = Bound("subopt", "upper", {"K": -0.5}, SRC, formula=lambda K: 1.0 / np.sqrt(K))
    claim = _claim(ExplicitCheck(), bound)
    ok = [Run(f"a{k}", "claim", {"K": k}, 0, {"m": (np.array([-1]), np.array([0.5 / np.sqrt(k)]))})
          for k in (1, 4, 16)]
    bad = [Run(f"b{k}", ALT, {"K": k}, 0, {"m": (np.array([-1]), np.array([2.0 / np.sqrt(k)]))})
           for k in (1, 4, 16)]
    v = evaluate(claim, ok + bad, "quick")
    assert v.status == "consistent" and v.alternatives[0].status == "violated"
    assert v.main.estimate == pytest.approx(0.5)
    one_bad = ok + [Run("x", "claim", {"K": 4}, 1, {"m": (np.array([-1]), np.array([0.51]))})]
    assert evaluate(claim, one_bad + bad, "quick").main.offending == ("x",)


def test_explicit_check_respects_failure_probability():
    bound = Bound("subopt", "upper", {"K": -0.5}, SRC, formula=lambda K: 1.0, failure_probability=0.1)
    claim = _claim(ExplicitCheck(), bound)
    def runs(arm, n, n_bad):
        return [Run(f"{arm}{i}", arm, {"K": 1}, i, {"m": (np.array([-1]), np.array([2.0 if i < n_bad else 0.5]))})
                for i in range(n)]
    # 2 failures in 40 runs is within delta = 0.1
    assert evaluate(claim, runs("claim", 40, 2) + runs(ALT, 40, 30), "quick").status == "consistent"
    # 15 failures in 40 runs: p-value of Binomial(40, 0.1) >= 15 is tiny
    assert evaluate(claim, runs("claim", 40, 15) + runs(ALT, 40, 30), "quick").status == "violated"


def test_explicit_check_for_all_steps():
    bound = Bound("regret", "upper", {"K": 0.5}, SRC, formula=lambda K, **_: 3 * np.sqrt(K))
    claim = _claim(ExplicitCheck(x_from="step", param="K"), bound)
    steps = np.array([1, 10, 100])
    runs = [Run("a", "claim", {"H": 2}, 0, {"m": (steps, np.sqrt(steps))}),
            Run("b", ALT, {"H": 2}, 0, {"m": (steps, np.array([1.0, 40.0, 10.0]))})]
    v = evaluate(claim, runs, "quick")
    assert v.status == "consistent" and v.alternatives[0].status == "violated"


def test_identity_check():
    claim = _claim(IdentityCheck(target=lambda c: c["K"] * 2.0, tol=1e-9))
    good = [Run(f"g{k}", "claim", {"K": k}, 0, {"m": (np.array([-1]), np.array([2.0 * k]))}) for k in (1, 2)]
    bad = [Run(f"b{k}", ALT, {"K": k}, 0, {"m": (np.array([-1]), np.array([2.0 * k + 1e-6]))})
           for k in (1, 2)]
    v = evaluate(claim, good + bad, "quick")
    assert v.status == "consistent" and v.alternatives[0].status == "violated"
    assert evaluate(claim, bad + bad, "quick").status == "inconclusive"


def test_claim_validation():
    with pytest.raises(ValidationError, match="fidelity"):
        _claim(RateCheck("K"), UPPER, ).__class__(
            id="x", statement="s", source=SRC, fidelity="made-up", metric="m",
            experiment=Experiment(_noop, {"quick": Scale(), "paper": Scale()}),
            check=RateCheck("K"), alternatives=[Alternative("c", {"variant": 1})], bound=UPPER)
    with pytest.raises(ValidationError, match="Bound"):
        _claim(RateCheck("K"))
    with pytest.raises(ValidationError, match="asserts no exponent"):
        _claim(RateCheck("S"), UPPER)
    with pytest.raises(ValidationError, match="both swept and fixed"):
        Scale(grid={"K": [1]}, fixed={"K": 2})
    with pytest.raises(ValidationError, match="quick"):
        Experiment(_noop, {"paper": Scale()})


def test_tasks_and_seeds_are_a_function_of_the_task_only():
    claim = Claim(id="t.x", statement="s", source=SRC, fidelity="partly", metric="m", bound=UPPER,
                  experiment=Experiment(_noop, {"quick": Scale({"K": [1, 2]}, {"H": 3}, seeds=5),
                                               "paper": Scale({"K": [1, 2, 4]}, {"H": 3}, seeds=5)},
                                        learner=("greedy",)),
                  check=RateCheck("K"), alternatives=[Alternative("wrong", {"greedy": True})])
    quick, paper = claim.tasks("quick"), claim.tasks("paper")
    assert len(quick) == 20 and len(paper) == 30
    assert {t.arm for t in quick} == {"claim", ALT}
    assert all(t.config["greedy"] for t in quick if t.arm == ALT)
    # a task common to both sweeps has the same key and the same random stream
    common = {t.key: t for t in quick} 
    for t in paper:
        if t.key in common:
            a = np.random.default_rng(t.seed_sequence()).random(3)
            b = np.random.default_rng(common[t.key].seed_sequence()).random(3)
            assert np.array_equal(a, b)
    assert len({t.key for t in paper}) == len(paper)


def test_select_globs():
    a = _claim(RateCheck("K"), UPPER, id="lcb.a")
    b = _claim(RateCheck("K"), UPPER, id="ucbvi.b")
    assert select([a, b], ["lcb*"]) == [a]
    assert select([a, b], None) == [a, b]
    with pytest.raises(ValidationError, match="matches no claim"):
        select([a, b], ["nope*"])


def test_combine_rule():
    from rltheory.claims import AlternativeResult
    from rltheory.claims.checks import CheckResult
    res = {st: CheckResult(st, "f", 1, 0, 2, 0.5, "d") for st in ("violated", "consistent", "inconclusive")}
    alt = lambda st: AlternativeResult(Alternative("a", {"x": 1}), res[st])
    assert combine(None, res["violated"], [alt("violated")], "quick").status == "violated"
    assert combine(None, res["inconclusive"], [alt("violated")], "quick").status == "inconclusive"
    assert combine(None, res["consistent"], [alt("violated")], "quick").status == "consistent"
    assert combine(None, res["consistent"], [alt("consistent")], "quick").status == "vacuous"
    assert combine(None, res["consistent"], [alt("consistent"), alt("violated")], "quick").status == "consistent"
    v = combine(None, res["consistent"], [alt("inconclusive"), alt("consistent")], "quick")
    assert (v.status, v.reason) == ("inconclusive", "check lacks power")


def test_exact_data_on_the_threshold_is_consistent_not_violated():
    """Noise-free data with exactly the stated exponent: the interval is a point, up to rounding."""
    claim = _claim(RateCheck("K"), UPPER)
    runs = power_runs("claim", 0.5, noise=0.0) + power_runs(ALT, 1.0)
    v = evaluate(claim, runs, "quick")
    assert v.main.status == "consistent", v.main.detail


# --------------------------------------------------------------------------- alternatives: the rules


def _learner_claim(alternatives, kind="learner", learner=("algorithm",)):
    return Claim(id="synthetic.rules", statement="s", source=SRC, fidelity="verified", metric="m", kind=kind,
                 experiment=Experiment(_noop, {"quick": Scale({"K": [10, 100]}, {"S": 3, "algorithm": "ours"}),
                                               "paper": Scale({"K": [10, 100]}, {"S": 3, "algorithm": "ours"})},
                                       learner=learner),
                 check=RateCheck("K"), bound=UPPER, alternatives=alternatives)


def test_an_alternative_that_changes_an_instance_setting_is_refused():
    with pytest.raises(ValidationError, match=r"alternative 'bigger' overrides \['S'\], which are not learner"):
        _learner_claim([Alternative("bigger", {"algorithm": "greedy", "S": 30})])
    with pytest.raises(ValidationError, match=r"overrides \['K'\]"):
        _learner_claim([Alternative("fewer", {"K": 5})])


def test_an_instance_claim_needs_alternatives_that_change_the_instance():
    with pytest.raises(ValidationError, match="changes only learner settings"):
        _learner_claim([Alternative("greedy", {"algorithm": "greedy"})], kind="instance")
    c = _learner_claim([Alternative("separated", {"S": 30}, role="uncovered")], kind="instance")
    assert c.alternatives[0].arm == "alt:separated"


def test_claims_need_an_alternative_unique_names_and_five_seeds():
    with pytest.raises(ValidationError, match="at least one Alternative"):
        _learner_claim([])
    with pytest.raises(ValidationError, match="unique names"):
        _learner_claim([Alternative("g", {"algorithm": "greedy"}), Alternative("g", {"algorithm": "unif"})])
    with pytest.raises(ValidationError, match="changes nothing"):
        _learner_claim([Alternative("same", {"algorithm": "ours"})])
    with pytest.raises(ValidationError, match="at least 5 seeds"):
        Claim(id="few.seeds", statement="s", source=SRC, fidelity="verified", metric="m",
              experiment=Experiment(_noop, {"quick": Scale({"K": [1, 2]}, seeds=4),
                                            "paper": Scale({"K": [1, 2]}, seeds=5)}, learner=("a",)),
              check=RateCheck("K"), bound=UPPER, alternatives=[Alternative("x", {"a": 1})])
    with pytest.raises(ValidationError, match="role"):
        Alternative("x", {"a": 1}, role="better")
    with pytest.raises(ValidationError, match="no overrides"):
        Alternative("x", {})


def test_alternatives_share_the_claims_instances_and_random_streams():
    """Only learner settings differ between arms; the stream depends on the instance part only."""
    c = _learner_claim([Alternative("greedy", {"algorithm": "greedy"})])
    tasks = c.tasks("quick")
    by = {}
    for t in tasks:
        inst = {k: v for k, v in t.config.items() if k != "algorithm"}
        by.setdefault((json_key(inst), t.seed), []).append(t)
    assert all(len(ts) == 2 for ts in by.values())
    for ts in by.values():
        a, b = ts
        assert a.arm != b.arm and a.key != b.key
        assert np.array_equal(np.random.default_rng(a.seed_sequence()).random(4),
                              np.random.default_rng(b.seed_sequence()).random(4))
    # different instances or seeds draw different streams
    streams = {tuple(np.random.default_rng(ts[0].seed_sequence()).random(2)) for ts in by.values()}
    assert len(streams) == len(by)


def json_key(d):
    import json
    return json.dumps(d, sort_keys=True)


def _power_task(config, seed):
    """A synthetic learner: metric = 2 K^slope(algorithm) with 5% multiplicative noise."""
    slope = {"ours": 0.3, "same": 0.3, "linear": 1.0}[config["algorithm"]]
    rng = np.random.default_rng(seed)
    return {"m": float(2.0 * config["K"] ** slope * np.exp(0.05 * rng.standard_normal()))}


def _end_to_end(alternatives, K=(10, 100, 1000)):
    from rltheory.claims.engine import evaluate_in_memory
    sc = Scale({"K": list(K)}, {"algorithm": "ours"}, seeds=6)
    c = Claim(id="synthetic.e2e", statement="s", source=SRC, fidelity="verified", metric="m",
              experiment=Experiment(_power_task, {"quick": sc, "paper": sc}, learner=("algorithm",)),
              check=RateCheck("K"), bound=UPPER, alternatives=alternatives)
    return evaluate_in_memory(c)


def test_engine_end_to_end_consistent_and_vacuous():
    v = _end_to_end([Alternative("linear", {"algorithm": "linear"}, role="null")])
    assert v.status == "consistent" and v.alternatives[0].status == "violated"
    assert abs(v.alternatives[0].result.estimate - 1.0) < 0.05
    v = _end_to_end([Alternative("same", {"algorithm": "same"})])
    assert v.status == "vacuous"
    arms = {r["arm"] for r in v.runs}
    assert arms == {"claim", "alt:same"}


def test_p_values_and_holm():
    from rltheory.claims import holm
    from rltheory.claims.verdict import family_wise
    assert holm([0.01, 0.04, 0.03, float("nan")])[:3] == pytest.approx([0.03, 0.06, 0.06])
    assert np.isnan(holm([0.01, float("nan")])[1])
    claim = _claim(RateCheck("K"), UPPER)
    good = evaluate(claim, power_runs("claim", 0.3) + power_runs(ALT, 1.0), "quick")
    bad = evaluate(claim, power_runs("claim", 0.9) + power_runs(ALT, 1.0), "quick")
    edge = evaluate(claim, power_runs("claim", 0.5, noise=0.4, seeds=6) + power_runs(ALT, 1.0), "quick")
    assert good.p_value < 0.05 and bad.p_value < 0.05 and np.isnan(edge.p_value)
    fw = family_wise([good, edge])
    assert fw["n_decided"] == 1 and fw["n_hold"] == 1


def test_rate_p_value_matches_the_interval_decision():
    """The p-value of a decision is below (1 - level)/2 exactly when the interval decides it."""
    from rltheory.stats import slope_ci
    rng = np.random.default_rng(3)
    x = np.array([10.0, 30, 100, 300])
    for trial in range(20):
        Y = 2 * x ** 0.5 * np.exp(0.3 * rng.standard_normal((7, 4)))
        fit = slope_ci(x, Y, seed=np.random.default_rng(trial), n_boot=8000)
        for thr in (fit.high - 0.02, fit.high + 0.02):
            assert (fit.p_value(thr, "below") <= 0.05) == (fit.high <= thr)
        for thr in (fit.low - 0.02, fit.low + 0.02):
            assert (fit.p_value(thr, "above") <= 0.05) == (fit.low >= thr)


def test_claims_of_one_family_draw_the_same_streams():
    """One claim per constant scale: with ``family`` set they meet the same instances and draws."""
    def make(cid, family=""):
        sc = Scale({"K": [10, 100]}, {"S": 3, "algorithm": "ours"})
        return Claim(id=cid, statement="s", source=SRC, fidelity="verified", metric="m", family=family,
                     experiment=Experiment(_noop, {"quick": sc, "paper": sc}, learner=("algorithm",)),
                     check=RateCheck("K"), bound=UPPER, alternatives=[Alternative("g", {"algorithm": "g"})])
    draw = lambda c: [tuple(np.random.default_rng(t.seed_sequence()).random(2)) for t in c.tasks("quick")]
    a, b = make("fam.c1", "fam"), make("fam.c2", "fam")
    assert draw(a) == draw(b)
    assert {t.key for t in a.tasks("quick")}.isdisjoint({t.key for t in b.tasks("quick")})
    assert draw(make("fam.c1")) != draw(make("fam.c2"))


def test_rate_p_values_are_not_floored_by_the_bootstrap_resolution():
    """Far from the threshold the p-value keeps falling (Holm across many claims needs that)."""
    from rltheory.stats import slope_ci
    x = np.array([10.0, 30, 100, 300])
    Y = 2 * x ** 0.3 * np.exp(0.05 * np.random.default_rng(0).standard_normal((5, 4)))
    fit = slope_ci(x, Y, seed=np.random.default_rng(1))
    ps = [fit.p_value(t, "below") for t in (fit.high, 0.35, 0.4, 0.5)]
    assert ps[0] == pytest.approx(0.05, abs=0.01)
    assert ps[1] > ps[2] > ps[3] and ps[3] < 1e-4


@pytest.mark.parametrize("name", ["", "   ", "a\nb", "x" * 61])
def test_alternative_names_are_printable_and_short(name):
    with pytest.raises(ValidationError, match="Alternative.name"):
        Alternative(name, {"a": 1})
