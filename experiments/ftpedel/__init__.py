r"""Claims of Wagenmaker & Pacchiano, "Leveraging Offline Data in Online Reinforcement Learning"
(ICML 2023, arXiv 2211.04974).

Specification: ``shared/papers/ftpedel_offline_online.md`` (everything reconstructed except the
abstract).  A claim package: ``tasks`` (the task function, dispatching on its learner keys),
``claims`` (the claims and their alternatives) and ``figures`` (online episodes against N_off with the
oracle prediction; samples to eps against p for the three regimes).  Bound statements live in
:mod:`rltheory.bounds.ftpedel`.
"""

from .claims import CLAIMS

__all__ = ["CLAIMS"]
