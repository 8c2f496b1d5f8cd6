"""Validation and immutability of rltheory.models.TabularMDP: one test per rule.

Each invalid-input test asserts that a ValidationError is raised and that its
message names the offending array (with the index where there is one) and the
rule that was broken.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.models import TabularMDP

S, A, H = 3, 2, 4


@pytest.fixture
def arrays():
    rng = np.random.default_rng(7)
    P = rng.random((S, A, S))
    P /= P.sum(axis=-1, keepdims=True)
    R = rng.random((S, A))
    mu0 = np.array([0.2, 0.3, 0.5])
    return P, R, mu0


def raises(match_all, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        TabularMDP(*args, **kwargs)
    msg = str(info.value)
    for part in match_all:
        assert part in msg, f"{part!r} not in {msg!r}"
    return msg


def test_valid_model_builds(arrays):
    P, R, mu0 = arrays
    m = TabularMDP(P, R, mu0, H=H)
    assert (m.H, m.S, m.A) == (H, S, A)
    assert m.P4.shape == (1, S, A, S) and m.R3.shape == (1, S, A)
    assert m.stationary


# --- shapes -------------------------------------------------------------------

def test_P_wrong_last_axis(arrays):
    _, R, mu0 = arrays
    raises(["P", "has shape", "expected shape"], np.full((S, A, S + 1), 1 / (S + 1)), R, mu0, H=H)


def test_P_wrong_ndim(arrays):
    _, R, mu0 = arrays
    raises(["P", "2 dimensions", "3 or 4"], np.full((S, S), 1 / S), R, mu0, H=H)


def test_R_wrong_shape(arrays):
    P, _, mu0 = arrays
    raises(["R", "(3, 3)", "expected shape (3, 2)"], P, np.zeros((S, S)), mu0, H=H)


def test_mu0_wrong_shape(arrays):
    P, R, _ = arrays
    raises(["mu0", "(4,)", "expected shape"], P, R, np.full(S + 1, 1 / (S + 1)), H=H)


# --- finiteness ---------------------------------------------------------------

def test_P_nan(arrays):
    P, R, mu0 = arrays
    P = P.copy()
    P[1, 0, 2] = np.nan
    raises(["P[1, 0, 2]", "nan", "finite"], P, R, mu0, H=H)


def test_R_inf(arrays):
    P, R, mu0 = arrays
    R = R.copy()
    R[2, 1] = np.inf
    raises(["R[2, 1]", "inf", "finite"], P, R, mu0, H=H)


def test_mu0_nan(arrays):
    P, R, _ = arrays
    raises(["mu0[0]", "finite"], P, R, np.array([np.nan, 0.5, 0.5]), H=H)


# --- probabilities ------------------------------------------------------------

def test_P_negative_probability(arrays):
    P, R, mu0 = arrays
    P = P.copy()
    P[0, 1] = [1.1, -0.1, 0.0]
    raises(["P[0, 1, 1]", "negative", "non-negative"], P, R, mu0, H=H)


def test_P_row_not_stochastic_names_index(arrays):
    P, R, mu0 = arrays
    P = P.copy()
    P[2, 1] *= 0.9
    raises(["P[2, 1, :]", "sums to 0.9", "must sum to 1"], P, R, mu0, H=H)


def test_step_dependent_P_row_not_stochastic_names_step(arrays):
    P, R, mu0 = arrays
    P4 = np.repeat(P[None], H, axis=0)
    P4[3, 0, 1] *= 1.5
    raises(["P[3, 0, 1, :]", "must sum to 1"], P4, R, mu0)


def test_mu0_not_summing_to_one(arrays):
    P, R, _ = arrays
    raises(["mu0", "sums to 0.9", "must sum to 1"], P, R, np.array([0.2, 0.3, 0.4]), H=H)


def test_mu0_negative(arrays):
    P, R, _ = arrays
    raises(["mu0[2]", "negative"], P, R, np.array([0.6, 0.6, -0.2]), H=H)


# --- rewards ------------------------------------------------------------------

def test_reward_above_one_per_step(arrays):
    P, R, mu0 = arrays
    R = R.copy()
    R[1, 0] = 1.5
    raises(["R[1, 0]", "1.5", "per-step rewards must lie in [0, 1]"], P, R, mu0, H=H)


def test_negative_reward_per_step(arrays):
    P, R, mu0 = arrays
    R = R.copy()
    R[0, 1] = -0.25
    raises(["R[0, 1]", "-0.25", "[0, 1]"], P, R, mu0, H=H)


def test_total_reward_violation(arrays):
    P, _, mu0 = arrays
    # every trajectory collects 0.3 * H = 1.2 > 1
    raises(["R", "total reward 1.2", "total reward <= 1"], P, np.full((S, A), 0.3), mu0,
           H=H, reward_range="total")


def test_total_reward_at_the_bound_is_accepted(arrays):
    P, _, mu0 = arrays
    m = TabularMDP(P, np.full((S, A), 1.0 / H), mu0, H=H, reward_range="total")
    assert m.max_return == 1.0


def test_total_reward_counts_only_reachable_successors():
    # state 1 pays 1 per step but is unreachable from state 0, the only start state
    P = np.zeros((2, 1, 2))
    P[0, 0, 0] = 1.0
    P[1, 0, 1] = 1.0
    R = np.array([[0.25], [1.0]])
    m = TabularMDP(P, R, np.array([1.0, 0.0]), H=4, reward_range="total")
    assert m.H == 4
    raises(["total reward 1.25"], P, R, np.array([1.0, 0.0]), H=5, reward_range="total")


def test_unknown_reward_range(arrays):
    P, R, mu0 = arrays
    raises(["reward_range", "'bogus'", "one of"], P, R, mu0, H=H, reward_range="bogus")


# --- horizon ------------------------------------------------------------------

def test_H_below_one(arrays):
    P, R, mu0 = arrays
    raises(["H = 0", "H must be >= 1"], P, R, mu0, H=0)


def test_H_not_integer(arrays):
    P, R, mu0 = arrays
    raises(["H = 2.0", "integer"], P, R, mu0, H=2.0)


def test_H_missing_for_stationary_model(arrays):
    P, R, mu0 = arrays
    raises(["H is None", "give H"], P, R, mu0)


def test_H_mismatch_with_P(arrays):
    P, R, mu0 = arrays
    raises(["P has shape (3, 3, 2, 3)", "H = 4", "leading axis"],
           np.repeat(P[None], 3, axis=0), R, mu0, H=4)


def test_H_mismatch_between_P_and_R(arrays):
    P, R, mu0 = arrays
    raises(["R has shape (5, 3, 2)", "H = 4", "leading axis"],
           np.repeat(P[None], 4, axis=0), np.repeat(R[None], 5, axis=0), mu0)


def test_H_inferred_from_step_dependent_arrays(arrays):
    P, R, mu0 = arrays
    m = TabularMDP(P, np.repeat(R[None], 6, axis=0), mu0)
    assert m.H == 6 and not m.stationary
    assert m.P4.shape == (1, S, A, S) and m.R3.shape == (6, S, A)


# --- immutability -------------------------------------------------------------

def test_arrays_are_read_only(arrays):
    m = TabularMDP(*arrays, H=H)
    for name in ("P", "R", "mu0", "P4", "R3"):
        arr = getattr(m, name)
        assert not arr.flags.writeable, name
        with pytest.raises(ValueError):
            arr.flat[0] = 0.5


def test_caller_arrays_are_not_aliased(arrays):
    P, R, mu0 = (a.copy() for a in arrays)
    m = TabularMDP(P, R, mu0, H=H)
    for mine, theirs in ((m.P, P), (m.R, R), (m.mu0, mu0), (m.P4, P), (m.R3, R)):
        assert not np.shares_memory(mine, theirs)
    before = (m.P.copy(), m.R.copy(), m.mu0.copy())
    P[...] = 0.0
    R[...] = 0.0
    mu0[...] = 0.0
    assert all(np.array_equal(x, y) for x, y in zip(before, (m.P, m.R, m.mu0)))


def test_attributes_are_frozen(arrays):
    m = TabularMDP(*arrays, H=H)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.H = 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.P = np.zeros((S, A, S))


def test_integer_and_list_inputs_become_float64():
    m = TabularMDP([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], [[0, 1], [1, 0]], [1, 0], H=2)
    assert m.P.dtype == m.R.dtype == m.mu0.dtype == np.float64
