"""Var* of the LMDP families (rltheory.envs.latent_var_star) against policy enumeration and plain recursions."""

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.envs import (deterministic_var_star, last_step_lmdp, probe_state_lmdp,
                           probe_state_lmdp_var_star_bounds, revealing_lmdp, revealing_lmdp_var_star,
                           revealing_lmdp_var_star_bounds, variance_lmdp)
from rltheory.envs.latent_var_star import _threshold_variances
from rltheory.solvers import lmdp_policy_variance, var_star
from rltheory.solvers import latent_reference as ref

GRID = [(0.1, 0.0), (0.1, 0.3), (0.25, 0.2), (0.5, 0.5), (0.6, 0.12), (0.05, 0.95), (1.0, 0.0)]


def _unpruned(p, gap, H):
    """max q - mu^2 over the full (unpruned) list of per-context moment pairs, plain Python."""
    n, c = H - 1, 1.0 - p - gap
    u = 1.0 / n
    S = [(0.0, 0.0)]
    for _ in range(n):
        S = ([(c * u + m, (c * u) ** 2 + 2 * c * u * m + q) for m, q in S]
             + [((1 - p) * (u + mg) + p * mb, (1 - p) * (u * u + 2 * u * mg + qg) + p * qb)
                for mg, qg in S for mb, qb in S])
    return max(q - m * m for m, q in S)


# ------------------------------------------------------------------ revealing family: exact set DP

@pytest.mark.parametrize("p, gap", GRID)
def test_set_dp_equals_policy_enumeration(p, gap):
    for H in (2, 3, 4):
        for A in (1, 2):
            assert revealing_lmdp_var_star(p, gap, H, A=A) == pytest.approx(
                var_star(revealing_lmdp(1, A, H, gap=gap, p=p)), abs=1e-12)

def test_set_dp_equals_policy_enumeration_with_two_contexts():
    assert revealing_lmdp_var_star(0.25, 0.2, 3) == pytest.approx(
        var_star(revealing_lmdp(2, 2, 3, gap=0.2, p=0.25, good_actions=[1, 0])), abs=1e-12)


@pytest.mark.parametrize("p, gap", [(0.25, 0.2), (0.1, 0.05), (0.3, 0.55), (0.5, 0.0)])
def test_set_dp_pruning_matches_the_unpruned_recursion(p, gap):
    for H in (2, 3, 4, 5, 6):
        assert revealing_lmdp_var_star(p, gap, H) == pytest.approx(_unpruned(p, gap, H), abs=1e-13)


def test_H3_closed_form_and_adaptivity():
    # Var* = p(1-p)u^2 max{2, (1+gap)^2 + 1-p} at H = 3; adaptivity wins iff 2 gap + gap^2 > p
    for p in (0.05, 0.25, 0.5, 0.9):
        for gap in np.linspace(0.0, 1.0 - p, 5):
            closed = p * (1 - p) / 4 * max(2.0, (1 + gap) ** 2 + 1 - p)
            assert revealing_lmdp_var_star(p, gap, 3) == pytest.approx(closed, abs=1e-14)
    assert revealing_lmdp_var_star(0.25, 0.2, 3) > revealing_lmdp_var_star(0.25, 0.0, 3)


@pytest.mark.parametrize("p, gap, Hmax", [(0.25, 0.2, 8), (0.5, 0.4, 8), (0.6, 0.12, 7), (0.1, 0.05, 7),
                                          (0.05, 0.9, 6)])
def test_bracket_contains_the_exact_value(p, gap, Hmax):
    for H in range(2, Hmax + 1):
        lo, hi = revealing_lmdp_var_star_bounds(p, gap, H)
        v = revealing_lmdp_var_star(p, gap, H)
        assert lo - 1e-12 <= v <= hi + 1e-12
        assert lo >= p * (1 - p) / (H - 1) - 1e-15 and hi <= 0.25


@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.8])
def test_bracket_is_tight_at_gap_zero_and_for_one_action(p):
    for H in (2, 5, 8, 32):
        assert revealing_lmdp_var_star_bounds(p, 0.0, H) == pytest.approx((p * (1 - p) / (H - 1),) * 2, abs=1e-15)
        assert revealing_lmdp_var_star_bounds(p, 0.1 * (1 - p), H, A=1)[1] == pytest.approx(
            p * (1 - p) / (H - 1), abs=1e-15)
    assert revealing_lmdp_var_star(p, 0.0, 6) == pytest.approx(p * (1 - p) / 5, abs=1e-14)
    assert revealing_lmdp_var_star(p, 0.2 * (1 - p), 6, A=1) == pytest.approx(p * (1 - p) / 5, abs=1e-14)


def test_revealing_threshold_policy_variance_matches_enumeration():
    p, gap, H = 0.3, 0.25, 5
    L = revealing_lmdp(1, 2, H, gap=gap, p=p)

    def policy(k, t):
        def act(hist):
            h = len(hist) // 3
            if h < k:
                return 0
            return 0 if sum(hist[3 * j] == 1 for j in range(1, k + 1)) >= t else 1
        return act
    for k in range(1, H):
        closed = _threshold_variances(1 - p, (1 - p, p * (1 - p)), (1 - p - gap, 0.0), H - 1, k)
        for t in range(k + 2):
            assert closed[t] == pytest.approx(lmdp_policy_variance(L, policy(k, t)), abs=1e-13)


# ------------------------------------------------------------------ probe-state family

def test_probe_threshold_policy_variance_matches_enumeration():
    theta = np.array([[0.2, 0.9], [0.7, 0.4]])
    H = 7                                                    # odd: n_p = 3 paid visits, the visit at h = 6 pays 0
    L = probe_state_lmdp(2, H, theta)

    def policy(a, b, b2, k, t):
        def act(hist):
            h = len(hist) // 3
            if h % 2 or h // 2 < k:
                return a
            return b if sum(hist[3 * (2 * j + 1)] == 1 for j in range(k)) >= t else b2
        return act
    for a, b, b2 in ((0, 1, 0), (1, 0, 1), (0, 0, 1)):
        for k in (1, 2):
            closed = sum(0.5 * _threshold_variances(theta[m, a], (theta[m, b], theta[m, b] * (1 - theta[m, b])),
                                                    (theta[m, b2], theta[m, b2] * (1 - theta[m, b2])), 3, k)
                         for m in range(2))
            for t in range(k + 2):
                assert closed[t] == pytest.approx(lmdp_policy_variance(L, policy(a, b, b2, k, t)), abs=1e-13)


@pytest.mark.parametrize("seed", range(4))
def test_probe_bracket_contains_var_star(seed):
    rng = np.random.default_rng(seed)
    for H in (2, 3, 4):
        for M, A in ((1, 2), (2, 2), (3, 1)):
            theta = rng.random((M, A))
            lo, hi = probe_state_lmdp_var_star_bounds(theta, H)
            assert lo - 1e-12 <= var_star(probe_state_lmdp(A, H, theta)) <= hi + 1e-12
            assert hi <= 0.25


@pytest.mark.parametrize("H", [2, 3, 4, 5])
def test_probe_bracket_exact_when_theta_ignores_the_action(H):
    theta = np.array([[0.3, 0.3], [0.85, 0.85]])
    closed = np.mean(theta[:, 0] * (1 - theta[:, 0])) / (H // 2)
    lo, hi = probe_state_lmdp_var_star_bounds(theta, H)
    assert lo == pytest.approx(closed, abs=1e-15) and hi == pytest.approx(closed, abs=1e-15)
    if H <= 4:
        assert var_star(probe_state_lmdp(2, H, theta)) == pytest.approx(closed, abs=1e-13)


# ------------------------------------------------------------------ deterministic LMDPs

@pytest.mark.parametrize("make", [lambda: last_step_lmdp(2, 2, 3, seed=1), lambda: revealing_lmdp(2, 2, 4, p=0.0),
                                  lambda: probe_state_lmdp(2, 4, [[0.0, 1.0], [1.0, 1.0]]),
                                  lambda: variance_lmdp(2, 2, 3, p=0.0)])
def test_deterministic_var_star_is_zero_and_agrees_with_enumeration(make, monkeypatch):
    L = make()
    assert deterministic_var_star(L) == 0.0
    best = max(ref.policy_variance_histories(L, pol.__getitem__) for pol in ref.enumerate_policies(L))
    assert best == pytest.approx(0.0, abs=1e-15)

    def boom(*args, **kwargs):
        raise AssertionError("var_star enumerated policies on a deterministic LMDP")
    monkeypatch.setattr(ref, "enumerate_policies", boom)
    assert var_star(L) == 0.0


def test_var_star_shortcut_reaches_instances_too_large_to_enumerate():
    L = last_step_lmdp(3, 3, 14, seed=0)
    with pytest.raises(ValueError):
        for _ in ref.enumerate_policies(L, limit=1000):
            pass
    assert var_star(L, limit=1000) == 0.0
    assert revealing_lmdp_var_star(0.0, 0.4, 8) == 0.0 == revealing_lmdp_var_star_bounds(0.0, 0.4, 64)[1]


def test_deterministic_var_star_names_the_first_random_row():
    with pytest.raises(ValidationError, match=r"P\[0, 0, 0, :\] has 2 positive entries \(rule: "
                                              r"deterministic_var_star needs every P\[m, s, a, :\]"):
        deterministic_var_star(revealing_lmdp(1, 2, 3, p=0.25))
    with pytest.raises(ValidationError, match=r"P\[1, 0, 1, :\] has 2 positive entries"):
        deterministic_var_star(probe_state_lmdp(2, 3, [[0.0, 1.0], [1.0, 0.5]]))
    with pytest.raises(ValidationError, match=r"lmdp is a list \(rule: a LatentMDP\)"):
        deterministic_var_star([1])


# ------------------------------------------------------------------ validation

@pytest.mark.parametrize("call, match", [
    (lambda: revealing_lmdp_var_star(0.25, 0.2, 9), r"H = 9 \(rule: .*H <= 8; use revealing_lmdp_var_star_bounds"),
    (lambda: revealing_lmdp_var_star(0.25, 0.2, 7, max_pairs=1000), r"needs 19881 pairs at k = 5 .*at most 1000"),
    (lambda: revealing_lmdp_var_star(1.5, 0.0, 3), r"p = 1.5 \(rule: 0 <= p <= 1\)"),
    (lambda: revealing_lmdp_var_star_bounds(float("nan"), 0.0, 3), r"p = nan \(rule: 0 <= p <= 1\)"),
    (lambda: revealing_lmdp_var_star_bounds(0.25, 0.8, 3), r"gap = 0.8 \(rule: 0 <= gap <= 0.75\)"),
    (lambda: revealing_lmdp_var_star_bounds(0.25, -0.1, 3), r"gap = -0.1 \(rule: 0 <= gap <= 0.75\)"),
    (lambda: revealing_lmdp_var_star_bounds(0.25, 0.1, 1), r"H = 1 \(rule: H must be >= 2\)"),
    (lambda: revealing_lmdp_var_star_bounds(0.25, 0.1, 3, A=0), r"A = 0 \(rule: A must be >= 1\)"),
    (lambda: revealing_lmdp_var_star(0.25, 0.1, 3.0), r"H = 3.0 \(rule: H must be an integer\)"),
    (lambda: probe_state_lmdp_var_star_bounds([[0.2, 1.2]], 4), r"theta\[0, 1\] = 1.2 \(rule: \(M, A\) probabilities"),
    (lambda: probe_state_lmdp_var_star_bounds([0.2, 0.3], 4), r"theta has shape \(2,\) \(rule: \(M, A\)"),
    (lambda: probe_state_lmdp_var_star_bounds([[0.2, np.nan]], 4), r"theta\[0, 1\] = nan"),
    (lambda: probe_state_lmdp_var_star_bounds([[0.2, 0.3]], 1), r"H = 1 \(rule: H must be >= 2\)"),
])
def test_invalid_input_is_rejected(call, match):
    with pytest.raises(ValidationError, match=match):
        call()
