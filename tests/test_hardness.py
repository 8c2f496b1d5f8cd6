"""Hardness quantities on hand-built instances, plus properties on random ones."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from conftest import mdp_and_policy, tabular_mdps
from rltheory import ValidationError
from rltheory.models import TabularMDP
from rltheory.solvers import (backward_induction, concentrability, discounted_concentrability,
                              max_transition_degree, min_positive_gap, min_positive_visitation,
                              occupancy, optimality_gaps)

PROPS = settings(max_examples=30, derandomize=True, deadline=None)


def bandit(rewards):
    """One state, H = 1: a multi-armed bandit with deterministic rewards."""
    r = np.asarray(rewards, dtype=float)
    return TabularMDP(np.ones((1, r.size, 1)), r[None, :], [1.0], H=1)


def two_step_chain():
    r"""H = 2, S = 3, A = 2, stationary.

    From state 0: action 0 -> state 1 w.p. 0.8, state 2 w.p. 0.2, reward 0.5;
                  action 1 -> state 2, reward 0.6.
    States 1 and 2: action 0 pays 1.0 (state 1) / 0.1 (state 2), action 1 pays 0.3 / 0.1;
    both absorbing.
    By hand: V_1 = (1.0, 0.1, 0.1) [state 2 tied], Q_1(1,.) = (1.0, 0.3).
             Q_0(0,0) = 0.5 + 0.8*1.0 + 0.2*0.1 = 1.32, Q_0(0,1) = 0.6 + 0.1 = 0.7.
             Q_0(1,.) = (1 + 1, 0.3 + 1) = (2, 1.3), Q_0(2,.) = (0.2, 0.2).
    Gaps: step 0: state 0 (0, 0.62), state 1 (0, 0.7), state 2 (0, 0);
          step 1: state 0 (0.1, 0) [Q_1(0,.) = (0.5, 0.6)], state 1 (0, 0.7), state 2 (0, 0).
    """
    P = np.zeros((3, 2, 3))
    P[0, 0] = [0.0, 0.8, 0.2]
    P[0, 1] = [0.0, 0.0, 1.0]
    P[1, :, 1] = 1.0
    P[2, :, 2] = 1.0
    R = np.array([[0.5, 0.6], [1.0, 0.3], [0.1, 0.1]])
    return TabularMDP(P, R, [1.0, 0.0, 0.0], H=2)


def test_gaps_of_a_bandit():
    gaps = optimality_gaps(bandit([0.2, 0.5, 0.9]))
    np.testing.assert_allclose(gaps, [[[0.7, 0.4, 0.0]]], rtol=0, atol=1e-15)
    assert min_positive_gap(bandit([0.2, 0.5, 0.9])) == pytest.approx(0.4, abs=1e-15)


def test_gaps_of_the_two_step_chain():
    m = two_step_chain()
    gaps = optimality_gaps(m)
    want = np.array([[[0.0, 0.62], [0.0, 0.7], [0.0, 0.0]],
                     [[0.1, 0.0], [0.0, 0.7], [0.0, 0.0]]])
    np.testing.assert_allclose(gaps, want, rtol=0, atol=1e-14)
    assert min_positive_gap(m) == pytest.approx(0.1, abs=1e-14)


def test_min_positive_gap_ignores_ties_and_is_inf_without_gaps():
    assert min_positive_gap(bandit([0.3, 0.3, 0.3])) == np.inf
    assert min_positive_gap(bandit([0.3, 0.3, 0.3 - 1e-9])) == pytest.approx(1e-9, rel=1e-6)
    # below the tie tolerance counts as a tie
    assert min_positive_gap(bandit([0.3, 0.3 - 1e-14])) == np.inf


def test_max_transition_degree():
    m = two_step_chain()
    assert max_transition_degree(m) == 2
    P = np.zeros((3, 4, 2, 4))
    P[..., 0] = 1.0
    P[1, 2, 1] = [0.25, 0.25, 0.25, 0.25]        # one full-support row, at step 1 only
    m4 = TabularMDP(P, np.zeros((3, 4, 2)), [1.0, 0.0, 0.0, 0.0])
    assert max_transition_degree(m4) == 4
    assert max_transition_degree(bandit([0.1, 0.2])) == 1


def test_min_positive_visitation_of_the_optimal_policy():
    m = two_step_chain()
    # pi* plays action 0 in state 0: step 0 visits state 0 w.p. 1, step 1 visits
    # state 1 w.p. 0.8 and state 2 w.p. 0.2 (state 0 is never revisited)
    assert min_positive_visitation(m) == pytest.approx(0.2, abs=1e-15)
    # the other first action reaches only state 2
    assert min_positive_visitation(m, np.array([[1, 0, 0], [0, 0, 0]])) == 1.0


def test_concentrability_hand_built():
    m = two_step_chain()
    pi_star = backward_induction(m).policy
    d = occupancy(m, pi_star)
    # expert data: mu = d*  ->  C* = 1
    assert concentrability(m, pi_star, d) == pytest.approx(1.0, abs=1e-15)
    # uniform data over the 6 (s, a) pairs of each step: C* = 6 * max d = 6
    uniform = np.full((2, 3, 2), 1 / 6)
    assert concentrability(m, pi_star, uniform) == pytest.approx(6.0, abs=1e-12)
    # step 1, (s=2, a=0) has d = 0.2; mixing half expert half uniform there:
    # mu_1 = 0.5 d_1 + 0.5/6  ->  ratio at (1,1,0): 0.8/(0.4+1/12) = 1.6552
    mix = 0.5 * d + 0.5 * uniform
    want = max(1.0 / (0.5 + 1 / 12), 0.8 / (0.4 + 1 / 12), 0.2 / (0.1 + 1 / 12))
    assert concentrability(m, pi_star, mix) == pytest.approx(want, abs=1e-12)
    # data missing a pair the comparator visits -> infinite
    hole = d.copy()
    hole[1] = 0.0
    hole[1, 1, 1] = 1.0
    assert concentrability(m, pi_star, hole) == np.inf


def test_concentrability_layered_normalisation():
    # Rashidinejad et al. (2021), eqs. 78/80: occupancy normalised over layers.
    m = two_step_chain()
    pi_star = backward_induction(m).policy
    uniform_step = np.full((2, 3, 2), 1 / 6)
    layered = uniform_step / 2                     # each layer has mass 1/H
    assert concentrability(m, pi_star, layered, normalisation="layered") == pytest.approx(6.0)
    # the pitfall: per-step occupancies against a layer-normalised mu are off by H
    d = occupancy(m, pi_star)
    assert np.max(d / layered) == pytest.approx(2 * 6.0)
    with pytest.raises(ValidationError, match=r"mu\.reshape\(H, S\*A\)\[0, :\] sums to 0\.5"):
        concentrability(m, pi_star, layered)            # per-step expects per-step mass 1
    with pytest.raises(ValidationError, match=r"sums to 2"):
        concentrability(m, pi_star, uniform_step, normalisation="layered")
    with pytest.raises(ValidationError, match="normalisation"):
        concentrability(m, pi_star, uniform_step, normalisation="global")
    with pytest.raises(ValidationError, match=r"mu has shape \(3, 3, 2\)"):
        concentrability(m, pi_star, np.full((3, 3, 2), 1 / 6))


def test_discounted_concentrability_hand_built():
    # Two states, one action: 0 -> 1, 1 absorbing, start in 0.
    # d(0) = (1 - gamma), d(1) = gamma; mu uniform -> C = 2 max(1 - gamma, gamma).
    P = np.zeros((2, 1, 2))
    P[0, 0, 1] = 1.0
    P[1, 0, 1] = 1.0
    for gamma in (0.0, 0.3, 0.9):
        C = discounted_concentrability(P, [1.0, 0.0], [0, 0], gamma, [[0.5], [0.5]])
        assert C == pytest.approx(2 * max(1 - gamma, gamma), abs=1e-12)
    assert discounted_concentrability(P, [1.0, 0.0], [0, 0], 0.5, [[1.0], [0.0]]) == np.inf
    assert discounted_concentrability(P, [1.0, 0.0], [0, 0], 0.0, [[1.0], [0.0]]) == 1.0


# --- properties on random instances ---------------------------------------------------------

@PROPS
@given(tabular_mdps())
def test_gap_properties(mdp):
    gaps = optimality_gaps(mdp)
    sol = backward_induction(mdp)
    assert np.all(gaps >= 0)
    h, s = np.meshgrid(np.arange(mdp.H), np.arange(mdp.S), indexing="ij")
    assert np.all(gaps[h, s, sol.policy] == 0.0)
    g = min_positive_gap(mdp)
    pos = gaps[gaps > 1e-12 * mdp.max_return]
    assert g == (pos.min() if pos.size else np.inf)
    assert 1 <= max_transition_degree(mdp) <= mdp.S


@PROPS
@given(mdp_and_policy())
def test_concentrability_is_at_least_one_and_one_for_own_occupancy(case):
    mdp, policy = case
    d = occupancy(mdp, policy)
    assert concentrability(mdp, policy, d) == pytest.approx(1.0, abs=1e-12)
    uniform = np.full(d.shape, 1.0 / (mdp.S * mdp.A))
    C = concentrability(mdp, policy, uniform)
    assert C >= 1.0 - 1e-12
    assert C == pytest.approx(mdp.S * mdp.A * d.max(axis=(1, 2)).max(), rel=1e-12)


@pytest.mark.parametrize("atol", [float("nan"), -1.0, float("inf"), "x", True])
def test_min_positive_gap_refuses_a_bad_tolerance(atol):
    from rltheory.envs import random_tabular
    with pytest.raises(ValidationError, match=r"atol = .* \(rule: a finite number >= 0\)"):
        min_positive_gap(random_tabular(3, 2, 2, 0), atol=atol)


def test_random_tabular_checks_the_size_before_allocating():
    from rltheory.envs import random_tabular
    with pytest.raises(ValidationError, match=r"random_tabular\(S=1000000, A=10, H=5.*GiB"):
        random_tabular(10 ** 6, 10, 5, 0)
