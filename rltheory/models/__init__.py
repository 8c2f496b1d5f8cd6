"""Immutable, validated problem descriptions (numpy arrays and a few scalars)."""

from .games import MarkovGame
from .linear import LinearMDP, LinearMixtureMDP
from .tabular import TabularMDP
from .pomdp import POMDP
from .latent import LatentMDP, to_tabular
from .adversarial import AdversarialMDP

__all__ = ["TabularMDP", "LinearMixtureMDP", "LinearMDP", "MarkovGame", "POMDP", "LatentMDP", "to_tabular",
           "AdversarialMDP"]
