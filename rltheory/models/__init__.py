"""Immutable, validated problem descriptions (numpy arrays and a few scalars)."""

from .games import MarkovGame
from .linear import LinearMDP, LinearMixtureMDP
from .tabular import TabularMDP

__all__ = ["TabularMDP", "LinearMixtureMDP", "LinearMDP", "MarkovGame"]
