r"""Claims of Foster, Golowich & Kakade, "Hardness of Independent Learning and Sparse Equilibrium
Computation in Markov Games" (ICML 2023, PMLR 202:10188-10221, arXiv 2303.12287).

Specification: ``shared/papers/markov_games_hardness.md``.  A claim package: ``tasks`` (task
functions, dispatching on their learner keys), ``claims`` (the claims and their alternatives) and
``figures`` (figures that combine several claims).  Bound formulas live in
:mod:`rltheory.bounds.markov_games`.
"""
