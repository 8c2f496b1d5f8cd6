"""The log-barrier FTRL step: simplex, positivity, KKT stationarity and a bisection reference, on
hypothesis-generated loss vectors including very negative and very large entries; validation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rltheory import ValidationError
from rltheory.algorithms.ftrl_logbarrier import logbarrier_distribution
from rltheory.algorithms.ftrl_logbarrier_reference import logbarrier_bisection

losses = st.lists(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
                  min_size=1, max_size=16)
etas = st.floats(min_value=1e-6, max_value=1e6)


def _kkt(L, eta, p):
    r"""Stationarity of the Lagrangian: 1/(eta p_a) - L_a equals one multiplier lambda for every a; returns the
    largest deviation relative to the largest term (each 1/(eta p_a) carries one rounding of its size)."""
    lam = 1.0 / (eta * p) - L
    scale = np.max(np.abs(L - L.min())) + 1.0 / (eta * p.max())
    return float(np.max(np.abs(lam - np.median(lam)) / scale))


@settings(max_examples=300, deadline=None)
@given(losses, etas)
def test_simplex_positivity_stationarity(L, eta):
    L = np.array(L)
    p = logbarrier_distribution(L, eta)
    assert abs(p.sum() - 1.0) <= 1e-12
    assert (p > 0).all()
    assert _kkt(L, eta, p) <= 1e-12
    q = logbarrier_bisection(L, eta)
    np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-15)


@settings(max_examples=100, deadline=None)
@given(losses, etas, st.floats(min_value=-1e9, max_value=1e9))
def test_shift_invariance(L, eta, c):
    """Adding a constant to every loss leaves the distribution unchanged (FTRL on the simplex).

    The shift itself rounds each loss by up to half an ulp of ``|c| + max|L|``; a perturbation
    ``delta`` of the losses moves each ``p_a`` by at most ``2 eta p_a^2 delta <= 2 eta delta``
    (differentiate the stationarity condition ``1/(eta p_a) = L_a - lambda``), so the comparison
    allows that much on top of a relative 1e-6.
    """
    L = np.array(L)
    delta = np.finfo(float).eps * (abs(c) + np.max(np.abs(L)))
    np.testing.assert_allclose(logbarrier_distribution(L + c, eta), logbarrier_distribution(L, eta),
                               rtol=1e-6, atol=2 * eta * delta + 1e-15)


@pytest.mark.parametrize("L, eta", [([0.0, -1e8, 3.0], 1.0), ([-1e12, 1e12, 0.0, 5.0], 0.3),
                                    ([1e8] * 5, 2.0), ([0.0, 1e-14], 1e6), ([-7.0], 0.1)])
def test_extreme_entries(L, eta):
    L = np.array(L)
    p = logbarrier_distribution(L, eta)
    assert abs(p.sum() - 1.0) <= 1e-12 and (p > 0).all()
    assert _kkt(L, eta, p) <= 1e-12
    assert p.argmax() == L.argmin()


def test_closed_form_two_actions():
    r"""A = 2: p = p_1 solves 1/(eta p) - 1/(eta (1 - p)) = L_1 - L_2 = -D, i.e.
    eta D p^2 - (eta D - 2) p - 1 = 0 (root in (0, 1)); eta D = 3/2 gives p = 2/3."""
    eta, D = 0.5, 3.0
    a, b = eta * D, -(eta * D - 2)
    p1 = (-b + np.sqrt(b * b + 4 * a)) / (2 * a)
    assert p1 == pytest.approx(2 / 3, rel=1e-15)
    p = logbarrier_distribution([0.0, D], eta)
    assert p[0] == pytest.approx(p1, rel=1e-14)


def test_uniform_when_losses_equal():
    np.testing.assert_allclose(logbarrier_distribution(np.full(7, -3.5), 0.01), np.full(7, 1 / 7), rtol=1e-15)


@pytest.mark.parametrize("L, eta, match", [([], 1.0, "L is empty"), ([0.0, np.nan], 1.0, r"L\[1\]"),
                                           ([0.0, 1.0], 0.0, "eta = 0.0"), ([0.0, 1.0], -1.0, "eta = -1.0"),
                                           ([-1e308, 1e308], 1.0, "overflows"), ([[0.0]], 1.0, "dimensions")])
def test_validation(L, eta, match):
    with pytest.raises(ValidationError, match=match):
        logbarrier_distribution(L, eta)
