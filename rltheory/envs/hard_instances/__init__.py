"""Hard instances of lower-bound proofs, one module per paper.

Each generator's docstring gives the paper, the arXiv id, the theorem and the
construction; instances whose gap shrinks with the sample size are the ones on
which minimax rates become visible (a fixed instance decays exponentially).
"""
