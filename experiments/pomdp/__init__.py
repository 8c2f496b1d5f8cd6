r"""Claims of Chen, Wang, Xiong, Mei & Bai, "Lower Bounds for Learning in Revealing POMDPs" (ICML 2023,
PMLR 202:5104-5161, arXiv 2302.01333).

Specification: ``shared/papers/revealing_pomdp_lower_bounds.md``.  A claim package: ``tasks`` (task
functions, dispatching on their learner keys), ``claims`` (the claims and their alternatives) and
``figures`` (figures that combine several claims).  Bound formulas live in :mod:`rltheory.bounds.pomdp`.
"""
