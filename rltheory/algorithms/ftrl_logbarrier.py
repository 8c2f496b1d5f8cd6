r"""Log-barrier FTRL for adversarial MDPs with linear Q (Algorithm 1), and its simulator-free variant.

Dai, Luo, Wei & Zimmert, "Refined Regret for Adversarial MDPs with Linear Function
Approximation", ICML 2023, arXiv 2301.12942.  Specification
``shared/papers/adversarial_linear_ftrl.md``.

Fidelity: **reconstructed**.  The headline exponents (:math:`\tilde O(\sqrt K)` for Algorithm 1,
:math:`\tilde O(K^{8/9})` for linear MDPs without a simulator) are verified against the abstract;
every algorithmic detail below is reconstructed from the predecessor papers (Luo, Wei & Lee 2021,
arXiv 2107.08346: linear-Q estimator, dilated bonus, simulator; Neu & Olkhovskaya 2020, arXiv
2007.01612: Matrix Geometric Resampling) with exponential weights replaced by the log-barrier,
and the tuning is a design choice of the specification (Section 6), not the paper's.
**Algorithm 2's magnitude-reduced estimator is not reconstructed** and is not implemented:
``loss_estimator`` accepts only ``"linear-q"``.  The estimator that replaces MGR in the paper's
simulator-free algorithm is not reconstructed either; :func:`ftrl_linear_mdp` is a plain
epoch-based substitute (documented below), a sanity check of the :math:`K^{8/9}` rate only.

Algorithm 1 (as reconstructed)
------------------------------
Steps :math:`h = 0..H-1`, features :math:`\phi(s,a)\in\mathbb R^d`.  Before episode :math:`k`, at
every step and state,

.. math::

    \pi_k(\cdot|s) = \arg\min_{p\in\Delta_A} \Bigl\langle p, \sum_{\tau<k}\hat Q_\tau(s,\cdot) - B_\tau(s,\cdot)\Bigr\rangle
      + \frac1\eta\sum_a \ln\frac1{p_a}

(:func:`logbarrier_distribution`).  After playing :math:`\pi_k` and observing the bandit losses,
with :math:`L_{k,h} = \sum_{h'\ge h}\ell_k(s_{k,h'},a_{k,h'})`,

.. math::

    \hat Q_{k,h}(s,a) = \phi(s,a)^\top\hat\Sigma^+_{k,h}\phi(s_{k,h},a_{k,h})L_{k,h}, \qquad
    b_{k,h}(s,a) = \beta\bigl(\|\phi(s,a)\|^2_{\hat\Sigma^+_{k,h}} + E_{a'\sim\pi_k(s)}\|\phi(s,a')\|^2_{\hat\Sigma^+_{k,h}}\bigr),

    B_{k,h}(s,a) = b_{k,h}(s,a) + (1 + 1/H)\,E_{s'\sim P_h(s,a),\,a'\sim\pi_k(s')}B_{k,h+1}(s',a').

:math:`\hat\Sigma^+_{k,h}` estimates :math:`(\gamma I + \Sigma_{k,h})^{-1}`,
:math:`\Sigma_{k,h} = E_{s\sim d^{\pi_k}_h}\sum_a\pi_k(a|s)\phi(s,a)\phi(s,a)^\top`:
``cov="exact"`` computes it from the exact occupancy (the infinite-sample limit of MGR,
specification Section 6); ``cov="mgr"`` runs Matrix Geometric Resampling with ``M`` simulator
trajectories and step ``c``.  The cumulative estimate is linear, :math:`\sum_\tau\hat Q_{\tau,h}(s,a)
= \phi(s,a)^\top w_{k,h}`, so one :math:`d`-vector per step is kept; the dilated bonus is computed
exactly by backward DP with the true kernel (an exact simulator; the lazy roll-outs of Luo et al.
cost :math:`O(K^2)`, specification Section 2) and kept as a cumulative ``(H, S, A)`` table.

Default tuning (specification Section 6, design choice):
:math:`\eta = \sqrt{A\ln K/(dH^3K)}`, :math:`\gamma = K^{-1/2}`, :math:`\beta = \eta H`,
:math:`c = 1/2`, :math:`M = \lceil \ln K/(c\gamma)\rceil`.

Exact regret
------------
Before each episode the policy :math:`\pi_k` is evaluated exactly on :math:`\ell_k`, and the
episode's pseudo-regret :math:`V^{\pi_k}_{\ell_k}(\mu_0) - V^{\pi^*}_{\ell_k}(\mu_0)` is recorded
against the best fixed policy in hindsight :math:`\pi^*`
(:func:`rltheory.solvers.adversarial.best_fixed_policy`).  Values are expected *losses*: in the
returned :class:`~rltheory.algorithms.LearnerRun`, ``returns`` are realised total losses and
``v_star`` is the comparator's mean loss per episode :math:`\frac1K\sum_k V^{\pi^*}_{\ell_k}(\mu_0)`.
Per-episode regret may be negative (the comparator is fixed, the losses change).

Simulator-free variant (:func:`ftrl_linear_mdp`) [R]
----------------------------------------------------
Epochs of ``epoch`` episodes play one policy (the same FTRL step, updated once per epoch).  Each
episode of an epoch is, by a fair coin independent of the losses, a *covariance* episode or an
*estimation* episode.  At the epoch's end :math:`\hat\Sigma^+_h = (\gamma I + \frac1m\sum\phi\phi^\top)^{-1}`
over the :math:`m` covariance episodes, the estimates :math:`2\hat\Sigma^+_h\phi(s_h,a_h)L_h` of the
estimation episodes are added (unbiased for the epoch's sum given the covariance), and the
dilated bonus is obtained by least-squares regression of the next step's bonus on the features
(:math:`P_h` is linear in :math:`\phi` in a linear MDP), times the epoch length.
Defaults: ``epoch`` :math:`= \lceil K^{1/3}\rceil`, :math:`\gamma = \mathrm{epoch}^{-1/2}`,
:math:`\eta = \sqrt{A\ln K/(dH^3 N)}/\mathrm{epoch}` with :math:`N = \lceil K/\mathrm{epoch}\rceil`
epochs, :math:`\beta = \eta H`.
"""

from __future__ import annotations

import math

import numpy as np

from .._errors import ValidationError
from .._random import as_generator
from .._validation import as_float_array
from ..kernels.sampling import cumulative
from ..models.adversarial import AdversarialMDP
from . import _ftrl_kernels as fk
from .harness import LearnerRun

__all__ = ["logbarrier_distribution", "ftrl_logbarrier", "ftrl_linear_mdp", "default_parameters",
           "run_learner", "dilated_bonus", "mgr_inverse", "exact_covariance", "COVARIANCES", "LOSS_ESTIMATORS", "FIDELITY_NOTE"]

COVARIANCES = ("exact", "mgr")
#: Only the linear-Q estimator of Algorithm 1; Algorithm 2's magnitude-reduced estimator is not reconstructed.
LOSS_ESTIMATORS = ("linear-q",)
FIDELITY_NOTE = ("Algorithm 1 reconstructed from Luo, Wei & Lee 2021 and Neu & Olkhovskaya 2020 (linear-Q estimator, "
                 "dilated bonus by exact DP with the true kernel, MGR or exact covariance) with exponential weights "
                 "replaced by the log-barrier; tuning eta = sqrt(A ln K/(d H^3 K)), gamma = K^-1/2, beta = eta H is "
                 "the specification's design choice; Algorithm 2's magnitude-reduced estimator is not reconstructed.")


def logbarrier_distribution(L, eta) -> np.ndarray:
    r"""The log-barrier FTRL distribution :math:`\arg\min_{p\in\Delta_A}\langle p, L\rangle + \eta^{-1}\sum_a\ln(1/p_a)`.

    By stationarity :math:`p_a = 1/(\eta(L_a + \lambda))` with the unique :math:`\lambda > -\min_a L_a`
    making :math:`\sum_a p_a = 1`; :math:`\lambda` is found by the monotone Newton scheme of the
    specification (Section 2) on the shifted losses :math:`L - \min L`, started at :math:`1/\eta`
    (:func:`rltheory.algorithms._ftrl_kernels.logbarrier_step`).  Accurate to rounding for any
    finite ``L`` whose spread :math:`\eta(\max L - \min L)` stays below the float64 range
    (entries of order :math:`\pm 10^{12}` and beyond); every :math:`p_a > 0`.

    Parameters
    ----------
    L : array_like(float), shape (A,)
        Cumulative (estimated) losses, any sign.
    eta : float
        Learning rate, > 0.

    Returns
    -------
    float64 array (A,)

    Examples
    --------
    >>> import numpy as np
    >>> p = logbarrier_distribution([0.0, 0.0], 1.0)
    >>> bool(np.allclose(p, [0.5, 0.5]))
    True
    >>> p = logbarrier_distribution([0.0, 1e8, -3.0], 0.5)
    >>> bool(abs(p.sum() - 1) < 1e-15 and (p > 0).all() and p.argmax() == 2)
    True
    """
    L = as_float_array(L, "L", ndim=1)
    if L.shape[0] < 1:
        raise ValidationError("L is empty (rule: at least one action)")
    eta = _positive(eta, "eta")
    with np.errstate(over="ignore"):
        span = float(L.max() - L.min())
        scaled = eta * span
    if not np.isfinite(span) or not np.isfinite(scaled):
        raise ValidationError(f"eta * (max L - min L) = {scaled:g} overflows (rule: finite in float64)")
    p = np.empty(L.shape[0])
    fk.logbarrier_step(L, eta, p)
    return p


def _positive(x, name: str) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValidationError(f"{name} = {x!r} (rule: a positive finite number)") from None
    if isinstance(x, bool) or not (np.isfinite(v) and v > 0):
        raise ValidationError(f"{name} = {x!r} (rule: a positive finite number)")
    return v


def default_parameters(K: int, A: int, d: int, H: int, c: float = 0.5) -> dict:
    """The specification's tuning of Algorithm 1 (Section 6, design choice): ``eta, gamma, beta, M, c``."""
    lk = math.log(max(K, 2))
    eta = math.sqrt(A * lk / (d * H ** 3 * K))
    gamma = K ** -0.5
    return {"eta": eta, "gamma": gamma, "beta": eta * H, "c": c, "M": int(math.ceil(lk / (c * gamma)))}


def _instance(model: AdversarialMDP):
    from ..solvers.adversarial import best_fixed_policy
    if not isinstance(model, AdversarialMDP):
        raise ValidationError(f"model is {type(model).__name__} (rule: an AdversarialMDP)")
    best = best_fixed_policy(model)
    inst = fk.Instance(np.ascontiguousarray(model.P4), cumulative(model.P4), cumulative(model.mu0),
                       np.ascontiguousarray(model.mu0), np.ascontiguousarray(model.losses),
                       np.ascontiguousarray(model.phi), np.ascontiguousarray(best.policy))
    return inst, best


_RULES = {"logbarrier": fk.RULE_LOGBARRIER, "exp": fk.RULE_EXP, "uniform": fk.RULE_UNIFORM}


def run_learner(model: AdversarialMDP, seed, *, rule: str, cov: str, eta: float, gamma: float, beta: float,
                M: int = 1, c: float = 0.5, epoch: int = 0, algorithm: str = "", params: dict | None = None,
                policies_out: np.ndarray | None = None) -> LearnerRun:
    r"""Run one learner of the family with explicit parameters (the shared driver of this module and
    :mod:`rltheory.algorithms.adversarial_baselines`).

    ``rule`` in ``{"logbarrier", "exp", "uniform"}``; ``cov`` in :data:`COVARIANCES`; ``beta = 0``
    switches the bonus off; ``epoch > 0`` selects the simulator-free epoch driver.
    ``policies_out``: an optional float64 ``(K, H, S, A)`` array that receives every episode's policy.
    """
    if rule not in _RULES:
        raise ValidationError(f"rule = {rule!r} (rule: one of {sorted(_RULES)})")
    if cov not in COVARIANCES:
        raise ValidationError(f"cov = {cov!r} (rule: one of {COVARIANCES})")
    eta, gamma = _positive(eta, "eta"), _positive(gamma, "gamma")
    if not (np.isfinite(beta) and beta >= 0):
        raise ValidationError(f"beta = {beta!r} (rule: a finite number >= 0)")
    if cov == "mgr" and not 0 < c * (gamma + 1.0) <= 1.0:
        raise ValidationError(f"c = {c!r} (rule: 0 < c (gamma + max ||phi||^2) <= 1 for MGR)")
    if int(M) < 1:
        raise ValidationError(f"M = {M!r} (rule: at least one MGR iteration)")
    rng = as_generator(seed)
    inst, best = _instance(model)
    cfg = fk.Settings(_RULES[rule], 0 if cov == "exact" else 1, float(eta), float(gamma), float(beta), int(M),
                      float(c), int(epoch))
    st = fk.new_state(model.H, model.S, model.A, model.d)
    regret = np.empty(model.K)
    returns = np.empty(model.K)
    shape = (model.K, model.H, model.S, model.A)
    if policies_out is None:
        pols = np.empty((0,) + shape[1:])
    else:
        pols = policies_out
        if not (isinstance(pols, np.ndarray) and pols.shape == shape and pols.dtype == np.float64
                and pols.flags.c_contiguous and pols.flags.writeable):
            raise ValidationError(f"policies_out (rule: a writable C-contiguous float64 array of shape {shape})")
    if epoch > 0:
        E = int(epoch)
        eb = fk.EpochBuffers(np.zeros((E, model.H), dtype=np.int64), np.zeros((E, model.H), dtype=np.int64),
                             np.zeros((E, model.H)), np.zeros(E, dtype=np.int64))
        fk.run_simulator_free(inst, cfg, st, eb, regret, returns, pols, rng)
    else:
        fk.run_simulator(inst, cfg, st, regret, returns, pols, rng)
    p = {"rule": rule, "cov": cov, "eta": float(eta), "gamma": float(gamma), "beta": float(beta),
         "M": int(M) if cov == "mgr" else 0, "c": float(c), "epoch": int(epoch),
         "comparator_total_loss": float(best.value)}
    p.update(params or {})
    return LearnerRun(algorithm or rule, regret, returns, best.value / model.K, p, "reconstructed")


def ftrl_logbarrier(model: AdversarialMDP, seed, *, cov: str = "exact", bonus: bool = True,
                    eta: float | None = None, gamma: float | None = None, beta: float | None = None,
                    M: int | None = None, c: float = 0.5, eta_scale: float = 1.0, beta_scale: float = 1.0,
                    loss_estimator: str = "linear-q", policies_out: np.ndarray | None = None) -> LearnerRun:
    r"""Algorithm 1 (log-barrier FTRL with linear-Q estimators and the dilated bonus), reconstructed.

    Parameters
    ----------
    model : AdversarialMDP
    seed : int | SeedSequence | Generator
    cov : {"exact", "mgr"}
        True occupancy covariance, or Matrix Geometric Resampling with the simulator.
    bonus : bool
        ``False``: no dilated bonus (a baseline).
    eta, gamma, beta, M : optional
        Default: :func:`default_parameters`; ``eta_scale`` multiplies the default ``eta`` and
        ``beta_scale`` the default :math:`\beta = \eta H` (of the unscaled ``eta``): the constants are a
        design choice of the specification, and a scale factor shows what they do at laptop scale.
    c : float
        MGR step, :math:`c(\gamma + \max\|\phi\|^2) \le 1`.
    loss_estimator : {"linear-q"}
        Algorithm 2's magnitude-reduced estimator is not reconstructed (specification Section 3).
    policies_out : float64 array (K, H, S, A), optional
        Receives every episode's policy.

    Returns
    -------
    LearnerRun
        ``algorithm = "ftrl-logbarrier"`` (``"ftrl-logbarrier-nobonus"``), fidelity ``reconstructed``;
        ``expected_regret[k]`` the exact pseudo-regret of episode ``k`` (see the module docstring).

    Examples
    --------
    >>> from rltheory.envs.adversarial import layered_one_hot
    >>> m = layered_one_hot(S=2, A=2, H=2, K=64, seed=0)
    >>> run = ftrl_logbarrier(m, seed=1)
    >>> run.K, run.fidelity
    (64, 'reconstructed')
    """
    if loss_estimator not in LOSS_ESTIMATORS:
        raise ValidationError(f"loss_estimator = {loss_estimator!r} (rule: one of {LOSS_ESTIMATORS}; the "
                              "magnitude-reduced estimator of Algorithm 2 is not reconstructed)")
    dp = default_parameters(model.K, model.A, model.d, model.H, c)
    e = float(eta) if eta is not None else dp["eta"] * _positive(eta_scale, "eta_scale")
    g = float(gamma) if gamma is not None else dp["gamma"]
    b = 0.0 if not bonus else (float(beta) if beta is not None else dp["beta"] * float(beta_scale))
    m = int(M) if M is not None else int(math.ceil(math.log(max(model.K, 2)) / (c * g)))
    name = "ftrl-logbarrier" if bonus else "ftrl-logbarrier-nobonus"
    return run_learner(model, seed, rule="logbarrier", cov=cov, eta=e, gamma=g, beta=b, M=m, c=c, algorithm=name,
                       params={"loss_estimator": loss_estimator, "eta_scale": float(eta_scale),
                               "beta_scale": float(beta_scale)}, policies_out=policies_out)


def ftrl_linear_mdp(model: AdversarialMDP, seed, *, epoch: int | None = None, eta: float | None = None,
                    gamma: float | None = None, beta: float | None = None, bonus: bool = True,
                    rule: str = "logbarrier", policies_out: np.ndarray | None = None) -> LearnerRun:
    r"""The simulator-free epoch variant for linear MDPs [R] (module docstring): a sanity check of :math:`K^{8/9}`.

    Not the paper's algorithm: its replacement for MGR is not reconstructed.  ``rule="exp"`` gives
    the same driver with exponential weights (a baseline); the bonus scale stays the default
    :math:`\beta = \eta_0 H` of the default rate :math:`\eta_0` whatever ``eta`` is.

    Examples
    --------
    >>> from rltheory.envs.adversarial import random_linear_adversarial
    >>> m = random_linear_adversarial(S=4, A=2, H=2, d=3, K=64, seed=0)
    >>> ftrl_linear_mdp(m, seed=1).params["epoch"]
    4
    """
    K, A, d, H = model.K, model.A, model.d, model.H
    E = int(epoch) if epoch is not None else int(math.ceil(K ** (1.0 / 3.0) - 1e-9))
    if E < 1:
        raise ValidationError(f"epoch = {epoch!r} (rule: at least 1 episode per epoch)")
    N = int(math.ceil(K / E))
    e0 = math.sqrt(A * math.log(max(K, 2)) / (d * H ** 3 * N)) / E
    e = float(eta) if eta is not None else e0
    g = float(gamma) if gamma is not None else E ** -0.5
    b = 0.0 if not bonus else (float(beta) if beta is not None else e0 * H)
    name = "ftrl-linear-mdp" if rule == "logbarrier" else f"{rule}-linear-mdp"
    return run_learner(model, seed, rule=rule, cov="exact", eta=e, gamma=g, beta=b, epoch=E, algorithm=name,
                       params={"epochs": N}, policies_out=policies_out)


def dilated_bonus(model: AdversarialMDP, pi, Sig, beta: float) -> np.ndarray:
    r"""The dilated bonus of one episode, ``B (H, S, A)``, by the exact backward DP of the learner's kernel.

    :math:`b_h(s,a) = \beta(\phi^\top\Sigma^+_h\phi(s,a) + E_{a'\sim\pi_h(s)}\phi^\top\Sigma^+_h\phi(s,a'))` and
    :math:`B_h = b_h + (1 + 1/H) P_h \langle\pi_{h+1}, B_{h+1}\rangle`, :math:`B_{H-1} = b_{H-1}`
    (Luo, Wei & Lee 2021).  ``pi (H, S, A)`` stochastic, ``Sig (H, d, d)`` the covariance inverses.
    """
    H, S, A, d = model.H, model.S, model.A, model.d
    pi = as_float_array(pi, "pi", ndim=3)
    Sig = as_float_array(Sig, "Sig", ndim=3)
    if pi.shape != (H, S, A) or Sig.shape != (H, d, d):
        raise ValidationError(f"pi {pi.shape}, Sig {Sig.shape} (rule: pi (H, S, A) = {(H, S, A)}, Sig (H, d, d))")
    inst, _ = _instance(model)
    st = fk.new_state(H, S, A, d)
    st.pi[:] = pi
    st.Sig[:] = Sig
    fk.dilated_bonus(inst, st, float(beta), 1.0)
    return st.B.copy()


def exact_covariance(model: AdversarialMDP, pi, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    r"""The exact-covariance learner's matrices at policy ``pi (H, S, A)``: ``(Sigma, Yinv)``, each ``(H, d, d)``.

    :math:`\Sigma_h = \sum_{s,a} d^{\pi}_h(s,a)\phi(s,a)\phi(s,a)^\top` from the exact occupancy and
    :math:`Y_h^{-1} = (\gamma I + \Sigma_h)^{-1}` by the learner's own kernel (``cov="exact"``: fixed-order
    Cholesky, symmetrised), i.e. exactly what Algorithm 1 with ``cov="exact"`` uses at ``pi``.  ``Sigma`` is read
    back as :math:`(\gamma I + \Sigma_h) - \gamma I` (exact off the diagonal, one rounding on it).

    Examples
    --------
    >>> from rltheory.envs.adversarial import layered_one_hot
    >>> m = layered_one_hot(S=2, A=2, H=2, K=4, seed=0)
    >>> Sig, Yinv = exact_covariance(m, np.full((2, 2, 2), 0.5), 0.1)
    >>> bool(np.allclose(Yinv[0] @ (0.1 * np.eye(4) + Sig[0]), np.eye(4)))
    True
    """
    H, S, A, d = model.H, model.S, model.A, model.d
    pi = as_float_array(pi, "pi", ndim=3)
    if pi.shape != (H, S, A):
        raise ValidationError(f"pi has shape {pi.shape} (rule: (H, S, A) = {(H, S, A)})")
    gamma = _positive(gamma, "gamma")
    inst, _ = _instance(model)
    st = fk.new_state(H, S, A, d)
    st.pi[:] = pi
    fk.cov_exact(inst, st, gamma)
    Sigma = st.G.copy()
    for h in range(H):
        for i in range(d):
            Sigma[h, i, i] -= gamma
    return Sigma, st.Sig.copy()


def mgr_inverse(model: AdversarialMDP, pi, gamma: float, M: int, seed, c: float = 0.5, n: int = 1) -> np.ndarray:
    r"""``n`` independent Matrix Geometric Resampling estimates of :math:`(\gamma I + \Sigma_h)^{-1}`, shape ``(n, H, d, d)``.

    The learner's kernel (Neu & Olkhovskaya 2020): per estimate ``M`` simulator trajectories under
    ``pi (H, S, A)``, :math:`\hat\Sigma^+_h = cI + c\sum_{i\le M}\prod_{j\le i}(I - c(\gamma I + \phi_{j,h}\phi_{j,h}^\top))`,
    whose expectation is :math:`Y_h^{-1}(I - (I - cY_h)^{M+1})`, :math:`Y_h = \gamma I + \Sigma_h`.
    """
    H, S, A, d = model.H, model.S, model.A, model.d
    pi = as_float_array(pi, "pi", ndim=3)
    if pi.shape != (H, S, A):
        raise ValidationError(f"pi has shape {pi.shape} (rule: (H, S, A) = {(H, S, A)})")
    gamma = _positive(gamma, "gamma")
    if not 0 < c * (gamma + 1.0) <= 1.0 or int(M) < 1 or int(n) < 1:
        raise ValidationError(f"c = {c}, M = {M}, n = {n} (rule: 0 < c (gamma + 1) <= 1, M >= 1, n >= 1)")
    inst, _ = _instance(model)
    st = fk.new_state(H, S, A, d)
    st.pi[:] = pi
    out = np.empty((int(n), H, d, d))
    fk.mgr_draws(inst, st, gamma, int(M), float(c), as_generator(seed), out)
    return out
