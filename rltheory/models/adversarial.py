r"""Episodic MDPs with fixed transitions and adversarial losses, with features for linear Q.

The setting of Dai, Luo, Wei & Zimmert, "Refined Regret for Adversarial MDPs
with Linear Function Approximation", ICML 2023, arXiv 2301.12942 (Section 1 of
the specification; details [R] following Luo, Wei & Lee 2021, arXiv 2107.08346).

Model
-----
Steps :math:`h = 0, \dots, H-1` (the paper's layers :math:`S_1, \dots, S_H`:
the state set of step :math:`h` is the layer, so a step-indexed kernel
``P[h, s, a, s']`` on ``S`` states is a layered MDP with :math:`|S_h| = S`).
Transitions :math:`P_h(s'|s,a)` are fixed; an oblivious adversary fixes the
loss sequence :math:`\ell_k : [H] \times \mathcal S \times \mathcal A \to [0,1]`,
:math:`k = 0, \dots, K-1`, before the first episode (``losses[k, h, s, a]``).
Features :math:`\phi(s,a) \in \mathbb R^d` with :math:`\|\phi(s,a)\|_2 \le 1`
(``phi[s, a, :]``).  The value of a policy on episode :math:`k`'s losses is
its expected total loss
:math:`V^\pi_k = \sum_s \mu_0(s) V^\pi_{k,0}(s)`,
:math:`Q^\pi_{k,h} = \ell_{k,h} + P_h V^\pi_{k,h+1}`.

Linear-Q assumption
-------------------
For every policy :math:`\pi`, episode :math:`k` and step :math:`h` there is
:math:`\theta^\pi_{k,h}` with :math:`Q^\pi_{k,h}(s,a) = \phi(s,a)^\top\theta^\pi_{k,h}`,
i.e. every :math:`Q^\pi_{k,h}`, as a vector of length :math:`SA`, lies in the
column space :math:`C = \mathrm{col}(\Phi)` of :math:`\Phi \in \mathbb R^{SA \times d}`.

:func:`linear_q_check` decides it exactly (up to a rank tolerance) without
enumerating policies.  :math:`V^\pi_{k,h}` is multi-affine in the action
distributions :math:`\pi_{h'}(\cdot|s)`, which vary independently, so the
affine hull of :math:`\{V^\pi_{k,h}\}_\pi` is
:math:`V^{\pi_0}_{k,h} + D_{k,h}` for any deterministic :math:`\pi_0`, with
:math:`D_{k,H} = \{0\}` and, writing :math:`g_h(s,a;v) = \ell_{k,h}(s,a) + (P_h v)(s,a)`,

.. math::

    D_{k,h} = \mathrm{span}\bigl\{ e_s\,(g_h(s,a; V^{\pi_0}_{k,h+1}) - g_h(s,\pi_0(s); V^{\pi_0}_{k,h+1})) \bigr\}_{s,a}
      + \{ P^{\pi_0}_h u \}_{u \in D_{k,h+1}}
      + \mathrm{span}\bigl\{ e_s\,((P_h u)(s,a) - (P_h u)(s,\pi_0(s))) \bigr\}_{s, a, u \in D_{k,h+1}},

the three terms being the variation of the action at step :math:`h`, of the
later policy, and of both (bi-affine cross term).  Then linear-Q holds iff for
all :math:`k, h`: :math:`Q^{\pi_0}_{k,h} \in C` and :math:`P_h u \in C` for every
:math:`u` in a basis of :math:`D_{k,h+1}` (since :math:`Q^\pi_{k,h} - Q^{\pi_0}_{k,h}
= P_h(V^\pi_{k,h+1} - V^{\pi_0}_{k,h+1})`).  The tests compare it with the
enumeration of all deterministic policies on small instances.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from .._errors import ValidationError
from .._validation import as_float_array, check_distribution, check_range, check_shape
from ..kernels.mdp import evaluate_deterministic_kernel

__all__ = ["AdversarialMDP", "LinearQCheck", "linear_q_check", "linear_q_brute_force", "NORM_ATOL"]

#: Tolerance on :math:`\|\phi(s,a)\|_2 \le 1`.
NORM_ATOL = 1e-9


def _freeze(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class AdversarialMDP:
    r"""A layered episodic MDP with a fixed kernel and an oblivious loss sequence.

    Parameters
    ----------
    P : array_like(float), shape (H, S, A, S) or (S, A, S)
        ``P[h, s, a, s']`` = :math:`P_h(s'|s,a)`; a stationary ``(S, A, S)`` kernel needs ``H``.
    losses : array_like(float), shape (K, H, S, A)
        ``losses[k, h, s, a]`` = :math:`\ell_{k,h}(s,a) \in [0, 1]`, fixed before episode 0.
    phi : array_like(float), shape (S, A, d)
        Features with :math:`\|\phi(s,a)\|_2 \le 1`.
    mu0 : array_like(float), shape (S,)
        Initial distribution (the paper's fixed initial state is a point mass).
    name : str

    Attributes
    ----------
    K, H, S, A, d : int
    P4 : read-only (HP, S, A, S) view, HP in {1, H} (what kernels take).
    P, losses, phi, mu0 : read-only float64 arrays.

    Raises
    ------
    ValidationError
        Naming the array, the first offending index and the rule.

    Examples
    --------
    >>> import numpy as np
    >>> P = np.full((2, 2, 2), 0.5)
    >>> phi = np.eye(4).reshape(2, 2, 4)
    >>> M = AdversarialMDP(P, np.zeros((3, 2, 2, 2)), phi, [1.0, 0.0], H=2)
    >>> (M.K, M.H, M.S, M.A, M.d)
    (3, 2, 2, 2, 4)
    >>> AdversarialMDP(P, np.full((3, 2, 2, 2), 2.0), phi, [1.0, 0.0], H=2)
    Traceback (most recent call last):
        ...
    rltheory._errors.ValidationError: losses[0, 0, 0, 0] = 2 (rule: losses must lie in [0, 1])
    """

    P: np.ndarray
    losses: np.ndarray
    phi: np.ndarray
    mu0: np.ndarray
    H: int | None = None
    name: str = ""
    K: int = field(init=False)
    S: int = field(init=False)
    A: int = field(init=False)
    d: int = field(init=False)
    P4: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        set_ = object.__setattr__
        P = as_float_array(self.P, "P", ndim=(3, 4))
        L = as_float_array(self.losses, "losses", ndim=4)
        phi = as_float_array(self.phi, "phi", ndim=3)
        mu0 = as_float_array(self.mu0, "mu0", ndim=1)
        P4 = P if P.ndim == 4 else P[None]
        S, A = P4.shape[1], P4.shape[2]
        H = L.shape[1]
        if self.H is not None and int(self.H) != H:
            raise ValidationError(f"H = {self.H} but losses has {H} steps (rule: losses has shape (K, H, S, A))")
        if P.ndim == 4:
            check_shape(P, "P", (H, S, A, S))
        else:
            check_shape(P, "P", (S, A, S))
        check_distribution(P, "P")
        check_shape(L, "losses", (None, H, S, A))
        if L.shape[0] < 1:
            raise ValidationError("losses has K = 0 episodes (rule: K >= 1)")
        check_range(L, "losses", 0.0, 1.0, what="losses")
        check_shape(phi, "phi", (S, A, None))
        if phi.shape[2] < 1:
            raise ValidationError("phi has d = 0 features (rule: d >= 1)")
        nrm = np.sqrt((phi * phi).sum(axis=2))
        bad = nrm > 1.0 + NORM_ATOL
        if bad.any():
            s, a = np.argwhere(bad)[0]
            raise ValidationError(f"phi[{s}, {a}, :] has norm {nrm[s, a]:.6g} (rule: ||phi(s,a)||_2 <= 1)")
        check_shape(mu0, "mu0", (S,))
        check_distribution(mu0, "mu0")
        for nm, val in (("P", P), ("losses", L), ("phi", phi), ("mu0", mu0)):
            set_(self, nm, _freeze(val))
        set_(self, "P4", _freeze(P4.view()))
        set_(self, "H", int(H))
        set_(self, "K", int(L.shape[0]))
        set_(self, "S", int(S))
        set_(self, "A", int(A))
        set_(self, "d", int(phi.shape[2]))

    @property
    def stationary(self) -> bool:
        """Whether one kernel serves every step."""
        return self.P4.shape[0] == 1

    def linear_q_check(self, tol: float = 1e-9) -> "LinearQCheck":
        """:func:`linear_q_check` of this model."""
        return linear_q_check(self, tol)

    def __repr__(self) -> str:
        nm = f"{self.name!r}, " if self.name else ""
        return f"AdversarialMDP({nm}K={self.K}, H={self.H}, S={self.S}, A={self.A}, d={self.d})"


@dataclass(frozen=True)
class LinearQCheck:
    r"""Outcome of the exact linear-Q check.

    Attributes
    ----------
    holds : bool
        Every :math:`Q^\pi_{k,h}` lies in :math:`\mathrm{col}(\Phi)` (relative residual <= ``tol``).
    max_residual : float
        Largest relative residual :math:`\|(I - \Pi_C) q\|_2 / \max(1, \|q\|_2)` met.
    where : tuple (k, h) or None
        The first episode and step where the residual exceeds ``tol``.
    """

    holds: bool
    max_residual: float
    where: tuple | None = None


def _basis(M: np.ndarray, tol: float) -> np.ndarray:
    """Orthonormal basis (columns) of the column space of ``M`` (relative rank tolerance ``tol``)."""
    if M.size == 0 or M.shape[1] == 0:
        return np.zeros((M.shape[0], 0))
    U, sv, _ = np.linalg.svd(M, full_matrices=False)
    if sv.size == 0 or sv[0] == 0.0:
        return np.zeros((M.shape[0], 0))
    return U[:, sv > tol * max(sv[0], 1.0)]


def linear_q_check(model: AdversarialMDP, tol: float = 1e-9) -> LinearQCheck:
    r"""Decide the linear-Q assumption exactly by the affine-hull recursion of the module docstring.

    Cost :math:`O(K H (SA)^2 S)` (projections and one SVD per episode and step):
    meant for small instances.  ``tol`` is a relative tolerance on residuals and ranks.
    """
    H, S, A = model.H, model.S, model.A
    Phi = model.phi.reshape(S * A, model.d)
    C = _basis(Phi, tol)
    pi0 = np.zeros((H, S), dtype=np.int64)
    worst, where = 0.0, None

    def resid(q):
        r = q - C @ (C.T @ q)
        return float(np.linalg.norm(r) / max(1.0, np.linalg.norm(q)))

    for k in range(model.K):
        Q = np.empty((H, S, A))
        V = np.empty((H + 1, S))
        evaluate_deterministic_kernel(np.ascontiguousarray(model.P4), np.ascontiguousarray(model.losses[k]), H,
                                      pi0, Q, V)
        D = np.zeros((S, 0))                      # basis of D_{k,h+1} (columns)
        for h in range(H - 1, -1, -1):
            Ph = model.P4[h if model.P4.shape[0] > 1 else 0]
            r = resid(Q[h].reshape(-1))
            PD = np.einsum("sat,tj->saj", Ph, D)              # (S, A, dim D)
            for j in range(PD.shape[2]):
                r = max(r, resid(PD[:, :, j].reshape(-1)))
            if r > worst:
                worst = r
            if r > tol and where is None:
                where = (k, h)
            cols = []
            for s in range(S):                                 # action variation at step h
                for a in range(A):
                    e = np.zeros(S)
                    e[s] = Q[h, s, a] - Q[h, s, pi0[h, s]]
                    cols.append(e)
                    for j in range(PD.shape[2]):               # cross term
                        e = np.zeros(S)
                        e[s] = PD[s, a, j] - PD[s, pi0[h, s], j]
                        cols.append(e)
            for j in range(PD.shape[2]):                       # later-policy variation
                cols.append(PD[np.arange(S), pi0[h], j])
            D = _basis(np.array(cols).T if cols else np.zeros((S, 0)), tol)
    return LinearQCheck(where is None, worst, where)


def linear_q_brute_force(model: AdversarialMDP, tol: float = 1e-9, max_policies: int = 4096) -> LinearQCheck:
    r"""The linear-Q check by enumerating all :math:`A^{HS}` deterministic policies (tests only).

    Stochastic Markov policies need no enumeration: :math:`Q^\pi` is multi-affine in the
    action distributions, hence an affine combination of deterministic policies' ``Q``.
    """
    H, S, A = model.H, model.S, model.A
    n = A ** (H * S)
    if n > max_policies:
        raise ValidationError(f"A^(HS) = {n} policies (rule: at most max_policies = {max_policies})")
    C = _basis(model.phi.reshape(S * A, model.d), tol)
    worst, where = 0.0, None
    Q = np.empty((H, S, A))
    V = np.empty((H + 1, S))
    for k in range(model.K):
        for acts in itertools.product(range(A), repeat=H * S):
            pi = np.array(acts, dtype=np.int64).reshape(H, S)
            evaluate_deterministic_kernel(np.ascontiguousarray(model.P4), np.ascontiguousarray(model.losses[k]),
                                          H, pi, Q, V)
            for h in range(H):
                q = Q[h].reshape(-1)
                r = float(np.linalg.norm(q - C @ (C.T @ q)) / max(1.0, np.linalg.norm(q)))
                if r > worst:
                    worst = r
                if r > tol and where is None:
                    where = (k, h)
    return LinearQCheck(where is None, worst, where)
