"""Equilibrium solvers against literature values, brute force and independent LPs."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rltheory import ValidationError
from rltheory.envs.games import (biased_rock_paper_scissors_equilibrium, biased_rock_paper_scissors_matrix,
                                 chicken, matching_pennies_matrix, random_markov_game, random_normal_form,
                                 repeated_game, rock_paper_scissors_matrix)
from rltheory.envs.hard_instances.markov_games import random_binary_action_game, shapley_payoffs
from rltheory import solvers as gs
from rltheory.kernels import games as K
from rltheory.solvers._games_common import _deviation_arrays, _join_table, _opponents


# --------------------------------------------------------------------------- zero-sum matrix games

def test_rock_paper_scissors_value_zero_uniform():
    # von Neumann & Morgenstern (1944): value 0, unique equilibrium uniform for both players.
    r = gs.zero_sum_nash(rock_paper_scissors_matrix())
    assert abs(r.value) < 1e-12
    np.testing.assert_allclose(r.x, 1 / 3, atol=1e-12)
    np.testing.assert_allclose(r.y, 1 / 3, atol=1e-12)
    assert r.exploitability < 1e-12


def test_biased_rock_paper_scissors_openspiel():
    # OpenSpiel lp_solver_test (Lanctot et al. 2019, arXiv 1908.09453): equilibrium (1/16, 10/16, 5/16), value 0.
    r = gs.zero_sum_nash(biased_rock_paper_scissors_matrix())
    np.testing.assert_allclose(r.x, [1 / 16, 10 / 16, 5 / 16], atol=1e-10)
    np.testing.assert_allclose(r.y, [1 / 16, 10 / 16, 5 / 16], atol=1e-10)
    assert abs(r.value) < 1e-12
    # another member of the family, closed form (c, b, a)/(a+b+c)
    r2 = gs.zero_sum_nash(biased_rock_paper_scissors_matrix(1.0, 2.0, 3.0))
    np.testing.assert_allclose(r2.x, biased_rock_paper_scissors_equilibrium(1.0, 2.0, 3.0), atol=1e-10)


def test_matching_pennies_and_affine_invariance():
    r = gs.zero_sum_nash(matching_pennies_matrix())
    np.testing.assert_allclose([r.value, *r.x, *r.y], [0, .5, .5, .5, .5], atol=1e-12)
    A = np.random.default_rng(3).standard_normal((4, 6))
    a, b = gs.zero_sum_nash(A), gs.zero_sum_nash(3.0 * A - 7.0)
    assert abs(b.value - (3.0 * a.value - 7.0)) < 1e-9


def test_2x2_closed_form():
    # a 2x2 game without saddle point: v = (ad - bc) / (a + d - b - c), x1 = (d - c) / (a + d - b - c)
    a, b, c, d = 3.0, -1.0, -2.0, 1.0
    r = gs.zero_sum_nash([[a, b], [c, d]])
    den = a + d - b - c
    assert abs(r.value - (a * d - b * c) / den) < 1e-12
    assert abs(r.x[0] - (d - c) / den) < 1e-12
    assert abs(r.y[0] - (d - b) / den) < 1e-12


def _brute_force_value(A):
    """Shapley & Snow (1950): some optimal x solves a square subsystem; max over all candidates."""
    n, k = A.shape
    best = -np.inf
    for r in range(1, min(n, k) + 1):
        for I in itertools.combinations(range(n), r):
            for J in itertools.combinations(range(k), r):
                M = np.zeros((r + 1, r + 1))
                M[:r, :r] = A[np.ix_(I, J)].T
                M[:r, r] = -1.0
                M[r, :r] = 1.0
                rhs = np.zeros(r + 1)
                rhs[r] = 1.0
                try:
                    sol = np.linalg.solve(M, rhs)
                except np.linalg.LinAlgError:
                    continue
                if np.any(sol[:r] < -1e-12):
                    continue
                x = np.zeros(n)
                x[list(I)] = sol[:r]
                best = max(best, float((x @ A).min()))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_value_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    A = rng.integers(-3, 4, size=(int(rng.integers(1, 5)), int(rng.integers(1, 5)))).astype(float)
    r = gs.zero_sum_nash(A)
    assert abs(r.value - _brute_force_value(A)) < 1e-9
    assert r.lower - 1e-12 <= r.value <= r.upper + 1e-12


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrays(np.float64, st.tuples(st.integers(1, 7), st.integers(1, 7)),
              elements=st.floats(-10, 10, allow_nan=False)))
def test_hypothesis_zero_sum_equilibrium_is_valid(A):
    r = gs.zero_sum_nash(A)
    scale = max(1.0, float(np.abs(A).max()))
    assert r.exploitability <= 1e-8 * scale
    assert r.lower - 1e-9 * scale <= r.value <= r.upper + 1e-9 * scale
    for v in (r.x, r.y):
        assert (v >= 0).all() and abs(v.sum() - 1) < 1e-12


def test_zero_sum_validation():
    with pytest.raises(ValidationError, match="payoff"):
        gs.zero_sum_nash([1.0, 2.0])
    with pytest.raises(ValidationError, match="finite"):
        gs.zero_sum_nash([[np.nan, 1.0]])
    c = gs.zero_sum_nash(np.full((2, 3), 4.0))
    assert c.value == 4.0 and c.exploitability == 0.0


# --------------------------------------------------------------------------- CE / CCE

def test_chicken_aumann_correlated_equilibrium():
    # Aumann (1974): 1/3 on (C,C), (C,D), (D,C) is a CE of chicken.
    U = chicken()
    x = np.array([[1, 1], [1, 0]]) / 3
    assert gs.ce_gaps(U, x).max() < 1e-15
    best = gs.normal_form_ce(U, "welfare")
    assert best.welfare >= (U * x).sum() - 1e-12
    assert best.gaps.max() < 1e-9 and best.max_violation < 1e-9
    # the welfare-optimal CE of chicken (6,6)/(2,7)/(7,2)/(0,0): 1/2 on (C,C), 1/4 on (C,D), (D,C); welfare 10.5/7
    np.testing.assert_allclose(best.distribution, [[0.5, 0.25], [0.25, 0.0]], atol=1e-9)


def _cvxpy_max_welfare(U, kind):
    import cvxpy as cp
    G = gs.cce_constraint_matrix(U) if kind == "CCE" else gs.ce_constraint_matrix(U)
    n = G.shape[1]
    x = cp.Variable(n)
    w = U.reshape(U.shape[0], -1).sum(axis=0)
    prob = cp.Problem(cp.Maximize(w @ x), [G @ x <= 0, cp.sum(x) == 1, x >= 0])
    prob.solve(solver="CLARABEL")
    return prob.value


@pytest.mark.parametrize("acts", [(3, 3), (2, 3, 2)])
def test_max_welfare_matches_independent_solver(acts):
    U = random_normal_form(acts, 5).payoffs()
    for kind, fn in (("CCE", gs.normal_form_cce), ("CE", gs.normal_form_ce)):
        eq = fn(U, "welfare")
        assert abs(eq.welfare - _cvxpy_max_welfare(U, kind)) < 1e-6
        assert eq.max_violation < 1e-9


def _brute_cce_gap(U, x):
    """Deviation payoffs by explicit loops over profiles."""
    m, acts = U.shape[0], U.shape[1:]
    out = []
    for i in range(m):
        base = sum(x[a] * U[(i,) + a] for a in itertools.product(*map(range, acts)))
        devs = []
        for d in range(acts[i]):
            v = 0.0
            for a in itertools.product(*map(range, acts)):
                b = list(a)
                b[i] = d
                v += x[a] * U[(i,) + tuple(b)]
            devs.append(v)
        out.append(max(devs) - base)
    return np.array(out)


def test_gap_functions_against_loops():
    rng = np.random.default_rng(0)
    U = rng.random((3, 2, 3, 2))
    x = rng.dirichlet(np.ones(12)).reshape(2, 3, 2)
    np.testing.assert_allclose(gs.cce_gaps(U, x), _brute_cce_gap(U, x), atol=1e-14)
    # CE gap: sum over recommendations of the best swap
    ce = gs.ce_gaps(U, x)
    i = 1
    tot = 0.0
    for ai in range(3):
        best = 0.0
        for bi in range(3):
            best = max(best, float((x[:, ai, :] * (U[i][:, bi, :] - U[i][:, ai, :])).sum()))
        tot += best
    assert abs(ce[i] - tot) < 1e-14
    # Nash gaps of a product strategy equal CCE gaps of the product distribution
    s = [rng.dirichlet(np.ones(k)) for k in (2, 3, 2)]
    prod = np.einsum("a,b,c->abc", *s)
    np.testing.assert_allclose(gs.nash_gaps(U, s), _brute_cce_gap(U, prod), atol=1e-14)


def test_shapley_game_unique_nash_is_uniform():
    U = shapley_payoffs()
    u = np.full(3, 1 / 3)
    assert gs.nash_gaps(U, [u, u]).max() < 1e-15
    assert gs.nash_gaps(U, [np.eye(3)[0], u]).max() > 0.1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(1, 3), min_size=2, max_size=3), st.integers(0, 2**32 - 1),
       st.sampled_from(["feasible", "welfare"]))
def test_hypothesis_correlated_equilibria_are_valid(acts, seed, objective):
    U = np.random.default_rng(seed).random((len(acts),) + tuple(acts))
    cce = gs.normal_form_cce(U, objective)
    ce = gs.normal_form_ce(U, objective)
    assert cce.max_violation <= 1e-9 and cce.gaps.max() <= 1e-9
    assert ce.max_violation <= 1e-9 and ce.gaps.max() <= 1e-9
    assert gs.cce_gaps(U, ce.distribution).max() <= 1e-9        # every CE is a CCE
    if objective == "welfare":
        assert cce.welfare >= ce.welfare - 1e-9                  # CE set is inside the CCE set


def test_correlated_validation():
    with pytest.raises(ValidationError, match="objective"):
        gs.normal_form_cce(chicken(), "nash")
    with pytest.raises(ValidationError, match="shape"):
        gs.cce_gaps(chicken(), np.ones(3) / 3)


# --------------------------------------------------------------------------- Markov games

def test_shapley_backward_induction_H1_equals_matrix_game():
    g = random_markov_game(1, (3, 4), 1, 2, zero_sum=True)
    r = gs.zero_sum_markov_nash(g)
    m = gs.zero_sum_nash(g.R4[0, 0, 0].reshape(3, 4))
    assert abs(r.value - m.value) < 1e-12


@pytest.mark.parametrize("seed", range(3))
def test_shapley_policies_are_mutual_best_responses(seed):
    g = random_markov_game(3, (2, 3), 3, seed, zero_sum=True)
    r = gs.zero_sum_markov_nash(g)
    pols = [r.x, r.y]
    vals = gs.product_policy_values(g, pols)[0]
    assert abs(vals[0] - r.value) < 1e-9
    # best response of either player (an MDP, T = 1) gains nothing
    for i in range(2):
        br = gs.markov_deviation_value(g, pols, i).value
        assert br - vals[i] < 1e-9
        # and no history-dependent deviation does better against Markov opponents
        assert abs(gs.general_deviation_value(g, pols, i) - br) < 1e-9


def test_shapley_requires_constant_sum():
    with pytest.raises(ValidationError, match="constant-sum"):
        gs.zero_sum_markov_nash(random_markov_game(2, (2, 2), 2, 0))
    with pytest.raises(ValidationError, match="m = 2"):
        gs.zero_sum_markov_nash(random_markov_game(2, (2, 2, 2), 2, 0))


@pytest.mark.parametrize("objective", ["feasible", "welfare"])
def test_markov_cce_gap_against_mdp_and_history_enumeration(objective):
    g = random_markov_game(3, (2, 3), 3, 4)
    cce = gs.markov_cce(g, objective)
    gaps = gs.correlated_cce_gaps(g, cce.policy)
    assert gaps.max() < 1e-9
    V = gs.correlated_policy_values(g, cce.policy)
    np.testing.assert_allclose(V, cce.V, atol=1e-12)
    for i in range(2):
        marg = cce.policy.reshape(3, 3, 2, 3).sum(axis=2 + i)
        pols = [None, None]
        pols[1 - i] = marg
        pols[i] = np.full((3, 3, g.actions[i]), 1.0 / g.actions[i])
        enum = gs.general_deviation_value(g, pols, i)
        assert abs(enum - gs.correlated_best_response(g, cce.policy, i).value) < 1e-12


def _brute_general_deviation(g, pols, i, w):
    """Enumerate every deterministic history-dependent policy of player i (tiny games only).

    A history at step h is (s_0, b_0, ..., s_h); the policy maps each to an action.
    """
    join = _join_table(g.actions, i)
    Opp = _opponents(pols, i)
    T, H, S, B = Opp.shape
    Ai = g.actions[i]
    Rf, Pf = g.R_full()[i], g.P_full()
    hists = []
    for h in range(H):
        for seq in itertools.product(range(S), *([range(B), range(S)] * h)):
            hists.append(seq)
    index = {hst: k for k, hst in enumerate(hists)}
    best = -np.inf
    for acts in itertools.product(range(Ai), repeat=len(hists)):
        def val(hist, wt):
            h = len(hist) // 2
            s = hist[-1]
            a = acts[index[hist]]
            tot = 0.0
            for b in range(B):
                wb = wt * Opp[:, h, s, b]
                p = wb.sum()
                if p == 0:
                    continue
                k = join[a, b]
                tot += p * Rf[h, s, k]
                if h < H - 1:
                    for s2 in range(S):
                        if Pf[h, s, k, s2] > 0:
                            tot += Pf[h, s, k, s2] * val(hist + (b, s2), wb)
            return tot
        v = sum(g.mu0[s] * val((s,), w) for s in range(S))
        best = max(best, v)
    return best


@pytest.mark.parametrize("S,H,T,seed", [(1, 3, 2, 0), (1, 2, 3, 1), (2, 2, 2, 2)])
def test_general_deviation_against_brute_force(S, H, T, seed):
    rng = np.random.default_rng(seed)
    g = random_markov_game(S, (2, 2), H, rng)
    pols = [rng.dirichlet(np.ones(2), size=(T, H, S)) for _ in range(2)]
    w = rng.dirichlet(np.ones(T))
    for i in range(2):
        exact = gs.general_deviation_value(g, pols, i, weights=w)
        assert abs(exact - _brute_general_deviation(g, tuple(pols), i, w)) < 1e-12
        # a history-dependent deviator is at least as good as any Markov one
        assert exact >= gs.markov_deviation_value(g, pols, i, weights=w).value - 1e-12


def test_markov_deviation_closed_form_matches_enumeration():
    rng = np.random.default_rng(5)
    g = repeated_game(random_normal_form((3, 2), rng).payoffs(), 3)
    pols = [rng.dirichlet(np.ones(a), size=(4, 3, 1)) for a in (3, 2)]
    w = np.full(4, 0.25)
    for i in range(2):
        rew, Pn, _ = _deviation_arrays(g, i)
        enum, _ = K.markov_br_enumerate(_opponents(pols, i), rew, Pn, g.mu0, w)
        assert abs(gs.markov_deviation_value(g, pols, i).value - enum) < 1e-13
    # S > 1 with a mixture goes through the enumeration; too many policies raise
    g2 = random_markov_game(2, (2, 2), 2, 0)
    p2 = [rng.dirichlet(np.ones(2), size=(3, 2, 2)) for _ in range(2)]
    assert gs.markov_deviation_value(g2, p2, 0).value <= gs.general_deviation_value(g2, p2, 0) + 1e-12
    with pytest.raises(ValidationError, match="max_policies"):
        gs.markov_deviation_value(g2, p2, 0, max_policies=4)


def test_bayesian_deviator_matches_exact_value():
    rng = np.random.default_rng(8)
    g = repeated_game(shapley_payoffs(), 6)
    pols = [rng.dirichlet(np.ones(3), size=(5, 6, 1)) for _ in range(2)]
    exact = gs.general_deviation_value(g, pols, 0)
    est = gs.bayesian_deviator(g, pols, 0, 20000, 1)
    assert abs(est.mean - exact) < 4.5 * est.se + 1e-12
    again = gs.bayesian_deviator(g, pols, 0, 20000, 1)
    assert again.mean == est.mean
    with pytest.raises(ValidationError, match="S = 1"):
        gs.bayesian_deviator(random_markov_game(2, (2, 2), 2, 0), [np.full((2, 2, 2), .5)] * 2, 0, 10, 0)


def test_history_node_cap():
    g = repeated_game(shapley_payoffs(), 8)
    pols = [np.full((2, 8, 1, 3), 1 / 3)] * 2
    with pytest.raises(ValidationError, match="max_nodes"):
        gs.general_deviation_value(g, pols, 0, max_nodes=100)


def test_stage_nash_gaps_and_mixture_values():
    rng = np.random.default_rng(9)
    U = random_normal_form((2, 3), rng).payoffs()
    g = repeated_game(U, 4)
    pols = [rng.dirichlet(np.ones(a), size=(3, 4, 1)) for a in (2, 3)]
    ng = gs.stage_nash_gaps(g, pols)
    for t in range(3):
        for h in range(4):
            np.testing.assert_allclose(ng[:, t, h], gs.nash_gaps(U, [pols[0][t, h, 0], pols[1][t, h, 0]]),
                                       atol=1e-14)
    vals = gs.product_policy_values(g, pols)
    ref = np.array([[np.mean([np.einsum("a,b,ab->", pols[0][t, h, 0], pols[1][t, h, 0], U[i])
                              for h in range(4)]) for i in range(2)] for t in range(3)])
    np.testing.assert_allclose(vals, ref, atol=1e-14)
    np.testing.assert_allclose(gs.mixture_values(g, pols), ref.mean(axis=0), atol=1e-14)


def test_pure_nash_search():
    for seed in range(20):
        U = random_binary_action_game(4, seed)
        res = gs.pure_nash_search(U, seed)
        brute = [a for a in itertools.product(range(2), repeat=4)
                 if all(U[(i,) + a] >= U[(i,) + a[:i] + (1 - a[i],) + a[i + 1:]] for i in range(4))]
        if brute:
            assert res.profile in brute and 1 <= res.queries <= 16
        else:
            assert res.profile is None and res.queries == 16
