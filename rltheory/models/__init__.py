"""Immutable, validated problem descriptions (numpy arrays and a few scalars)."""

from .games import MarkovGame
from .tabular import TabularMDP

__all__ = ["TabularMDP", "MarkovGame"]
