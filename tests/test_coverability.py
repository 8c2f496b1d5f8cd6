"""Coverability (arXiv 2401.09681, Def. 2.1), mixtures, density ratios and the kappa-layered instances."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from rltheory import ValidationError
from rltheory.envs import (kappa_layered, model_family, offline_distribution, random_tabular, sample_offline,
                           single_policy_concentrability)
from rltheory.models import TabularMDP
from rltheory.solvers import (backward_induction, coverability, coverability_lp, coverability_potential,
                              density_ratio, max_reach_probability, mixture_occupancy, occupancy)


def _deterministic_policies(H, S, A):
    for acts in itertools.product(range(A), repeat=H * S):
        yield np.array(acts, dtype=np.int64).reshape(H, S)


def _brute_force(mdp):
    """sup over deterministic Markov policies of d^pi_h(x,a), by enumeration."""
    best = np.zeros((mdp.H, mdp.S, mdp.A))
    for pi in _deterministic_policies(mdp.H, mdp.S, mdp.A):
        best = np.maximum(best, occupancy(mdp, pi))
    return best


def _random_layered(seed, H, S, A, sparse):
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.full(S, 0.3 if sparse else 1.0), size=(H, S, A))
    P = np.where(P < 1e-3, 0.0, P)
    P /= P.sum(axis=3, keepdims=True)
    mu0 = rng.dirichlet(np.ones(S))
    return TabularMDP(P, np.zeros((H, S, A)), mu0)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), H=st.integers(1, 3), S=st.integers(1, 3), A=st.integers(1, 2),
       sparse=st.booleans())
def test_coverability_matches_brute_force_and_lp(seed, H, S, A, sparse):
    mdp = _random_layered(seed, H, S, A, sparse)
    cov = coverability(mdp)
    brute = _brute_force(mdp)
    np.testing.assert_allclose(cov.sup_occupancy, brute, atol=1e-12)
    np.testing.assert_allclose(cov.per_step, brute.sum(axis=(1, 2)), atol=1e-12)
    np.testing.assert_allclose(cov.per_step, coverability_lp(mdp), atol=1e-8)
    assert cov.value == pytest.approx(brute.sum(axis=(1, 2)).max(), abs=1e-12)
    # mu attains the infimum of Definition 2.1: every policy's ratio is at most C_cov
    for pi in itertools.islice(_deterministic_policies(H, S, A), 20):
        d = occupancy(mdp, pi)
        r = density_ratio(d, cov.mu)
        assert r.max() <= cov.value * (1 + 1e-9)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 4))
def test_finite_class_coverability_is_max_over_listed_policies(seed, n):
    mdp = random_tabular(3, 2, 3, seed=seed)
    rng = np.random.default_rng(seed)
    pols = [rng.integers(0, 2, size=(3, 3)) for _ in range(n)]
    cov = coverability(mdp, policies=pols)
    ref = np.max([occupancy(mdp, p) for p in pols], axis=0)
    np.testing.assert_allclose(cov.sup_occupancy, ref, atol=1e-15)
    assert cov.value <= coverability(mdp).value + 1e-12
    assert 1.0 - 1e-12 <= cov.value <= n + 1e-12


def test_kappa_controls_coverability_between_A_and_SA():
    S, A, H = 6, 3, 4
    vals = [coverability(kappa_layered(S, A, H, k, seed=1)).value for k in (0.0, 0.25, 0.5, 1.0)]
    assert vals[0] == pytest.approx(A)
    assert vals[-1] == pytest.approx(S * A)
    assert all(a < b for a, b in zip(vals, vals[1:]))


def test_reach_probability_chain():
    P = np.zeros((3, 2, 3))
    P[0, 0, 0] = P[0, 1, 1] = P[1, :, 2] = P[2, :, 2] = 1.0
    mdp = TabularMDP(P, np.zeros((3, 2)), [1.0, 0.0, 0.0], H=3)
    np.testing.assert_allclose(max_reach_probability(mdp), [[1, 0, 0], [1, 1, 0], [1, 1, 1]])


def test_mixture_occupancy_is_the_average():
    mdp = random_tabular(4, 2, 3, seed=3)
    p1, p2 = np.zeros((3, 4), dtype=int), np.ones((3, 4), dtype=int)
    mix = mixture_occupancy(mdp, [p1, p2], weights=[0.25, 0.75])
    np.testing.assert_allclose(mix, 0.25 * occupancy(mdp, p1) + 0.75 * occupancy(mdp, p2), atol=1e-15)
    np.testing.assert_allclose(mix.sum(axis=(1, 2)), 1.0)


def test_density_ratio_zero_denominators_are_inf_then_clipped_never_nan():
    d = np.array([[0.5, 0.0], [0.5, 0.0]])
    dbar = np.array([[0.0, 0.0], [1.0, 0.5]])
    r = density_ratio(d, dbar)
    assert r[0, 0] == np.inf and r[0, 1] == 0.0 and r[1, 0] == 0.5 and r[1, 1] == 0.0
    c = density_ratio(d, dbar, clip=3.0)
    assert c[0, 0] == 3.0 and not np.isnan(c).any()


def test_potential_of_repeated_point_mass_is_harmonic():
    d = np.zeros((5, 2, 2, 1))
    d[:, :, 0, 0] = 1.0
    pot = coverability_potential(d)
    np.testing.assert_allclose(pot[:, 0], np.cumsum(1.0 / np.arange(1, 6)))
    past = coverability_potential(d, include_current=False)
    assert past[0, 0] == np.inf


def test_offline_distribution_and_C_star():
    mdp = kappa_layered(4, 2, 3, 1.0, seed=0)
    nu = offline_distribution(mdp, 0.25)
    np.testing.assert_allclose(nu.sum(axis=(1, 2)), 1.0)
    d = occupancy(mdp, backward_induction(mdp).policy)
    assert single_policy_concentrability(mdp, nu) == pytest.approx((d / nu).max())
    tup, rew = sample_offline(mdp, nu, 200, seed=1)
    assert tup.shape == (3, 3, 200) and rew.shape == (3, 200)
    # every sampled transition has positive probability
    for h in range(3):
        assert (mdp.P_at(h)[tup[0, h], tup[1, h], tup[2, h]] > 0).all()
    t2, _ = sample_offline(mdp, nu, 200, seed=1)
    assert (t2 == tup).all()


def test_model_family_contains_truth_and_differs_only_where_stated():
    fam = model_family(5, 2, 3, 1.0, seed=4, n_optimistic=3, n_pessimistic=2, n_transition=2)
    truth = fam.truth
    assert fam.kinds[fam.true_index] == "true" and len(fam) == 8
    for m, kind in zip(fam.models, fam.kinds):
        dR = np.argwhere(np.abs(m.R3 - truth.R3) > 0)
        dP = np.argwhere(np.abs(m.P4 - truth.P4).sum(axis=3) > 0)
        if kind == "optimistic":
            assert len(dR) == 2 and len(dP) == 0 and m.R3.max() == 1.0
        elif kind == "pessimistic":
            assert len(dR) == 1 and len(dP) == 0
            assert backward_induction(m).value < backward_induction(truth).value
        elif kind == "transition":
            assert len(dR) == 0 and len(dP) == 1


def test_bad_input_raises():
    mdp = random_tabular(3, 2, 2, seed=0)
    with pytest.raises(ValidationError, match="must be an rltheory.models.TabularMDP"):
        coverability("not an mdp")
    with pytest.raises(ValidationError, match="policies is empty"):
        coverability(mdp, policies=[])
    with pytest.raises(ValidationError, match=r"policies\[0\]\[0, 1\] = 5"):
        coverability(mdp, policies=[np.array([[0, 5, 0], [0, 0, 0]])])
    with pytest.raises(ValidationError, match=r"dbar\[1\] = -0.1"):
        density_ratio([0.1, 0.2], [0.3, -0.1])
    with pytest.raises(ValidationError, match="same shape"):
        density_ratio([0.1, 0.2], [0.3])
    with pytest.raises(ValidationError, match="clip"):
        density_ratio([0.1], [0.3], clip=0.0)
    with pytest.raises(ValidationError, match="weights sums to"):
        mixture_occupancy(mdp, [np.zeros((2, 3), dtype=int)], weights=[0.5])
    with pytest.raises(ValidationError, match="kappa = 1.5"):
        kappa_layered(4, 2, 3, 1.5)
    with pytest.raises(ValidationError, match="n_optimistic = 9"):
        model_family(3, 3, 2, 1.0, n_optimistic=9)
    with pytest.raises(ValidationError, match=r"nu has shape \(2, 2\)"):
        single_policy_concentrability(kappa_layered(4, 2, 3, 1.0), np.ones((2, 2)))


@settings(max_examples=50, deadline=None)
@given(d=st.lists(st.floats(0, 1), min_size=1, max_size=8), seed=st.integers(0, 1000),
       clip=st.one_of(st.none(), st.floats(0.01, 100)))
def test_density_ratio_is_never_nan_and_clipped(d, seed, clip):
    d = np.array(d)
    rng = np.random.default_rng(seed)
    dbar = rng.random(d.size) * (rng.random(d.size) < 0.6)
    r = density_ratio(d, dbar, clip=clip)
    assert not np.isnan(r).any()
    pos = dbar > 0
    ref = d[pos] / dbar[pos] if clip is None else np.minimum(d[pos] / dbar[pos], clip)
    np.testing.assert_array_equal(r[pos], ref)
    assert (r[~pos & (d > 0)] == (np.inf if clip is None else clip)).all()
    assert (r[~pos & (d == 0)] == 0).all()


def test_transition_candidates_differ_from_truth_at_every_kappa():
    for kappa in (0.0, 0.3, 1.0):
        fam = model_family(4, 2, 3, kappa, seed=2, n_optimistic=0, n_pessimistic=0, n_transition=3)
        for m, kind in zip(fam.models, fam.kinds):
            if kind == "transition":
                diff = np.abs(m.P4 - fam.truth.P4).sum(axis=3)
                assert (diff > 0).sum() == 1
