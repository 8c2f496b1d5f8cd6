"""MarkovGame: layout, constructors, validation; the game generators."""

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.envs.games import (biased_rock_paper_scissors_equilibrium, biased_rock_paper_scissors_matrix,
                                 chicken, constant_sum_game, random_markov_game, random_normal_form,
                                 repeated_game)
from rltheory.envs.hard_instances.markov_games import (random_binary_action_game, repeated_shapley_game,
                                                       shapley_game, shapley_payoffs)
from rltheory.models.games import MarkovGame, check_joint_policy, check_product_policy


def _game(H=3, S=2, acts=(2, 3), seed=0):
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.ones(S), size=(H, S) + acts)
    R = rng.random((len(acts), H, S) + acts) / H
    return P, R, np.eye(S)[0]


def test_flat_layout_matches_tensor_layout():
    P, R, mu0 = _game()
    g = MarkovGame(P, R, mu0)
    assert (g.m, g.H, g.S, g.actions, g.n_joint) == (2, 3, 2, (2, 3), 6)
    for h in range(3):
        for s in range(2):
            for a1 in range(2):
                for a2 in range(3):
                    k = g.joint_index((a1, a2))
                    assert tuple(g.joint_actions[k]) == (a1, a2)
                    np.testing.assert_array_equal(g.P4[h, s, k], P[h, s, a1, a2])
                    assert g.R4[1, h, s, k] == R[1, h, s, a1, a2]
    np.testing.assert_array_equal(g.P_at(2), g.P4[2])
    np.testing.assert_array_equal(g.R_at(1), g.R4[:, 1])


def test_stationary_game_broadcasts_and_needs_H():
    P, R, mu0 = _game(H=1)
    Ps, Rs = P[0], R[:, 0] / 4
    with pytest.raises(ValidationError, match="H is None"):
        MarkovGame(Ps, Rs, mu0)
    g = MarkovGame(Ps, Rs, mu0, H=4)
    assert g.stationary and g.H == 4 and g.P_full().shape == (4, 2, 6, 2)
    assert g.R_full().shape == (2, 4, 2, 6)


def test_arrays_are_copies_and_read_only():
    P, R, mu0 = _game()
    g = MarkovGame(P, R, mu0)
    before = P[0, 0, 0, 0].copy()
    P[0, 0, 0, 0] = [1.0, 0.0]
    np.testing.assert_array_equal(g.P[0, 0, 0, 0], before)
    with pytest.raises(ValueError):
        g.R4[0, 0, 0, 0] = 0.0
    with pytest.raises(ValueError):
        g.P[0, 0, 0, 0, 0] = 0.0


@pytest.mark.parametrize("mutate,match", [
    (lambda P, R, mu: (P, R * 1.5 + 0.01, mu), r"R\[.*rule: per-step rewards"),
    (lambda P, R, mu: (P * 0.9, R, mu), r"P\[.*sums to"),
    (lambda P, R, mu: (P, -R, mu), r"R\["),
    (lambda P, R, mu: (P, R, np.array([0.5, 0.6])), "mu0"),
    (lambda P, R, mu: (P, R, np.ones(3) / 3), "mu0 has shape"),
    (lambda P, R, mu: (P[:, :, :, :2], R, mu), "P has shape"),
    (lambda P, R, mu: (P[:2], R, mu), "H"),
    (lambda P, R, mu: (np.where(P > 0.5, np.nan, P), R, mu), "finite"),
    (lambda P, R, mu: (P, R[0], mu), "dimensions"),
])
def test_invalid_games_raise(mutate, match):
    P, R, mu0 = _game()
    with pytest.raises(ValidationError, match=match):
        MarkovGame(*mutate(P, R, mu0))


def test_normal_form_and_repeated_constructors():
    U = np.random.default_rng(1).random((3, 2, 2, 3))
    g = MarkovGame.normal_form(U)
    assert g.is_normal_form and g.actions == (2, 2, 3)
    np.testing.assert_array_equal(g.payoffs(), U)
    r = MarkovGame.repeated(U, 5)
    assert r.H == 5 and r.is_repeated and not r.is_normal_form
    np.testing.assert_allclose(r.R4[:, 0, 0] * 5, U.reshape(3, -1), rtol=0, atol=1e-15)
    np.testing.assert_allclose(r.payoffs(), U, atol=1e-15)
    with pytest.raises(ValidationError, match="payoffs"):
        MarkovGame.normal_form(U + 1.0)
    with pytest.raises(ValidationError, match="shape"):
        MarkovGame.normal_form(U[0, 0])
    with pytest.raises(ValidationError, match="not a repeated"):
        random_markov_game(2, (2, 2), 2, 0).payoffs()


def test_joint_index_validation():
    g = shapley_game()
    assert g.joint_index((2, 1)) == 7
    with pytest.raises(ValidationError, match="joint action"):
        g.joint_index((3, 0))


def test_policy_validation():
    g = random_markov_game(2, (2, 3), 3, 0)
    good = [np.full((4, 3, 2, 2), 0.5), np.full((4, 3, 2, 3), 1 / 3)]
    out = check_product_policy(good, g)
    assert out[0].shape == (4, 3, 2, 2)
    single = check_product_policy([p[0] for p in good], g)
    assert single[1].shape == (1, 3, 2, 3)
    with pytest.raises(ValidationError, match="components"):
        check_product_policy([good[0], good[1][:2]], g)
    with pytest.raises(ValidationError, match="sums to"):
        check_product_policy([good[0] * 0.9, good[1]], g)
    with pytest.raises(ValidationError, match="sequence of m"):
        check_product_policy(good[:1], g)
    X = check_joint_policy(np.full((3, 2, 2, 3), 1 / 6), g)
    assert X.shape == (3, 2, 6)
    with pytest.raises(ValidationError, match="shape"):
        check_joint_policy(np.full((3, 2, 5), 0.2), g)


def test_random_generators_are_seeded_and_valid():
    a = random_markov_game(3, (2, 2, 2), 4, 7)
    b = random_markov_game(3, (2, 2, 2), 4, np.random.SeedSequence(7))
    np.testing.assert_array_equal(a.P, b.P)
    np.testing.assert_array_equal(a.R, b.R)
    z = random_markov_game(3, (2, 3), 4, 1, zero_sum=True, stationary=True)
    np.testing.assert_allclose(z.R4[0] + z.R4[1], 1 / 4, atol=1e-15)
    nf = random_normal_form((3, 4), 2, zero_sum=True)
    np.testing.assert_allclose(nf.payoffs().sum(axis=0), 1.0, atol=1e-15)
    with pytest.raises(ValidationError, match="two players"):
        random_normal_form((2, 2, 2), 0, zero_sum=True)
    with pytest.raises(ValidationError, match="sequence"):
        random_normal_form(3, 0)


def test_named_games():
    U = shapley_payoffs()
    # each row of each player's payoff has exactly one 1 (a cyclic game)
    assert (U.sum(axis=2) == 1).all() and (U.sum(axis=1) == 1).all()
    g = repeated_shapley_game(6)
    assert g.H == 6 and g.S == 1
    np.testing.assert_allclose(g.payoffs(), U, atol=1e-15)
    x = biased_rock_paper_scissors_equilibrium()
    np.testing.assert_allclose(x, np.array([1, 10, 5]) / 16, atol=1e-15)
    A = biased_rock_paper_scissors_matrix()
    np.testing.assert_allclose(A, -A.T)
    np.testing.assert_allclose(x @ A, 0.0, atol=1e-15)
    C = chicken()
    assert C.shape == (2, 2, 2) and C.max() == 1.0
    cs = constant_sum_game(A)
    np.testing.assert_allclose(cs[0] + cs[1], 1.0)
    r = repeated_game(C, 3)
    assert r.H == 3
    B = random_binary_action_game(5, 0)
    assert B.shape == (5,) + (2,) * 5
