r"""Claims of Dai, Luo, Wei & Zimmert, "Refined Regret for Adversarial MDPs with Linear Function Approximation"
(ICML 2023, arXiv 2301.12942).

Specification: ``shared/papers/adversarial_linear_ftrl.md``.  A claim package: ``tasks`` (one task function,
dispatching on its learner keys), ``claims`` (the claims and their alternatives) and ``figures`` (regret
against K and against A).  Bound formulas live in :mod:`rltheory.bounds.adversarial`.  Every learner is
reconstructed; Algorithm 2's magnitude-reduced estimator is not reconstructed and no claim is made about it.
"""

from .claims import CLAIMS

__all__ = ["CLAIMS"]
