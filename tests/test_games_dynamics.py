"""Independent (optimistic) Hedge: kernel vs plain-numpy reference, regret guarantees, exact regrets."""

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.algorithms.games import hedge_learning_rate, independent_hedge, regret_curve
from rltheory.envs.games import random_markov_game, random_normal_form
from rltheory.envs.hard_instances.markov_games import repeated_shapley_game
from rltheory.solvers import games as gs


def _reference_hedge(game, T, eta, optimistic, G0):
    """Plain-numpy independent Hedge with exact Q feedback (no Numba)."""
    m, H, S = game.m, game.H, game.S
    acts = game.actions
    G = [G0[i, :, :, :acts[i]].copy() for i in range(m)]
    last = [np.zeros_like(x) for x in G]
    Pf, Rf = game.P_full(), game.R_full()
    out = []
    for _ in range(T):
        pol = []
        for i in range(m):
            z = eta * (G[i] + (last[i] if optimistic else 0.0))
            z = np.exp(z - z.max(axis=-1, keepdims=True))
            pol.append(z / z.sum(axis=-1, keepdims=True))
        out.append([p.copy() for p in pol])
        V = np.zeros((m, H + 1, S))
        Q = [np.zeros((H, S, a)) for a in acts]
        for h in range(H - 1, -1, -1):
            for s in range(S):
                joint = pol[0][h, s]
                for j in range(1, m):
                    joint = np.multiply.outer(joint, pol[j][h, s])
                for i in range(m):
                    q = (Rf[i, h, s] + Pf[h, s] @ V[i, h + 1]).reshape(acts)
                    V[i, h, s] = (joint * q).sum()
                    others = [pol[j][h, s] for j in range(m) if j != i]
                    qi = np.moveaxis(q, i, 0)
                    for x in others:
                        qi = qi @ x if qi.ndim == 2 else np.tensordot(qi, x, axes=([1], [0]))
                    Q[i][h, s] = qi
        for i in range(m):
            g = H * Q[i]
            G[i] += g
            last[i] = g
    return out


@pytest.mark.parametrize("optimistic", [False, True])
def test_kernel_matches_reference(optimistic):
    game = random_markov_game(2, (2, 3), 3, 1)
    T, eta = 15, 0.7
    run = independent_hedge(game, T, eta, optimistic=optimistic, init_scale=0.5, seed=4)
    G0 = np.zeros((2, 3, 2, 3))
    rng = np.random.default_rng(4)
    for i, a in enumerate(game.actions):
        G0[i, :, :, :a] = 0.5 * rng.standard_normal((3, 2, a))
    ref = _reference_hedge(game, T, eta, optimistic, G0)
    for t in range(T):
        for i in range(2):
            np.testing.assert_allclose(run.policies[i][t], ref[t][i], atol=1e-12)
    np.testing.assert_allclose(run.values, gs.product_policy_values(game, run.policies), atol=1e-13)


def test_three_player_kernel_matches_reference():
    game = random_markov_game(2, (2, 2, 3), 2, 3)
    run = independent_hedge(game, 8, 1.3, seed=0)
    ref = _reference_hedge(game, 8, 1.3, False, np.zeros((3, 2, 2, 3)))
    for t in range(8):
        for i in range(3):
            np.testing.assert_allclose(run.policies[i][t], ref[t][i], atol=1e-12)


def test_hedge_regret_bound_normal_form():
    # Cesa-Bianchi & Lugosi (2006), Thm 2.2: regret <= sqrt(T ln A / 2) with eta = sqrt(8 ln A / T).
    for seed in range(3):
        g = random_normal_form((4, 5, 3), seed)
        T = 400
        run = independent_hedge(g, T, [hedge_learning_rate(a, T) for a in g.actions], seed=0)
        for i, A in enumerate(g.actions):
            _, reg = regret_curve(g, run, i, deviations="markov")
            assert reg[0] <= np.sqrt(T * np.log(A) / 2) + 1e-9


def test_uniform_start_on_shapley_sits_at_equilibrium():
    # Specification Section 5.1, pitfall: the symmetric start is the Nash equilibrium.
    g = repeated_shapley_game(4)
    run = independent_hedge(g, 50, 0.3, seed=0)
    np.testing.assert_allclose(run.policies[0], 1 / 3, atol=1e-14)
    for dev in ("markov", "general"):
        _, r = regret_curve(g, run, 0, deviations=dev)
        assert abs(r[0]) < 1e-12


def test_shapley_reference_numbers():
    # Specification Section 5.1 (H = 6, eta = sqrt(8 ln 3 / T), N(0,1) start), T = 300:
    # Markov-deviation regret / T about 0.024, general-deviation regret / T about 0.18.
    g = repeated_shapley_game(6)
    ms, gs_ = [], []
    for seed in range(3):
        run = independent_hedge(g, 300, hedge_learning_rate(3, 300), init_scale=1.0, seed=seed)
        ms.append(regret_curve(g, run, 0, deviations="markov")[1][0] / 300)
        gs_.append(regret_curve(g, run, 0, deviations="general")[1][0] / 300)
    assert 0.015 < np.mean(ms) < 0.035
    assert 0.12 < np.mean(gs_) < 0.26


def test_regret_curve_prefixes_and_orders():
    g = repeated_shapley_game(3)
    run = independent_hedge(g, 40, 0.8, init_scale=1.0, seed=2)
    steps, rm = regret_curve(g, run, 1, steps=[5, 20, 40], deviations="markov")
    _, rg = regret_curve(g, run, 1, steps=[5, 20, 40], deviations="general")
    assert steps.tolist() == [5, 20, 40]
    assert np.all(rg >= rm - 1e-12)
    # prefix regret equals the regret of a run truncated at that episode
    short = independent_hedge(g, 20, 0.8, init_scale=1.0, seed=2)
    assert abs(regret_curve(g, short, 1, deviations="general")[1][0] - rg[1]) < 1e-12
    # with H = 1 Markov and general deviations coincide
    nf = random_normal_form((3, 3), 0)
    r1 = independent_hedge(nf, 30, 0.5, seed=0)
    assert abs(regret_curve(nf, r1, 0, deviations="markov")[1][0]
               - regret_curve(nf, r1, 0, deviations="general")[1][0]) < 1e-12


def test_bandit_feedback_is_seeded_and_sampler_is_unbiased():
    g = random_markov_game(3, (2, 2), 3, 5)
    a = independent_hedge(g, 3000, 0.05, feedback="bandit", seed=11)
    b = independent_hedge(g, 3000, 0.05, feedback="bandit", seed=np.random.SeedSequence(11))
    np.testing.assert_array_equal(a.returns, b.returns)
    np.testing.assert_array_equal(a.policies[0], b.policies[0])
    diff = a.returns - a.values                    # realised minus exact value, mean 0 per episode
    se = diff.std(axis=0) / np.sqrt(diff.shape[0])
    assert np.all(np.abs(diff.mean(axis=0)) < 4.5 * se)
    assert np.all(a.returns >= 0) and np.all(a.returns <= 1 + 1e-12)


def test_bandit_hedge_learns_dominant_action():
    # one player, action 1 pays 1 and action 0 pays 0 at every step: EXP3 must shift mass to action 1
    from rltheory.models.games import MarkovGame
    U = np.array([[0.0, 1.0]])
    g = MarkovGame.repeated(U, 2)
    run = independent_hedge(g, 2000, 0.05, feedback="bandit", seed=0)
    assert run.policies[0][-1, :, 0, 1].min() > 0.95


def test_validation():
    g = repeated_shapley_game(2)
    with pytest.raises(ValidationError, match="feedback"):
        independent_hedge(g, 10, 0.1, feedback="semi")
    with pytest.raises(ValidationError, match="eta"):
        independent_hedge(g, 10, -0.1)
    with pytest.raises(ValidationError, match="T"):
        independent_hedge(g, 0, 0.1)
    run = independent_hedge(g, 10, 0.1)
    with pytest.raises(ValidationError, match="steps"):
        regret_curve(g, run, 0, steps=[11])
    with pytest.raises(ValidationError, match="player"):
        regret_curve(g, run, 2)
