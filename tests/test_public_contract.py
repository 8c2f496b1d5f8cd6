"""The public contract of docs/design.md, exercised exactly as outside scripts use it."""

import numpy as np

import rltheory
from rltheory.envs import random_tabular
from rltheory.models import TabularMDP
from rltheory.solvers import (backward_induction, occupancy, policy_evaluation, value_iteration,
                              zero_sum_nash)


def test_contract_names_shapes_and_consistency():
    mdp = random_tabular(4, 3, 5, 0)
    assert isinstance(mdp, TabularMDP)
    assert (mdp.H, mdp.S, mdp.A) == (5, 4, 3) and mdp.P is not None and mdp.R is not None
    assert mdp.mu0.shape == (4,)
    sol = backward_induction(mdp)
    assert sol.Q.shape == (5, 4, 3) and sol.V.shape == (6, 4) and sol.policy.shape == (5, 4)
    ev = policy_evaluation(mdp, sol.policy)
    assert np.allclose(ev.V, sol.V, atol=1e-12) and ev.Q.shape == (5, 4, 3)
    d = occupancy(mdp, sol.policy)
    assert d.shape == (5, 4, 3) and np.allclose(d.sum(axis=(1, 2)), 1.0)
    P = mdp.P if mdp.P.ndim == 3 else mdp.P[0]
    R = mdp.R if mdp.R.ndim == 2 else mdp.R[0]
    vi = value_iteration(P, R, 0.9, tol=1e-10)
    assert vi.V.shape == (4,) and vi.policy.shape == (4,)
    g = zero_sum_nash(np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]]))
    assert abs(g.value) < 1e-9 and np.allclose(g.x, 1 / 3) and np.allclose(g.y, 1 / 3)
    assert issubclass(rltheory.ValidationError, ValueError)
