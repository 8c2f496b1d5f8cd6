"""Turning a user's ``seed`` into a :class:`numpy.random.Generator`.

Every generator, sampler and learner of :mod:`rltheory.envs` and
:mod:`rltheory.algorithms` accepts ``seed`` as

* an ``int`` (``>= 0``): the stream is ``Generator(PCG64(SeedSequence(seed)))``,
  i.e. ``numpy.random.default_rng(seed)``;
* a :class:`numpy.random.SeedSequence`: ``Generator(PCG64(seed))`` (how the
  runner hands each task its own stream, see :mod:`rltheory.runner.tasks`);
* a :class:`numpy.random.Generator`: used as is, and advanced by the call.

Same ``int`` or ``SeedSequence`` ⇒ bit-identical results.  numpy's global
random state is never used.
"""

from __future__ import annotations

import numpy as np

from ._errors import ValidationError


def as_generator(seed, name: str = "seed") -> np.random.Generator:
    """Return the :class:`numpy.random.Generator` described by ``seed`` (see module docstring)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return np.random.Generator(np.random.PCG64(seed))
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise ValidationError(f"{name} = {seed!r} of type {type(seed).__name__} "
                              "(rule: seed must be a non-negative int, a numpy SeedSequence "
                              "or a numpy Generator)")
    if seed < 0:
        raise ValidationError(f"{name} = {seed} (rule: an integer seed must be >= 0)")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(int(seed))))


__all__ = ["as_generator"]
