r"""Linear mixture MDPs and linear MDPs on a finite state space.

Both models are episodic with horizon :math:`H` (steps :math:`h = 0, \dots, H-1`)
and a *finite* state space, so that every quantity can be computed exactly:
:meth:`to_tabular` returns the equivalent :class:`~rltheory.models.TabularMDP`
for the exact solvers of :mod:`rltheory.solvers`.

Linear mixture MDP
    (Ayoub et al. 2020; Zhou, Gu & Szepesvári 2021; the setting of Zhang,
    Zhang & Gu, *Optimal Horizon-Free Reward-Free Exploration for Linear
    Mixture MDPs*, ICML 2023, arXiv 2303.10165, Def. 3.1 of the arXiv version /
    Def. 2.3.1 of W. Zhang's dissertation, Chapter 2).  Known signed basis
    measures :math:`\phi(s'|s,a) \in \mathbb R^d` and an unknown parameter
    :math:`\theta^* \in \mathbb R^d` with

    .. math::

        P(s'|s,a) = \sum_{i=1}^d \phi_i(s'|s,a)\,\theta^*_i
                  = \langle \phi(s'|s,a), \theta^* \rangle .

    For :math:`V : \mathcal S \to \mathbb R`,
    :math:`\phi_V(s,a) = \sum_{s'} \phi(s'|s,a) V(s')`, so that
    :math:`[PV](s,a) = \langle \phi_V(s,a), \theta^*\rangle`.  The normalisation
    assumptions are :math:`\|\theta^*\|_2 \le B` and
    :math:`\|\phi_V(s,a)\|_2 \le 1` for every :math:`V : \mathcal S \to [0,1]`.
    The transition is time-homogeneous, as in the paper.

Linear MDP
    (Jin, Yang, Wang & Jordan 2020, Assumption A).  Features
    :math:`\phi(s,a) \in \mathbb R^d`, measures :math:`\mu_h(s') \in \mathbb R^d`
    and reward parameters :math:`\theta_h \in \mathbb R^d` with

    .. math::

        P_h(s'|s,a) = \langle \phi(s,a), \mu_h(s') \rangle, \qquad
        r_h(s,a) = \langle \phi(s,a), \theta_h \rangle ,

    normalised by :math:`\|\phi(s,a)\|_2 \le 1`,
    :math:`\|\theta_h\|_2 \le \sqrt d` and
    :math:`\|\sum_{s'} v(s')\mu_h(s')\|_2 \le \sqrt d` for all
    :math:`|v| \le 1`.

Checking :math:`\|\phi_V\| \le 1` over all :math:`V \in [0,1]^S`
    The map :math:`V \mapsto \|\phi_V(s,a)\|_2` is convex, so its maximum over
    the box :math:`[0,1]^S` is attained at a vertex.  Each coordinate satisfies
    :math:`\sum_{s'} \min(\phi_i(s'|s,a), 0) \le \phi_{V,i}(s,a) \le \sum_{s'}
    \max(\phi_i(s'|s,a), 0)`, which gives the upper bound
    :math:`\|\phi_V\| \le (\sum_i \max(\phi^+_i, \phi^-_i)^2)^{1/2}`, exact when
    the basis is non-negative (then :math:`V \equiv 1` attains it).  When this
    bound exceeds 1 the vertices of the box are enumerated exactly (for
    :math:`S \le 16`); beyond that the model is rejected, since the assumption
    cannot be certified.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._errors import ValidationError
from .._validation import (PROB_ATOL, as_float_array, check_distribution, check_int, check_range,
                           check_shape)
from ..kernels.linalg import dot, matmul, matvec
from .tabular import REWARD_RANGES, TabularMDP

#: Tolerance on the feature-norm conditions :math:`\|\phi_V\|\le 1`, :math:`\|\phi(s,a)\|\le 1`.
NORM_ATOL = 1e-9
#: Largest S for which the vertices of :math:`[0,1]^S` are enumerated.
MAX_VERTEX_S = 16


def _freeze(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def _mix(phi: np.ndarray, theta: np.ndarray) -> np.ndarray:
    r""":math:`\sum_i \theta_i \phi_i(s'|s,a)` ``(S, A, S)`` for ``phi (S, A, S, d)``, in a fixed order (no BLAS)."""
    S, A, S2, d = phi.shape
    flat = np.ascontiguousarray(phi, dtype=np.float64).reshape(S * A * S2, d)
    out = np.empty(S * A * S2)
    matvec(flat, np.ascontiguousarray(theta, dtype=np.float64), out)
    return out.reshape(S, A, S2)


def _idx(t) -> str:
    return "[" + ", ".join(str(int(i)) for i in t) + "]"


def max_phi_V_norm(phi: np.ndarray) -> tuple[float, tuple[int, int]]:
    r"""Exact :math:`\max_{s,a}\max_{V \in [0,1]^S} \|\phi_V(s,a)\|_2` (or an upper bound, see below).

    Parameters
    ----------
    phi : array (S, A, S, d)
        ``phi[s, a, s', i]`` = :math:`\phi_i(s'|s,a)`.

    Returns
    -------
    value : float
        The maximum; when the coordinate-wise bound (module docstring) is at
        most 1 + ``NORM_ATOL`` that bound is returned instead (it certifies
        the assumption and is exact for non-negative bases).
    where : (s, a)
        A pair attaining it.
    """
    pos = np.clip(phi, 0.0, None).sum(axis=2)          # (S, A, d)
    neg = -np.clip(phi, None, 0.0).sum(axis=2)
    coord = np.sqrt((np.maximum(pos, neg) ** 2).sum(axis=2))   # (S, A)
    where = np.unravel_index(int(np.argmax(coord)), coord.shape)
    if coord.max() <= 1.0 + NORM_ATOL:
        return float(coord.max()), (int(where[0]), int(where[1]))
    S = phi.shape[2]
    if S > MAX_VERTEX_S:
        raise ValidationError(
            f"phi{_idx(where)}: the coordinate bound on ||phi_V|| is {coord.max():.6g} > 1 and S = {S} "
            f"> {MAX_VERTEX_S} vertices cannot be enumerated (rule: ||phi_V(s,a)||_2 <= 1 for every "
            "V in [0,1]^S must be certifiable)")
    best, arg = -1.0, (0, 0)
    verts = ((np.arange(2 ** S)[:, None] >> np.arange(S)[None, :]) & 1).astype(np.float64)  # (2^S, S)
    for s in range(phi.shape[0]):
        for a in range(phi.shape[1]):
            prod = matmul(verts, np.ascontiguousarray(phi[s, a]), np.empty((verts.shape[0], phi.shape[3])))
            vals = np.sqrt((prod ** 2).sum(axis=1))
            m = float(vals.max())
            if m > best:
                best, arg = m, (s, a)
    return best, arg


@dataclass(frozen=True, eq=False)
class LinearMixtureMDP:
    r"""A finite linear mixture MDP :math:`P(s'|s,a) = \langle\phi(s'|s,a),\theta^*\rangle`.

    Parameters
    ----------
    phi : array_like(float), shape (S, A, S, d)
        Basis measures, ``phi[s, a, s', i]`` = :math:`\phi_i(s'|s,a)` (may be signed).
    theta : array_like(float), shape (d,)
        The true parameter :math:`\theta^*`.
    mu0 : array_like(float), shape (S,)
        Initial distribution (Algorithm 4 of the paper starts from a fixed
        :math:`s_1`: a point mass).
    H : int
        Horizon.
    R : array_like(float), shape (S, A) or (H, S, A), optional
        The instance's reward (default: zero, the reward-free model).
    reward_range : {"total", "per_step"}
        ``"total"`` (default): total reward of every trajectory in :math:`[0,1]`
        (Assumption 2.6.1 of the dissertation / 3.2 of the arXiv version),
        checked exactly; ``"per_step"``: :math:`r_h \in [0,1]`.
    B : float, optional
        Declared bound on :math:`\|\theta^*\|_2` (default: the norm itself).
    name : str

    Attributes
    ----------
    S, A, d, H : int
    P : read-only array (S, A, S), the induced kernel.
    B : float
    phi_V_norm : float
        :math:`\max_{s,a,V\in[0,1]^S}\|\phi_V(s,a)\|_2` (or its certified upper bound).

    Raises
    ------
    rltheory.ValidationError
        Shapes; a row :math:`\sum_i \theta^*_i\phi_i(\cdot|s,a)` that is not a
        probability vector (names ``(s, a)``); :math:`\|\phi_V\| > 1`;
        :math:`\|\theta^*\| > B`; rewards outside the declared range.
    """

    phi: np.ndarray
    theta: np.ndarray
    mu0: np.ndarray
    H: int
    R: np.ndarray | None = None
    reward_range: str = "total"
    B: float | None = None
    name: str = ""
    S: int = field(init=False)
    A: int = field(init=False)
    d: int = field(init=False)
    P: np.ndarray = field(init=False, repr=False)
    phi_V_norm: float = field(init=False)

    def __post_init__(self):
        set_ = object.__setattr__
        phi = as_float_array(self.phi, "phi", ndim=4)
        S, A, S2, d = phi.shape
        if S < 1 or A < 1 or d < 1 or S2 != S:
            raise ValidationError(f"phi has shape {phi.shape} (rule: (S, A, S, d) with S, A, d >= 1)")
        theta = as_float_array(self.theta, "theta", ndim=1)
        check_shape(theta, "theta", (d,))
        mu0 = as_float_array(self.mu0, "mu0", ndim=1)
        check_shape(mu0, "mu0", (S,))
        check_distribution(mu0, "mu0")
        H = check_int(self.H, "H", minimum=1)
        P = _mix(phi, theta)
        neg = P < -PROB_ATOL
        if neg.any():
            s, a, sp = np.argwhere(neg)[0]
            raise ValidationError(
                f"sum_i theta_i phi_i({sp}|{s},{a}) = {P[s, a, sp]:.6g} < 0 "
                "(rule: the mixture sum_i theta*_i phi_i(.|s,a) must be a probability distribution)")
        sums = P.sum(axis=2)
        off = np.abs(sums - 1.0) > PROB_ATOL
        if off.any():
            s, a = np.argwhere(off)[0]
            raise ValidationError(
                f"sum_s' sum_i theta_i phi_i(s'|{s},{a}) = {sums[s, a]:.12g} "
                f"(rule: the mixture must sum to 1 within {PROB_ATOL:g})")
        P = np.clip(P, 0.0, None)
        P = P / P.sum(axis=2, keepdims=True)
        nrm, where = max_phi_V_norm(phi)
        if nrm > 1.0 + NORM_ATOL:
            raise ValidationError(
                f"||phi_V({where[0]},{where[1]})||_2 reaches {nrm:.6g} for some V in [0,1]^S "
                "(rule: ||phi_V(s,a)||_2 <= 1 for every V: S -> [0,1])")
        tn = float(np.sqrt(dot(theta, theta)))
        B = tn if self.B is None else float(self.B)
        if not np.isfinite(B) or tn > B * (1 + 1e-12):
            raise ValidationError(f"||theta||_2 = {tn:.6g} > B = {B:.6g} (rule: ||theta*||_2 <= B)")
        if self.reward_range not in REWARD_RANGES:
            raise ValidationError(f"reward_range = {self.reward_range!r} (rule: one of {REWARD_RANGES})")
        R = np.zeros((S, A)) if self.R is None else as_float_array(self.R, "R", ndim=(2, 3))
        check_shape(R, "R", (H, S, A) if R.ndim == 3 else (S, A))
        # reward normalisation is validated by the tabular model
        TabularMDP(P, R, mu0, H=H, reward_range=self.reward_range)
        for nm, val in (("phi", phi), ("theta", theta), ("mu0", mu0), ("R", R), ("P", P)):
            set_(self, nm, _freeze(val))
        for nm, val in (("S", S), ("A", A), ("d", d), ("H", H), ("B", B), ("phi_V_norm", nrm)):
            set_(self, nm, val)

    # ------------------------------------------------------------------ maths
    def phi_V(self, V) -> np.ndarray:
        r""":math:`\phi_V(s,a) = \sum_{s'}\phi(s'|s,a)V(s')` for ``V (S,)``; returns ``(S, A, d)``."""
        V = as_float_array(V, "V", ndim=1)
        check_shape(V, "V", (self.S,))
        return np.einsum("xaSd,S->xad", self.phi, V)

    def transition(self, theta=None) -> np.ndarray:
        r"""The kernel :math:`\langle\phi(\cdot|s,a),\theta\rangle` ``(S, A, S)`` (default :math:`\theta^*`).

        For :math:`\theta \ne \theta^*` the result need not be a probability
        kernel (this is how a confidence-set model :math:`\theta \in U_k` acts).
        """
        if theta is None:
            return self.P.copy()
        theta = as_float_array(theta, "theta", ndim=1)
        check_shape(theta, "theta", (self.d,))
        return _mix(self.phi, theta)

    def to_tabular(self, R=None, reward_range: str | None = None) -> TabularMDP:
        """The equivalent :class:`TabularMDP` with reward ``R`` (default: the instance's)."""
        return TabularMDP(self.P, self.R if R is None else R, self.mu0, H=self.H,
                          reward_range=reward_range or self.reward_range, name=self.name)

    def with_rewards(self, R, reward_range: str | None = None) -> "LinearMixtureMDP":
        """The same dynamics with another reward."""
        return LinearMixtureMDP(self.phi, self.theta, self.mu0, self.H, R=R,
                                reward_range=reward_range or self.reward_range, B=self.B, name=self.name)

    def __repr__(self) -> str:
        nm = f"{self.name!r}, " if self.name else ""
        return (f"LinearMixtureMDP({nm}H={self.H}, S={self.S}, A={self.A}, d={self.d}, B={self.B:.4g}, "
                f"reward_range={self.reward_range!r})")


@dataclass(frozen=True, eq=False)
class LinearMDP:
    r"""A finite linear MDP :math:`P_h(s'|s,a) = \langle\phi(s,a),\mu_h(s')\rangle`, :math:`r_h = \langle\phi,\theta_h\rangle`.

    Parameters
    ----------
    phi : array_like(float), shape (S, A, d)
        Features, :math:`\|\phi(s,a)\|_2 \le 1`.
    mu : array_like(float), shape (d, S) or (H, d, S)
        Measures ``mu[h, i, s']`` = :math:`\mu_{h,i}(s')` (stationary if 2-D).
    theta_r : array_like(float), shape (d,) or (H, d)
        Reward parameters, :math:`\|\theta_h\|_2 \le \sqrt d`.
    mu0 : array_like(float), shape (S,)
    H : int
    reward_range : {"per_step", "total"}
    name : str

    Attributes
    ----------
    S, A, d, H : int
    P : read-only array (H, S, A, S); R : read-only array (H, S, A).

    Raises
    ------
    rltheory.ValidationError
        Shapes; a row :math:`\langle\phi(s,a),\mu_h(\cdot)\rangle` that is not a
        probability vector (names ``h, s, a``); the three norm conditions; rewards
        outside the declared range.  The measure condition is checked through the
        coordinate bound :math:`\|\sum_{s'}v(s')\mu_h(s')\| \le (\sum_i(\sum_{s'}|\mu_{h,i}(s')|)^2)^{1/2}`
        (sufficient; exact for non-negative measures).
    """

    phi: np.ndarray
    mu: np.ndarray
    theta_r: np.ndarray
    mu0: np.ndarray
    H: int
    reward_range: str = "per_step"
    name: str = ""
    S: int = field(init=False)
    A: int = field(init=False)
    d: int = field(init=False)
    P: np.ndarray = field(init=False, repr=False)
    R: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        set_ = object.__setattr__
        phi = as_float_array(self.phi, "phi", ndim=3)
        S, A, d = phi.shape
        if S < 1 or A < 1 or d < 1:
            raise ValidationError(f"phi has shape {phi.shape} (rule: (S, A, d) with S, A, d >= 1)")
        H = check_int(self.H, "H", minimum=1)
        mu = as_float_array(self.mu, "mu", ndim=(2, 3))
        check_shape(mu, "mu", (H, d, S) if mu.ndim == 3 else (d, S))
        mu3 = mu if mu.ndim == 3 else np.broadcast_to(mu, (H, d, S)).copy()
        th = as_float_array(self.theta_r, "theta_r", ndim=(1, 2))
        check_shape(th, "theta_r", (H, d) if th.ndim == 2 else (d,))
        th2 = th if th.ndim == 2 else np.broadcast_to(th, (H, d)).copy()
        mu0 = as_float_array(self.mu0, "mu0", ndim=1)
        check_shape(mu0, "mu0", (S,))
        check_distribution(mu0, "mu0")
        fn = np.linalg.norm(phi, axis=2)
        if fn.max() > 1.0 + NORM_ATOL:
            s, a = np.unravel_index(int(np.argmax(fn)), fn.shape)
            raise ValidationError(f"||phi({s},{a})||_2 = {fn.max():.6g} (rule: ||phi(s,a)||_2 <= 1)")
        tn = np.linalg.norm(th2, axis=1)
        if tn.max() > np.sqrt(d) + NORM_ATOL:
            h = int(np.argmax(tn))
            raise ValidationError(f"||theta_r[{h}]||_2 = {tn[h]:.6g} (rule: ||theta_h||_2 <= sqrt(d))")
        mn = np.sqrt((np.abs(mu3).sum(axis=2) ** 2).sum(axis=1))
        if mn.max() > np.sqrt(d) + NORM_ATOL:
            h = int(np.argmax(mn))
            raise ValidationError(f"mu[{h}]: sup_|v|<=1 ||sum_s' v(s') mu_h(s')||_2 may reach {mn[h]:.6g} "
                                  "(rule: <= sqrt(d))")
        P = np.einsum("sad,hdt->hsat", phi, mu3)
        for h in range(H):
            check_distribution(P[h], f"P[{h}] = <phi, mu_{h}>")
        R = np.einsum("sad,hd->hsa", phi, th2)
        if self.reward_range not in REWARD_RANGES:
            raise ValidationError(f"reward_range = {self.reward_range!r} (rule: one of {REWARD_RANGES})")
        check_range(R, "R = <phi, theta_r>", 0.0, 1.0, what="rewards")
        TabularMDP(P, R, mu0, H=H, reward_range=self.reward_range)
        for nm, val in (("phi", phi), ("mu", mu3), ("theta_r", th2), ("mu0", mu0), ("P", P), ("R", R)):
            set_(self, nm, _freeze(val))
        for nm, val in (("S", S), ("A", A), ("d", d), ("H", H)):
            set_(self, nm, val)

    def to_tabular(self) -> TabularMDP:
        """The equivalent :class:`TabularMDP` (step-dependent ``P`` and ``R``)."""
        return TabularMDP(self.P, self.R, self.mu0, H=self.H, reward_range=self.reward_range,
                          name=self.name)

    def __repr__(self) -> str:
        nm = f"{self.name!r}, " if self.name else ""
        return f"LinearMDP({nm}H={self.H}, S={self.S}, A={self.A}, d={self.d}, reward_range={self.reward_range!r})"


__all__ = ["LinearMixtureMDP", "LinearMDP", "max_phi_V_norm", "NORM_ATOL"]
