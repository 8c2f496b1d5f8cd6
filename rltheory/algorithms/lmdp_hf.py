r"""Horizon-free, variance-dependent learning in latent MDPs (**reconstructed**), and its baselines.

Zhou, Wang & Du, "Horizon-Free and Variance-Dependent Reinforcement Learning
for Latent Markov Decision Processes", ICML 2023, arXiv 2210.11604.
Specification: ``shared/papers/lmdp_horizon_free.md``.

Setting [V]: an LMDP (:class:`rltheory.models.LatentMDP`) with deterministic
rewards, total reward at most 1, and **context in hindsight**: the context
:math:`m^k` of episode :math:`k` is revealed when the episode ends.
Regret :math:`\mathrm{Regret}(K) = \sum_k (V^* - V^{\pi_k})` with :math:`V^*`
the optimum over history-dependent policies.

Framework [V outline, R details; specification Section 4]
----------------------------------------------------------
Hindsight counts :math:`N_m(s,a,s')` pooled over steps (the contexts are
stationary), :math:`N_m(s,a)`, start counts :math:`N_{0,m}(s)`, context counts
:math:`N_m`.  The planner's model is a *snapshot*: :math:`\hat P_m(\cdot|s,a) = N_m(s,a,\cdot)/N_m(s,a)`,
the count :math:`n_m(s,a)` and the observed (deterministic) reward
:math:`\hat R_m(s,a)` are refreshed only when :math:`N_m(s,a)` reaches a power of
2 (the doubling schedule of MVP, Zhang, Ji & Du 2021; ``doubling=False``
refreshes after every visit, an ablation); :math:`\hat w_m = (N_m + 1)/(k + M)`
and :math:`\hat\nu_m = N_{0,m}/N_m` (uniform while unseen) are refreshed when
the episode count :math:`k` reaches a power of 2 (the paper may treat
:math:`w, \nu` as known; they are estimated here, specification Section 9).
An unvisited pair is unknown: its context contributes the cap 1 to the
optimistic value.

Solver (value-optimistic, ``bonus="bernstein"``) [R]: the policy of episode
:math:`k` is the belief policy (:class:`rltheory.solvers.BeliefPolicy`) of
the optimistic belief DP (:mod:`rltheory.kernels.belief`) on the snapshot,

.. math::

   Q_h(s, b, a) = \sum_m b_m\bigl(\hat R_m(s,a) + \beta_m(s,a)\bigr)
      + \sum_{g, s'} \hat p_g(s') V_{h+1}(s', b^{g,s'}),\quad
   V_h(s,b) = \min\{1, \max_a Q_h(s,b,a)\},

   \beta_m(s,a) = c\,\Bigl[\sqrt{\frac{c_1\,\Gamma\,\mathbb V_m\,\iota}{n_m(s,a)}} + \frac{c_2\,\Gamma\,\iota}{n_m(s,a)}\Bigr],
   \qquad \iota = 2\ln(2 M S A H K / \delta),

with :math:`\mathbb V_m` the variance under :math:`\hat P_m(\cdot|s,a)` of the next
optimistic values.  Differences from the specification's plausible form, all
[R]: with ``planner="exact"`` (default) the truncation :math:`\min\{1, \cdot\}`
is applied to the belief-mixture value rather than to each context's alpha
vector (the per-context truncation makes the choice at a node a Pareto
problem; the mixture cap keeps optimism, since :math:`V^*_h \le 1`, and keeps
the planner an exact belief DP), and the variance is that of the next *belief*
values (equal to the alpha vectors' once the belief has collapsed);
``planner="greedy_belief"`` is the specification's substitute: per-context
alpha vectors truncated at 1, the action maximising :math:`\sum_m b_m Q_m`, the
variance of the context's own next alpha values.  Constants: :math:`c_1 = 2`
(Bernstein's :math:`\sqrt{2 \mathbb V \iota / n}`), :math:`c_2 = 7/3` (empirical
Bernstein, Maurer & Pontil 2009); the paper's are unknown and larger (MVP's are
10--60), so ``bonus_scale`` :math:`c` scales the whole bonus.

Solver (model-optimistic, ``solver="model_opt"``) [R]: the specification's
second instance of the framework.  Per (m, s, a) with :math:`n = n_m(s,a) > 0`
the per-entry Bernstein box

.. math::

   \mathcal B_m(s,a) = \bigl\{\tilde p \in \Delta_S :
      |\tilde p(s') - \hat P_m(s'|s,a)| \le c\,[\sqrt{c_1 \hat P_m(s'|s,a)\,\iota/n} + c_2\,\iota/n]\bigr\}

(:func:`rltheory.kernels.belief.bernstein_box`; the specification's
:math:`\sqrt{2\hat P\iota/n} + c\,\iota/n` at :math:`c_1 = 2`, :math:`c_2 = c`, scaled by
``bonus_scale``).  Support rule [R]: every successor is boxed, an unseen one
(:math:`\hat P_m(s'|s,a) = 0`) in :math:`[0, c\,c_2\iota/n]`, and valued, like a seen one, by
the planner's own DP: a state never reached has only unvisited pairs and so the
cap 1, a state known from elsewhere its optimistic value there, and nothing
after the last step (the belief at an unseen successor is the posterior after
the reward alone, the box treating the transition as uninformative).  The
specification's "support restricted as in :math:`\hat P`" is not used: after a
first visit with one observed successor it makes the set a point, which does
not cover a two-point law and gives no optimism (on the revealing family it
locked runs onto the bad action).  The paper's solver returns the joint
argmax over (history-dependent policy, :math:`\tilde P` in the set), a
non-convex problem since the belief depends on :math:`\tilde P`.  The
tractable reading implemented here (**reconstructed**, recorded in
``params["solver"]``): per-context optimistic alpha vectors

.. math::

   \alpha_m(\tau, a) = \min\Bigl\{1,\ \hat R_m(s,a) + \max_{\tilde p \in \mathcal B_m(s,a)}
      \sum_{s'} \tilde p(s')\,\alpha_m(\tau a s')\Bigr\},

the inner maximum exact (:func:`rltheory.kernels.belief.box_max`: greedy fill in
decreasing order of the next alpha values), and the action at each node
greedy in the planner's belief computed with the empirical model,
:math:`\arg\max_a \sum_m \hat b_m(\tau) \alpha_m(\tau, a)` -- the greedy-belief
planner (``planner="greedy_belief"``, the default for this solver) with the
box maximum in place of mean plus bonus.  The optimistic model is chosen per
context and per node, not jointly with the belief.  With ``planner="exact"``
the box maximum acts on the belief-mixture next values instead (the cap on
the mixture), a variant.  The policy is a :class:`rltheory.solvers.BeliefPolicy`
(``bonus="model_opt"``), so regret stays exact.

Baselines
---------
* ``bonus="hoeffding_H"``: the same learner with an L-UCRL-style Hoeffding
  bonus on the per-step reward scale, :math:`\beta = c\,H\sqrt{S \iota / n}`
  (specification Section 8, negative control of the horizon check);
* ``bonus="none"``: certainty equivalence (greedy in the snapshot);
* ``hindsight=False``: the context-blind learner, which ignores the context
  revealed after each episode and pools all data into one model (a tabular
  learner run on the observed process, as a reader would try first);
* :func:`lmdp_null`: never updates, plays its first plan forever (with every
  pair unknown it is action 0 everywhere): a learner that does not learn.

Regret is exact: before each episode the planned belief policy is evaluated
in the true LMDP by the DP over :math:`(h, s, b, \hat b)`
(:func:`rltheory.solvers.lmdp_policy_value` computes the same number).
"""

from __future__ import annotations

import numpy as np

from .._errors import ValidationError
from .._random import as_generator
from .._validation import check_int
from ..kernels import belief as kb
from ..models.latent import LatentMDP
from ..solvers.latent import MAX_MEMO, PLANNERS
from . import _lmdp_kernels as lk
from .harness import LearnerRun

__all__ = ["lmdp_hf", "lmdp_null", "LMDP_BONUSES", "LMDP_SOLVERS"]

LMDP_BONUSES = ("bernstein", "hoeffding_H", "none")
#: Value-optimistic (Bernstein bonus) or model-optimistic (Bernstein box) solver.
LMDP_SOLVERS = ("value_opt", "model_opt")
_NAMES = {"bernstein": "lmdp-hf", "hoeffding_H": "lmdp-hoeffding-H", "none": "lmdp-greedy"}
_MODES = {"bernstein": kb.MODE_BERNSTEIN, "hoeffding_H": kb.MODE_HOEFFDING_H, "none": kb.MODE_EXACT}


def _positive(x, name, allow_zero=True):
    x = float(x)
    if not np.isfinite(x) or x < 0 or (x == 0 and not allow_zero):
        raise ValidationError(f"{name} = {x!r} (rule: finite and {'>=' if allow_zero else '>'} 0)")
    return x


def _truth(lmdp):
    consts = np.zeros(kb.N_CONSTS)
    consts[kb.K_CAP] = np.inf
    return kb.belief_model(lmdp.P, lmdp.R, np.full(lmdp.R.shape, np.inf), lmdp.w, lmdp.nu, lmdp.H,
                           kb.MODE_EXACT, consts)


def _run(lmdp, K, seed, bonus, learn, consts_in, doubling, memo_capacity, name, solver="value_opt",
         hindsight=True):
    if not isinstance(lmdp, LatentMDP):
        raise ValidationError(f"lmdp is a {type(lmdp).__name__} (rule: a LatentMDP)")
    K = check_int(K, "K")
    if bonus not in LMDP_BONUSES:
        raise ValidationError(f"bonus = {bonus!r} (rule: one of {LMDP_BONUSES})")
    if solver not in LMDP_SOLVERS:
        raise ValidationError(f"solver = {solver!r} (rule: one of {LMDP_SOLVERS})")
    if solver == "model_opt" and bonus != "bernstein":
        raise ValidationError(f"solver = 'model_opt' with bonus = {bonus!r} (rule: the model-optimistic "
                              "solver takes the Bernstein box, bonus = 'bernstein')")
    bonus_scale, c1, c2, delta, planner = consts_in
    if planner is None:
        planner = "greedy_belief" if solver == "model_opt" else "exact"
    delta = float(delta)
    if not 0.0 < delta < 1.0:
        raise ValidationError(f"delta = {delta!r} (rule: 0 < delta < 1)")
    bonus_scale, c1, c2 = (_positive(v, nm) for v, nm in ((bonus_scale, "bonus_scale"), (c1, "c1"), (c2, "c2")))
    if planner not in PLANNERS:
        raise ValidationError(f"planner = {planner!r} (rule: one of {PLANNERS})")
    cap = check_int(memo_capacity, "memo_capacity", minimum=16)
    rng = as_generator(seed)
    M, S, A, H = lmdp.M, lmdp.S, lmdp.A, lmdp.H
    iota = 2.0 * float(np.log(2.0 * M * S * A * H * K / delta))
    consts = np.zeros(kb.N_CONSTS)
    consts[kb.K_SCALE], consts[kb.K_C1], consts[kb.K_C2] = bonus_scale, c1, c2
    consts[kb.K_IOTA], consts[kb.K_GAMMA], consts[kb.K_CAP], consts[kb.K_H] = iota, lmdp.Gamma, 1.0, H
    consts[kb.K_GREEDY] = 1.0 if planner == "greedy_belief" else 0.0
    state = rng.bit_generator.state              # a full memo table reruns with the same draws
    while True:
        mode = kb.MODE_MODEL_OPT if solver == "model_opt" else _MODES[bonus]
        bm = kb.belief_model(np.full((M, S, A, S), 1.0 / S), np.zeros((M, S, A)), np.zeros((M, S, A)),
                             np.full(M, 1.0 / M), np.full((M, S), 1.0 / S), H, mode, consts)
        memos = (kb.new_memo(cap, 2 + M), kb.new_memo(cap, 2 + M, 2 + M), kb.new_memo(cap, 2 + 2 * M))
        regret, returns = np.zeros(K), np.zeros(K)
        v_star, n_plans = lk.run_episodes(_truth(lmdp), bm, lk.new_counts(M, S, A), memos, K, learn,
                                          bool(doubling), bool(hindsight), rng, regret, returns)
        if n_plans >= 0:
            break
        if cap >= MAX_MEMO:
            raise ValidationError(f"the belief DP needs more than {MAX_MEMO} memo entries (rule: exact "
                                  "planning over histories is for small instances or belief-collapsing families)")
        cap = min(4 * cap, MAX_MEMO)
        rng.bit_generator.state = state
    params = {"bonus": bonus if learn else "frozen", "bonus_scale": bonus_scale, "c1": c1, "c2": c2,
              "delta": delta, "iota": iota, "Gamma": lmdp.Gamma, "doubling": bool(doubling),
              "planner": planner, "solver": solver, "n_plans": int(n_plans), "hindsight": bool(hindsight),
              "memo_capacity": int(cap),
              "w_nu": "estimated from hindsight counts"}
    return LearnerRun(name, regret, returns, v_star, params=params, fidelity="reconstructed")


def lmdp_hf(lmdp: LatentMDP, K: int, seed, *, bonus: str = "bernstein", bonus_scale: float = 1.0,
            c1: float = 2.0, c2: float = 7.0 / 3.0, delta: float = 0.1, doubling: bool = True,
            planner: str | None = None, memo_capacity: int = 1 << 14, solver: str = "value_opt",
            hindsight: bool = True) -> LearnerRun:
    r"""Run the LMDP learner (module docstring) for ``K`` episodes on ``lmdp``.

    Parameters
    ----------
    lmdp : LatentMDP
        The true instance; the learner sees states, actions, rewards and, after
        each episode, the context.
    K : int
    seed : int, SeedSequence or Generator
        Same seed ⇒ bit-identical runs.
    bonus : {"bernstein", "hoeffding_H", "none"}
        The value-optimistic Bernstein bonus (the paper's learner, reconstructed),
        the H-scaled Hoeffding bonus (negative control) or none (greedy).
        ``solver="model_opt"`` takes ``"bernstein"`` only (its Bernstein box).
    bonus_scale, c1, c2, delta : float
        :math:`c`, :math:`c_1`, :math:`c_2` and :math:`\delta` of the bonus (of the box widths
        :math:`c[\sqrt{c_1 \hat p\,\iota/n} + c_2\iota/n]` for ``solver="model_opt"``).
    doubling : bool
        Refresh the model at powers of 2 of the counts (default) or after every episode.
    planner : {"exact", "greedy_belief"} or None
        The belief DP with the cap on the mixture value, or the specification's
        greedy-belief substitute with per-context truncated alpha vectors
        (:class:`rltheory.solvers.BeliefPolicy`); recorded in ``params["planner"]``.
        None (default): ``"exact"`` for ``solver="value_opt"``, ``"greedy_belief"`` for
        ``solver="model_opt"``.
    memo_capacity : int
        Initial size of each memo table; when one fills up the run restarts with tables 4 times
        larger and the same random draws (the size used is ``params["memo_capacity"]``).
    solver : {"value_opt", "model_opt"}
        The value-optimistic solver (default) or the model-optimistic solver (module docstring,
        reconstructed); recorded in ``params["solver"]``.
    hindsight : bool
        Use the context revealed after each episode (default, the paper's setting). ``False`` is the
        context-blind baseline: every episode is recorded under context 0, so the data of all contexts
        are pooled into one model and the planner cannot tell the contexts apart (name suffix
        ``-context-blind``); recorded in ``params["hindsight"]``.

    Returns
    -------
    LearnerRun
        ``algorithm`` ``"lmdp-hf"``, ``"lmdp-hf-model-opt"``, ``"lmdp-hoeffding-H"`` or ``"lmdp-greedy"``;
        ``fidelity="reconstructed"``; ``params`` records the bonus, constants,
        :math:`\iota`, ``planner``, ``solver`` and the number of plans.

    Examples
    --------
    >>> from rltheory.envs import revealing_lmdp
    >>> from rltheory.algorithms import lmdp_hf
    >>> run = lmdp_hf(revealing_lmdp(2, 2, 4), 300, seed=0, bonus_scale=0.05)
    >>> run.algorithm, run.K, run.fidelity
    ('lmdp-hf', 300, 'reconstructed')
    >>> bool(run.average_regret(200) < run.average_regret(0, 20))   # it learns
    True
    """
    name = ("lmdp-hf-model-opt" if solver == "model_opt" else _NAMES.get(bonus, "")) + (
        "" if hindsight else "-context-blind")
    return _run(lmdp, K, seed, bonus, True, (bonus_scale, c1, c2, delta, planner), doubling, memo_capacity,
                name, solver, hindsight)


def lmdp_null(lmdp: LatentMDP, K: int, seed, *, memo_capacity: int = 1 << 14) -> LearnerRun:
    """The learner that does not learn: its first plan (every pair unknown: action 0) for ``K`` episodes."""
    return _run(lmdp, K, seed, "none", False, (1.0, 2.0, 7.0 / 3.0, 0.1, "exact"), True, memo_capacity,
                "lmdp-null")
