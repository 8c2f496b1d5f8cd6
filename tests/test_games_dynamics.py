"""Independent (optimistic) Hedge: kernel vs plain-numpy reference, regret guarantees, exact regrets."""

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.algorithms.games import hedge_learning_rate, independent_hedge, regret_curve
from rltheory.envs.games import random_markov_game, random_normal_form
from rltheory.envs.hard_instances.markov_games import repeated_shapley_game
from rltheory import solvers as gs


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


# --------------------------------------------------------------------------- alternatives to independent Hedge

def test_random_start_matches_hedge_initial_scores():
    from rltheory.algorithms.games import random_start_policies
    g = repeated_shapley_game(4)
    start = random_start_policies(g, np.random.default_rng(3))
    run = independent_hedge(g, 1, 1.0, init_scale=1.0, seed=np.random.default_rng(3))
    for i in range(2):      # eta = 1: Hedge's first policy is softmax of the same N(0,1) draws
        np.testing.assert_allclose(run.policies[i][0], start[i], atol=1e-12)


def test_stationary_run_regret_is_T_times_nash_gap():
    from rltheory.algorithms.games import stationary_run
    g = repeated_shapley_game(3)
    pol = (np.tile([0.6, 0.3, 0.1], (3, 1, 1)), np.tile([0.2, 0.2, 0.6], (3, 1, 1)))
    run = stationary_run(g, 7, pol)
    gap = gs.mixture_cce_gaps(g, tuple(p[None] for p in pol), "markov")[0]
    _, reg = regret_curve(g, run, 0, deviations="general")
    assert reg[0] == pytest.approx(7 * gap, abs=1e-10)


def test_annealed_run_interpolates_and_bimatrix_nash_on_known_games():
    from rltheory.algorithms.games import annealed_run, bimatrix_nash
    from rltheory.envs.games import chicken
    from rltheory.envs.hard_instances.markov_games import shapley_payoffs
    x, y = bimatrix_nash(shapley_payoffs())
    np.testing.assert_allclose(x, np.full(3, 1 / 3), atol=1e-12)
    np.testing.assert_allclose(y, np.full(3, 1 / 3), atol=1e-12)
    x, y = bimatrix_nash(chicken())
    assert gs.nash_gaps(chicken(), [x, y]).max() <= 1e-12
    g = repeated_shapley_game(2)
    start = (np.tile([1.0, 0.0, 0.0], (2, 1, 1)),) * 2
    target = (np.full((2, 1, 3), 1 / 3),) * 2
    run = annealed_run(g, 4, start, target, power=1.0)
    np.testing.assert_allclose(run.policies[0][0], start[0])
    np.testing.assert_allclose(run.policies[0][3], 0.25 * start[0] + 0.75 * target[0])


def test_trigger_deviation_bound_upper_bounds_exact_best_response():
    """On a 2-step repeated game the bound equals a brute-force best response to each single component."""
    from rltheory.algorithms.games import trigger_deviation_bound, trigger_nash_gaps, trigger_policies
    U = random_normal_form((2, 2), 5).payoffs()
    H, T = 2, 3
    tp = trigger_policies(U, H, T)
    bound = trigger_deviation_bound(U, tp)
    gaps = trigger_nash_gaps(U, tp)
    assert gaps.shape == (2, T, H) and np.all(gaps >= -1e-12)
    for i in range(2):
        gains = []
        for t in range(T):
            a = tp.schedule[t]
            own = [U[i][tuple(a[h])] for h in range(H)]
            best = 0.0
            for b0 in range(2):            # deviator's first action; second step: best of follow / deviate
                p0 = list(a[0])
                p0[i] = b0
                r0 = U[i][tuple(p0)]
                if b0 == a[0][i]:
                    r1 = max(U[i][tuple(a[1])], max(U[i][tuple(np.where(np.arange(2) == i, b, a[1]))]
                                                     for b in range(2)))
                else:
                    r1 = tp.minmax[i]
                best = max(best, (r0 + r1) / H)
            gains.append(best - sum(own) / H)
        assert bound[i] == pytest.approx(np.mean(gains), abs=1e-12)


# --------------------------------------------------------------------------- query-counting searches

def test_hashed_game_and_searches():
    from rltheory.algorithms.games import exhaustive_pure_nash_search, sampled_uniform_nash_search
    from rltheory.envs.games import hashed_binary_action_game
    g = hashed_binary_action_game(6, 11)
    U = g.payoffs()
    assert U.shape == (6,) + (2,) * 6 and 0 <= U.min() and U.max() < 1
    has_pne = any(all(U[i][p] >= U[i][tuple(np.where(np.arange(6) == i, 1 - p[i], p))] for i in range(6))
                  for p in np.ndindex(*(2,) * 6))
    q, found = exhaustive_pure_nash_search(g, 0)
    assert found == has_pne and 1 <= q <= 64
    if not has_pne:
        assert q == 64
    q2, found2 = sampled_uniform_nash_search(g, 0.1, 0.05, 0)
    d = np.array([np.take(U[i], 1, axis=i).mean() - np.take(U[i], 0, axis=i).mean() for i in range(6)])
    assert q2 == 64 and found2 == (np.abs(d).max() / 2 <= 0.1 or has_pne)
    big = hashed_binary_action_game(20, 1)
    q3, found3 = sampled_uniform_nash_search(big, 0.1, 0.05, 0)
    assert found3 and q3 < 2 ** 16
    with pytest.raises(ValidationError):
        hashed_binary_action_game(25, 0)
