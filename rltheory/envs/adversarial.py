r"""Adversarial MDP instances with linear Q: transitions, features and oblivious loss sequences.

Dai, Luo, Wei & Zimmert, ICML 2023, arXiv 2301.12942; the instance families of the
specification, Section 6 [R, design]:

* :func:`layered_one_hot`: a layered tabular MDP (``S`` states per step, Dirichlet rows) with
  one-hot features :math:`\phi(s,a) = e_{(s,a)}`, :math:`d = SA`: linear Q holds for every loss table;
* :func:`random_linear_adversarial`: a random linear MDP, :math:`\phi(s,a) \sim \mathrm{Dirichlet}(1)`
  on :math:`d` coordinates and :math:`P_h(s'|s,a) = \phi(s,a)^\top\psi_h(s')` with each
  :math:`\psi_{h,i}` a distribution over states; with linear losses
  :math:`\ell_{k,h}(s,a) = \phi(s,a)^\top\theta_{k,h}`, :math:`Q^\pi_{k,h} = \phi^\top(\theta_{k,h} +
  \sum_{s'}\psi_h(s')V^\pi_{k,h+1}(s'))` is linear for every policy;
* :func:`delayed_reward_trap`: the action that is worse now leads to the only state where a
  later action avoids all further loss.

Loss sequences are generated up front from the seed (oblivious adversary) as linear losses
:math:`\ell_{k,h}(s,a) = \phi(s,a)^\top\theta_{k,h}` with :math:`\theta_{k,h}\in[0,1]^d`; features
with non-negative entries summing to at most 1 keep :math:`\ell \in [0,1]`:

* ``"stochastic"`` (:func:`stochastic_theta`): i.i.d. :math:`\theta_{k,h,i} \sim \mathrm{Bernoulli}(m_{h,i})`,
  :math:`m_{h,i} \sim U[0.2, 0.8]` drawn once;
* ``"switching"`` (:func:`switching_theta`): :math:`\theta_{k,h} = \mathrm{clip}(m_h + \alpha\,\sigma_{j(k)} z_h, 0, 1)`
  with :math:`m_h \sim U[0.4, 0.6]^d`, :math:`z_h \in \{\pm1\}^d` uniform, amplitude :math:`\alpha` (0.3)
  and the sign :math:`\sigma_j = (-1)^j` of block :math:`j(k) = \lfloor n k / K\rfloor` (:math:`n = 8`
  blocks: the best action changes every :math:`K/8` episodes, the alternating component cancels
  over the horizon and the comparator is decided by :math:`m_h`).
"""

from __future__ import annotations

import numpy as np

from .._errors import ValidationError
from .._random import as_generator
from .._validation import check_int
from ..kernels.linalg import matmul
from ..models.adversarial import AdversarialMDP

__all__ = ["one_hot_features", "layered_transitions", "stochastic_theta", "switching_theta", "linear_losses",
           "layered_one_hot", "random_linear_adversarial", "delayed_reward_trap", "LOSS_SEQUENCES"]

LOSS_SEQUENCES = ("stochastic", "switching")


def one_hot_features(S: int, A: int) -> np.ndarray:
    """``phi (S, A, S*A)`` with ``phi[s, a] = e_{s*A + a}``."""
    S, A = check_int(S, "S"), check_int(A, "A")
    return np.eye(S * A).reshape(S, A, S * A)


def layered_transitions(S: int, A: int, H: int, rng: np.random.Generator) -> np.ndarray:
    """``P (H, S, A, S)`` with Dirichlet(1) rows: step ``h`` maps layer ``h`` to layer ``h+1``."""
    return rng.dirichlet(np.ones(S), size=(H, S, A))


def stochastic_theta(d: int, H: int, K: int, rng: np.random.Generator) -> np.ndarray:
    r"""``theta (K, H, d)``: i.i.d. Bernoulli coordinates with means :math:`U[0.2, 0.8]` (module docstring)."""
    m = rng.uniform(0.2, 0.8, size=(H, d))
    return (rng.random((K, H, d)) < m).astype(np.float64)


def switching_theta(d: int, H: int, K: int, rng: np.random.Generator, n_blocks: int = 8,
                    amplitude: float = 0.3, spread: float = 0.1) -> np.ndarray:
    r"""``theta (K, H, d)``: a fixed mean plus an alternating-sign component flipped every ``K / n_blocks``
    episodes (module docstring)."""
    n_blocks = check_int(n_blocks, "n_blocks")
    if not 0 <= amplitude <= 1:
        raise ValidationError(f"amplitude = {amplitude} (rule: in [0, 1])")
    m = rng.uniform(0.5 - spread, 0.5 + spread, size=(H, d))
    z = rng.choice(np.array([-1.0, 1.0]), size=(H, d))
    block = (np.arange(K) * n_blocks) // K
    sign = np.where(block % 2 == 0, 1.0, -1.0)
    return np.clip(m[None] + amplitude * sign[:, None, None] * z[None], 0.0, 1.0)


def linear_losses(phi: np.ndarray, theta: np.ndarray) -> np.ndarray:
    r"""``losses (K, H, S, A)`` with :math:`\ell_{k,h}(s,a) = \phi(s,a)^\top\theta_{k,h}` (fixed-order sums)."""
    S, A, d = phi.shape
    K, H, _ = theta.shape
    out = np.empty((K * H, S * A))
    matmul(np.ascontiguousarray(theta.reshape(K * H, d)), np.ascontiguousarray(phi.reshape(S * A, d).T), out)
    return np.clip(out.reshape(K, H, S, A), 0.0, 1.0)


def _theta(kind: str, d: int, H: int, K: int, rng, **kw) -> np.ndarray:
    if kind == "stochastic":
        return stochastic_theta(d, H, K, rng)
    if kind == "switching":
        return switching_theta(d, H, K, rng, **kw)
    raise ValidationError(f"losses = {kind!r} (rule: one of {LOSS_SEQUENCES})")


def layered_one_hot(S: int, A: int, H: int, K: int, seed, losses: str = "switching", **kw) -> AdversarialMDP:
    """Layered tabular MDP, one-hot features (:math:`d = SA`), start state 0, loss sequence ``losses``.

    The stream draws the transitions first, then the loss sequence.

    Examples
    --------
    >>> m = layered_one_hot(S=3, A=4, H=3, K=16, seed=0)
    >>> (m.K, m.H, m.S, m.A, m.d)
    (16, 3, 3, 4, 12)
    """
    S, A, H, K = (check_int(v, n) for v, n in ((S, "S"), (A, "A"), (H, "H"), (K, "K")))
    rng = as_generator(seed)
    P = layered_transitions(S, A, H, rng)
    phi = one_hot_features(S, A)
    L = linear_losses(phi, _theta(losses, S * A, H, K, rng, **kw))
    mu0 = np.zeros(S)
    mu0[0] = 1.0
    return AdversarialMDP(P, L, phi, mu0, name=f"layered_one_hot(S={S}, A={A}, H={H}, {losses})")


def random_linear_adversarial(S: int, A: int, H: int, d: int, K: int, seed, losses: str = "switching",
                              **kw) -> AdversarialMDP:
    r"""Random linear MDP with linear adversarial losses (module docstring); start state 0.

    The stream draws :math:`\phi`, then :math:`\psi`, then the loss sequence.

    Examples
    --------
    >>> m = random_linear_adversarial(S=5, A=3, H=2, d=4, K=8, seed=0)
    >>> m.linear_q_check().holds
    True
    """
    S, A, H, d, K = (check_int(v, n) for v, n in ((S, "S"), (A, "A"), (H, "H"), (d, "d"), (K, "K")))
    rng = as_generator(seed)
    phi = rng.dirichlet(np.ones(d), size=(S, A))
    psi = rng.dirichlet(np.ones(S), size=(H, d))                 # psi[h, i, :] a distribution over s'
    P = np.empty((H, S * A, S))
    for h in range(H):
        matmul(np.ascontiguousarray(phi.reshape(S * A, d)), np.ascontiguousarray(psi[h]), P[h])
    P = P.reshape(H, S, A, S)
    P = P / P.sum(axis=3, keepdims=True)          # rounding only: rows sum to 1 exactly in exact arithmetic
    L = linear_losses(phi, _theta(losses, d, H, K, rng, **kw))
    mu0 = np.zeros(S)
    mu0[0] = 1.0
    return AdversarialMDP(P, L, phi, mu0, name=f"random_linear(S={S}, A={A}, H={H}, d={d}, {losses})")


def delayed_reward_trap(A: int, H: int, K: int, seed=None, noise: float = 0.0) -> AdversarialMDP:
    r"""The delayed-reward trap: two states per step, one-hot features (:math:`d = 2A`).

    Step 0, state 0: action 0 costs 0.5 and leads to state 1; every other action costs 0.3 and
    stays in state 0.  In state 1 at steps :math:`h \ge 1` action :math:`A-1` costs 0 and stays in
    state 1, any other action costs 1 and falls to state 0; state 0 at :math:`h \ge 1` costs 0.5
    for every action and stays.  The best policy pays 0.5 (action 0, then :math:`A-1`), while
    the greedy first step pays :math:`0.3 + 0.5(H-1)`; under the uniform policy state 1 looks
    worse than staying, so its benefit appears only once the later layers are learnt.  With
    ``noise > 0`` each loss gets an i.i.d. :math:`U[-\mathrm{noise}, \mathrm{noise}]` perturbation
    (clipped to [0, 1]) drawn from ``seed``.
    """
    A, H, K = check_int(A, "A", minimum=2), check_int(H, "H", minimum=2), check_int(K, "K")
    P = np.zeros((H, 2, A, 2))
    base = np.zeros((H, 2, A))
    P[0, 0, 0, 1] = 1.0
    P[0, 0, 1:, 0] = 1.0
    base[0, 0, 0] = 0.5
    base[0, 0, 1:] = 0.3
    P[0, 1, :, 1] = 1.0                     # state 1 is unreachable at step 0 (mu0 = e_0)
    base[0, 1, :] = 0.5
    for h in range(1, H):
        P[h, 1, :A - 1, 0] = 1.0
        P[h, 1, A - 1, 1] = 1.0
        base[h, 1, :A - 1] = 1.0
        base[h, 1, A - 1] = 0.0
        P[h, 0, :, 0] = 1.0
        base[h, 0, :] = 0.5
    L = np.broadcast_to(base, (K, H, 2, A)).copy()
    if noise > 0:
        rng = as_generator(seed if seed is not None else 0)
        L = np.clip(L + rng.uniform(-noise, noise, size=L.shape), 0.0, 1.0)
    return AdversarialMDP(P, L, one_hot_features(2, A), np.array([1.0, 0.0]),
                          name=f"delayed_reward_trap(A={A}, H={H})")
