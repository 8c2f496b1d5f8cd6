r"""The Gamma = 2 lower-bound family for latent MDPs (**reconstructed**).

Zhou, Wang & Du, "Horizon-Free and Variance-Dependent Reinforcement Learning
for Latent Markov Decision Processes", ICML 2023, arXiv 2210.11604: a lower
bound :math:`\Omega(\sqrt{\mathrm{Var}^* M S A K})` with :math:`\Gamma = 2` for
variance-bounded LMDPs [V, statement].  The construction below follows the
specification's outline (Section 5, [R], not checked against the paper's proof):

* all :math:`M` contexts share the start state (the root of a binary tree)
  and look identical before any informative transition;
* the agent navigates a complete binary tree of depth ``depth`` with
  deterministic moves (action 0: left, any other action: right), reaching one
  of :math:`L = 2^{\mathrm{depth}}` leaves;
* at a leaf every action moves to a rewarding state :math:`W` (reward 1, then
  absorbing :math:`Z`) w.p. :math:`q` and to :math:`Z` otherwise (:math:`\Gamma = 2`),
  where :math:`q = q_0 = 1/2` except for one *target* (context, leaf, action),
  where :math:`q = q_0 + \varepsilon`.

The base instance has no target.  With the context revealed only at the end
of an episode, a learner faces :math:`M L A` hard arms, each seen with
probability about :math:`1/M` per episode; :math:`\mathrm{Var}^*` is set by the
Bernoulli step, :math:`q_0(1-q_0)`.  The per-episode divergence of the pair
(target vs base) under any policy is at most
:math:`w_{m^*}\,\mathrm{kl}(q_0 + \varepsilon \,\|\, q_0) = O(\varepsilon^2 / M)`.

``perturbation="deterministic"`` builds the pair the statement does not cover
(used as a contrast): at the target the base law is a point mass
(:math:`q_0 = 1`) and the perturbed one :math:`1 - \varepsilon`, a change of
support degree, whose divergence is of order :math:`\varepsilon`, not
:math:`\varepsilon^2`.
"""

from __future__ import annotations

import numpy as np

from ..._errors import ValidationError
from ..._validation import check_int
from ...models.latent import LatentMDP

__all__ = ["lmdp_hard_pair", "uniform_trajectory_laws", "PERTURBATIONS"]

PERTURBATIONS = ("bernoulli", "deterministic")


def _instance(M, depth, A, q, H, name):
    L = 2 ** depth
    n_internal = L - 1
    S = n_internal + L + 2
    W, Z = S - 2, S - 1
    P = np.zeros((M, S, A, S))
    for node in range(n_internal):
        for a in range(A):
            P[:, node, a, 2 * node + 1 + (0 if a == 0 else 1)] = 1.0
    for leaf in range(L):
        s = n_internal + leaf
        P[:, s, :, W] = q[:, leaf, :]
        P[:, s, :, Z] = 1.0 - q[:, leaf, :]
    P[:, W, :, Z] = 1.0
    P[:, Z, :, Z] = 1.0
    R = np.zeros((M, S, A))
    R[:, W, :] = 1.0
    nu = np.zeros((M, S))
    nu[:, 0] = 1.0
    return LatentMDP(P, R, nu, np.full(M, 1.0 / M), H, name=name)


def lmdp_hard_pair(M: int, depth: int, A: int, eps: float, target=(0, 0, 0),
                   perturbation: str = "bernoulli") -> tuple[LatentMDP, LatentMDP]:
    r"""The pair (base, perturbed at ``target = (m, leaf, a)``) of the lower-bound family.

    ``H = depth + 2`` (navigate, draw at the leaf, collect at :math:`W`);
    :math:`S = 2^{\mathrm{depth}+1} + 1`.  ``perturbation``: ``"bernoulli"``
    (:math:`1/2 \to 1/2 + \varepsilon`, the family) or ``"deterministic"``
    (:math:`1 \to 1 - \varepsilon`, outside it).
    """
    M, depth, A = check_int(M, "M"), check_int(depth, "depth", minimum=0), check_int(A, "A", minimum=2)
    if perturbation not in PERTURBATIONS:
        raise ValidationError(f"perturbation = {perturbation!r} (rule: one of {PERTURBATIONS})")
    eps = float(eps)
    q0 = 0.5 if perturbation == "bernoulli" else 1.0
    if not (np.isfinite(eps) and 0.0 < eps <= 0.5):
        raise ValidationError(f"eps = {eps!r} (rule: 0 < eps <= 1/2)")
    m, leaf, a = (int(t) for t in target)
    L = 2 ** depth
    if not (0 <= m < M and 0 <= leaf < L and 0 <= a < A):
        raise ValidationError(f"target = {tuple(target)} (rule: (m, leaf, a) with m < {M}, leaf < {L}, a < {A})")
    q = np.full((M, L, A), q0)
    base = _instance(M, depth, A, q, depth + 2, f"lmdp_hard_base(M={M}, depth={depth}, A={A})")
    q[m, leaf, a] = q0 + eps if perturbation == "bernoulli" else q0 - eps
    pert = _instance(M, depth, A, q, depth + 2,
                     f"lmdp_hard_target(M={M}, depth={depth}, A={A}, eps={eps:g}, {perturbation})")
    return base, pert


def uniform_trajectory_laws(first: LatentMDP, second: LatentMDP) -> tuple[np.ndarray, np.ndarray]:
    r"""The laws of one episode's observation :math:`(m, s_0, a_0, r_0, \dots, s_H)` under the uniformly
    random policy in two LMDPs of the same shape, as two aligned flat arrays.

    The observation includes the context, revealed at the end of the episode
    (context in hindsight).  Cells are the observations of positive
    probability under either model, in lexicographic order, so the arrays can
    be passed to :func:`rltheory.solvers.kl` and its siblings.
    """
    if first.P.shape != second.P.shape or first.H != second.H:
        raise ValidationError("the two LMDPs have different shapes or horizons (rule: same M, S, A, H)")
    laws = [dict(), dict()]
    for j, L in enumerate((first, second)):
        def rec(m, s, h, prob, obs):
            if h == L.H:
                laws[j][obs] = laws[j].get(obs, 0.0) + prob
                return
            for a in range(L.A):
                pa = prob / L.A
                for t in np.flatnonzero(L.P[m, s, a] > 0):
                    rec(m, int(t), h + 1, pa * L.P[m, s, a, t], obs + (a, float(L.R[m, s, a]), int(t)))
        for m in range(L.M):
            for s in np.flatnonzero(L.nu[m] > 0):
                rec(m, int(s), 0, L.w[m] * L.nu[m, s], (m, int(s)))
    cells = sorted(set(laws[0]) | set(laws[1]))
    return (np.array([laws[0].get(c, 0.0) for c in cells]), np.array([laws[1].get(c, 0.0) for c in cells]))
