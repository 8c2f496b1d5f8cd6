"""Linear mixture MDPs, linear MDPs and their generators."""

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.envs.linear import linear_mixture_chain, random_linear_mdp, random_linear_mixture
from rltheory.models.linear import LinearMDP, LinearMixtureMDP, max_phi_V_norm
from rltheory.solvers import backward_induction


def _two_state():
    phi = np.zeros((2, 1, 2, 2))
    phi[:, 0, 0, 0] = 1 / np.sqrt(2)
    phi[:, 0, 1, 1] = 1 / np.sqrt(2)
    return phi, np.sqrt(2) * np.array([0.3, 0.7])


def test_mixture_kernel_and_tabular():
    phi, th = _two_state()
    m = LinearMixtureMDP(phi, th, [1.0, 0.0], H=3, R=[[0.0], [1 / 3]])
    np.testing.assert_allclose(m.P[:, 0], [[0.3, 0.7], [0.3, 0.7]])
    t = m.to_tabular()
    assert (t.H, t.S, t.A) == (3, 2, 1)
    np.testing.assert_allclose(m.phi_V([1.0, 2.0])[0, 0], [1 / np.sqrt(2), 2 / np.sqrt(2)])
    assert m.phi_V_norm == pytest.approx(1.0)
    assert m.B == pytest.approx(np.linalg.norm(th))


def test_mixture_validation():
    phi, th = _two_state()
    with pytest.raises(ValidationError, match="sum to 1"):
        LinearMixtureMDP(phi, th * 1.1, [1.0, 0.0], H=2)
    with pytest.raises(ValidationError, match="< 0"):
        LinearMixtureMDP(phi, np.sqrt(2) * np.array([1.2, -0.2]), [1.0, 0.0], H=2)
    with pytest.raises(ValidationError, match="phi_V"):
        LinearMixtureMDP(phi * np.sqrt(2), th / np.sqrt(2), [1.0, 0.0], H=2)
    with pytest.raises(ValidationError, match="B"):
        LinearMixtureMDP(phi, th, [1.0, 0.0], H=2, B=1.0)
    with pytest.raises(ValidationError, match="total reward"):
        LinearMixtureMDP(phi, th, [1.0, 0.0], H=3, R=[[0.5], [0.5]], reward_range="total")
    with pytest.raises(ValidationError, match="shape"):
        LinearMixtureMDP(phi, th[:1], [1.0, 0.0], H=2)


@pytest.mark.parametrize("seed", range(4))
def test_max_phi_V_norm_signed_basis_vs_brute_force(seed):
    rng = np.random.default_rng(seed)
    S, A, d = 5, 2, 3
    phi = rng.normal(size=(S, A, S, d))
    val, (s, a) = max_phi_V_norm(phi)
    verts = ((np.arange(2 ** S)[:, None] >> np.arange(S)) & 1).astype(float)
    brute = max(np.linalg.norm(verts @ phi[x, y], axis=1).max() for x in range(S) for y in range(A))
    assert val == pytest.approx(brute, rel=1e-12)
    # interior points never exceed the vertex maximum (convexity)
    V = rng.uniform(size=(200, S))
    assert np.linalg.norm(np.einsum("nS,xaSd->nxad", V, phi), axis=3).max() <= brute + 1e-12


def test_random_linear_mixture_rare_state():
    m = random_linear_mixture(6, 3, 4, 8, seed=1)
    rare = m.S - 1
    into = m.P[:, :, rare]
    assert into[0, m.A - 1] == pytest.approx(0.05)
    mask = np.ones_like(into, dtype=bool)
    mask[0, m.A - 1] = False
    assert np.all(into[mask] == 0)
    assert m.phi_V_norm <= 1 + 1e-12 and m.B == pytest.approx(2.0)
    m2 = random_linear_mixture(6, 3, 4, 8, seed=1)
    np.testing.assert_array_equal(m.phi, m2.phi)
    np.testing.assert_array_equal(m.theta, m2.theta)


def test_chain_optimal_value():
    n, H = 3, 6
    m = linear_mixture_chain(n, H, d=2, success=[1.0, 1.0])
    sol = backward_induction(m.to_tabular())
    # deterministic forward moves: reach the end after n-1 steps, then collect 1/H per remaining step
    assert sol.V[0, 0] == pytest.approx((H - (n - 1)) / H)
    assert np.all(sol.policy[: n - 1, :n - 1] == 0)


def test_linear_mdp():
    lm = random_linear_mdp(5, 2, 3, 4, seed=0)
    t = lm.to_tabular()
    np.testing.assert_allclose(t.P, np.einsum("sad,hdt->hsat", lm.phi, lm.mu))
    np.testing.assert_allclose(t.R, np.einsum("sad,hd->hsa", lm.phi, lm.theta_r))
    tot = random_linear_mdp(5, 2, 3, 4, seed=0, stationary=True, reward_range="total")
    assert tot.to_tabular().reward_range == "total"
    with pytest.raises(ValidationError, match=r"\|\|phi"):
        LinearMDP(lm.phi * 2, lm.mu, lm.theta_r, lm.mu0, 4)
    with pytest.raises(ValidationError, match="mu"):
        LinearMDP(lm.phi, lm.mu[:, :, ::-1] * 1.5, lm.theta_r, lm.mu0, 4)


def test_linear_mdp_with_mismatched_shapes_names_the_array():
    from rltheory.models import LinearMDP
    S, A, d, H = 3, 2, 2, 2
    phi = np.full((S, A, d), 0.5)
    mu = np.full((d, S), 1.0 / S)
    with pytest.raises(ValidationError, match=r"mu has shape \(2, 4\)"):
        LinearMDP(phi, np.full((d, S + 1), 0.2), np.zeros(d), np.ones(S) / S, H)
    with pytest.raises(ValidationError, match=r"theta_r has shape \(3,\)"):
        LinearMDP(phi, mu, np.zeros(d + 1), np.ones(S) / S, H)
