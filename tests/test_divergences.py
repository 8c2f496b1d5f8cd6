"""Divergences between finite laws: against plain-numpy references, identities and validation."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rltheory import ValidationError
from rltheory.solvers import (bhattacharyya, chi2, hellinger2, ingster_chi2, kl, n_episode_divergences,
                              product_tv, tv, visit_count_kl)

PROPS = settings(max_examples=60, derandomize=True, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])


@st.composite
def law_pair(draw, min_size=1, max_size=6, zeros=True):
    n = draw(st.integers(min_size, max_size))
    elems = st.floats(0.01, 1.0)
    if zeros:
        elems = st.one_of(st.just(0.0), st.floats(1e-6, 1.0))
    p = np.array(draw(st.lists(elems, min_size=n, max_size=n)))
    q = np.array(draw(st.lists(elems, min_size=n, max_size=n)))
    p[0] += 0.01
    q[-1] += 0.01
    return p / p.sum(), q / q.sum()


def _outer(*vs):
    """Outer (product) law of a list of vectors, plain numpy."""
    out = np.array(1.0)
    for v in vs:
        out = np.multiply.outer(out, v)
    return out


def _ref(p, q):
    """Plain-numpy references (independent formulas)."""
    m = p > 0
    with np.errstate(divide="ignore"):
        klr = np.inf if np.any(m & (q == 0)) else float(np.sum(p[m] * np.log(p[m] / q[m])))
    chir = np.inf if np.any(m & (q == 0)) else float(np.sum(p[q > 0] ** 2 / q[q > 0]) - 1.0)
    return klr, 0.5 * np.abs(p - q).sum(), 1.0 - np.sqrt(p * q).sum(), chir


@PROPS
@given(law_pair())
def test_against_numpy_reference_and_ordering(pq):
    p, q = pq
    klr, tvr, h2r, chir = _ref(p, q)
    d = (kl(p, q), tv(p, q), hellinger2(p, q), chi2(p, q))
    for got, want in zip(d, (klr, tvr, h2r, chir)):
        assert not math.isnan(got)
        if math.isinf(want):
            assert got == math.inf
        else:
            assert got == pytest.approx(want, abs=1e-12, rel=1e-9)
    # Standard chain: H^2 <= TV <= sqrt(2) H, TV <= sqrt(KL/2), KL <= log(1 + chi2).
    K, T, H2, C = d
    assert H2 <= T + 1e-12 and T <= math.sqrt(2 * H2) + 1e-12
    assert T <= math.sqrt(K / 2) + 1e-12
    assert K <= math.log1p(C) + 1e-12
    assert bhattacharyya(p, q) == pytest.approx(1 - H2, abs=1e-12)


@PROPS
@given(law_pair())
def test_shape_free_and_deterministic(pq):
    p, q = pq
    if p.size % 2:
        p, q = np.append(p, 0.0), np.append(q, 0.0)
    P, Q = p.reshape(2, -1), q.reshape(2, -1)
    for f in (kl, tv, hellinger2, chi2):
        assert f(P, Q) == f(p, q) == f(P.tolist(), Q.tolist())  # bit-identical


def test_known_values_and_conventions():
    assert kl([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.log(2), abs=1e-15)
    assert kl([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert chi2([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert chi2([1.0, 0.0], [0.5, 0.5]) == pytest.approx(1.0, abs=1e-15)
    assert tv([1.0, 0.0], [0.0, 1.0]) == 1.0 and hellinger2([1.0, 0.0], [0.0, 1.0]) == 1.0
    p = np.full((2, 3), 1 / 6)
    assert kl(p, p) == 0.0 and tv(p, p) == 0.0 and chi2(p, p) == 0.0 and hellinger2(p, p) == 0.0


@pytest.mark.parametrize("p, q, match", [
    ([0.5, 0.6], [0.5, 0.5], r"p sums to 1\.1.*sum to 1"),
    ([0.5, 0.5], [1.2, -0.2], r"q\[1\] = -0\.2 is negative"),
    ([[0.5, 0.5]], [0.5, 0.5], r"same shape"),
    ([0.5, float("nan")], [0.5, 0.5], r"p\[1\] = nan.*finite"),
    ([], [], r"empty"),
])
def test_validation(p, q, match):
    for f in (kl, tv, hellinger2, chi2):
        with pytest.raises(ValidationError, match=match):
            f(p, q)


def _brute_product_tv(p, q, N):
    tot = 0.0
    for xs in itertools.product(range(len(p)), repeat=N):
        tot += abs(np.prod(p[list(xs)]) - np.prod(q[list(xs)]))
    return tot / 2


@settings(max_examples=20, derandomize=True, deadline=None)
@given(law_pair(max_size=3), st.integers(1, 5))
def test_product_tv_by_types_matches_sequence_enumeration_and_bracket(pq, N):
    p, q = pq
    exact = product_tv(p, q, N)
    assert exact == pytest.approx(_brute_product_tv(p, q, N), abs=1e-12)
    d = n_episode_divergences(p, q, N)
    assert d.tv_lower - 1e-12 <= exact <= d.tv_upper + 1e-12
    assert exact <= d.tv_pinsker + 1e-12
    assert d.kl == pytest.approx(N * kl(p, q), rel=1e-12, abs=0)
    if math.isfinite(d.chi2):
        brute_chi2 = chi2(_outer(*[p] * N), _outer(*[q] * N))
        assert d.chi2 == pytest.approx(brute_chi2, rel=1e-9, abs=1e-12)


def test_product_tv_refuses_huge_type_spaces():
    with pytest.raises(ValidationError, match=r"count vectors.*max_types"):
        product_tv(np.full(50, 0.02), np.full(50, 0.02), 50, max_types=1000)


@settings(max_examples=15, derandomize=True, deadline=None)
@given(st.integers(2, 3), st.integers(1, 4), st.integers(0, 10_000))
def test_ingster_matches_brute_force_mixture(K, N, seed):
    rng = np.random.default_rng(seed)
    X = 3
    P0 = rng.dirichlet(np.ones(X))
    fam = rng.dirichlet(np.ones(X), size=K)
    w = rng.dirichlet(np.ones(K))
    # Mixture of N-fold products against the N-fold null, by enumeration.
    mix = np.zeros((X,) * N)
    for k in range(K):
        mix += w[k] * _outer(*[fam[k]] * N)
    null = _outer(*[P0] * N)
    assert ingster_chi2(P0, fam, N, weights=w) == pytest.approx(chi2(mix, null), rel=1e-9, abs=1e-12)


def test_ingster_inf_and_validation():
    assert ingster_chi2([1.0, 0.0], [[0.5, 0.5]], 3) == math.inf
    with pytest.raises(ValidationError, match=r"P_family has shape"):
        ingster_chi2([0.5, 0.5], [0.5, 0.5], 3)
    with pytest.raises(ValidationError, match=r"P_family\[1\] sums to"):
        ingster_chi2([0.5, 0.5], [[0.5, 0.5], [0.5, 0.6]], 3)
    with pytest.raises(ValidationError, match=r"N = 0"):
        ingster_chi2([0.5, 0.5], [[0.5, 0.5]], 0)


def test_visit_count_kl_matches_direct_kl_of_a_fixed_design():
    """Non-adaptive design (n_x draws from context x): the decomposition is exact tensorisation."""
    P0 = np.array([[0.5, 0.5], [0.2, 0.8]])
    P1 = np.array([[0.6, 0.4], [0.2, 0.8]])
    n = np.array([3, 2])
    law0 = _outer(*([P0[0]] * 3 + [P0[1]] * 2))
    law1 = _outer(*([P1[0]] * 3 + [P1[1]] * 2))
    per = [kl(P0[x], P1[x]) for x in range(2)]
    assert visit_count_kl(n, per) == pytest.approx(kl(law0, law1), rel=1e-12)
    assert visit_count_kl([0.0, 1.0], [math.inf, 0.2]) == 0.2
    with pytest.raises(ValidationError, match=r"expected_visits\[0\] = -1.0"):
        visit_count_kl([-1.0], [0.1])
    with pytest.raises(ValidationError, match=r"one KL per context"):
        visit_count_kl([1.0, 2.0], [0.1])


@settings(max_examples=15, derandomize=True, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 4))
def test_visit_count_decomposition_for_an_adaptive_design(seed, N):
    """Adaptive collection (the next policy depends on the last outcome): KL of the N-episode laws equals
    sum over policies of E_0[visits] times the per-episode KL (Lattimore & Szepesvari, Lemma 15.1)."""
    rng = np.random.default_rng(seed)
    X = 3
    P = rng.dirichlet(np.ones(X), size=2)          # null laws of the two policies
    Q = rng.dirichlet(np.ones(X), size=2)          # alternative laws
    switch = rng.integers(0, 2, size=X)            # policy played after outcome x

    def law(L):
        out = np.empty((X,) * N)
        for seq in itertools.product(range(X), repeat=N):
            p, pol = 1.0, 0
            for x in seq:
                p *= L[pol][x]
                pol = int(switch[x])
            out[seq] = p
        return out

    # expected visits of each policy under the null, by enumeration of prefixes
    visits = np.zeros(2)
    for t in range(N):
        for prefix in itertools.product(range(X), repeat=t):
            p, pol = 1.0, 0
            for x in prefix:
                p *= P[pol][x]
                pol = int(switch[x])
            visits[pol] += p
    per = [kl(P[i], Q[i]) for i in range(2)]
    assert visit_count_kl(visits, per) == pytest.approx(kl(law(P), law(Q)), rel=1e-9, abs=1e-12)
