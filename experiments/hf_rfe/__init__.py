"""Claims of Zhang, Zhang & Gu, "Optimal Horizon-Free Reward-Free Exploration for Linear Mixture MDPs"
(ICML 2023, arXiv 2303.10165).

A claim package: ``tasks`` (task functions: runs on random linear mixtures and on hypercube instances, and
the exact KL of the hard pair) and ``claims`` (the claims, one per confidence-radius scale where a radius
is scaled).
"""

from .claims import CLAIMS

__all__ = ["CLAIMS"]
