r"""Claims of Zhou, Wang & Du, "Horizon-Free and Variance-Dependent Reinforcement Learning for Latent
Markov Decision Processes" (ICML 2023, arXiv 2210.11604).

Specification: ``shared/papers/lmdp_horizon_free.md``.  A claim package: ``tasks`` (task functions,
dispatching on their learner keys), ``claims`` (the claims and their alternatives) and ``figures``
(figures that combine several claims).  Bound formulas live in :mod:`rltheory.bounds.lmdp`.
"""
