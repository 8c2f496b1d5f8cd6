"""Verdict logic of the claims engine on synthetic inputs (no learner involved)."""

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.claims import (Bound, Claim, Experiment, ExplicitCheck, IdentityCheck, NegativeControl,
                             RateCheck, Run, Scale, Source, combine, select)
from rltheory.claims.engine import evaluate

SRC = Source("A synthetic paper", arxiv="0000.00000", theorem="Thm 1")


def _noop(config, seed):  # never called: runs are synthetic
    raise AssertionError


def _claim(check, bound=None, **kw):
    return Claim(id=kw.pop("id", "synthetic.claim"), statement="synthetic", source=SRC,
                 fidelity="verified", metric="m",
                 experiment=Experiment(_noop, {"quick": Scale({"K": [1]}), "paper": Scale({"K": [1]})}),
                 check=check, control=NegativeControl("a wrong variant"), bound=bound, **kw)


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
    runs = power_runs("claim", slope) + power_runs("control", 1.0)
    v = evaluate(claim, runs, "quick")
    assert v.main.status == expected
    assert v.control.status == "violated"
    assert v.status == expected
    assert abs(v.main.estimate - slope) < 0.05


def test_rate_on_the_threshold_is_inconclusive_and_says_what_would_decide():
    claim = _claim(RateCheck("K"), UPPER)
    runs = power_runs("claim", 0.5, noise=0.4, seeds=6) + power_runs("control", 1.0)
    v = evaluate(claim, runs, "quick")
    assert v.status == "inconclusive"
    assert "would decide" in v.main.detail or "threshold" in v.main.detail


def test_negative_control_that_fails_to_fail_makes_the_claim_inconclusive():
    claim = _claim(RateCheck("K"), UPPER)
    runs = power_runs("claim", 0.2) + power_runs("control", 0.2)   # control as good as the claim
    v = evaluate(claim, runs, "quick")
    assert v.main.status == "consistent"
    assert v.control.status == "consistent"
    assert v.status == "inconclusive" and v.reason == "check lacks power"
    assert v.label == "inconclusive (check lacks power)"


def test_lower_rate_mirrors_upper():
    claim = _claim(RateCheck("N"), LOWER)
    def runs(arm, slope):
        return [Run(r.key, arm, {"N": r.config["K"]}, r.seed, r.metrics) for r in power_runs(arm, slope)]
    v = evaluate(claim, runs("claim", -0.5 + 0.2) + runs("control", -1.0), "quick")
    assert v.main.status == "consistent" and v.control.status == "violated"
    v2 = evaluate(claim, runs("claim", -1.0) + runs("control", -1.0), "quick")
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
    ctrl = power_runs("control", 1.0, xs=xs)
    assert evaluate(strict, runs("claim", 1.0) + ctrl, "quick").main.status == "violated"
    assert evaluate(loose, runs("claim", 1.0) + ctrl, "quick").main.status == "consistent"


def test_rate_from_curves_reads_steps():
    steps = np.array([1, 10, 100, 1000, 10000])
    def runs(arm, slope):
        return [Run(f"{arm}{sd}", arm, {"S": 4}, sd,
                    {"m": (steps, (steps ** slope) * (1 + 0.02 * sd))}) for sd in range(6)]
    claim = _claim(RateCheck("K", x_from="step", fit_min=10), UPPER)
    v = evaluate(claim, runs("claim", 0.4) + runs("control", 1.0), "quick")
    assert v.status == "consistent"
    assert v.main.series[0].x.min() == 10


def test_groups_are_fitted_separately_and_any_violation_counts():
    good = power_runs("claim", 0.3)
    bad = [Run(r.key + "b", "claim", {**r.config, "S": 2}, r.seed, r.metrics)
           for r in power_runs("claim", 0.9, rng=np.random.default_rng(5))]
    claim = _claim(RateCheck("K"), UPPER)
    v = evaluate(claim, good + bad + power_runs("control", 1.0), "quick")
    assert v.status == "violated"
    assert all(k.endswith("b") for k in v.main.offending)


def test_metric_vanishing_cannot_be_fitted():
    runs = [Run(f"c{sd}{x}", "claim", {"K": x}, sd, {"m": (np.array([-1]), np.array([0.0]))})
            for sd in range(3) for x in (10, 100)]
    v = evaluate(_claim(RateCheck("K"), UPPER), runs + power_runs("control", 1.0), "quick")
    assert v.main.status == "inconclusive" and "no exponent" in v.main.detail


def test_explicit_check_deterministic_bound():
    bound = Bound("subopt", "upper", {"K": -0.5}, SRC, formula=lambda K: 1.0 / np.sqrt(K))
    claim = _claim(ExplicitCheck(), bound)
    ok = [Run(f"a{k}", "claim", {"K": k}, 0, {"m": (np.array([-1]), np.array([0.5 / np.sqrt(k)]))})
          for k in (1, 4, 16)]
    bad = [Run(f"b{k}", "control", {"K": k}, 0, {"m": (np.array([-1]), np.array([2.0 / np.sqrt(k)]))})
           for k in (1, 4, 16)]
    v = evaluate(claim, ok + bad, "quick")
    assert v.status == "consistent" and v.control.status == "violated"
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
    assert evaluate(claim, runs("claim", 40, 2) + runs("control", 40, 30), "quick").status == "consistent"
    # 15 failures in 40 runs: p-value of Binomial(40, 0.1) >= 15 is tiny
    assert evaluate(claim, runs("claim", 40, 15) + runs("control", 40, 30), "quick").status == "violated"


def test_explicit_check_for_all_steps():
    bound = Bound("regret", "upper", {"K": 0.5}, SRC, formula=lambda K, **_: 3 * np.sqrt(K))
    claim = _claim(ExplicitCheck(x_from="step", param="K"), bound)
    steps = np.array([1, 10, 100])
    runs = [Run("a", "claim", {"H": 2}, 0, {"m": (steps, np.sqrt(steps))}),
            Run("b", "control", {"H": 2}, 0, {"m": (steps, np.array([1.0, 40.0, 10.0]))})]
    v = evaluate(claim, runs, "quick")
    assert v.status == "consistent" and v.control.status == "violated"


def test_identity_check():
    claim = _claim(IdentityCheck(target=lambda c: c["K"] * 2.0, tol=1e-9))
    good = [Run(f"g{k}", "claim", {"K": k}, 0, {"m": (np.array([-1]), np.array([2.0 * k]))}) for k in (1, 2)]
    bad = [Run(f"b{k}", "control", {"K": k}, 0, {"m": (np.array([-1]), np.array([2.0 * k + 1e-6]))})
           for k in (1, 2)]
    v = evaluate(claim, good + bad, "quick")
    assert v.status == "consistent" and v.control.status == "violated"
    assert evaluate(claim, bad + bad, "quick").status == "inconclusive"


def test_claim_validation():
    with pytest.raises(ValidationError, match="fidelity"):
        _claim(RateCheck("K"), UPPER, ).__class__(
            id="x", statement="s", source=SRC, fidelity="made-up", metric="m",
            experiment=Experiment(_noop, {"quick": Scale(), "paper": Scale()}),
            check=RateCheck("K"), control=NegativeControl("c"), bound=UPPER)
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
                  experiment=Experiment(_noop, {"quick": Scale({"K": [1, 2]}, {"H": 3}, seeds=2),
                                               "paper": Scale({"K": [1, 2, 4]}, {"H": 3}, seeds=2)}),
                  check=RateCheck("K"), control=NegativeControl("c", overrides={"greedy": True}))
    quick, paper = claim.tasks("quick"), claim.tasks("paper")
    assert len(quick) == 8 and len(paper) == 12
    assert {t.arm for t in quick} == {"claim", "control"}
    assert all(t.config["greedy"] for t in quick if t.arm == "control")
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


def test_combine_violated_wins_over_control():
    from rltheory.claims.checks import CheckResult
    bad = CheckResult("violated", "f", 1, 0, 2, 0.5, "d")
    cons = CheckResult("consistent", "f", 1, 0, 2, 0.5, "d")
    assert combine(None, bad, cons, "quick").status == "violated"


def test_exact_data_on_the_threshold_is_consistent_not_violated():
    """Noise-free data with exactly the stated exponent: the interval is a point, up to rounding."""
    claim = _claim(RateCheck("K"), UPPER)
    runs = power_runs("claim", 0.5, noise=0.0) + power_runs("control", 1.0)
    v = evaluate(claim, runs, "quick")
    assert v.main.status == "consistent", v.main.detail
