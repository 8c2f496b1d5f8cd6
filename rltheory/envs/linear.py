r"""Generators of linear mixture MDPs and linear MDPs on finite state spaces.

* :func:`random_linear_mixture` -- Dirichlet basis kernels, :math:`\theta^*` in a
  scaled simplex, one rarely reached state (the instance family 2 of the
  HF-UCRL-RFE++ specification, Zhang, Zhang & Gu, ICML 2023, arXiv 2303.10165).
* :func:`linear_mixture_chain` -- a chain whose only reward, :math:`1/H` per step,
  lies at the end of the optimal path (family 3 of the same specification).
* :func:`random_linear_mdp` -- features in the simplex, Dirichlet measures
  (Jin et al. 2020's normalisation).

Scaling of a mixture of kernels.  If :math:`P_1, \dots, P_d` are transition
kernels and :math:`w` lies in the probability simplex, then with
:math:`\phi_i = P_i / c` and :math:`\theta^* = c\,w`,
:math:`\langle\phi(\cdot|s,a),\theta^*\rangle = \sum_i w_i P_i(\cdot|s,a)` is a
kernel, :math:`\|\phi_V(s,a)\|_2 = c^{-1}\|(P_iV)_{i}\|_2 \le \sqrt d / c` for
:math:`V\in[0,1]^S`, and :math:`\|\theta^*\|_2 \le c`.  The choice
:math:`c = \sqrt d` makes :math:`\|\phi_V\|_2 \le 1` and :math:`B = \sqrt d`.
"""

from __future__ import annotations

import numpy as np

from .._errors import ValidationError
from .._validation import check_int
from ..models.linear import LinearMDP, LinearMixtureMDP
from .._random import as_generator


def _start(S: int) -> np.ndarray:
    mu0 = np.zeros(S)
    mu0[0] = 1.0
    return mu0


def random_linear_mixture(S: int, A: int, d: int, H: int, seed, *, rare_prob: float = 0.05,
                          concentration: float = 1.0) -> LinearMixtureMDP:
    r"""A random linear mixture MDP with a rarely reached state.

    Construction (states :math:`0,\dots,S-1`; start state 0; the last state
    :math:`S-1` is the *rare* state):

    1. For each basis index :math:`i` and pair :math:`(s,a)`, a kernel
       :math:`P_i(\cdot|s,a) \sim \mathrm{Dirichlet}(\text{concentration})` over
       the ordinary states :math:`0,\dots,S-2`.
    2. The gate pair :math:`(0, A-1)` leaks mass ``rare_prob`` to the rare state
       under every basis kernel:
       :math:`P_i(\cdot|0,A-1) \leftarrow (1-p)P_i(\cdot|0,A-1) + p\,e_{S-1}`.
       No other pair reaches it, so visiting it needs a deliberate,
       low-probability branch.
    3. :math:`w \sim \mathrm{Dirichlet}(1)` over :math:`d`;
       :math:`\theta^* = \sqrt d\,w`, :math:`\phi_i = P_i/\sqrt d` (module
       docstring), :math:`B = \sqrt d`.
    4. The instance's reward :math:`r(s,a) \sim U[0, 1/H]` (stationary), so every
       trajectory collects at most 1 (``reward_range="total"``).

    Parameters
    ----------
    S : int, >= 3
    A : int, >= 1
    d : int, >= 1
    H : int, >= 1
    seed : int, SeedSequence or Generator
    rare_prob : float in (0, 1)
    concentration : float > 0

    Returns
    -------
    LinearMixtureMDP
    """
    S = check_int(S, "S", minimum=3)
    A = check_int(A, "A", minimum=1)
    d = check_int(d, "d", minimum=1)
    H = check_int(H, "H", minimum=1)
    if not 0.0 < rare_prob < 1.0:
        raise ValidationError(f"rare_prob = {rare_prob} (rule: in (0, 1))")
    if not concentration > 0:
        raise ValidationError(f"concentration = {concentration} (rule: > 0)")
    rng = as_generator(seed)
    Pi = np.zeros((d, S, A, S))
    Pi[..., : S - 1] = rng.dirichlet(np.full(S - 1, float(concentration)), size=(d, S, A))
    Pi[:, 0, A - 1, :] *= 1.0 - rare_prob
    Pi[:, 0, A - 1, S - 1] = rare_prob
    w = rng.dirichlet(np.ones(d))
    c = np.sqrt(d)
    phi = np.ascontiguousarray(np.moveaxis(Pi, 0, -1) / c)       # (S, A, S, d)
    R = rng.uniform(0.0, 1.0, size=(S, A)) / H
    return LinearMixtureMDP(phi, c * w, _start(S), H, R=R, reward_range="total", B=float(c),
                            name=f"random_linear_mixture(S={S}, A={A}, d={d})")


def linear_mixture_chain(n: int, H: int, d: int = 2, success=None, weights=None) -> LinearMixtureMDP:
    r"""A chain of ``n`` states whose reward :math:`1/H` per step lies only at its end.

    Actions: 0 = *forward*, 1 = *wait*.  Basis kernel :math:`i`: *forward* moves
    :math:`s \to \min(s+1, n-1)` with probability :math:`q_i` (``success[i]``)
    and falls back to state 0 otherwise; *wait* stays put.  With
    :math:`\theta^* = \sqrt d\,w` and :math:`\phi_i = P_i/\sqrt d`, the true
    kernel moves forward with probability :math:`\bar q = \sum_i w_i q_i`.

    Reward :math:`r(n-1, \cdot) = 1/H`, zero elsewhere; the optimal path is
    "always forward", and every trajectory collects at most :math:`(H-n+1)/H \le 1`
    (``reward_range="total"``).  Start state 0.

    Parameters
    ----------
    n : int, >= 2
    H : int, >= 1
    d : int, >= 1
    success : array (d,), optional
        :math:`q_i \in [0,1]` (default ``linspace(0.5, 0.95, d)``).
    weights : array (d,), optional
        :math:`w` in the simplex (default uniform).
    """
    n = check_int(n, "n", minimum=2)
    H = check_int(H, "H", minimum=1)
    d = check_int(d, "d", minimum=1)
    q = np.linspace(0.5, 0.95, d) if success is None else np.asarray(success, dtype=float)
    w = np.full(d, 1.0 / d) if weights is None else np.asarray(weights, dtype=float)
    if q.shape != (d,) or np.any(q < 0) or np.any(q > 1):
        raise ValidationError(f"success = {q} (rule: a ({d},) vector in [0, 1])")
    if w.shape != (d,) or np.any(w < 0) or abs(w.sum() - 1) > 1e-12:
        raise ValidationError(f"weights = {w} (rule: a ({d},) probability vector)")
    Pi = np.zeros((d, n, 2, n))
    for i in range(d):
        for s in range(n):
            Pi[i, s, 0, min(s + 1, n - 1)] += q[i]
            Pi[i, s, 0, 0] += 1.0 - q[i]
            Pi[i, s, 1, s] = 1.0
    c = np.sqrt(d)
    phi = np.ascontiguousarray(np.moveaxis(Pi, 0, -1) / c)
    R = np.zeros((n, 2))
    R[n - 1, :] = 1.0 / H
    return LinearMixtureMDP(phi, c * w, _start(n), H, R=R, reward_range="total", B=float(c),
                            name=f"linear_mixture_chain(n={n}, d={d})")


def random_linear_mdp(S: int, A: int, d: int, H: int, seed, *, stationary: bool = False,
                      reward_range: str = "per_step") -> LinearMDP:
    r"""A random linear MDP in Jin et al. (2020)'s normalisation.

    :math:`\phi(s,a) \sim \mathrm{Dirichlet}(1)` over :math:`d` (so
    :math:`\|\phi\|_2\le 1`), each :math:`\mu_{h,i}(\cdot) \sim
    \mathrm{Dirichlet}(1)` over :math:`S` (a distribution, so
    :math:`P_h(\cdot|s,a)=\sum_i\phi_i(s,a)\mu_{h,i}` is one), and
    :math:`\theta_h \sim U[0,1]^d` (rewards in :math:`[0,1]`); with
    ``reward_range="total"`` the reward parameters are divided by :math:`H`.
    Start state 0.
    """
    S = check_int(S, "S", minimum=1)
    A = check_int(A, "A", minimum=1)
    d = check_int(d, "d", minimum=1)
    H = check_int(H, "H", minimum=1)
    rng = as_generator(seed)
    phi = rng.dirichlet(np.ones(d), size=(S, A))
    nh = 1 if stationary else H
    mu = rng.dirichlet(np.ones(S), size=(nh, d))
    th = rng.uniform(0.0, 1.0, size=(nh, d))
    if reward_range == "total":
        th = th / H
    if stationary:
        mu, th = mu[0], th[0]
    return LinearMDP(phi, mu, th, _start(S), H, reward_range=reward_range,
                     name=f"random_linear_mdp(S={S}, A={A}, d={d})")


__all__ = ["random_linear_mixture", "linear_mixture_chain", "random_linear_mdp"]
