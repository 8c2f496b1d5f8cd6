r"""Exact planning, policy values, Var* and Gamma for latent MDPs.

Zhou, Wang & Du, "Horizon-Free and Variance-Dependent Reinforcement Learning
for Latent Markov Decision Processes", ICML 2023, arXiv 2210.11604
(setting: Section 3 [V]; alpha vectors, belief DP and Var*: specification
Sections 2, 3 and 6, [R]).

* :func:`lmdp_optimal_value` -- :math:`V^* = \max_\pi \sum_m w_m \mathbb E^\pi_m[\sum_h R_m(s_h,a_h)]`
  over history-dependent policies, by the DP over :math:`(h, s, b)` of
  :mod:`rltheory.kernels.belief`, memoised on the belief rounded to
  :math:`10^{-12}` (exact for the untruncated objective: the continuation
  value of the mixture depends on the history only through :math:`(h, s, b)`).
* :class:`BeliefPolicy` and :func:`lmdp_policy_value` -- a policy that plays
  :math:`\arg\max_a Q_h(s, \hat b, a)` of a planner's model (possibly
  optimistic: counts, bonuses, a cap) with the planner's filtered belief
  :math:`\hat b`; its exact value in the true LMDP by a DP over
  :math:`(h, s, b, \hat b)`.  This is how the learners of
  :mod:`rltheory.algorithms.lmdp_hf` are evaluated, so per-episode regret is
  exact.  A plain function of the history is evaluated by enumeration
  (:mod:`rltheory.solvers.latent_reference`).
* :func:`belief_update` -- :math:`b'_m \propto b_m P_m(s'|s,a)\mathbb 1[R_m(s,a)=r]`.
* :func:`lmdp_policy_variance`, :func:`var_star` -- the total one-step variance
  of the next alpha vector (specification Section 3, **reconstructed**):

  .. math:: \mathrm{Var}^\pi = \sum_m w_m \mathbb E^\pi_m\Bigl[\sum_h
            \mathbb V\bigl(P_m(\cdot|s_h,a_h), \alpha^\pi_{h+1}(m, \tau_h\circ(a_h, r_h, \cdot))\bigr)\Bigr],
            \qquad \mathrm{Var}^* = \max_\pi \mathrm{Var}^\pi

  over deterministic history-dependent policies (0 at once when every transition row and
  initial law is a point mass, else enumerated: tiny instances only; closed forms and
  brackets on the specification's Section 6 families in :mod:`rltheory.envs.latent_var_star`).
* :func:`lmdp_gamma` -- :math:`\Gamma = \max_{m,s,a} |\mathrm{supp}\,P_m(\cdot|s,a)|`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._errors import ValidationError
from .._validation import as_float_array, check_int, check_shape
from ..kernels import belief as kb
from ..models.latent import LatentMDP
from . import latent_reference as ref

__all__ = ["lmdp_optimal_value", "lmdp_policy_value", "BeliefPolicy", "belief_update",
           "lmdp_policy_variance", "var_star", "lmdp_gamma", "BONUS_KINDS", "PLANNERS"]

BONUS_KINDS = ("none", "bernstein", "hoeffding_H", "model_opt")
#: ``"exact"``: the belief DP, :math:`V = \min\{\text{cap}, \max_a Q\}` on the mixture;
#: ``"greedy_belief"``: per-context alpha vectors truncated at ``cap``, the action maximising
#: :math:`\sum_m b_m Q_m` (specification Section 6).
PLANNERS = ("exact", "greedy_belief")
_MODES = {"none": kb.MODE_EXACT, "bernstein": kb.MODE_BERNSTEIN, "hoeffding_H": kb.MODE_HOEFFDING_H,
          "model_opt": kb.MODE_MODEL_OPT}
_DEFAULT_MEMO = 1 << 12
#: Largest memo table tried (entries); a full table stops the DP and the call retries 4 times larger.
MAX_MEMO = 1 << 22


def _grow(cap: int) -> int:
    """The next memo capacity (x4) after a full table, up to :data:`MAX_MEMO` entries."""
    if cap >= MAX_MEMO:
        raise ValidationError(f"the belief DP needs more than {MAX_MEMO} memo entries (rule: exact planning "
                              "over histories is for small instances or belief-collapsing families)")
    return min(4 * cap, MAX_MEMO)


def _check_lmdp(lmdp) -> LatentMDP:
    if not isinstance(lmdp, LatentMDP):
        raise ValidationError(f"lmdp is a {type(lmdp).__name__} (rule: a LatentMDP)")
    return lmdp


def _truth(lmdp: LatentMDP) -> kb.BeliefModel:
    consts = np.zeros(kb.N_CONSTS)
    consts[kb.K_CAP] = np.inf
    return kb.belief_model(lmdp.P, lmdp.R, np.full(lmdp.R.shape, np.inf), lmdp.w, lmdp.nu, lmdp.H,
                           kb.MODE_EXACT, consts)


def lmdp_optimal_value(lmdp: LatentMDP, memo_capacity: int = _DEFAULT_MEMO) -> float:
    r"""The optimal value :math:`V^*` over history-dependent policies (a float).

    Parameters
    ----------
    lmdp : LatentMDP
    memo_capacity : int
        Initial size of the memo table; a full table stops the DP, which is
        retried with a table 4 times larger (up to :data:`MAX_MEMO`, then
        ``ValidationError``).

    Examples
    --------
    When the start state reveals the context, :math:`V^* = \sum_m w_m V^*_m(\nu_m)`:

    >>> import numpy as np
    >>> from rltheory.models import LatentMDP
    >>> from rltheory.solvers import lmdp_optimal_value
    >>> P = np.zeros((2, 3, 2, 3)); P[:, :, :, 2] = 1.0
    >>> R = np.zeros((2, 3, 2)); R[0, 0, 1] = 1.0; R[1, 1, 0] = 0.5
    >>> lmdp_optimal_value(LatentMDP(P, R, nu=[[1, 0, 0], [0, 1, 0]], w=[0.5, 0.5], H=2))
    0.75
    """
    lmdp = _check_lmdp(lmdp)
    cap = check_int(memo_capacity, "memo_capacity", minimum=2)
    tm = _truth(lmdp)
    while True:
        memo = kb.new_memo(cap, 2 + lmdp.M)
        v = kb.root_value(tm, memo)
        if memo.count[1] == 0:
            return float(v)
        cap = _grow(cap)


@dataclass(frozen=True, eq=False)
class BeliefPolicy:
    r"""The policy that plays :math:`\arg\max_a Q_h(s, \hat b, a)` of a planner's model.

    :math:`Q` is the belief DP of :mod:`rltheory.kernels.belief` on the
    planner's model ``(P, R, counts, w, nu)`` with the bonus ``bonus`` and the
    cap ``cap`` (:math:`V \leftarrow \min\{\mathrm{cap}, V\}`); :math:`\hat b`
    is the planner's belief, filtered along the history with the planner's
    model (an unknown pair, ``counts == 0``, has likelihood :math:`1/S`; an
    observation impossible under every context leaves :math:`\hat b` unchanged).
    Ties go to the lowest action index.

    Parameters
    ----------
    P : (M, S, A, S); R : (M, S, A); counts : (M, S, A), ``inf`` = known exactly,
    0 = unknown; w : (M,); nu : (M, S) -- the planner's model.
    bonus : {"none", "bernstein", "hoeffding_H", "model_opt"}
    scale, c1, c2, iota, Gamma, H_scale : float
        Bonus constants: Bernstein :math:`c[\sqrt{c_1\Gamma \mathbb V\iota/n} + c_2\Gamma\iota/n]`,
        H-scaled Hoeffding :math:`c\,H_{\mathrm{scale}}\sqrt{S\iota/n}`; ``"model_opt"``
        (model-optimistic solver, reconstructed): the next-value expectation is the maximum over the
        per-entry Bernstein box :math:`|\tilde p - \hat p| \le c[\sqrt{c_1 \hat p\,\iota/n} + c_2\iota/n]`
        on every successor, unseen ones valued at ``cap`` (:func:`rltheory.kernels.belief.bernstein_box`).
    cap : float
        Truncation of the planner's values (``inf``: none).
    planner : {"exact", "greedy_belief"}
        ``"exact"``: :math:`V_h(s,b) = \min\{\mathrm{cap}, \max_a Q_h(s,b,a)\}` (exact over
        histories for the untruncated objective); ``"greedy_belief"`` (specification Section 6):
        each node keeps per-context alpha values :math:`\alpha_m = \min\{\mathrm{cap}, Q_m\}`,
        :math:`Q_m = R_m + \beta_m + \hat P_m \alpha_{h+1}(m, \cdot)`, and picks the action
        maximising :math:`\sum_m b_m Q_m` (the bonus variance is then that of the context's own
        next alpha values).
    """

    P: np.ndarray
    R: np.ndarray
    counts: np.ndarray
    w: np.ndarray
    nu: np.ndarray
    bonus: str = "none"
    scale: float = 1.0
    c1: float = 1.0
    c2: float = 1.0
    iota: float = 1.0
    Gamma: float = 1.0
    H_scale: float = 1.0
    cap: float = float("inf")
    planner: str = "exact"
    consts: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        set_ = object.__setattr__
        P = as_float_array(self.P, "P", ndim=4)
        M, S, A = P.shape[:3]
        R = as_float_array(self.R, "R", ndim=3)
        n = np.array(self.counts, dtype=np.float64)
        w = as_float_array(self.w, "w", ndim=1)
        nu = as_float_array(self.nu, "nu", ndim=2)
        check_shape(P, "P", (M, S, A, S))
        check_shape(R, "R", (M, S, A))
        check_shape(n, "counts", (M, S, A))
        check_shape(w, "w", (M,))
        check_shape(nu, "nu", (M, S))
        if np.any(np.isnan(n)) or np.any(n < 0):
            raise ValidationError("counts has a NaN or negative entry (rule: counts >= 0, inf = known)")
        if self.bonus not in BONUS_KINDS:
            raise ValidationError(f"bonus = {self.bonus!r} (rule: one of {BONUS_KINDS})")
        if self.planner not in PLANNERS:
            raise ValidationError(f"planner = {self.planner!r} (rule: one of {PLANNERS})")
        consts = np.zeros(kb.N_CONSTS)
        for k, v in ((kb.K_SCALE, self.scale), (kb.K_C1, self.c1), (kb.K_C2, self.c2),
                     (kb.K_IOTA, self.iota), (kb.K_GAMMA, self.Gamma), (kb.K_CAP, self.cap),
                     (kb.K_H, self.H_scale)):
            consts[k] = float(v)
        consts[kb.K_GREEDY] = 1.0 if self.planner == "greedy_belief" else 0.0
        if np.any(np.isnan(consts)) or np.any(consts < 0):
            raise ValidationError(f"bonus constants {consts.tolist()} (rule: >= 0, not NaN)")
        for nm, val in (("P", P), ("R", R), ("counts", n), ("w", w), ("nu", nu), ("consts", consts)):
            val.setflags(write=False)
            set_(self, nm, val)

    @classmethod
    def optimal(cls, lmdp: LatentMDP) -> "BeliefPolicy":
        """The Bayes-optimal policy of ``lmdp`` (its own model, no bonus, no cap)."""
        lmdp = _check_lmdp(lmdp)
        return cls(lmdp.P, lmdp.R, np.full(lmdp.R.shape, np.inf), lmdp.w, lmdp.nu)

    def model(self, H: int) -> kb.BeliefModel:
        """The planner model as the kernels read it."""
        return kb.belief_model(self.P, self.R, self.counts, self.w, self.nu, int(H),
                               _MODES[self.bonus], self.consts)

    def actor(self, H: int, memo_capacity: int = _DEFAULT_MEMO):
        """``history -> action`` for ``history = (s0, a0, r0, ..., s_h)`` (plain Python use)."""
        bm = self.model(H)
        M = self.w.shape[0]
        memo = kb.new_memo(memo_capacity, 2 + M, 2 + M)

        def act(hist):
            b = np.empty(M)
            kb.initial_belief(bm, int(hist[0]), b)
            b2 = np.empty(M)
            for t in range(len(hist) // 3):
                s, a, r, s2 = hist[3 * t:3 * t + 4]
                kb.filter_belief(bm, b, int(s), int(a), float(r), int(s2), b2)
                b, b2 = b2, b
            return int(kb.plan_action(bm, memo, len(hist) // 3, int(hist[-1]), b))
        return act


def _check_policy_shape(lmdp, policy):
    if policy.P.shape != lmdp.P.shape:
        raise ValidationError(f"policy.P has shape {policy.P.shape} (rule: the LMDP's shape {lmdp.P.shape})")


def lmdp_policy_value(lmdp: LatentMDP, policy, memo_capacity: int = _DEFAULT_MEMO) -> float:
    r"""Exact value :math:`V^\pi = \sum_m w_m \mathbb E^\pi_m[\sum_h R_m(s_h, a_h)]` of ``policy``.

    Parameters
    ----------
    policy : BeliefPolicy or callable
        A :class:`BeliefPolicy` (DP over :math:`(h, s, b, \hat b)`, Numba), or a
        function ``history -> action`` with ``history = (s0, a0, r0, ..., s_h)``
        (evaluated by enumerating the observable histories; tiny instances).
    """
    lmdp = _check_lmdp(lmdp)
    if isinstance(policy, BeliefPolicy):
        _check_policy_shape(lmdp, policy)
        cap = check_int(memo_capacity, "memo_capacity", minimum=2)
        while True:
            pm = kb.new_memo(cap, 2 + lmdp.M, 2 + lmdp.M)
            jm = kb.new_memo(cap, 2 + 2 * lmdp.M)
            v = kb.policy_root_value(_truth(lmdp), policy.model(lmdp.H), pm, jm)
            if pm.count[1] == 0 and jm.count[1] == 0:
                return float(v)
            cap = _grow(cap)
    if callable(policy):
        return ref.policy_value_histories(lmdp, policy)
    raise ValidationError(f"policy is a {type(policy).__name__} (rule: a BeliefPolicy or a callable "
                          "history -> action)")


def belief_update(lmdp: LatentMDP, b, s: int, a: int, r: float, s_next: int) -> np.ndarray:
    r"""Posterior over contexts :math:`b'_m \propto b_m P_m(s'|s,a)\mathbb 1[R_m(s,a) = r]`, shape (M,).

    Raises ``ValidationError`` when ``b`` is not a distribution or the
    observation has probability 0 under ``b``.
    """
    lmdp = _check_lmdp(lmdp)
    b = as_float_array(b, "b", ndim=1)
    check_shape(b, "b", (lmdp.M,))
    if np.any(b < 0) or abs(b.sum() - 1.0) > 1e-8:
        raise ValidationError(f"b = {b.tolist()} (rule: a probability vector over the M contexts)")
    for nm, v, hi in (("s", s, lmdp.S), ("a", a, lmdp.A), ("s_next", s_next, lmdp.S)):
        v = check_int(v, nm, minimum=0)
        if v >= hi:
            raise ValidationError(f"{nm} = {v} (rule: < {hi})")
    lik = lmdp.P[:, s, a, s_next] * (lmdp.R[:, s, a] == float(r))
    post = b * lik
    if post.sum() <= 0:
        raise ValidationError(f"observation (s={s}, a={a}, r={r}, s'={s_next}) has probability 0 under b "
                              "(rule: the observation must be possible)")
    return post / post.sum()


def _as_callable(lmdp, policy):
    if isinstance(policy, BeliefPolicy):
        _check_policy_shape(lmdp, policy)
        return policy.actor(lmdp.H)
    if callable(policy):
        return policy
    raise ValidationError(f"policy is a {type(policy).__name__} (rule: a BeliefPolicy or a callable)")


def lmdp_policy_variance(lmdp: LatentMDP, policy) -> float:
    r""":math:`\mathrm{Var}^\pi` (module docstring; specification Section 3, reconstructed), exactly.

    By enumeration of the histories reachable in each context (tiny instances).
    """
    lmdp = _check_lmdp(lmdp)
    return ref.policy_variance_histories(lmdp, _as_callable(lmdp, policy))


def var_star(lmdp: LatentMDP, limit: int = 200_000) -> float:
    r""":math:`\mathrm{Var}^* = \max_\pi \mathrm{Var}^\pi` over deterministic history-dependent policies.

    Reconstructed definition (specification Section 3, [R]).  Returns 0.0 at
    once when every row ``P[m, s, a, :]`` and ``nu[m, :]`` is a point mass (the
    return is then a function of the context; see
    :func:`rltheory.envs.latent_var_star.deterministic_var_star`).  Otherwise
    by enumerating the policies (at most ``limit``; ``ValidationError``
    beyond), so for tiny instances.  Closed forms and brackets on the families
    of specification Section 6: :func:`rltheory.envs.variance_lmdp_var_star`,
    :func:`rltheory.envs.revealing_lmdp_var_star_bounds` and the exact set DP
    :func:`rltheory.envs.revealing_lmdp_var_star` (``H <= 8``),
    :func:`rltheory.envs.probe_state_lmdp_var_star_bounds`.
    """
    lmdp = _check_lmdp(lmdp)
    limit = check_int(limit, "limit", minimum=1)
    if lmdp.first_random_row() is None:
        return 0.0
    best = 0.0
    try:
        for pol in ref.enumerate_policies(lmdp, limit=limit):
            best = max(best, ref.policy_variance_histories(lmdp, pol.__getitem__))
    except ValueError as exc:
        raise ValidationError(f"{exc} (rule: var_star enumerates policies; use a smaller instance)") from None
    return float(best)


def lmdp_gamma(lmdp: LatentMDP) -> int:
    r""":math:`\Gamma = \max_{m,s,a} |\mathrm{supp}\,P_m(\cdot|s,a)|` (the paper's maximum transition degree)."""
    return int(_check_lmdp(lmdp).Gamma)
