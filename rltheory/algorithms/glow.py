r"""GLOW, H2O and HyGLOW on finite tabular classes (density-ratio online RL).

Amortila, Foster, Jiang, Sekhari & Xie, "Harnessing Density Ratios for Online
Reinforcement Learning", ICLR 2024, arXiv 2401.09681.  Specification:
``shared/papers/glow_hyglow.md``.  Fidelity ``partly``: the algorithms follow
Algorithms 1-3 and their constants; the finite tabular classes (model-based
F and W) are our design [R, specification Section 6].

Setting.  Layered episodic MDP with total reward in [0, 1]
(:func:`rltheory.envs.kappa_layered`); steps :math:`h = 0..H-1` (the paper's
1..H).  A finite model class :math:`\mathcal M \ni M^*`
(:func:`rltheory.envs.model_family`) gives

* :math:`\mathcal F = \{Q^*_M : M \in \mathcal M\}` (so :math:`Q^* \in \mathcal F`,
  Assumption 2.1) and :math:`\Pi = \{\pi_f\}` (greedy, ties to the lowest action);
* :math:`\mathcal W_t` (Assumption 2.2', realisable by construction): per round
  and layer, :math:`w_{M,g} = d^{\pi_g}_{M,h} / \bigl(\frac1t(\sum_{i<t} d^{\pi^{(i)}}_{M,h}
  + d^{\pi_g}_{M,h})\bigr)` for every :math:`M \in \mathcal M`, :math:`g \in \mathcal F`
  -- the ratios :math:`d^{(t)}/\bar d^{(t+1)}` used in Lemma E.4; :math:`|\mathcal W_t| = |\mathcal M||\mathcal F|`.
  For HyGLOW :math:`w_{M,g} = d^{\pi_g}_{M,h} / (\frac12(\nu_h + \bar d^{(t)}_{M,h}))`
  with the known offline distribution :math:`\nu`.  The pure ratios
  :math:`d^\pi/d^{\pi'}` of Assumption 2.2 are not included (the W-bar of
  Thm 3.2 is not enumerable; spec Section 8).  Using :math:`\log|\mathcal W_t|`
  inside :math:`\beta_t` for this history-dependent class is a heuristic [R].

**GLOW** (Algorithm 1, K = 1).  Round t: :math:`\gamma_t = \gamma t`,
:math:`\alpha_t = 8/\gamma_t`, :math:`\beta_t = c_\beta\, 36\gamma_t/(t-1) \cdot \log(6|F||W|TH/\delta)`
(``beta_scale`` :math:`= c_\beta`; 1 is the paper's), confidence set (eq. 4)

.. math::

    \mathcal F^{(t)} = \Bigl\{ f : \forall h,\ \max_{w \in \mathcal W}
      \widehat{\mathbb E}_{D_h}\bigl[\widehat\Delta_h f\, \tilde w_h - \alpha_t \tilde w_h^2\bigr] \le \beta_t\Bigr\},
    \quad \tilde w = \min\{w, \gamma_t\},\quad
    \widehat\Delta_h f = f_h(x,a) - r - \max_{a'} f_{h+1}(x', a')

(``f_{h+1}`` at the next state -- the appendix writes ``f_h``, a typo;
:math:`f_H = 0`), :math:`f^{(t)} = \arg\max_{f \in \mathcal F^{(t)}} \widehat{\mathbb E}_{x_1}[f_1(x_1, \pi_f(x_1))]`,
one episode of :math:`\pi_{f^{(t)}}`.  :math:`\mathcal F^{(1)} = \mathcal F` with :math:`\mu_0`
in place of the (empty) data (spec Section 6).  If :math:`\mathcal F^{(t)}` is empty (possible
with :math:`c_\beta < 1`) the optimism runs over all of :math:`\mathcal F` (recorded as ``set_size = 0``).
Default :math:`\gamma = \sqrt{C_{\mathrm{cov}}/(T\log(|F||W|/\delta))}` (Thm 3.1), with the exact
:math:`C_{\mathrm{cov}}` of the true model.  Output: the uniform mixture of the iterates; its risk
is the mean of the per-round expected regrets.

**H2O** (Algorithm 2) with base algorithms (config ``base``): ``"mabo_cr"`` (HyGLOW,
Algorithm 3, eq. 14)

.. math::

    f^{(t)} \in \arg\min_f \max_{w \in \bar{\mathcal W}} \sum_h
      \bigl|\widehat{\mathbb E}[\tilde w_h \widehat\Delta_h f]\bigr| - \alpha_t \widehat{\mathbb E}[\tilde w_h^2],
    \qquad \bar{\mathcal W} = \mathcal W \cup -\mathcal W \cup_h (\mathcal W^{(h)} \cup -\mathcal W^{(h)}),

``"fqi"`` (Alg. F.2, over the complete class :math:`\{R_{M,h} + P_{M,h}V : M\}`), ``"mle"``
(Alg. F.4, the optimal policy of the maximum-likelihood model).  Round t runs the base on
:math:`D_{\mathrm{off}}|_{1:t-1} \cup D_{\mathrm{on}}^{(t)}` (``offline=False``: online data only;
the weight class, which uses :math:`\nu`, is unchanged).
Default :math:`\gamma = \sqrt{(C^\star + C_{\mathrm{cov}})/(T H^2 \log(|F||W|/\delta))}` (Cor. 4.1).

**Alternatives**: ``weighting="none"`` (:math:`w \equiv 1`, no density ratios),
``select="least_violation"`` (no optimism: the candidate with the smallest left side of
eq. 4), ``select="uniform"`` (the null learner), ``select="round_robin"`` (every policy of
:math:`\Pi` in turn), ``penalty=0`` (no quadratic penalty).

Sufficient statistics and the Numba kernels: :mod:`rltheory.algorithms._glow_kernels`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._random import as_generator
from .._validation import check_int
from ..envs.coverability import ModelFamily, sample_offline, single_policy_concentrability
from ..kernels.sampling import episode_model
from ..solvers import backward_induction, coverability, occupancy, policy_evaluation
from . import _glow_kernels as K
from .harness import LearnerRun

__all__ = ["GlowRun", "glow", "h2o", "hyglow", "glow_class_arrays", "glow_numpy", "BASES", "SELECTIONS", "WEIGHTINGS"]

BASES = ("mabo_cr", "fqi", "mle")
SELECTIONS = ("optimistic", "least_violation", "uniform", "round_robin")
WEIGHTINGS = ("ratio", "none")


@dataclass(frozen=True, eq=False)
class GlowRun:
    """A GLOW / H2O run: the per-round record and the confidence-set trace.

    Attributes
    ----------
    run : LearnerRun
        Exact expected regret of every round's policy, realised returns, parameters, policies.
    chosen : int64 array (T,)
        Index in F of :math:`f^{(t)}` (-1 when the policy is not a candidate's: FQI, uniform).
    qstar_in_set : bool array (T,)
        :math:`Q^* \\in \\mathcal F^{(t)}` (GLOW, optimistic selection; ``True`` elsewhere).
    set_size : int64 array (T,)
        :math:`|\\mathcal F^{(t)}|` (GLOW; ``|F|`` elsewhere).
    mixture_risk : float64 array (T,)
        Risk of the uniform mixture of the first t iterates,
        :math:`\\frac1t\\sum_{s\\le t}(J(\\pi^*) - J(\\pi^{(s)}))`.
    """

    run: LearnerRun
    chosen: np.ndarray
    qstar_in_set: np.ndarray
    set_size: np.ndarray
    mixture_risk: np.ndarray


def _check_family(family) -> None:
    if not isinstance(family, ModelFamily):
        raise ValidationError(f"family is a {type(family).__name__} (rule: an rltheory.envs.ModelFamily)")
    m0 = family.truth
    for i, m in enumerate(family.models):
        if (m.H, m.S, m.A) != (m0.H, m0.S, m0.A):
            raise ValidationError(f"family.models[{i}] has (H, S, A) = {(m.H, m.S, m.A)} "
                                  f"(rule: every candidate has the truth's {(m0.H, m0.S, m0.A)})")


def _index_set(idx, n: int, name: str) -> np.ndarray:
    if idx is None:
        return np.arange(n, dtype=np.int64)
    arr = np.asarray(idx)
    if arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in "iu":
        raise ValidationError(f"{name} = {idx!r} (rule: a non-empty 1-d array of candidate indices)")
    bad = (arr < 0) | (arr >= n)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValidationError(f"{name}[{i}] = {arr[i]} (rule: indices lie in 0..{n - 1})")
    if np.unique(arr).size != arr.size:
        raise ValidationError(f"{name} has repeated indices (rule: each candidate at most once)")
    return np.ascontiguousarray(arr, dtype=np.int64)


def glow_class_arrays(family: ModelFamily, nu=None, rank=None, w_models=None, w_policies=None,
                      full_support: bool = False) -> K.ClassArrays:
    r"""The classes F, Pi, W of a model family as kernel arrays (``_glow_kernels.ClassArrays``).

    ``w_models``, ``w_policies``: the candidates whose models and greedy policies define
    :math:`\mathcal W = \{w_{M,g}\}` (default: all; a subset may lose realisability).
    ``full_support``: weights live on every pair (the :math:`w \equiv 1` alternative).
    """
    _check_family(family)
    true = family.truth
    H, S, A = true.H, true.S, true.A
    nF = len(family)
    wm = _index_set(w_models, nF, "w_models")
    wp = _index_set(w_policies, nF, "w_policies")
    Qf = np.empty((nF, H, S, A))
    pi = np.empty((nF, H, S), dtype=np.int64)
    for f, m in enumerate(family.models):
        sol = backward_induction(m)
        Qf[f], pi[f] = sol.Q, sol.policy
    V = Qf.max(axis=3)
    Vn = np.zeros((nF, H, S))
    Vn[:, :-1] = V[:, 1:]
    Df = np.empty((wm.size, nF, H, S, A))
    for i, M in enumerate(wm):
        for g in range(nF):
            Df[i, g] = occupancy(family.models[M], pi[g])
    Kw = wm.size * wp.size
    flat = Df[:, wp].reshape(Kw, H, S * A).transpose(1, 0, 2)          # (H, K, S*A), k = M * G + j
    if full_support:
        nsupp = np.full((H, Kw), S * A, dtype=np.int64)
        supp = np.broadcast_to(np.arange(S * A, dtype=np.int64), flat.shape).copy()
    else:
        nsupp = np.ascontiguousarray((flat > 0).sum(axis=2), dtype=np.int64)
        supp = np.zeros(flat.shape, dtype=np.int64)
        for h in range(H):
            for k in range(Kw):
                nz = np.flatnonzero(flat[h, k] > 0)
                supp[h, k, :nz.size] = nz
    J = np.array([policy_evaluation(true, pi[g]).value for g in range(nF)])
    PM = np.ascontiguousarray(np.stack([np.broadcast_to(m.P4, (H, S, A, S)) for m in family.models]))
    RM = np.ascontiguousarray(np.stack([np.broadcast_to(m.R3, (H, S, A)) for m in family.models]))
    nu = np.zeros((H, S, A)) if nu is None else np.ascontiguousarray(nu, dtype=np.float64)
    rank = np.arange(nF, dtype=np.int64) if rank is None else np.asarray(rank, dtype=np.int64)
    QT = np.ascontiguousarray(Qf.transpose(1, 2, 3, 0))
    VnT = np.ascontiguousarray(Vn.transpose(1, 2, 0))
    return K.ClassArrays(Qf, QT, VnT, Vn, np.ascontiguousarray(V[:, 0]), Df, wp, supp, nsupp, pi, PM, RM, J,
                         nu, rank)


def _check_choice(value, name: str, allowed: tuple) -> str:
    if value not in allowed:
        raise ValidationError(f"{name} = {value!r} (rule: one of {allowed})")
    return value


def _positive(value, name: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{name} = {value!r} (rule: a positive number)") from None
    if not (np.isfinite(v) and v > 0):
        raise ValidationError(f"{name} = {value!r} (rule: a finite number > 0)")
    return v


def _run(family, T, seed, C, st, off, off_r, algorithm, params) -> GlowRun:
    true = family.truth
    H, S, A = true.H, true.S, true.A
    nF, nM = C.Qf.shape[0], C.Df.shape[0]
    Kw = nM * C.wpol.shape[0]
    D = K.Data(np.zeros((H, S, A, S)), np.zeros((H, S, A)), np.zeros((H, S, A)), np.zeros(S),
               np.zeros((nM, H, S, A)), np.zeros(1), off, off_r)
    Z = K.Scratch(np.zeros((H, S * A, nF)), np.zeros((H, Kw, S * A)), np.zeros((H, Kw)), np.zeros((H, Kw, nF)),
                  np.zeros((nF, H)), np.zeros(nF), np.zeros(nF), np.ones(nF, dtype=np.bool_), np.zeros((H, S, A)),
                  np.zeros((H + 1, S)), np.zeros((H, S), dtype=np.int64), np.zeros((2, S)))
    unif = np.full((H, S, A), 1.0 / A)
    truth = K.Truth(np.ascontiguousarray(true.P4), np.ascontiguousarray(true.R3), true.mu0,
                    float(policy_evaluation(true, unif).value))
    out = K.Trace(np.zeros(T), np.zeros(T), np.zeros(T, dtype=np.int64), np.zeros(T, dtype=np.bool_),
                  np.zeros(T, dtype=np.int64), np.zeros((T, H, S), dtype=np.int64))
    K.run_loop(C, st, D, Z, truth, episode_model(true, False), as_generator(seed), out)
    # no final_policy: the output of GLOW and H2O is the uniform mixture of the T iterates
    run = LearnerRun(algorithm, out.regret, out.returns, st.v_star, params, "partly", out.policies, None)
    risk = np.cumsum(out.regret) / np.arange(1, T + 1)
    for a in (out.chosen, out.in_set, out.set_size, risk):
        a.setflags(write=False)
    return GlowRun(run, out.chosen, out.in_set, out.set_size, risk)


def glow(family: ModelFamily, T: int, seed=0, *, gamma: float | None = None, gamma_scale: float = 1.0,
         beta_scale: float = 1.0,
         delta: float = 0.1, weighting: str = "ratio", select: str = "optimistic", penalty: float = 1.0,
         rank=None, w_models=None, w_policies=None) -> GlowRun:
    r"""GLOW (Algorithm 1 of arXiv 2401.09681) for ``T`` rounds, one episode per round (module docstring).

    Parameters
    ----------
    family : ModelFamily
        The model class (F = its optimal Q functions, W from its occupancies); the truth is the environment.
    T : int
    seed : int | SeedSequence | Generator
    gamma : float, optional
        Clipping scale; default :math:`\sqrt{C_{\mathrm{cov}}/(T \log(|F||W|/\delta))}` (Thm 3.1).
    gamma_scale : float
        Multiplies ``gamma`` (the theorem fixes it only up to constants; 1 = the formula as printed).
    beta_scale : float
        :math:`c_\beta` multiplying the paper's :math:`\beta_t` (1 = the paper's constants).
    delta : float
    weighting : {"ratio", "none"}
    select : {"optimistic", "least_violation", "uniform", "round_robin"}
        ``"round_robin"`` plays :math:`\pi_{f_1}, \pi_{f_2}, \dots` in turn (explores without learning).
    penalty : float
        Multiplies :math:`\alpha_t` (1 = the paper's; 0 drops the quadratic penalty).
    rank : int array (|F|,), optional
        Tie-breaking rank (lower wins); default the family's order.
    w_models, w_policies : int arrays, optional
        Candidates whose models and policies define W (default: all, :math:`|W| = |F|^2`).

    Returns
    -------
    GlowRun

    Examples
    --------
    >>> from rltheory.envs import model_family
    >>> fam = model_family(4, 2, 3, 1.0, seed=0, n_optimistic=2, n_pessimistic=1, n_transition=1)
    >>> out = glow(fam, 50, seed=1, beta_scale=0.01)
    >>> (out.run.K, bool(out.qstar_in_set.all()), out.run.fidelity)
    (50, True, 'partly')
    """
    _check_family(family)
    T = check_int(T, "T", 1)
    _check_choice(weighting, "weighting", WEIGHTINGS)
    _check_choice(select, "select", SELECTIONS)
    beta_scale = _positive(beta_scale, "beta_scale")
    delta = _positive(delta, "delta")
    if penalty != 0:
        penalty = _positive(penalty, "penalty")
    true = family.truth
    nF = len(family)
    C = glow_class_arrays(family, rank=rank, w_models=w_models, w_policies=w_policies,
                          full_support=weighting == "none")
    nW = C.Df.shape[0] * C.wpol.shape[0]
    C_cov = coverability(true).value
    if gamma is None:
        gamma = float(np.sqrt(C_cov / (T * np.log(nF * nW / delta))))
    gamma = _positive(gamma, "gamma") * _positive(gamma_scale, "gamma_scale")
    log_term = float(np.log(6.0 * nF * nW * T * true.H / delta))
    v_star = backward_induction(true).value
    st = K.Settings(K.BASE_GLOW, SELECTIONS.index(select), WEIGHTINGS.index(weighting), gamma, beta_scale,
                    log_term, float(penalty), False, family.true_index, v_star)
    params = {"T": T, "gamma": gamma, "gamma_scale": gamma_scale, "beta_scale": beta_scale, "delta": delta,
              "weighting": weighting,
              "select": select, "penalty": float(penalty), "log_term": log_term, "F_size": nF, "W_size": nW,
              "C_cov": C_cov, "alpha_t": "8 penalty / (gamma t)",
              "beta_t": "beta_scale * 36 gamma t / (t - 1) * log(6 |F||W| T H / delta)", "K": 1}
    name = {"optimistic": "glow", "least_violation": "glow-no-optimism", "uniform": "uniform",
            "round_robin": "round-robin"}[select]
    if weighting == "none" and select != "uniform":
        name += "-unweighted"
    no_data = np.zeros((3, true.H, 0), dtype=np.int64)
    return _run(family, T, seed, C, st, no_data, np.zeros((true.H, 0)), name, params)


def h2o(family: ModelFamily, T: int, seed=0, *, base: str = "mabo_cr", nu=None, offline: bool = True,
        gamma: float | None = None, gamma_scale: float = 1.0, delta: float = 0.1, weighting: str = "ratio",
        select: str = "optimistic", rank=None, w_models=None, w_policies=None) -> GlowRun:
    r"""H2O (Algorithm 2 of arXiv 2401.09681) with a base offline algorithm (module docstring).

    Parameters
    ----------
    family : ModelFamily
    T : int
        Rounds (one online episode each); ``T`` offline tuples per layer are drawn from ``nu``.
    seed : int | SeedSequence | Generator
        Draws the offline data, then the online episodes.
    base : {"mabo_cr", "fqi", "mle"}
    nu : array (H, S, A)
        Offline distribution per layer (e.g. :func:`rltheory.envs.offline_distribution`).
    offline : bool
        ``False``: the base algorithm sees online data only (:math:`D_{\mathrm{off}} = \emptyset`).
    gamma : float, optional
        Default :math:`\sqrt{(C^\star + C_{\mathrm{cov}})/(T H^2 \log(|F||W|/\delta))}` (Cor. 4.1).
    gamma_scale : float
        Multiplies ``gamma`` (Cor. 4.1 fixes it up to constants).
    select : {"optimistic", "uniform"}
        ``"uniform"``: the null learner.

    Returns
    -------
    GlowRun
    """
    _check_family(family)
    T = check_int(T, "T", 1)
    _check_choice(base, "base", BASES)
    _check_choice(weighting, "weighting", WEIGHTINGS)
    _check_choice(select, "select", ("optimistic", "uniform"))
    delta = _positive(delta, "delta")
    true = family.truth
    H, S, A = true.H, true.S, true.A
    if nu is None:
        raise ValidationError("nu is None (rule: H2O needs the offline distribution nu (H, S, A))")
    nu = np.asarray(nu, dtype=np.float64)
    if nu.shape != (H, S, A):
        raise ValidationError(f"nu has shape {nu.shape} (rule: (H, S, A) = {(H, S, A)})")
    C_star = single_policy_concentrability(true, nu)
    C_cov = coverability(true).value
    nF = len(family)
    C = glow_class_arrays(family, nu=nu, rank=rank, w_models=w_models, w_policies=w_policies,
                          full_support=weighting == "none")
    nW = 4 * H * C.Df.shape[0] * C.wpol.shape[0]
    if gamma is None:
        gamma = float(np.sqrt((C_star + C_cov) / (T * H * H * np.log(nF * nW / delta))))
    gamma = _positive(gamma, "gamma") * _positive(gamma_scale, "gamma_scale")
    rng = as_generator(seed)
    off, off_r = sample_offline(true, nu, T, rng)
    st = K.Settings({"mabo_cr": K.BASE_MABO, "fqi": K.BASE_FQI, "mle": K.BASE_MLE}[base],
                    K.SELECT_UNIFORM if select == "uniform" else K.SELECT_OPTIMISTIC, WEIGHTINGS.index(weighting),
                    gamma, 1.0, 0.0, 1.0, bool(offline), family.true_index, backward_induction(true).value)
    params = {"T": T, "base": base, "offline": bool(offline), "gamma": gamma, "gamma_scale": gamma_scale,
              "delta": delta,
              "weighting": weighting, "C_star": C_star, "C_cov": C_cov, "F_size": nF, "W_bar_size": nW,
              "alpha_t": "8 / (gamma t)"}
    name = "uniform" if select == "uniform" else ("hyglow" if base == "mabo_cr" else f"h2o-{base}")
    if not offline and select != "uniform":
        name += "-online-only"
    return _run(family, T, rng, C, st, off, off_r, name, params)


def hyglow(family: ModelFamily, T: int, seed=0, **kw) -> GlowRun:
    """HyGLOW (Algorithm 3) = :func:`h2o` with ``base="mabo_cr"``."""
    return h2o(family, T, seed, base="mabo_cr", **kw)


def glow_numpy(family: ModelFamily, T: int, seed=0, *, gamma_scale: float = 1.0, beta_scale: float = 1.0,
               delta: float = 0.1, w_models=None, w_policies=None):
    r"""Plain-numpy GLOW (optimistic, ratio weights): the reference for tests and ``benchmarks/bench_glow.py``.

    The same algorithm, tie rule and random draws as :func:`glow` with default learner settings, written
    with vectorised numpy (``einsum``) instead of the Numba kernels.  Returns ``(regret (T,), chosen (T,))``.
    """
    from ..kernels.sampling import cumulative
    true = family.truth
    H, S, A = true.H, true.S, true.A
    nF = len(family)
    C = glow_class_arrays(family, w_models=w_models, w_policies=w_policies)
    nW = C.Df.shape[0] * C.wpol.shape[0]
    C_cov = coverability(true).value
    gamma = float(np.sqrt(C_cov / (T * np.log(nF * nW / delta)))) * gamma_scale
    log_term = float(np.log(6.0 * nF * nW * T * H / delta))
    v_star = backward_induction(true).value
    F4, F0 = cumulative(true.P4), cumulative(true.mu0)
    rng = as_generator(seed)
    N = np.zeros((H, S, A, S))
    Nsa = np.zeros((H, S, A))
    Rsum = np.zeros((H, S, A))
    N1 = np.zeros(S)
    dsum = np.zeros((C.Df.shape[0], H, S, A))
    regret, chosen = np.zeros(T), np.zeros(T, dtype=np.int64)
    for t in range(1, T + 1):
        adm = np.ones(nF, dtype=bool)
        if t > 1:
            n = t - 1
            e = (Nsa[None] * C.Qf - Rsum[None] - np.einsum("hxay,fhy->fhxa", N, C.Vn)) / n
            num = C.Df[:, C.wpol]                                        # (M, g, H, S, A)
            den = (dsum[:, None] + num) / t
            with np.errstate(divide="ignore", invalid="ignore"):
                w = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.where(num > 0, np.inf, 0.0))
            w = np.minimum(w, gamma * t)
            quad = np.einsum("hxa,kghxa->kgh", Nsa / n, w * w)
            lin = np.einsum("fhxa,kghxa->fkgh", e, w)
            viol = (lin - 8.0 / (gamma * t) * quad[None]).max(axis=(1, 2))     # (F, H)
            adm = (viol <= beta_scale * 36.0 * gamma * t / (t - 1) * log_term).all(axis=1)
            score = C.V0 @ (N1 / N1.sum())
        else:
            score = C.V0 @ true.mu0
        cand = np.flatnonzero(adm) if adm.any() else np.arange(nF)
        f = int(cand[np.argmax(score[cand])])                            # first maximiser = lowest rank
        chosen[t - 1], regret[t - 1] = f, v_star - C.J[f]
        s = int(np.searchsorted(F0, rng.random(), side="right"))
        N1[s] += 1
        for h in range(H):
            a = C.pi[f, h, s]
            s2 = int(np.searchsorted(F4[h if F4.shape[0] > 1 else 0, s, a], rng.random(), side="right"))
            N[h, s, a, s2] += 1
            Nsa[h, s, a] += 1
            Rsum[h, s, a] += true.R3[h if true.R3.shape[0] > 1 else 0, s, a]
            s = s2
        dsum += C.Df[:, f]
    return regret, chosen
