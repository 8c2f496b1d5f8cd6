"""rltheory: check reinforcement-learning theorems against the machine.

Exact solvers, instance generators (including the hard instances of
lower-bound proofs), faithful algorithm implementations, and *claims*: a
paper's bound turned into an experiment, a metric and a statistical check
with a verdict.  See README.md and the notation page in ``rltheory.notation``.
"""

from ._errors import ValidationError

__version__ = "0.1.0"

__all__ = ["ValidationError", "__version__"]
