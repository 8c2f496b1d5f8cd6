r"""Bounds behind the claims on Chen, Wang, Xiong, Mei & Bai, "Lower Bounds for Learning in Revealing
POMDPs" (ICML 2023, PMLR 202:5104-5161, arXiv 2302.01333).

Specification: ``shared/papers/revealing_pomdp_lower_bounds.md``.  The headline results are
verified against the abstract [V]; the exact forms of the theorems are reconstructions [R], so the
bounds here state only exponents (and the closed forms the specification derives [D]):

* **Uniformity testing** (Paninski 2008; specification Section 5A): the samples to reach TV 1/3
  between the Paninski mixture and the uniform law scale as :math:`\sqrt n/\varepsilon^2`
  (:data:`TESTING_SAMPLES`, exponent 1/2 in n), against :math:`n/\varepsilon^2` to learn the law.
  Behind the :math:`S^{1.5}` of Thm 3.2.
* **Noisy lock** (Section 5B): step-by-step search needs about :math:`AH\log(AH)/a^2` episodes
  (:data:`LOCK_EPISODES`, exponent 2 in :math:`1/a`); the per-episode KL is at most
  :math:`a\log\frac{1+a}{1-a}\approx 2a^2` (:func:`lock_kl_per_episode`).
* **Regret** (Thm 4.1, m >= 2: :math:`\Omega(T^{2/3})`, attained by explore-then-commit
  [R]; Thm 6.2, m = 1: :math:`\tilde O(\sqrt T)`): :data:`MULTI_STEP_REGRET`,
  :data:`SINGLE_STEP_REGRET`.
* **Revealing constant** of :math:`aI+(1-a)\mathbf 1\mathbf 1^\top/n`: :math:`a/(1+(n-2)(1-a)/n)`
  (Section 2, [D]; :func:`revealing_closed_form`).
"""

from __future__ import annotations

import math

from . import Bound, Source

PAPER = "Lower Bounds for Learning in Revealing POMDPs"


def source(theorem: str) -> Source:
    """The paper as a :class:`~rltheory.bounds.Source`, ``theorem`` naming the part used."""
    return Source(PAPER, arxiv="2302.01333", theorem=theorem, authors="Chen, Wang, Xiong, Mei, Bai",
                  venue="ICML 2023")


def revealing_closed_form(n, a, **_) -> float:
    r""":math:`\alpha(aI+(1-a)\mathbf 1\mathbf 1^\top/n)=a/(1+(n-2)(1-a)/n)` (specification Section 2, [D])."""
    return float(a / (1.0 + (n - 2) * (1.0 - a) / n))


def lock_kl_per_episode(a, **_) -> float:
    r""":math:`\mathrm{KL}(\mathrm{Ber}(\frac{1+a}2)\|\mathrm{Ber}(\frac{1-a}2))=a\log\frac{1+a}{1-a}` (Section 5B)."""
    return float(a * math.log((1 + a) / (1 - a)))


#: Samples N_{1/3} to reach TV 1/3 between the Paninski mixture and uniform: ~ sqrt(n) / eps^2.
TESTING_SAMPLES = Bound("samples N_1/3 to reach TV 1/3 (uniformity testing)", "upper", {"n": 0.5},
                        source("abstract (distribution-testing hard instances; S^1.5 of Thm 3.2); "
                               "specification Section 5A (Paninski 2008)"))

#: Episodes of step-by-step search on the noisy lock: ~ A H log(AH) / a^2, exponent 2 in 1/a.
LOCK_EPISODES = Bound("episodes to open the noisy lock", "upper", {"inv_a": 2.0},
                      source("1/alpha^2 dependence of Thms 3.1-3.2 [R]; specification Section 5B"))

#: Regret of explore-then-commit with a costly 2-step reveal: T^{2/3}.
MULTI_STEP_REGRET = Bound("cumulative regret, costly 2-step reveal", "upper", {"T": 2.0 / 3.0},
                          source("Thm 4.1 (m >= 2: regret T^{2/3}, attained by explore-then-commit [R]); "
                                 "specification Section 5C"))

#: Regret in the single-step revealing variant: sqrt(T).
SINGLE_STEP_REGRET = Bound("cumulative regret, single-step revealing", "upper", {"T": 0.5},
                           source("Thm 6.2 (m = 1: O~(sqrt T) regret); specification Section 5C"))

__all__ = ["PAPER", "source", "revealing_closed_form", "lock_kl_per_episode", "TESTING_SAMPLES",
           "LOCK_EPISODES", "MULTI_STEP_REGRET", "SINGLE_STEP_REGRET"]
