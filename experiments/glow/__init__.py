r"""Claims of Amortila, Foster, Jiang, Sekhari & Xie, "Harnessing Density Ratios for Online Reinforcement
Learning" (ICLR 2024, arXiv 2401.09681): coverability, GLOW, H2O and HyGLOW.

Specification: ``shared/papers/glow_hyglow.md``.  A claim package: ``tasks`` (task functions,
dispatching on their learner keys), ``claims`` (the claims and their alternatives) and ``figures``.
Bound formulas live in :mod:`rltheory.bounds.glow`.
"""
