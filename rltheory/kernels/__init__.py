"""The one home of Numba kernels shared across packages; no checks, documented shapes.

Kernels here are plain ``@njit(cache=True)`` functions on float64 arrays,
callable from Python and from other kernels.  They validate nothing: the
public layer that calls them checks shapes and values once.

* :mod:`rltheory.kernels.linalg` -- fixed-order dense linear algebra (inner
  products, matrix-vector and matrix-matrix products, Gaussian elimination,
  a cyclic Jacobi symmetric eigensolver).  Nothing in it calls BLAS or LAPACK
  and nothing is compiled with ``fastmath``, so the same inputs give the same
  bits on every CPU.
* :mod:`rltheory.kernels.mdp` -- tabular MDP operators: the expectation over
  next states, the backward step (Bellman optimality), policy evaluation,
  occupancy, return moments, discounted Bellman updates and value iteration.
* :mod:`rltheory.kernels.sampling` -- inverse-CDF categorical draws, the
  environment step and the trajectory sampler of a tabular MDP.
* :mod:`rltheory.kernels.games` -- Markov-game stage operators: values and
  per-player action values of a product policy, values of many product
  policies, and the best history-dependent, Markov and Bayesian deviations
  against a mixture of Markov opponents.
"""
