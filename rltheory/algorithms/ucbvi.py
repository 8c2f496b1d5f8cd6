r"""UCBVI: optimistic value iteration with Hoeffding or Bernstein–Freedman bonuses.

Azar, Osband & Munos, "Minimax Regret Bounds for Reinforcement Learning",
ICML 2017, arXiv 1703.05449 (Algorithms 1--4).

Setting
-------
Episodic tabular MDP with horizon :math:`H`, stationary transitions
:math:`P(\cdot \mid x, a)` (unknown), known mean rewards :math:`R(x,a)` in
:math:`[0,1]` (the rewards of the instance; the standard UCBVI setting), a
start distribution :math:`\mu_0`, :math:`K` episodes, :math:`T = KH` steps.
Steps are 0-based here (:math:`h = 0, \dots, H-1`; the paper's step
:math:`h` is our :math:`h-1`).

Algorithm (paper's Alg. 1 and 2)
--------------------------------
Before episode :math:`k`, with :math:`N_k(x,a,y)` the number of past
transitions :math:`(x,a) \to y`, :math:`N_k(x,a) = \sum_y N_k(x,a,y)` and
:math:`\hat P_k(y \mid x,a) = N_k(x,a,y)/N_k(x,a)`, set :math:`V_{k,H} = 0` and
for :math:`h = H-1, \dots, 0`:

.. math::

   Q_{k,h}(x,a) = \begin{cases}
     \min\bigl\{Q_{k-1,h}(x,a),\; H - h,\; R_h(x,a) + (\hat P_k V_{k,h+1})(x,a)
        + b_{k,h}(x,a)\bigr\} & N_k(x,a) > 0,\\
     H - h & N_k(x,a) = 0,\end{cases}
   \qquad V_{k,h}(x) = \max_a Q_{k,h}(x,a),

and play the greedy policy :math:`\pi_k(h, x) \in \arg\max_a Q_{k,h}(x,a)`.
Ties go to the action with the fewest visits :math:`N_k(x,a)`, then to the
lowest index.  (The paper leaves ties open.  They are exact whenever values
hit the cap, which with the literal constants is every visited pair for a
long time; a lowest-index rule would then play action 0 forever, while this
rule cycles through the actions.)  The :math:`\min` with :math:`Q_{k-1,h}`
(``monotone=True``, :math:`Q_{0,h} = H - h`) is in the paper's Alg. 2.  The
cap :math:`H - h`, the number of remaining steps, is tighter than the paper's
:math:`H` and keeps optimism (:math:`Q^*_h \le H - h`); for a total-reward
model (``reward_range="total"``) the cap is :math:`\min(H-h, 1)`.

Bonuses, with :math:`L = \ln(5 S A T / \delta)` and ``bonus_scale`` :math:`c`:

*UCBVI-CH* (Chernoff–Hoeffding, Alg. 3):

.. math:: b_{k,h}(x,a) = c \cdot 7 H L \sqrt{1 / N_k(x,a)}.

*UCBVI-BF* (Bernstein–Freedman, Alg. 4):

.. math::

   b_{k,h}(x,a) = c \Bigl[\sqrt{\frac{8 L \operatorname{Var}_{Y \sim \hat P_k(\cdot|x,a)}
       V_{k,h+1}(Y)}{N_k(x,a)}} + \frac{14 H L}{3 N_k(x,a)}
     + \sqrt{\frac{8 \sum_y \hat P_k(y|x,a) \min\bigl\{\frac{100^2 H^3 S^2 A L^2}{N'_{k,h+1}(y)},
       H^2\bigr\}}{N_k(x,a)}}\Bigr],

where :math:`N'_{k,h+1}(y)` is the number of past episodes whose state at step
:math:`h+1` was :math:`y` (the :math:`\min` is :math:`H^2` when it is 0).  The
last term corrects for using :math:`V_{k,h+1}` instead of :math:`V^*_{h+1}` in
the variance; at the last step :math:`V_{k,H} = V^*_H = 0`, so it is 0 there.

Constants (:class:`BonusConstants`): 7 (CH) and 8, 14/3, 8, :math:`100^2` (BF)
are the paper's values as we reconstruct them; they are parameters, and
``bonus_scale`` multiplies the whole bonus.  The literal CH bonus exceeds
:math:`H` until :math:`N > 49 L^2` (tens of thousands of visits per pair), so
at laptop scale UCBVI-CH explores uniformly for most of the run; a
``bonus_scale < 1`` keeps the algorithm's form but not the paper's
high-probability guarantee (record the scale with the results; the claims in
``experiments/ucbvi.py`` sweep it over :math:`\{0.01, 0.1, 1\}`).

Step-dependent instances
------------------------
When the true kernel is step-dependent (``mdp.P`` of shape ``(H, S, A, S)``)
the learner keeps per-step counts :math:`N_{k,h}(x,a,y)` and uses them in
place of :math:`N_k` in every formula above (the model then has :math:`H`
times more parameters and the regret bound picks up the corresponding factor).

Regret
------
The policy array :math:`\pi_k` is what the harness evaluates: the expected
regret :math:`V^*(\mu_0) - V^{\pi_k}(\mu_0)` of every episode is computed
exactly inside the Numba loop (see :mod:`rltheory.algorithms.harness`);
``record_policies=True`` also returns the :math:`(K, H, S)` policies.

Fidelity: ``reconstructed`` -- Algorithms 1--4 and their constants follow the
paper's structure and a third-party restatement, not re-checked line by line
against the paper's text (the BF inner constant may be :math:`84^2` in one
version; it is a parameter); the choice of cap (:math:`H-h`) and the zero correction term
at the last step are design choices stated above.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .._errors import ValidationError
from ..models import TabularMDP
from . import tabular_learners as tl
from .harness import LearnerRun

__all__ = ["ucbvi", "BonusConstants", "BONUSES"]

BONUSES = ("hoeffding", "bernstein")


@dataclass(frozen=True)
class BonusConstants:
    r"""Numerical constants of the UCBVI bonuses (defaults: Azar et al. 2017, Alg. 3 and 4).

    Attributes
    ----------
    hoeffding : float
        :math:`c` in :math:`c\,HL\sqrt{1/N}` (paper: 7).
    var : float
        :math:`c` in :math:`\sqrt{c\,L\,\widehat{\mathrm{Var}}/N}` (paper: 8).
    lin : float
        :math:`c` in :math:`c\,HL/N` (paper: 14/3).
    corr : float
        Outer :math:`c` of the correction term
        :math:`\sqrt{c \sum_y \hat P(y) \min\{\dots\}/N}` (paper: 8).
    corr_inner : float
        :math:`c` in :math:`\min\{c H^3 S^2 A L^2 / N', H^2\}` (paper: :math:`100^2`).
    """

    hoeffding: float = 7.0
    var: float = 8.0
    lin: float = 14.0 / 3.0
    corr: float = 8.0
    corr_inner: float = 100.0 ** 2

    def as_array(self, bonus_scale: float) -> np.ndarray:
        """The constants as the array the episode driver reads (indices ``tabular_learners.C_*``)."""
        out = np.empty(tl.N_CONSTS)
        out[tl.C_HOEFFDING] = self.hoeffding
        out[tl.C_VAR] = self.var
        out[tl.C_LIN] = self.lin
        out[tl.C_CORR] = self.corr
        out[tl.C_CORR_INNER] = self.corr_inner
        out[tl.C_SCALE] = bonus_scale
        for nm, v in asdict(self).items():
            if not np.isfinite(v) or v < 0:
                raise ValidationError(f"constants.{nm} = {v!r} (rule: finite and >= 0)")
        return out


def ucbvi(mdp: TabularMDP, K: int, seed, *, bonus: str = "hoeffding", delta: float = 0.1,
          bonus_scale: float = 1.0, reward_noise: str | None = None,
          constants: BonusConstants = BonusConstants(), monotone: bool = True,
          record_policies: bool = False) -> LearnerRun:
    r"""Run UCBVI (Azar, Osband & Munos 2017) for ``K`` episodes on ``mdp``.

    The algorithm and its bonuses are stated in the module docstring.

    Parameters
    ----------
    mdp : TabularMDP
        The true instance; the learner sees its mean rewards ``R`` (known
        rewards) and samples of its transitions.
    K : int, >= 1
        Number of episodes; :math:`T = KH` enters :math:`L = \ln(5SAT/\delta)`.
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Same seed ⇒ bit-identical arrays.
    bonus : {"hoeffding", "bernstein"}
        UCBVI-CH (Alg. 3) or UCBVI-BF (Alg. 4).
    delta : float in (0, 1)
        Confidence parameter.
    bonus_scale : float, >= 0
        Multiplies the bonus (1.0 = the paper's bonus).  At laptop scale the
        paper's constant is vacuous: :math:`7HL/\sqrt N` exceeds the value range
        until :math:`N \approx 49L^2` visits per pair (about :math:`10^4`), so
        with ``bonus_scale=1`` the learner is still exploring uniformly after
        tens of thousands of episodes (regret 158 of a possible 200 at
        :math:`S=5, A=2, H=4, K=100`).  A smaller scale learns within the run
        but no longer guarantees optimism, so Theorem 1 does not cover it.
    reward_noise : {None, "bernoulli"}
        Realised rewards equal the means (default) or are Bernoulli(R); only
        the recorded returns depend on it (the learner uses the known means).
    constants : BonusConstants
        The bonus constants (paper's values by default).
    monotone : bool, default True
        Take the :math:`\min` with the previous episode's :math:`Q_{k-1,h}` (Alg. 2).
    record_policies : bool, default False
        Also return the :math:`(K, H, S)` int64 policies (memory :math:`8KHS` bytes).
        The policy after the last episode is always in ``final_policy``.

    Returns
    -------
    LearnerRun
        ``algorithm`` is ``"ucbvi-ch"`` or ``"ucbvi-bf"``; ``final_policy`` the greedy
        policy of the plan made from all ``K`` episodes; ``params`` holds
        ``bonus, delta, bonus_scale, L, T, constants, monotone, counts``
        (``"pooled"`` for a stationary kernel, ``"per_step"`` otherwise).

    Examples
    --------
    >>> from rltheory.envs import random_tabular
    >>> from rltheory.algorithms import ucbvi
    >>> mdp = random_tabular(5, 2, 4, seed=0)
    >>> run = ucbvi(mdp, 2000, seed=1, bonus_scale=0.01)
    >>> run.K, run.algorithm
    (2000, 'ucbvi-ch')
    >>> bool(run.average_regret(1000) < run.average_regret(0, 100))   # it learns
    True
    >>> round(float(run.cumulative_regret[-1]), 6) == round(float(run.expected_regret.sum()), 6)
    True
    """
    K = tl.check_learner_inputs(mdp, K, reward_noise)
    if bonus not in BONUSES:
        raise ValidationError(f"bonus = {bonus!r} (rule: one of {BONUSES})")
    delta = float(delta)
    if not 0.0 < delta < 1.0:
        raise ValidationError(f"delta = {delta!r} (rule: 0 < delta < 1)")
    bonus_scale = float(bonus_scale)
    if not np.isfinite(bonus_scale) or bonus_scale < 0:
        raise ValidationError(f"bonus_scale = {bonus_scale!r} (rule: finite and >= 0)")
    if not isinstance(constants, BonusConstants):
        raise ValidationError(f"constants is a {type(constants).__name__} (rule: a BonusConstants)")
    T = K * mdp.H
    L = float(np.log(5.0 * mdp.S * mdp.A * T / delta))
    mode = tl.MODE_HOEFFDING if bonus == "hoeffding" else tl.MODE_BERNSTEIN
    run = tl.run_model_based(mdp, K, seed, mode=mode, consts=constants.as_array(bonus_scale),
                             L=L, monotone=monotone, least_tried=True, reward_noise=reward_noise,
                             record_policies=record_policies)
    params = dict(bonus=bonus, delta=delta, bonus_scale=bonus_scale, L=L, T=T,
                  constants=asdict(constants), monotone=bool(monotone),
                  counts="pooled" if mdp.P4.shape[0] == 1 else "per_step",
                  reward_noise=reward_noise)
    return LearnerRun("ucbvi-ch" if bonus == "hoeffding" else "ucbvi-bf", run.regret, run.returns,
                      run.v_star, params=params, fidelity="reconstructed", policies=run.policies,
                      final_policy=run.final_policy)
