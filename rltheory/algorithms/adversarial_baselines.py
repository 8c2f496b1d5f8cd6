r"""Baselines of the log-barrier FTRL learner for adversarial MDPs with linear Q (all reconstructed).

Dai, Luo, Wei & Zimmert, ICML 2023, arXiv 2301.12942 (specification Sections 2 and 7).  Each runs
the driver of :mod:`rltheory.algorithms.ftrl_logbarrier` (same estimator, same covariance, same
exact bonus and exact regret), changing only the FTRL step or its parameters:

* :func:`exp_weights_linear_q` -- exponential weights :math:`\pi_k(a|s) \propto
  \exp(-\eta\sum_{\tau<k}(\hat Q_\tau - B_\tau)(s,a))` with Luo, Wei & Lee 2021's :math:`K^{2/3}` tuning
  (arXiv 2107.08346, linear-Q with a simulator): the stability condition
  :math:`\eta\hat Q \ge -1` forces :math:`\eta \le \gamma/H` since :math:`|\hat Q| \le H/\gamma`;
  here :math:`\gamma = K^{-1/3}`, :math:`\eta = \gamma/(2H)` (so :math:`\eta|\hat Q| \le 1/2`),
  :math:`\beta = \eta H` [R: the paper's constants are not reconstructed];
* :func:`exp_weights_uncapped` -- exponential weights with Algorithm 1's ridge
  :math:`\gamma = K^{-1/2}` and bonus scale :math:`\beta` (:func:`~rltheory.algorithms.ftrl_logbarrier.default_parameters`)
  and a constant learning rate (default :math:`\eta = 1`), without the cap :math:`\eta \le \gamma/H`
  (the negative control of specification Section 7);
* :func:`ftrl_logbarrier_no_bonus` -- Algorithm 1 without the dilated bonus;
* :func:`uniform_play` -- the uniform policy in every episode (does not learn).
"""

from __future__ import annotations

import math

from .ftrl_logbarrier import default_parameters, ftrl_logbarrier, run_learner
from .harness import LearnerRun

__all__ = ["exp_weights_linear_q", "exp_weights_uncapped", "ftrl_logbarrier_no_bonus", "uniform_play"]


def exp_weights_linear_q(model, seed, *, cov: str = "exact", bonus: bool = True, M: int | None = None,
                         c: float = 0.5, policies_out=None) -> LearnerRun:
    r"""Exponential weights on the linear-Q estimator with the :math:`K^{2/3}` tuning (module docstring).

    Examples
    --------
    >>> from rltheory.envs.adversarial import layered_one_hot
    >>> run = exp_weights_linear_q(layered_one_hot(2, 2, 2, 27, seed=0), seed=0)
    >>> round(run.params["gamma"], 6), round(run.params["eta"], 6)
    (0.333333, 0.083333)
    """
    K, H = model.K, model.H
    gamma = K ** (-1.0 / 3.0)
    eta = gamma / (2.0 * H)
    m = int(M) if M is not None else int(math.ceil(math.log(max(K, 2)) / (c * gamma)))
    return run_learner(model, seed, rule="exp", cov=cov, eta=eta, gamma=gamma, beta=eta * H if bonus else 0.0,
                       M=m, c=c, algorithm="exp-weights-K2/3", policies_out=policies_out)


def exp_weights_uncapped(model, seed, *, eta: float = 1.0, cov: str = "exact", M: int | None = None,
                         c: float = 0.5, policies_out=None) -> LearnerRun:
    r"""Exponential weights with Algorithm 1's :math:`\gamma = K^{-1/2}` and :math:`\beta`, and a constant ``eta``
    (no :math:`\eta\le\gamma/H` cap)."""
    dp = default_parameters(model.K, model.A, model.d, model.H, c)
    gamma = dp["gamma"]
    m = int(M) if M is not None else dp["M"]
    return run_learner(model, seed, rule="exp", cov=cov, eta=float(eta), gamma=gamma, beta=dp["beta"], M=m,
                       c=c, algorithm="exp-weights-uncapped", policies_out=policies_out)


def ftrl_logbarrier_no_bonus(model, seed, **kw) -> LearnerRun:
    """Algorithm 1 without the dilated bonus (:func:`~rltheory.algorithms.ftrl_logbarrier.ftrl_logbarrier`,
    ``bonus=False``; keywords passed on)."""
    return ftrl_logbarrier(model, seed, bonus=False, **kw)


def uniform_play(model, seed, policies_out=None) -> LearnerRun:
    """The uniform policy in every episode: a learner that does not learn (regret linear in K)."""
    return run_learner(model, seed, rule="uniform", cov="exact", eta=1.0, gamma=1.0, beta=0.0,
                       algorithm="uniform", policies_out=policies_out)
