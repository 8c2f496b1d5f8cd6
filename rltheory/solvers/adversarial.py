r"""Exact quantities of adversarial MDPs: the best fixed policy in hindsight and exact pseudo-regret.

Dai, Luo, Wei & Zimmert, ICML 2023, arXiv 2301.12942 (specification Section 1).  The transitions
are fixed, so the comparator of the regret

.. math::

    \mathrm{Reg}_K = \sum_{k<K} V^{\pi_k}_{\ell_k}(\mu_0) - \min_\pi \sum_{k<K} V^{\pi}_{\ell_k}(\mu_0)

solves **one** dynamic programme on the summed losses [D]: :math:`V^\pi_\ell` is linear in
:math:`\ell`, so :math:`\sum_k V^\pi_{\ell_k} = V^\pi_{\sum_k \ell_k}`, minimised over Markov
(deterministic) policies by backward induction
(:func:`rltheory.kernels.mdp.backward_induction_kernel` on :math:`-\sum_k\ell_k`; ties to the
lowest action).  Values here are expected total *losses*.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._validation import check_policy
from ..kernels.linalg import dot
from ..kernels.mdp import backward_induction_kernel, evaluate_stochastic_kernel, policy_value_deterministic
from ..models.adversarial import AdversarialMDP

__all__ = ["BestFixedPolicy", "best_fixed_policy", "pseudo_regret", "policy_losses"]


@dataclass(frozen=True, eq=False)
class BestFixedPolicy:
    r"""The best fixed policy in hindsight.

    Attributes
    ----------
    policy : int64 array (H, S)
        :math:`\pi^* \in \arg\min_\pi \sum_k V^\pi_{\ell_k}(\mu_0)` (deterministic, lowest action on ties).
    value : float
        :math:`\sum_k V^{\pi^*}_{\ell_k}(\mu_0)`, its total expected loss.
    per_episode : float64 array (K,)
        :math:`V^{\pi^*}_{\ell_k}(\mu_0)` for every episode.
    V : float64 array (H+1, S)
        Values of :math:`\pi^*` on the summed losses.
    """

    policy: np.ndarray
    value: float
    per_episode: np.ndarray
    V: np.ndarray


def best_fixed_policy(model: AdversarialMDP) -> BestFixedPolicy:
    """One DP on the summed losses (module docstring); ``per_episode`` by exact evaluation of each episode."""
    if not isinstance(model, AdversarialMDP):
        raise ValidationError(f"model is {type(model).__name__} (rule: an AdversarialMDP)")
    H, S, A = model.H, model.S, model.A
    P4 = np.ascontiguousarray(model.P4)
    neg = -np.ascontiguousarray(model.losses.sum(axis=0))
    Q = np.empty((H, S, A))
    V = np.empty((H + 1, S))
    pi = np.zeros((H, S), dtype=np.int64)
    backward_induction_kernel(P4, neg, H, Q, V, pi)
    per = np.empty(model.K)
    buf = np.empty((2, S))
    for k in range(model.K):
        per[k] = policy_value_deterministic(P4, np.ascontiguousarray(model.losses[k]), H, pi, model.mu0, buf)
    for a in (pi, per):
        a.setflags(write=False)
    return BestFixedPolicy(pi, float(per.sum()), per, -V)


def policy_losses(model: AdversarialMDP, policies) -> np.ndarray:
    r""":math:`V^{\pi_k}_{\ell_k}(\mu_0)` for a sequence of stochastic policies ``policies (K, H, S, A)``."""
    pols = np.asarray(policies, dtype=np.float64)
    if pols.shape != (model.K, model.H, model.S, model.A):
        raise ValidationError(f"policies has shape {pols.shape} (rule: expected (K, H, S, A) = "
                              f"{(model.K, model.H, model.S, model.A)})")
    P4 = np.ascontiguousarray(model.P4)
    out = np.empty(model.K)
    Q = np.empty((model.H, model.S, model.A))
    V = np.empty((model.H + 1, model.S))
    for k in range(model.K):
        pk = check_policy(pols[k], model.H, model.S, model.A, name=f"policies[{k}]", kind="stochastic")
        evaluate_stochastic_kernel(P4, np.ascontiguousarray(model.losses[k]), model.H, pk, Q, V)
        out[k] = float(dot(np.ascontiguousarray(model.mu0), V[0]))
    return out


def pseudo_regret(model: AdversarialMDP, policies) -> np.ndarray:
    r"""Exact per-episode pseudo-regret :math:`V^{\pi_k}_{\ell_k}(\mu_0) - V^{\pi^*}_{\ell_k}(\mu_0)`, shape ``(K,)``.

    Its sum is :math:`\mathrm{Reg}_K` for the stochastic policy sequence ``policies (K, H, S, A)``.
    """
    return policy_losses(model, policies) - best_fixed_policy(model).per_episode
