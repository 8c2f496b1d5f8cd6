"""Immutable, validated problem descriptions (numpy arrays and a few scalars)."""

from .tabular import TabularMDP

__all__ = ["TabularMDP"]
