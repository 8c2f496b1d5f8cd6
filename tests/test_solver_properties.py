"""Property tests of exact solvers against independent plain-numpy / scipy / brute-force references.

Every reference below is written from the definitions, without the package's
kernels or solver helpers:

* visitation and occupancy by explicit forward propagation and boolean reachability;
* discounted occupancy by a Neumann series summed by repeated squaring;
* matrix-game values by the textbook maxmin LP (``scipy.optimize.linprog``);
* Markov-game values by forward propagation over explicit joint profiles;
* Markov deviations by enumerating every deterministic Markov policy;
* general (history-dependent) deviations by backward induction over the tree of
  observable histories ``(s_0, b_0, s_1, ..., s_h)`` with unnormalised
  component weights.

Instances are tiny so that the whole file runs in seconds.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linprog

import _reference as ref
from conftest import mdp_and_policy, random_kernel, seeds, tabular_mdps
from rltheory import ValidationError
from rltheory.models.games import MarkovGame
from rltheory.solvers import backward_induction, discounted_concentrability, min_positive_visitation
from rltheory import solvers as gs

PROPS = settings(max_examples=50, derandomize=True, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=25, derandomize=True, deadline=None,
               suppress_health_check=[HealthCheck.too_slow])


# =========================================================================== references: MDPs

def ref_state_visitation(mdp, policy):
    """``d_h(s)`` by an explicit loop, and its support by boolean reachability (no arithmetic)."""
    P, _ = ref.steps(mdp)
    H, S, A = mdp.H, mdp.S, mdp.A
    pi = ref.as_stochastic(policy, H, S, A)
    d = np.zeros((H, S))
    reach = np.zeros((H, S), dtype=bool)
    d[0] = mdp.mu0
    reach[0] = mdp.mu0 > 0
    for h in range(H - 1):
        for s in range(S):
            for a in range(A):
                if pi[h, s, a] == 0.0:
                    continue
                for t in range(S):
                    if P[h, s, a, t] > 0.0:
                        d[h + 1, t] += d[h, s] * pi[h, s, a] * P[h, s, a, t]
                        reach[h + 1, t] |= reach[h, s]
    return d, reach


def ref_optimal_value(mdp):
    P, R = ref.steps(mdp)
    V = np.zeros(mdp.S)
    for h in reversed(range(mdp.H)):
        V = (R[h] + P[h] @ V).max(axis=1)
    return float(mdp.mu0 @ V)


def ref_policy_value(mdp, policy):
    P, R = ref.steps(mdp)
    pi = ref.as_stochastic(policy, mdp.H, mdp.S, mdp.A)
    rho, total = mdp.mu0.copy(), 0.0
    for h in range(mdp.H):
        d = rho[:, None] * pi[h]
        total += float((d * R[h]).sum())
        rho = np.einsum("sa,sat->t", d, P[h])
    return total


# =========================================================================== min_positive_visitation

@PROPS
@given(mdp_and_policy(max_S=4, max_A=3, max_H=4))
def test_min_positive_visitation_matches_forward_propagation(case):
    mdp, policy = case
    d, reach = ref_state_visitation(mdp, policy)
    # products of positive numbers never underflow here, so support == reachability
    np.testing.assert_array_equal(d > 0, reach)
    want = d[reach].min()
    got = min_positive_visitation(mdp, policy)
    assert got == pytest.approx(want, rel=1e-12, abs=0)
    assert 0.0 < got <= 1.0


@PROPS
@given(tabular_mdps(max_S=4, max_A=3, max_H=4))
def test_min_positive_visitation_default_is_the_optimal_policy(mdp):
    pi = backward_induction(mdp).policy
    # the default policy is optimal (checked against a hand-written backward induction) ...
    assert ref_policy_value(mdp, pi) == pytest.approx(ref_optimal_value(mdp), rel=1e-12, abs=1e-12)
    # ... and the default visitation is that policy's, from the forward-propagation reference
    d, reach = ref_state_visitation(mdp, pi)
    assert min_positive_visitation(mdp) == pytest.approx(d[reach].min(), rel=1e-12, abs=0)


def test_min_positive_visitation_is_one_for_a_deterministic_chain():
    # every step visits a single state w.p. 1
    from rltheory.models import TabularMDP
    P = np.zeros((3, 2, 3))
    P[np.arange(3), :, (np.arange(3) + 1) % 3] = 1.0
    mdp = TabularMDP(P, np.full((3, 2), 0.5), [0.0, 1.0, 0.0], H=4)
    assert min_positive_visitation(mdp) == 1.0
    assert min_positive_visitation(mdp, np.full((4, 3, 2), 0.5)) == 1.0


# =========================================================================== discounted_concentrability

def ref_discounted_occupancy(P, mu0, pi, gamma):
    """(1-gamma) mu0^T sum_t (gamma P_pi)^t by repeated squaring (2^12 terms), and its exact support."""
    S = P.shape[0]
    M = gamma * np.einsum("sa,sat->st", pi, P)
    total, power = np.eye(S), M.copy()
    for _ in range(12):                    # total = sum_{t < 2^k} M^t, power = M^(2^k)
        total = total + total @ power
        power = power @ power
    rho = (1.0 - gamma) * mu0 @ total
    # support: states reachable from supp(mu0) along edges with pi > 0 and P > 0
    edge = np.einsum("sa,sat->st", (pi > 0).astype(float), (P > 0).astype(float)) > 0
    if gamma == 0.0:
        edge[:] = False
    reach = mu0 > 0
    for _ in range(S):
        reach = reach | (reach.astype(int) @ edge.astype(int) > 0)
    d = rho[:, None] * pi
    return d, reach[:, None] & (pi > 0)


@st.composite
def discounted_cases(draw):
    S = draw(st.integers(1, 4))
    A = draw(st.integers(1, 3))
    gamma = draw(st.sampled_from([0.0, 0.5, 0.9, 0.99]))
    rng = np.random.default_rng(draw(seeds))
    P = random_kernel(rng, (S, A, S), sparse=draw(st.booleans()))
    mu0 = random_kernel(rng, (S,), sparse=draw(st.booleans()))
    closed = draw(st.integers(0, S - 1))
    if closed:                      # states >= closed are never reached: exact zeros in d
        P[:closed, :, closed:] = 0.0
        P[:closed, :, :closed] = random_kernel(rng, (closed, A, closed), sparse=False)
        mu0[closed:] = 0.0
        mu0 = mu0 / mu0.sum() if mu0.sum() > 0 else np.eye(S)[0]
    if draw(st.booleans()):
        policy = rng.integers(0, A, size=S)
        pi = np.eye(A)[policy]
    else:
        policy = random_kernel(rng, (S, A), sparse=True)
        pi = policy
    kind = draw(st.sampled_from(["uniform", "on_support", "random", "hole"]))
    return P, mu0, policy, pi, gamma, kind, rng


@PROPS
@given(discounted_cases())
def test_discounted_concentrability_matches_neumann_series(case):
    P, mu0, policy, pi, gamma, kind, rng = case
    S, A = pi.shape
    d, supp = ref_discounted_occupancy(P, mu0, pi, gamma)
    np.testing.assert_allclose(d.sum(), 1.0, atol=1e-12)
    if kind == "uniform" or (kind == "hole" and S * A == 1):
        mu = np.full((S, A), 1.0 / (S * A))
    elif kind == "on_support":                     # data exactly on the comparator's support
        mu = np.where(supp, rng.random((S, A)) + 0.1, 0.0)
    elif kind == "random":
        mu = rng.random((S, A)) + 0.01
    else:                                           # one supported pair missing from the data
        mu = rng.random((S, A)) + 0.01
        s, a = np.argwhere(supp)[rng.integers(supp.sum())]
        mu[s, a] = 0.0
    mu = mu / mu.sum()
    if np.any(supp & (mu == 0)):
        want = np.inf
    else:
        want = float(np.max(d[supp] / mu[supp]))
    got = discounted_concentrability(P, mu0, policy, gamma, mu)
    if want == np.inf:
        assert got == np.inf
    else:
        assert got == pytest.approx(want, rel=1e-9)
        assert got >= 1.0 - 1e-12


@PROPS
@given(discounted_cases())
def test_discounted_concentrability_of_own_occupancy_is_one(case):
    P, mu0, policy, pi, gamma, _, _ = case
    d, supp = ref_discounted_occupancy(P, mu0, pi, gamma)
    mu = np.where(supp, d, 0.0)
    mu = mu / mu.sum()
    assert discounted_concentrability(P, mu0, policy, gamma, mu) == pytest.approx(1.0, rel=1e-9)


def test_discounted_concentrability_rejects_bad_data():
    P = np.full((2, 2, 2), 0.5)
    with pytest.raises(ValidationError, match=r"mu has shape \(2, 3\)"):
        discounted_concentrability(P, [1.0, 0.0], [0, 1], 0.5, np.full((2, 3), 1 / 6))
    with pytest.raises(ValidationError, match=r"mu\.reshape\(S\*A\) sums to 2"):
        discounted_concentrability(P, [1.0, 0.0], [0, 1], 0.5, np.full((2, 2), 0.5))


# =========================================================================== references: games

def ref_maxmin(A):
    """max_x min_j (x^T A)_j by the LP  max v  s.t.  A^T x >= v 1, sum x = 1, x >= 0 (scipy HiGHS)."""
    n, k = A.shape
    c = np.zeros(n + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-A.T, np.ones((k, 1))])
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(k), A_eq=np.r_[np.ones(n), 0.0][None], b_eq=[1.0],
                  bounds=[(0, None)] * n + [(None, None)], method="highs")
    assert res.status == 0
    return float(res.x[-1])


def profiles(actions):
    """Every joint action; position k is the flat C-order index k."""
    return list(itertools.product(*map(range, actions)))


def game_arrays(g):
    """Plain step-dependent copies ``P (H, S, nJ, S)``, ``R (m, H, S, nJ)``."""
    P = np.array(g.P).reshape(-1, g.S, g.n_joint, g.S) if g.P.ndim == g.m + 3 else \
        np.array(g.P).reshape(1, g.S, g.n_joint, g.S)
    R = np.array(g.R).reshape(g.m, -1, g.S, g.n_joint) if g.R.ndim == g.m + 3 else \
        np.array(g.R).reshape(g.m, 1, g.S, g.n_joint)
    return (np.broadcast_to(P, (g.H,) + P.shape[1:]), np.broadcast_to(R, (g.m, g.H) + R.shape[2:]))


def joint_from_product(g, strategies_at_hs):
    """Probability of every joint profile under independent per-player strategies (list of (A_j,))."""
    return np.array([np.prod([strategies_at_hs[j][a[j]] for j in range(g.m)]) for a in profiles(g.actions)])


def ref_correlated_values(g, X):
    """``sum_s mu0(s) V_i`` ``(m,)`` of a correlated Markov policy ``X (H, S, nJ)`` by forward propagation."""
    P, R = game_arrays(g)
    rho, total = np.array(g.mu0, dtype=float), np.zeros(g.m)
    for h in range(g.H):
        d = rho[:, None] * X[h]                                 # (S, nJ)
        total += np.einsum("sk,isk->i", d, R[:, h])
        rho = np.einsum("sk,skt->t", d, P[h])
    return total


def ref_product_values(g, pols, t):
    """Values ``(m,)`` of component ``t`` of Markov product policies ``pols[j] (T, H, S, A_j)``."""
    X = np.array([[joint_from_product(g, [pols[j][t, h, s] for j in range(g.m)])
                   for s in range(g.S)] for h in range(g.H)])
    return ref_correlated_values(g, X)


def ref_mixture_values(g, pols, w):
    return sum(w[t] * ref_product_values(g, pols, t) for t in range(len(w)))


def replace_player(pols, i, det):
    """Markov product policies with player i replaced by the deterministic ``det (H, S)``, all components."""
    T, H, S, Ai = pols[i].shape
    onehot = np.zeros((T, H, S, Ai))
    for h in range(H):
        for s in range(S):
            onehot[:, h, s, det[h, s]] = 1.0
    out = list(pols)
    out[i] = onehot
    return out


def ref_markov_deviation(g, pols, i, w):
    """max over deterministic Markov policies of player i (enumerated) of sum_t w_t V_i."""
    best = -np.inf
    for flat in itertools.product(range(g.actions[i]), repeat=g.H * g.S):
        det = np.array(flat).reshape(g.H, g.S)
        best = max(best, float(ref_mixture_values(g, replace_player(pols, i, det), w)[i]))
    return best


def opponents_and_index(g, i, pols):
    """``Opp (T, H, S, B)`` of the other players and ``k[a_i][b]``, the flat index of ``(a_i, b)``."""
    others = [j for j in range(g.m) if j != i]
    bprofs = list(itertools.product(*[range(g.actions[j]) for j in others]))
    T = pols[0].shape[0]
    Opp = np.ones((T, g.H, g.S, len(bprofs)))
    for bi, b in enumerate(bprofs):
        for j, bj in zip(others, b):
            Opp[:, :, :, bi] *= pols[j][:, :, :, bj]
    acts = g.actions
    index = []
    for ai in range(acts[i]):
        row = []
        for b in bprofs:
            a = list(b)
            a.insert(i, ai)
            row.append(profiles(acts).index(tuple(a)))
        index.append(row)
    return Opp, index


def ref_history_deviation(g, Opp, index, i, w):
    """Best general deviation by backward induction over the tree of observable histories.

    A node is a history ``(s_0, b_0, ..., s_h)``; it carries the unnormalised
    weight ``w_t prod_{h'<h} Opp_t(b_{h'} | s_{h'})`` of every component
    (transition probabilities are common to all components and are applied
    separately); the deviator picks the action maximising the weighted sum.
    """
    P, R = game_arrays(g)
    T, H, S, B = Opp.shape

    def node(h, s, wt):
        best = -np.inf
        for a in range(g.actions[i]):
            tot = 0.0
            for b in range(B):
                wb = wt * Opp[:, h, s, b]
                p = wb.sum()
                if p == 0.0:
                    continue
                k = index[a][b]
                tot += p * R[i, h, s, k]
                if h + 1 < H:
                    for s2 in range(S):
                        if P[h, s, k, s2] > 0.0:
                            tot += P[h, s, k, s2] * node(h + 1, s2, wb)
            best = max(best, tot)
        return best

    return sum(g.mu0[s] * node(0, s, np.asarray(w, float)) for s in range(S) if g.mu0[s] > 0)


def ref_mdp_response(g, i, Opp_t):
    """Best return of player i against one Markov opponent profile ``Opp_t (H, S, B)`` (an MDP),
    by hand-written backward induction."""
    P, R = game_arrays(g)
    _, index = opponents_and_index(g, i, [np.ones((1, g.H, g.S, A)) for A in g.actions])
    V = np.zeros(g.S)
    for h in reversed(range(g.H)):
        Q = np.zeros((g.S, g.actions[i]))
        for s in range(g.S):
            for a in range(g.actions[i]):
                for b in range(Opp_t.shape[-1]):
                    k = index[a][b]
                    Q[s, a] += Opp_t[h, s, b] * (R[i, h, s, k] + P[h, s, k] @ V)
        V = Q.max(axis=1)
    return float(g.mu0 @ V)


# =========================================================================== strategies: games

@st.composite
def markov_games(draw, max_S=2, actions=None, max_H=3, zero_sum=False, max_players=2):
    """Tiny Markov games with optional exact zeros in P and mu0 and tied (grid) rewards."""
    if actions is None:
        m = 2 if zero_sum else draw(st.integers(2, max_players))
        actions = tuple(draw(st.lists(st.integers(1, 3), min_size=m, max_size=m)))
    S = draw(st.integers(1, max_S))
    H = draw(st.integers(1, max_H))
    stationary = draw(st.booleans())
    sparse = draw(st.booleans())
    grid = draw(st.booleans())
    rng = np.random.default_rng(draw(seeds))
    lead = () if stationary else (H,)
    P = random_kernel(rng, lead + (S,) + actions + (S,), sparse)
    m = len(actions)
    shape = ((1,) if zero_sum else (m,)) + lead + (S,) + actions
    U = rng.integers(0, 3, size=shape) / 2.0 if grid else rng.random(shape)
    R = U / H
    if zero_sum:
        R = np.concatenate([R, 1.0 / H - R])
    mu0 = random_kernel(rng, (S,), sparse)
    return MarkovGame(P, R, mu0, H=H)


def random_product_policies(rng, g, T, sparse=True):
    out = []
    for A in g.actions:
        if sparse and rng.random() < 0.3:          # some deterministic components
            pol = np.eye(A)[rng.integers(0, A, size=(T, g.H, g.S))]
        else:
            pol = random_kernel(rng, (T, g.H, g.S, A), sparse)
        out.append(pol)
    return out


@st.composite
def games_with_mixtures(draw, max_T=3, max_S=2, max_H=3, max_players=2):
    g = draw(markov_games(max_S=max_S, max_H=max_H, max_players=max_players))
    T = draw(st.integers(1, max_T))
    rng = np.random.default_rng(draw(seeds))
    pols = random_product_policies(rng, g, T, sparse=draw(st.booleans()))
    w = random_kernel(rng, (T,), sparse=False) if draw(st.booleans()) else np.full(T, 1.0 / T)
    return g, pols, w


# =========================================================================== zero_sum_nash, badly scaled

big = st.one_of(st.floats(-1e8, 1e8, allow_nan=False),
                st.sampled_from([1e8, -1e8, 0.0, 1.0, -1.0, 1e-3, 63.0, 99999999.0, -99999999.5]))
payoff_matrices = arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=big)

#: lower = min_j (x^T A)_j = 1.0 but upper = max_i (A y)_i = 1 - 2**-53: the returned y sums to
#: 1 - 1 ulp, so the certified interval is empty and no value can lie in it.
EMPTY_INTERVAL = np.array([[63.0, -1e8, 1.0], [1.0, 1.0, 1.0]])


BADLY_SCALED = [EMPTY_INTERVAL, np.array([[1e8, -1e8], [-1e8, 1e8]]),
                np.array([[1e8, -1e8, 1e8], [-1e8, 1e8, -1e8], [1e-3, 0.0, -1e-3]]),
                np.array([[1e8, 1e8 - 1.0], [1e8 - 1.0, 1e8]]),
                np.array([[-1e8, 3e-8], [2e-8, -1e8], [1e8, -1e8]])]


def badly_scaled_payoffs(test):
    """300 derandomized payoff matrices plus the badly scaled examples above."""
    for A in reversed(BADLY_SCALED):
        test = example(A)(test)
    return settings(max_examples=300, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])(given(payoff_matrices)(test))


@badly_scaled_payoffs
def test_zero_sum_nash_value_inside_certified_interval(A):
    r = gs.zero_sum_nash(A)
    # exactly, no tolerance: the documented guarantee
    assert r.lower <= r.value <= r.upper


@badly_scaled_payoffs
def test_zero_sum_nash_matches_maxmin_lp_when_badly_scaled(A):
    r = gs.zero_sum_nash(A)
    for v, n in ((r.x, A.shape[0]), (r.y, A.shape[1])):
        assert v.shape == (n,) and np.all(v >= 0) and abs(v.sum() - 1.0) < 1e-12
    spread = float(A.max() - A.min())
    rnd = 1e-14 * max(float(np.abs(A).max()), 1.0)          # round-off of a dot product with A
    # the bounds are what they claim to be, recomputed from the returned strategies
    assert r.lower == pytest.approx(float((r.x @ A).min()), rel=0, abs=rnd)
    assert r.upper == pytest.approx(float((A @ r.y).max()), rel=0, abs=rnd)
    # up to round-off, the value lies in the certified interval
    assert r.lower - rnd <= r.value <= r.upper + rnd
    # and it is the game's value (independent maxmin LP), up to LP accuracy relative to the spread
    scale = max(spread, 1.0)
    ref = ref_maxmin((A - A.min()) / scale) * scale + A.min()
    assert abs(r.value - ref) <= 1e-7 * scale + rnd
    assert r.exploitability <= 1e-7 * scale + rnd
    assert A.min() - rnd <= r.value <= A.max() + rnd


def test_zero_sum_nash_of_scaled_matching_pennies():
    r = gs.zero_sum_nash([[1e8, -1e8], [-1e8, 1e8]])
    assert r.lower <= r.value <= r.upper
    assert abs(r.value) <= 1e-6
    np.testing.assert_allclose([*r.x, *r.y], 0.5, atol=1e-12)


# =========================================================================== zero_sum_markov_nash

def ref_shapley(g):
    P, R = game_arrays(g)
    A1, A2 = g.actions
    V = np.zeros((g.H + 1, g.S))
    for h in reversed(range(g.H)):
        for s in range(g.S):
            Q = R[0, h, s] + P[h, s] @ V[h + 1]
            V[h, s] = ref_maxmin(Q.reshape(A1, A2))
    return V


@PROPS
@given(markov_games(max_S=3, max_H=3, zero_sum=True))
def test_zero_sum_markov_nash_matches_lp_backward_induction(g):
    r = gs.zero_sum_markov_nash(g)
    V = ref_shapley(g)
    np.testing.assert_allclose(r.V, V, rtol=0, atol=1e-9)
    assert r.value == pytest.approx(float(g.mu0 @ V[0]), abs=1e-9)
    # the returned policies form an equilibrium: evaluate them and every best response by hand
    pols = [r.x[None], r.y[None]]
    vals = ref_product_values(g, pols, 0)
    assert vals[0] == pytest.approx(r.value, abs=1e-9)
    opp_of_0, _ = opponents_and_index(g, 0, pols)
    opp_of_1, _ = opponents_and_index(g, 1, pols)
    assert ref_mdp_response(g, 0, opp_of_0[0]) <= r.value + 1e-9        # player 0 cannot gain
    assert ref_mdp_response(g, 1, opp_of_1[0]) <= vals[1] + 1e-9        # nor can player 1


def test_zero_sum_markov_nash_validation():
    g = MarkovGame(np.ones((1, 2, 2, 1)), np.full((2, 1, 2, 2), 0.25), [1.0], H=2)
    # constant-sum: 0.25 + 0.25 = 0.5 = 1/H, accepted; every profile pays 0.25 per step
    assert gs.zero_sum_markov_nash(g).value == pytest.approx(0.5)
    bad = MarkovGame(np.ones((1, 2, 2, 1)), np.stack([np.eye(2)[None] * 0.5, np.zeros((1, 2, 2))]),
                     [1.0], H=2)
    with pytest.raises(ValidationError, match="constant-sum"):
        gs.zero_sum_markov_nash(bad)


# =========================================================================== markov_cce

@st.composite
def cce_cases(draw):
    g = draw(markov_games(max_S=2, max_H=3, max_players=3))
    if g.n_joint > 12:
        g = draw(markov_games(max_S=2, max_H=2, actions=(2, 2, 2)))
    return g, draw(st.sampled_from(["feasible", "welfare"]))


@FEW
@given(cce_cases())
def test_markov_cce_has_no_profitable_history_dependent_deviation(case):
    g, objective = case
    cce = gs.markov_cce(g, objective)
    X = np.asarray(cce.policy)
    assert np.all(X >= 0) and np.allclose(X.sum(axis=2), 1.0, atol=1e-12)
    vals = ref_correlated_values(g, X)
    np.testing.assert_allclose(cce.values, vals, rtol=0, atol=1e-12)
    for i in range(g.m):
        # the others' joint marginal, fresh at every step: one "opponent" with B = prod_{j != i} A_j
        others = [j for j in range(g.m) if j != i]
        Xr = X.reshape((g.H, g.S) + g.actions)
        marg = Xr.sum(axis=2 + i).reshape(g.H, g.S, -1)[None]        # (1, H, S, B), C order over others
        _, index = opponents_and_index(g, i, [np.ones((1, g.H, g.S, A)) for A in g.actions])
        assert marg.shape[-1] == int(np.prod([g.actions[j] for j in others]))
        best = ref_history_deviation(g, marg, index, i, [1.0])
        assert best <= vals[i] + 1e-9


def ref_max_welfare_cce(U):
    """Max welfare over CCEs of a normal-form game, constraints written from the definition."""
    m, acts = U.shape[0], U.shape[1:]
    profs = list(itertools.product(*map(range, acts)))
    rows = []
    for i in range(m):
        for d in range(acts[i]):
            rows.append([U[(i,) + a[:i] + (d,) + a[i + 1:]] - U[(i,) + a] for a in profs])
    welfare = [sum(U[(i,) + a] for i in range(m)) for a in profs]
    res = linprog(-np.array(welfare), A_ub=np.array(rows), b_ub=np.zeros(len(rows)),
                  A_eq=np.ones((1, len(profs))), b_eq=[1.0], bounds=(0, None), method="highs")
    assert res.status == 0
    return -float(res.fun)


@FEW
@given(st.lists(st.integers(1, 3), min_size=2, max_size=3), seeds)
def test_markov_cce_welfare_one_shot_matches_lp(acts, seed):
    U = np.random.default_rng(seed).random((len(acts),) + tuple(acts))
    g = MarkovGame.normal_form(U)
    cce = gs.markov_cce(g, "welfare")
    assert float(cce.values.sum()) == pytest.approx(ref_max_welfare_cce(U), abs=1e-8)


# =========================================================================== markov / general deviations

@PROPS
@given(games_with_mixtures(max_T=3, max_S=2, max_H=3))
def test_markov_deviation_value_matches_enumeration(case):
    g, pols, w = case
    for i in range(g.m):
        if g.actions[i] ** (g.H * g.S) > 81:
            continue
        br = gs.markov_deviation_value(g, pols, i, weights=w)
        want = ref_markov_deviation(g, pols, i, w)
        assert br.value == pytest.approx(want, abs=1e-12)
        # the returned deterministic policy attains the value
        got = ref_mixture_values(g, replace_player(pols, i, np.asarray(br.policy)), w)[i]
        assert got == pytest.approx(want, abs=1e-12)


@PROPS
@given(games_with_mixtures(max_T=3, max_S=3, max_H=3))
def test_general_deviation_value_matches_history_tree(case):
    g, pols, w = case
    for i in range(g.m):
        Opp, index = opponents_and_index(g, i, pols)
        want = ref_history_deviation(g, Opp, index, i, w)
        got = gs.general_deviation_value(g, pols, i, weights=w)
        assert got == pytest.approx(want, abs=1e-12)
        # a single opponent profile leaves an MDP: history does not help
        if len(w) == 1:
            assert got == pytest.approx(ref_mdp_response(g, i, Opp[0]), abs=1e-12)


@FEW
@given(games_with_mixtures(max_T=2, max_S=1, max_H=3, max_players=3))
def test_general_deviation_three_players_repeated(case):
    g, pols, w = case
    for i in range(g.m):
        Opp, index = opponents_and_index(g, i, pols)
        assert gs.general_deviation_value(g, pols, i, weights=w) == pytest.approx(
            ref_history_deviation(g, Opp, index, i, w), abs=1e-12)


# =========================================================================== mixture_cce_gaps

@PROPS
@given(games_with_mixtures(max_T=3, max_S=2, max_H=2))
def test_mixture_cce_gaps_against_references(case):
    g, pols, w = case
    base = ref_mixture_values(g, pols, w)
    gen = gs.mixture_cce_gaps(g, pols, "general", weights=w)
    mar = gs.mixture_cce_gaps(g, pols, "markov", weights=w)
    for i in range(g.m):
        Opp, index = opponents_and_index(g, i, pols)
        assert gen[i] == pytest.approx(ref_history_deviation(g, Opp, index, i, w) - base[i], abs=1e-12)
        assert mar[i] == pytest.approx(ref_markov_deviation(g, pols, i, w) - base[i], abs=1e-12)
    assert np.all(gen >= mar - 1e-12)               # general deviations include the Markov ones
    if len(w) == 1:
        np.testing.assert_allclose(gen, mar, atol=1e-12)


def test_mixture_cce_gaps_rejects_unknown_deviation_class():
    g = MarkovGame.normal_form(np.full((2, 2, 2), 0.5))
    pols = [np.full((1, 1, 2), 0.5)] * 2
    with pytest.raises(ValidationError, match="deviations = 'swap'"):
        gs.mixture_cce_gaps(g, pols, "swap")


# =========================================================================== stage_nash_gaps

@st.composite
def repeated_cases(draw):
    acts = tuple(draw(st.lists(st.integers(1, 3), min_size=2, max_size=3)))
    H = draw(st.integers(1, 3))
    T = draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(seeds))
    U = rng.random((len(acts),) + acts)
    g = MarkovGame.repeated(U, H)
    return g, U, random_product_policies(rng, g, T, sparse=draw(st.booleans()))


@PROPS
@given(repeated_cases())
def test_stage_nash_gaps_against_pure_deviation_loops(case):
    g, U, pols = case
    got = gs.stage_nash_gaps(g, pols)
    T = pols[0].shape[0]
    assert got.shape == (g.m, T, g.H)
    for t in range(T):
        for h in range(g.H):
            strat = [pols[j][t, h, 0] for j in range(g.m)]
            for i in range(g.m):
                own = sum(np.prod([strat[j][a[j]] for j in range(g.m)]) * U[(i,) + a]
                          for a in profiles(g.actions))
                dev = max(sum(np.prod([strat[j][a[j]] for j in range(g.m) if j != i]) * U[(i,) + a[:i] + (d,)
                                                                                      + a[i + 1:]]
                              for a in profiles(g.actions) if a[i] == 0)
                          for d in range(g.actions[i]))
                assert got[i, t, h] == pytest.approx(dev - own, abs=1e-12)
                assert got[i, t, h] >= -1e-12
