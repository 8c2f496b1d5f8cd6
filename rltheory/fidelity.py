"""Fidelity labels: how faithful an algorithm, instance or claim is to the paper it cites.

* ``"verified"``: taken from the paper's text (section, theorem or equation numbers checked);
* ``"partly"``: some pieces verified, others reconstructed;
* ``"reconstructed"``: reconstructed from the abstract, predecessor papers or design choices
  (the specifications tag such items [R]); a claim whose run scales a confidence radius or
  substitutes an oracle carries this label too.

Every learner's :class:`~rltheory.algorithms.LearnerRun` and every
:class:`~rltheory.claims.Claim` carries one, and reports repeat it beside the verdict.
"""

FIDELITY = ("verified", "partly", "reconstructed")

__all__ = ["FIDELITY"]
