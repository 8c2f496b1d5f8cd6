r"""HF-UCRL-RFE++: horizon-free reward-free exploration in linear mixture MDPs.

Junkai Zhang, Weitong Zhang, Quanquan Gu, *Optimal Horizon-Free Reward-Free
Exploration for Linear Mixture MDPs*, ICML 2023, arXiv 2303.10165.  Numbers
below follow Chapter 2 of W. Zhang's dissertation (UCLA 2024), from which our
specification was transcribed; the arXiv version numbers the same results
differently: Algorithm 4 here = Algorithm 1 of arXiv 2303.10165, HOME
(Algorithm 5) = Algorithm 2 there, Theorem 2.6.3 = Theorem 5.1, Corollary
2.6.4 = Corollary 5.2, Theorem 2.6.8 = Theorem 5.3, Lemma 2.8.7/2.8.8 =
Lemmas C.2/C.3 (appendix).  Where the two could be confused the docstrings cite
both.

Setting
-------
Episodic, time-homogeneous linear mixture MDP
:math:`P(s'|s,a) = \langle\phi(s'|s,a),\theta^*\rangle` (:class:`rltheory.models.linear.LinearMixtureMDP`),
total reward of every trajectory in [0, 1].  Exploration: :math:`K` episodes
without reward; planning: for any reward :math:`r`, return
:math:`\hat\pi_r = \arg\max_\pi V_1(s_1;\theta_K,\pi,r)` (dynamic programming in
the model :math:`\theta_K` chosen in the last exploration episode, no bonus).

Algorithm 4 (per episode :math:`k`)
-----------------------------------
1. :math:`(\pi_k,\theta_k,r_k) = \arg\max_{\pi,\ \theta\in U_k,\ r}\hat V_{k,1}(s_1;\theta,\pi,r)`
   with the trajectory-uncertainty value :math:`\hat V` of eqs. 2.6.1--2.6.2
   (the kernel ``vhat_dp`` of :mod:`rltheory.algorithms._hf_rfe_kernels`);
2. play :math:`\pi_k`; after every step regress, for both families (targets
   :math:`\hat V_{k,h+1}` and :math:`\tilde V_{k,h+1} = V_{h+1}(\cdot;\theta_k,\pi_k,r_k)`)
   and every moment level :math:`m<M`, the target :math:`V_{h+1}(s_{h+1})^{2^m}` on
   :math:`\phi_{V_{h+1}^{2^m}}(s_h,a_h)` with the HOME weights (Algorithm 5);
3. at the episode's end freeze :math:`\dot\Sigma_{k+1,m}`, refresh
   :math:`\theta_{k+1,m}` and intersect :math:`U_{k+1} = U_k \cap \{\theta:
   \|\theta - \theta_{k+1,m}\|_{\dot\Sigma_{k+1,m}} \le \beta_{k+1}\ \forall m,\ \text{both families}\}`.

Parameters (Theorem 2.6.3 / arXiv Thm 5.1)
-------------------------------------------
:math:`M = \lceil\log_2(7KH)\rceil`, :math:`\alpha = H^{-1/2}`, :math:`\gamma = d^{-1/4}`,
:math:`\lambda = d/B^2`,

.. math::

    \beta_k = 12\sqrt{d\,\eta_k\tau_k} + 30\tau_k/\gamma^2 + \sqrt\lambda B, \quad
    \eta_k = \log\Bigl(1 + \frac{kH}{\alpha^2 d\lambda}\Bigr), \quad
    \tau_k = \log\Bigl(\frac{32(\log(\gamma^2/\alpha)+1)k^2H^2}{\delta}\Bigr),

and :math:`\beta = \beta_K` in eqs. 2.6.1--2.6.2.  ``beta_scale`` :math:`c` multiplies
the concentration part: :math:`\beta_k(c) = c(12\sqrt{d\eta_k\tau_k} + 30\tau_k/\gamma^2) + \sqrt\lambda B`
[R] (the ridge-bias term :math:`\sqrt\lambda B` is not a concentration constant,
and keeping it keeps :math:`\theta^*` inside the top-level ellipsoids).  The
literal constants make every :math:`\hat V` saturate at 1 for laptop-scale
:math:`K` (specification Sec. 10); explicit-constant checks use ``beta_scale=1``.

Exploration oracle [R]
----------------------
Line 5 is an abstract computation oracle.  Substitutes (specification Sec. 8):

* rewards: a finite dictionary :math:`R_0` (:func:`exploration_dictionary`) --
  terminal state indicators :math:`r_{H}(s',\cdot) = \mathbb 1[s'=s]`, the terminal
  constant 1, a few random state-only stationary rewards in :math:`[0,1/H]`, and
  optionally the state-action indicators :math:`\mathbb 1[(s,a)]/H`; the test
  rewards of :func:`evaluation_rewards` are never in it;
* :math:`\theta`: the candidate set :math:`C_k` (centres, :math:`\pm\beta\dot\Sigma^{-1/2}e_i`
  for both families, random ellipsoid points, the previous choice) filtered by
  the stored constraints of :math:`U_k` (all of them, ``constraints="all"``, or
  only the latest episode's :math:`2M`, ``"latest"`` -- an outer approximation
  of :math:`U_k`, a documented deviation).  If no candidate is feasible the
  hat centre is used (maximised over rewards and policies) and the episode is counted in ``fallback``;
* exact ties of :math:`\hat V` (frequent while it saturates at 1) are broken
  uniformly at random, among actions in the DP and among (candidate, reward)
  pairs: any maximiser is a valid output of line 5;
* :math:`\pi`: greedy backward DP on :math:`\hat V` (heuristic).  It is *exact*
  (``oracle="exact"``) when only the action at :math:`(h=1, s_1)` can matter:
  :math:`\mu_0` is a point mass, :math:`s_1` is not reachable again, and at every
  other state all actions have the same basis row and the same dictionary
  rewards (the hypercube instance).  Then the greedy choice at :math:`s_1`
  enumerates every policy.  Exactness refers to :math:`\pi` and :math:`R_0`;
  :math:`\theta` ranges over :math:`C_k\cap U_k` in both modes.

Baseline (negative control for the horizon-free claim)
-------------------------------------------------------
:func:`ucrl_rfe_hoeffding`: the same learner with unit weights
:math:`\bar\sigma\equiv 1`, one moment level, and the horizon-dependent
Hoeffding radius of UCRL-RFE (Algorithm 2 of the dissertation,
Theorem 2.4.3): :math:`\beta = c\,H\sqrt{d\log(3(1+KH^3B^2)/\delta)} + 1`,
:math:`\lambda = B^{-2}` -- the specification's negative-control construction
(its literal pseudo-reward needs an intractable max over functions).

:func:`uniform_least_squares`: uniform exploration and least squares on the
transition (a learner without exploration bonus).

:func:`null_planner`: a learner that does not learn -- it plans in the ridge
estimate before any data, :math:`\hat\theta_0 = (\lambda I)^{-1}0 = 0`, whatever
it observed (the null alternative of the claims).

Kernel level
------------
The learner loop is a Numba driver (plan -> explore -> observe -> update) over
its state in named tuples of arrays.  For timing and tests one episode is
public: :func:`exploration_episode` (Algorithm 4, lines 7--19, and the batched
refresh) on an :class:`Instance` (:func:`kernel_instance`), the
:class:`HomeParams` of :meth:`RFEParameters.home_params`, a :class:`Regression`
state (:func:`regression_state`), a :class:`Plan` (values and policy to play)
and a :class:`Trace` (states and weights out).  No checks at this level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import numpy as np

from .._errors import ValidationError
from .._validation import as_float_array, check_int
from ..bounds.hf_rfe import check_rfe_arguments, radius_parameters
from ..curves import geometric_steps
from .._random import as_generator
from ..models.linear import LinearMixtureMDP
from . import _hf_rfe_kernels as _k
from ._hf_rfe_kernels import HomeParams, Instance, Plan, Regression, Trace, exploration_episode

__all__ = ["hf_ucrl_rfe", "ucrl_rfe_hoeffding", "uniform_least_squares", "null_planner",
           "planning_suboptimality", "theory_parameters", "hoeffding_parameters", "RFEParameters", "RFERun",
           "exploration_dictionary", "evaluation_rewards", "oracle_structure",
           "exploration_episode", "kernel_instance", "regression_state", "Instance", "HomeParams", "Regression",
           "Plan", "Trace"]

ORACLES = ("auto", "exact", "heuristic")
CONSTRAINTS = ("latest", "all")


# --------------------------------------------------------------------------- parameters

@dataclass(frozen=True)
class RFEParameters:
    r"""Parameters of one run.

    Attributes
    ----------
    weights : {"home", "unit"}
    M : int
        Number of moment levels.
    alpha, gamma, lam, B, delta, beta_scale : float
    betas : read-only array (K+2,)
        ``betas[k]`` = :math:`\beta_k` for :math:`k = 1..K+1` (``betas[0]`` unused).
    beta : float
        :math:`\beta = \beta_K` of eqs. 2.6.1--2.6.2.
    """

    weights: str
    M: int
    alpha: float
    gamma: float
    lam: float
    B: float
    delta: float
    beta_scale: float
    betas: np.ndarray = field(repr=False)
    beta: float

    def as_dict(self) -> dict:
        return {"weights": self.weights, "M": self.M, "alpha": self.alpha, "gamma": self.gamma,
                "lam": self.lam, "B": self.B, "delta": self.delta, "beta_scale": self.beta_scale,
                "beta": self.beta}

    def home_params(self) -> HomeParams:
        """The weight parameters of the kernels: ``HomeParams(M, alpha, gamma, unit)``."""
        return HomeParams(int(self.M), float(self.alpha), float(self.gamma), self.weights == "unit")


def theory_parameters(d: int, H: int, K: int, B: float, delta: float = 0.01,
                      beta_scale: float = 1.0, bias_term: bool = True) -> RFEParameters:
    r"""The parameters of Theorem 2.6.3 (arXiv Thm 5.1); see the module docstring.

    ``bias_term=False`` drops :math:`\sqrt\lambda B` from :math:`\beta_k` (not the
    paper's radius; used only by negative controls).

    Raises
    ------
    rltheory.ValidationError
        If :math:`\log(\gamma^2/\alpha) + 1 \le 0` (then :math:`\tau_k` is undefined;
        happens only for :math:`H < d e^{-2}`).
    """
    M, alpha, gamma, lam, betas = radius_parameters(d, H, K, B, delta, beta_scale, bias_term)
    B, delta, c = float(B), float(delta), float(beta_scale)
    return RFEParameters("home", M, alpha, gamma, lam, B, delta, c, betas, float(betas[K]))


def hoeffding_parameters(d: int, H: int, K: int, B: float, delta: float = 0.01,
                         beta_scale: float = 1.0) -> RFEParameters:
    r"""UCRL-RFE's Hoeffding radius (dissertation Algorithm 2, Theorem 2.4.3).

    :math:`\beta = c\,H\sqrt{d\log(3(1+KH^3B^2)/\delta)} + 1` for every :math:`k`,
    :math:`\lambda = B^{-2}`, unit weights, :math:`M = 1`.
    """
    d, H, K, B, delta, c = check_rfe_arguments(d, H, K, B, delta, beta_scale)
    beta = c * H * math.sqrt(d * math.log(3.0 * (1.0 + K * H ** 3 * B ** 2) / delta)) + 1.0
    betas = np.full(K + 2, beta)
    betas[0] = np.nan
    betas.setflags(write=False)
    return RFEParameters("unit", 1, 1.0, 1.0, 1.0 / B ** 2, B, delta, c, betas, beta)


# --------------------------------------------------------------------------- rewards

def exploration_dictionary(mdp: LinearMixtureMDP, seed, n_random: int = 2,
                           state_action: bool = False) -> np.ndarray:
    r"""The reward dictionary :math:`R_0` of the oracle, ``(n, H, S, A)`` [R].

    Terminal state indicators :math:`r_{H}(s',a) = \mathbb 1[s'=s]` (one per
    state), the terminal constant 1, ``n_random`` state-only stationary rewards
    :math:`r(s) \sim U[0,1/H]`, and with ``state_action`` the indicators
    :math:`\mathbb 1[(s,a)]/H`.  Every entry has total reward <= 1 on every
    trajectory; none is a test reward (:func:`evaluation_rewards`).
    """
    H, S, A = mdp.H, mdp.S, mdp.A
    rng = as_generator(seed)
    out = []
    for s in range(S):
        r = np.zeros((H, S, A))
        r[H - 1, s, :] = 1.0
        out.append(r)
    r = np.zeros((H, S, A))
    r[H - 1] = 1.0
    out.append(r)
    for _ in range(int(n_random)):
        rs = rng.uniform(0.0, 1.0, size=S) / H
        out.append(np.broadcast_to(rs[None, :, None], (H, S, A)).copy())
    if state_action:
        for s in range(S):
            for a in range(A):
                r = np.zeros((H, S, A))
                r[:, s, a] = 1.0 / H
                out.append(r)
    return np.ascontiguousarray(np.stack(out))


def evaluation_rewards(mdp: LinearMixtureMDP, seed, n_random: int = 20) -> tuple[np.ndarray, tuple[str, ...]]:
    r"""The battery of test rewards, ``(n, H, S, A)`` and names (specification Sec. 9).

    The instance's reward; ``n_random`` step-dependent rewards
    :math:`r_h(s,a) \sim U[0,1/H]`; for every state the late indicator
    :math:`r_h(s',a) = \mathbb 1[s'=s,\ h \ge \lfloor H/2\rfloor]/\lceil H/2\rceil`.
    All have total reward <= 1; none is in :func:`exploration_dictionary`.
    """
    H, S, A = mdp.H, mdp.S, mdp.A
    rng = as_generator(seed)
    R = np.asarray(mdp.R)
    out = [np.broadcast_to(R, (H, S, A)).copy() if R.ndim == 2 else R.copy()]
    names = ["instance"]
    for j in range(int(n_random)):
        out.append(rng.uniform(0.0, 1.0, size=(H, S, A)) / H)
        names.append(f"random{j}")
    h0 = H // 2
    for s in range(S):
        r = np.zeros((H, S, A))
        r[h0:, s, :] = 1.0 / (H - h0)
        out.append(r)
        names.append(f"late_indicator{s}")
    return np.ascontiguousarray(np.stack(out)), tuple(names)


# --------------------------------------------------------------------------- oracle structure

def _reach(mdp: LinearMixtureMDP, phi: np.ndarray) -> np.ndarray:
    """``reach[h, s]``: s can be the state at step h under some policy and some theta (support of phi)."""
    nz = np.any(phi != 0.0, axis=3)                        # (S, A, S')
    step = np.any(nz, axis=1)                                  # (S, S')
    reach = np.zeros((mdp.H, mdp.S), dtype=np.bool_)
    reach[0] = mdp.mu0 > 0
    for h in range(1, mdp.H):
        reach[h] = np.any(step[reach[h - 1]], axis=0)
    return reach


def oracle_structure(mdp: LinearMixtureMDP, R0: np.ndarray, features=None):
    r"""Representative actions, reachability and whether the policy search is exact.

    Actions :math:`a, a'` at :math:`s` are equivalent when
    :math:`\phi(\cdot|s,a) = \phi(\cdot|s,a')` and every dictionary reward agrees
    on them at every step (then they give identical :math:`V`, :math:`\hat V`).

    ``features`` (default ``mdp.phi``) is the learner's basis.

    Returns
    -------
    rep : int array (S, A); nrep : int array (S,); reach : bool array (H, S); exact : bool
        ``exact`` is True when :math:`\mu_0` is a point mass at :math:`s_1`,
        :math:`s_1` is unreachable at later steps, and every other state has a
        single equivalence class (module docstring).
    """
    S, A = mdp.S, mdp.A
    phi = mdp.phi if features is None else features
    rep = np.zeros((S, A), dtype=np.int64)
    nrep = np.zeros(S, dtype=np.int64)
    for s in range(S):
        reps = []
        for a in range(A):
            same = False
            for b in reps:
                if np.array_equal(phi[s, a], phi[s, b]) and np.array_equal(R0[:, :, s, a], R0[:, :, s, b]):
                    same = True
                    break
            if not same:
                reps.append(a)
        nrep[s] = len(reps)
        rep[s, : len(reps)] = reps
    reach = _reach(mdp, phi)
    starts = np.flatnonzero(mdp.mu0 > 0)
    exact = False
    if len(starts) == 1:
        s1 = starts[0]
        others = [s for s in range(S) if s != s1]
        exact = (not reach[1:, s1].any()) and all(nrep[s] == 1 for s in others)
    return rep, nrep, reach, exact


# --------------------------------------------------------------------------- results

@dataclass(frozen=True, eq=False)
class RFERun:
    """One reward-free exploration run.

    Attributes
    ----------
    algorithm : str
        ``"hf-ucrl-rfe++"``, ``"ucrl-rfe-hoeffding"``, ``"uniform-ls"`` or ``"null"``.
    oracle : str
        ``"exact"``, ``"heuristic"`` or ``"none"`` (no oracle).
    K : int
    steps : int array (T,)
        Episodes :math:`k` at which the planning model was logged.
    thetas : array (T, d)
        The planning model after ``steps[t]`` episodes (:math:`\\theta_k` of the
        oracle for HF-UCRL-RFE++, the least-squares estimate for uniform-ls).
    vhat1 : array (K,)
        :math:`\\hat V_{k,1}(s_1;\\theta_k,\\pi_k,r_k)` (NaN for uniform-ls).
    n_feasible, fallback : int arrays (K,)
        Feasible candidates per episode; episodes where none was feasible.
    params : mapping
    features : array (S, A, S, d)
        The basis the learner used (``mdp.phi`` unless a mis-specified basis was given).
    """

    algorithm: str
    oracle: str
    K: int
    steps: np.ndarray
    thetas: np.ndarray
    vhat1: np.ndarray
    n_feasible: np.ndarray
    fallback: np.ndarray
    params: Mapping
    features: np.ndarray = field(repr=False, default=None)

    def suboptimality(self, mdp: LinearMixtureMDP, rewards) -> np.ndarray:
        """``(T, J)`` planning suboptimality of every logged model for every reward (see :func:`planning_suboptimality`)."""
        return planning_suboptimality(mdp, self.thetas, rewards, features=self.features)


def planning_suboptimality(mdp: LinearMixtureMDP, thetas, rewards, features=None) -> np.ndarray:
    r"""Exact planning suboptimality :math:`V^*_1(\mu_0;r) - V_1(\mu_0;\theta^*,\hat\pi_r,r)`.

    :math:`\hat\pi_r` is the DP policy in the model :math:`\theta` without
    bonus (values clipped to [0,1], ties to the lowest action); both values are
    computed exactly in the true kernel.

    Parameters
    ----------
    thetas : array (T, d) or (d,)
    rewards : array (J, H, S, A) or (H, S, A)
    features : array (S, A, S, d), optional
        The basis the planner uses (default ``mdp.phi``; a mis-specified
        learner plans with its own basis, the evaluation is always in ``mdp.P``).

    Returns
    -------
    array (T, J) (or scalar shapes squeezed as given)
    """
    th = as_float_array(thetas, "thetas", ndim=(1, 2))
    single_t = th.ndim == 1
    th = np.atleast_2d(th)
    if th.shape[1] != mdp.d:
        raise ValidationError(f"thetas has shape {th.shape} (rule: (T, d) with d = {mdp.d})")
    R = as_float_array(rewards, "rewards", ndim=(3, 4))
    single_r = R.ndim == 3
    R = R[None] if single_r else R
    if R.shape[1:] != (mdp.H, mdp.S, mdp.A):
        raise ValidationError(f"rewards has shape {R.shape} (rule: (J, H, S, A) = (J, {mdp.H}, {mdp.S}, {mdp.A}))")
    out = np.zeros((th.shape[0], R.shape[0]))
    _k.suboptimality_kernel(kernel_instance(mdp, features), th, R, out)
    if single_t:
        out = out[0]
    if single_r:
        out = out[..., 0]
    return out


# --------------------------------------------------------------------------- learners

def kernel_instance(mdp: LinearMixtureMDP, features=None) -> Instance:
    r"""The kernels' view of ``mdp``: ``Instance(phi (S, A, S, d), P (S, A, S), mu0 (S,), H)``.

    ``phi`` is the basis the learner uses: ``features`` (a mis-specified basis of
    the shape of ``mdp.phi``) or ``mdp.phi``; ``P`` is the true kernel.
    """
    if features is None:
        phi = np.ascontiguousarray(mdp.phi)
    else:
        phi = as_float_array(features, "features", ndim=4)
        if phi.shape != mdp.phi.shape:
            raise ValidationError(f"features has shape {phi.shape} (rule: the shape of mdp.phi, {mdp.phi.shape})")
    return Instance(phi, np.ascontiguousarray(mdp.P), np.asarray(mdp.mu0), int(mdp.H))


def regression_state(d: int, M: int, lam: float) -> Regression:
    r"""The regression state before any sample, both families and ``M`` levels.

    ``Sig = Sd =`` :math:`\lambda I`, ``Sinv = Sdinv =`` :math:`I/\lambda` (each ``(2, M, d, d)``),
    ``b = th = 0`` (``(2, M, d)``).
    """
    Sig = np.zeros((2, M, d, d))
    Sinv = np.zeros((2, M, d, d))
    for f in range(2):
        for m in range(M):
            Sig[f, m] = np.eye(d) * lam
            Sinv[f, m] = np.eye(d) / lam
    return Regression(Sig, Sinv, Sig.copy(), Sinv.copy(), np.zeros((2, M, d)), np.zeros((2, M, d)))


def _log_mask(K, log_steps):
    steps = geometric_steps(K) if log_steps is None else np.unique(np.asarray(log_steps, dtype=np.int64))
    if steps.size == 0 or steps[0] < 1 or steps[-1] > K:
        raise ValidationError(f"log_steps = {log_steps} (rule: episodes in 1..{K})")
    mask = np.zeros(K, dtype=np.bool_)
    mask[steps - 1] = True
    return steps, mask


def _run(mdp: LinearMixtureMDP, K: int, seed, params: RFEParameters, algorithm: str, oracle: str,
         constraints: str, n_random_candidates: int, dictionary_random: int, state_action_dictionary: bool,
         log_steps, features=None) -> RFERun:
    if not isinstance(mdp, LinearMixtureMDP):
        raise ValidationError(f"mdp is {type(mdp).__name__} (rule: a LinearMixtureMDP)")
    K = check_int(K, "K", minimum=1)
    if oracle not in ORACLES:
        raise ValidationError(f"oracle = {oracle!r} (rule: one of {ORACLES})")
    if constraints not in CONSTRAINTS:
        raise ValidationError(f"constraints = {constraints!r} (rule: one of {CONSTRAINTS})")
    n_random_candidates = check_int(n_random_candidates, "n_random_candidates", minimum=0)
    rng = as_generator(seed)
    dict_rng, run_rng = rng.spawn(2)
    R0 = exploration_dictionary(mdp, dict_rng, n_random=dictionary_random,
                                state_action=state_action_dictionary)
    env = kernel_instance(mdp, features)
    rep, nrep, reach, exact = oracle_structure(mdp, R0, env.phi)
    if oracle == "exact" and not exact:
        raise ValidationError("oracle='exact' but the policy search is not exact on this instance "
                              "(rule: point-mass start, start not revisited, a single action class at "
                              "every other state; use oracle='heuristic' or 'auto')")
    label = "exact" if exact and oracle != "heuristic" else "heuristic"
    steps, mask = _log_mask(K, log_steps)
    d, M = mdp.d, params.M
    nc = K if constraints == "all" else 1
    cons = _k.Constraints(np.zeros((nc, 2, M, d)), np.zeros((nc, 2, M, d, d)), np.zeros(nc),
                          np.zeros(1, dtype=np.int64), np.full(1, -1.0), constraints == "all")  # U_1 = R^d
    log = _k.RunLog(mask, np.zeros(K), np.zeros((len(steps), d)), np.zeros((K, 2), dtype=np.int64),
                    np.zeros(K, dtype=np.int64), np.zeros(K, dtype=np.int64))
    _k.run_kernel(env, params.home_params(), _k.Oracle(R0, rep, nrep, reach, float(params.beta), n_random_candidates),
                  regression_state(d, M, params.lam), cons, log, np.asarray(params.betas), run_rng)
    theta_log, vhat1, n_feasible, fallback = log.thetas, log.vhat1, log.n_feasible, log.fallback
    info = params.as_dict()
    info.update({"constraints": constraints, "n_random_candidates": n_random_candidates,
                 "dictionary_size": int(R0.shape[0]), "oracle": label})
    for a in (steps, theta_log, vhat1, n_feasible, fallback):
        a.setflags(write=False)
    return RFERun(algorithm, label, K, steps, theta_log, vhat1, n_feasible, fallback,
                  MappingProxyType(info), env.phi)


def hf_ucrl_rfe(mdp: LinearMixtureMDP, K: int, seed, *, beta_scale: float = 1.0, delta: float = 0.01,
                B: float | None = None, oracle: str = "auto", constraints: str = "latest",
                n_random_candidates: int = 2, dictionary_random: int = 2,
                state_action_dictionary: bool = False, log_steps=None, features=None,
                bias_term: bool = True) -> RFERun:
    r"""Run HF-UCRL-RFE++ (Algorithm 4 with HOME) for ``K`` exploration episodes.

    Parameters
    ----------
    mdp : LinearMixtureMDP
        The true instance (transitions are sampled from :math:`\theta^*` only).
    K : int
        Exploration budget (also sets :math:`M` and :math:`\beta = \beta_K`).
    seed : int, SeedSequence or Generator
    beta_scale : float
        Multiplier of the concentration part of :math:`\beta_k` (module docstring).
    delta : float
        Confidence parameter of :math:`\tau_k`.
    B : float, optional
        Bound on :math:`\|\theta^*\|` (default ``mdp.B``).
    oracle : {"auto", "exact", "heuristic"}
        ``"exact"`` raises unless the policy search is exact on ``mdp``;
        ``"auto"`` labels the run by what holds.
    constraints : {"latest", "all"}
        Which constraints of :math:`U_k` the candidate filter checks.
    n_random_candidates, dictionary_random : int
    state_action_dictionary : bool
    log_steps : int array, optional
        Episodes at which :math:`\theta_k` is recorded (default geometric).
    features : array (S, A, S, d), optional
        A (mis-specified) basis for the learner; transitions still come from ``mdp.P``.
    bias_term : bool
        Keep :math:`\sqrt\lambda B` in :math:`\beta_k` (default; ``False`` only for controls).

    Returns
    -------
    RFERun
        ``oracle`` is ``"exact"`` or ``"heuristic"``.
    """
    B = mdp.B if B is None else float(B)
    params = theory_parameters(mdp.d, mdp.H, K, B, delta, beta_scale, bias_term)
    return _run(mdp, K, seed, params, "hf-ucrl-rfe++", oracle, constraints, n_random_candidates,
                dictionary_random, state_action_dictionary, log_steps, features)


def ucrl_rfe_hoeffding(mdp: LinearMixtureMDP, K: int, seed, *, beta_scale: float = 1.0,
                       delta: float = 0.01, B: float | None = None, oracle: str = "auto",
                       constraints: str = "latest", n_random_candidates: int = 2,
                       dictionary_random: int = 2, state_action_dictionary: bool = False,
                       log_steps=None, features=None) -> RFERun:
    r"""The Hoeffding baseline: unit weights, :math:`M=1`, :math:`\beta \propto H\sqrt d` (module docstring).

    Same oracle, planning and parameters as :func:`hf_ucrl_rfe` otherwise.
    """
    B = mdp.B if B is None else float(B)
    params = hoeffding_parameters(mdp.d, mdp.H, K, B, delta, beta_scale)
    return _run(mdp, K, seed, params, "ucrl-rfe-hoeffding", oracle, constraints, n_random_candidates,
                dictionary_random, state_action_dictionary, log_steps, features)


def _oracle_free_run(algorithm, K, steps, theta_log, params, phi) -> RFERun:
    """An :class:`RFERun` of a learner without oracle (no :math:`\\hat V`, no candidates)."""
    nanv = np.full(K, np.nan)
    z = np.zeros(K, dtype=np.int64)
    for a in (steps, theta_log, nanv, z):
        a.setflags(write=False)
    return RFERun(algorithm, "none", K, steps, theta_log, nanv, z, z, MappingProxyType(dict(params)), phi)


def uniform_least_squares(mdp: LinearMixtureMDP, K: int, seed, *, lam: float | None = None,
                          log_steps=None, features=None) -> RFERun:
    r"""Uniform exploration and least squares on the transition, planning in :math:`\hat\theta`.

    Every step plays a uniformly random action; :math:`\hat\theta_k =
    (\lambda I + \sum_{t}\sum_j \phi(j|s_t,a_t)\phi(j|s_t,a_t)^\top)^{-1}\sum_t\phi(s_{t+1}|s_t,a_t)`
    (regression of the indicators :math:`\mathbb 1[s_{t+1}=j]` on :math:`\phi(j|s_t,a_t)`),
    :math:`\lambda = d/B^2` by default.  ``features``: a (mis-specified) basis
    for the learner; transitions come from ``mdp.P``.
    """
    if not isinstance(mdp, LinearMixtureMDP):
        raise ValidationError(f"mdp is {type(mdp).__name__} (rule: a LinearMixtureMDP)")
    K = check_int(K, "K", minimum=1)
    lam = mdp.d / mdp.B ** 2 if lam is None else float(lam)
    if not lam > 0:
        raise ValidationError(f"lam = {lam} (rule: > 0)")
    steps, mask = _log_mask(K, log_steps)
    theta_log = np.zeros((len(steps), mdp.d))
    env = kernel_instance(mdp, features)
    _k.uniform_ls_kernel(env, lam, mask, as_generator(seed), theta_log)
    return _oracle_free_run("uniform-ls", K, steps, theta_log, {"lam": lam}, env.phi)


def null_planner(mdp: LinearMixtureMDP, K: int, *, log_steps=None, features=None) -> RFERun:
    r"""A learner that does not learn: after every episode it plans in :math:`\hat\theta_0 = 0`.

    :math:`\hat\theta_0 = (\lambda I)^{-1} \cdot 0` is the ridge estimate of every
    regression-based learner above before its first sample.  In the model
    :math:`\theta = 0` the planner's values are the clipped immediate rewards, so
    :math:`\hat\pi_r` is greedy in :math:`r` (ties to the lowest action), whatever
    :math:`K` is: its planning error does not shrink with :math:`K`.
    """
    if not isinstance(mdp, LinearMixtureMDP):
        raise ValidationError(f"mdp is {type(mdp).__name__} (rule: a LinearMixtureMDP)")
    K = check_int(K, "K", minimum=1)
    steps, _ = _log_mask(K, log_steps)
    phi = kernel_instance(mdp, features).phi
    return _oracle_free_run("null", K, steps, np.zeros((len(steps), mdp.d)), {}, phi)

