"""The one exception type rltheory raises for bad input."""


class ValidationError(ValueError):
    """Invalid input to an rltheory model, solver, generator or learner.

    The message names the array, the offending index (where there is one) and
    the rule that was broken, e.g.
    ``P[2, 0, 1, :] sums to 0.93 (rule: rows of P must sum to 1 within 1e-08)``.
    """
