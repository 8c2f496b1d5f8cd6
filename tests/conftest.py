"""Shared hypothesis strategies for tabular models and policies.

Every random object is built by a ``numpy.random.Generator`` from a drawn seed
integer, so hypothesis shrinks seeds and sizes and a failing example replays
exactly.  Instances are tiny (S <= 5, A <= 3, H <= 5) to keep the property
tests fast.

Property tests draw the same examples on every run (``derandomize``): a clean clone's test run is
reproducible, and a test that should see more cases says so with a larger ``max_examples``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import settings
from hypothesis import strategies as st

from rltheory.models import TabularMDP

settings.register_profile("rltheory", derandomize=True, deadline=None)
settings.load_profile("rltheory")

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def random_kernel(rng: np.random.Generator, shape: tuple, sparse: bool) -> np.ndarray:
    """Random stochastic array along the last axis; with ``sparse`` about half the
    entries of each row are zero (the largest entry is always kept)."""
    P = rng.random(shape)
    if sparse:
        keep = rng.random(shape) < 0.5
        keep |= P == P.max(axis=-1, keepdims=True)
        P = np.where(keep, P, 0.0)
    return P / P.sum(axis=-1, keepdims=True)


def make_tabular(seed: int, S: int, A: int, H: int, stationary: bool, sparse: bool = False,
                 duplicate_action: bool = False, reward_range: str = "per_step") -> TabularMDP:
    """A random TabularMDP from ``numpy.random.default_rng(seed)``.

    ``duplicate_action`` copies action 0 onto the last action (exact ties in
    Q); ``reward_range="total"`` divides rewards by H so every trajectory
    collects at most 1.
    """
    rng = np.random.default_rng(seed)
    lead = () if stationary else (H,)
    P = random_kernel(rng, lead + (S, A, S), sparse)
    R = rng.random(lead + (S, A))
    if duplicate_action and A > 1:
        P[..., A - 1, :] = P[..., 0, :]
        R[..., A - 1] = R[..., 0]
    if reward_range == "total":
        R = R / H
    mu0 = random_kernel(rng, (S,), sparse)
    return TabularMDP(P, R, mu0, H=H, reward_range=reward_range)


@st.composite
def tabular_mdps(draw, max_S: int = 5, max_A: int = 3, max_H: int = 5, stationary=None,
                 reward_range=None):
    """Strategy for small random :class:`TabularMDP` instances.

    ``stationary`` / ``reward_range``: fixed value, or ``None`` to draw it.
    """
    S = draw(st.integers(1, max_S))
    A = draw(st.integers(1, max_A))
    H = draw(st.integers(1, max_H))
    stat = draw(st.booleans()) if stationary is None else stationary
    rr = draw(st.sampled_from(["per_step", "total"])) if reward_range is None else reward_range
    return make_tabular(draw(seeds), S, A, H, stat, sparse=draw(st.booleans()),
                        duplicate_action=draw(st.booleans()), reward_range=rr)


def random_policy(rng: np.random.Generator, H: int, S: int, A: int, kind: str) -> np.ndarray:
    """A deterministic ``int64 (H, S)`` or stochastic ``float (H, S, A)`` policy
    (stochastic ones have some exact zeros)."""
    if kind == "deterministic":
        return rng.integers(0, A, size=(H, S))
    return random_kernel(rng, (H, S, A), sparse=True)


@st.composite
def mdp_and_policy(draw, kind=None, **mdp_kwargs):
    """Strategy for ``(mdp, policy)``; ``kind`` in {"deterministic", "stochastic", None}."""
    mdp = draw(tabular_mdps(**mdp_kwargs))
    k = draw(st.sampled_from(["deterministic", "stochastic"])) if kind is None else kind
    rng = np.random.default_rng(draw(seeds))
    return mdp, random_policy(rng, mdp.H, mdp.S, mdp.A, k)


@st.composite
def discounted_models(draw, max_S: int = 5, max_A: int = 3, gammas=None):
    """Strategy for ``(P (S,A,S), R (S,A), gamma)`` of a random discounted MDP.

    Rewards are uniform on [-1, 1]; ``gamma`` is drawn from ``gammas`` (default
    a fixed list including 0).
    """
    S = draw(st.integers(1, max_S))
    A = draw(st.integers(1, max_A))
    gamma = draw(st.sampled_from(gammas or [0.0, 0.3, 0.7, 0.9, 0.99]))
    rng = np.random.default_rng(draw(seeds))
    P = random_kernel(rng, (S, A, S), draw(st.booleans()))
    R = rng.uniform(-1.0, 1.0, size=(S, A))
    return P, R, gamma


@pytest.fixture
def rng():
    """A fixed-seed Generator for example-based tests."""
    return np.random.default_rng(20240601)
