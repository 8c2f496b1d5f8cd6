"""The one home of Numba kernels shared across packages; no checks, documented shapes.

Kernels here are plain ``@njit(cache=True)`` functions on float64 arrays,
callable from Python and from other kernels.  They validate nothing: the
public layer that calls them checks shapes and values once.

* :mod:`rltheory.kernels.linalg` -- fixed-order dense linear algebra (inner
  products, matrix-vector and matrix-matrix products, Gaussian elimination,
  a cyclic Jacobi symmetric eigensolver).  Nothing in it calls BLAS or LAPACK
  and nothing is compiled with ``fastmath``, so the same inputs give the same
  bits on every CPU.
"""
