r"""Proof steps of the UCBVI regret analysis.

Azar, Osband & Munos, "Minimax Regret Bounds for Reinforcement Learning",
ICML 2017, arXiv 1703.05449.  The :math:`\sqrt{SAT}` rate of both UCBVI
variants comes from summing bonuses :math:`\propto N_k(s,a)^{-1/2}` over
episodes (a pigeonhole step followed by Cauchy–Schwarz), and the Bernstein
variant's :math:`\sqrt{H}` improvement from the law of total variance, which
bounds the summed one-step variances of the value by the variance of the
return.  Lemma numbers differ between the arXiv and ICML versions, so the
steps are cited by what they are.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from rltheory.proofs import ProofStep

SOURCE = "Azar, Osband, Munos 2017 (arXiv 1703.05449), regret analysis of UCBVI"


def check_pigeonhole_sum():
    r"""Induction step of :math:`\sum_{n=1}^{N} n^{-1/2} \le 2\sqrt{N}`.

    Base case N = 1: 1 <= 2.  Step: it suffices that
    :math:`2\sqrt{N+1} - 2\sqrt{N} \ge (N+1)^{-1/2}`, i.e. (multiplying by
    :math:`\sqrt{N+1} > 0`) :math:`2N + 1 \ge 2\sqrt{N(N+1)}`; both sides are
    positive, so square: :math:`(2N+1)^2 - 4N(N+1) = 1 \ge 0`.
    """
    N = sp.symbols("N", positive=True)
    gap = sp.expand((2 * N + 1) ** 2 - 4 * N * (N + 1))
    base = sp.Integer(1) <= 2 * sp.sqrt(1)
    holds = gap == 1 and bool(base)
    return ProofStep("pigeonhole_sum", r"\sum_{n=1}^N n^{-1/2} \le 2\sqrt{N}", SOURCE + ", bonus summation",
                     "symbolic", holds, f"(2N+1)^2 - 4N(N+1) simplifies to {gap}")


def check_cauchy_schwarz_visits():
    r""":math:`\sum_{i=1}^{m} \sqrt{n_i} \le \sqrt{m \sum_i n_i}` (with :math:`m = SA`, :math:`\sum n_i = T`).

    Symbolically: :math:`m\sum_i n_i - (\sum_i \sqrt{n_i})^2 = \sum_{i<j} (\sqrt{n_i}-\sqrt{n_j})^2 \ge 0`,
    proved by sympy for m = 2, 3, 4 as a polynomial identity in :math:`x_i = \sqrt{n_i}`.
    """
    ok = True
    for m in (2, 3, 4):
        x = sp.symbols(f"x1:{m + 1}", nonnegative=True)
        lhs = m * sum(xi ** 2 for xi in x) - sum(x) ** 2
        rhs = sum((x[i] - x[j]) ** 2 for i in range(m) for j in range(i + 1, m))
        ok &= sp.expand(lhs - rhs) == 0
    return ProofStep("cauchy_schwarz_visits", r"\sum_{s,a}\sqrt{N_K(s,a)} \le \sqrt{SA\,T}",
                     SOURCE + ", from the bonus sum to sqrt(SAT)", "symbolic", ok,
                     "m sum x_i^2 - (sum x_i)^2 = sum_{i<j} (x_i - x_j)^2 for m = 2, 3, 4")


def check_law_of_total_variance_two_steps():
    r"""Law of total variance for a two-step return :math:`G = r_0 + r_1(s_1)`, :math:`s_1 \sim \mathrm{Bern}(p)`.

    :math:`\mathrm{Var}(G) = \mathbb E[\mathrm{Var}(G\mid s_1)] + \mathrm{Var}(\mathbb E[G \mid s_1])`
    with a random second reward :math:`r_1 \mid s_1 = j` of mean :math:`m_j` and variance :math:`v_j`;
    the identity behind ``rltheory.solvers.return_variance`` and the Bernstein bonus analysis.
    """
    p = sp.symbols("p", positive=True)
    m0, m1, v0, v1, r0 = sp.symbols("m0 m1 v0 v1 r0", real=True)
    EG = r0 + (1 - p) * m0 + p * m1
    EG2 = (1 - p) * (v0 + (r0 + m0) ** 2) + p * (v1 + (r0 + m1) ** 2)
    var = EG2 - EG ** 2
    within = (1 - p) * v0 + p * v1
    between = (1 - p) * (r0 + m0) ** 2 + p * (r0 + m1) ** 2 - EG ** 2
    diff = sp.simplify(var - within - between)
    return ProofStep("law_of_total_variance", r"\mathrm{Var}(G) = E[\mathrm{Var}(G|s_1)] + \mathrm{Var}(E[G|s_1])",
                     SOURCE + ", variance decomposition of the Bernstein variant", "symbolic", diff == 0,
                     f"difference simplifies to {diff}")


def check_sqrt_sat_from_bonus_sum():
    r"""Numeric end-to-end check of the two steps above: for visit counts :math:`n_i \ge 1`,
    :math:`\sum_i \sum_{n=1}^{n_i} n^{-1/2} \le 2\sqrt{m \sum_i n_i}` on 2,000 random count vectors
    (m in 1..50, counts in 1..10^4, seed 0)."""
    rng = np.random.default_rng(0)
    worst = -np.inf
    for _ in range(2000):
        m = int(rng.integers(1, 51))
        n = rng.integers(1, 10_001, size=m)
        lhs = sum(float(np.sum(1.0 / np.sqrt(np.arange(1, k + 1)))) for k in n)
        worst = max(worst, lhs / (2 * np.sqrt(m * n.sum())))
    return ProofStep("sqrt_sat_from_bonus_sum", r"\sum_i\sum_{n\le n_i} n^{-1/2} \le 2\sqrt{m\sum_i n_i}",
                     SOURCE + ", bonus summation", "numeric", worst <= 1.0,
                     f"max ratio lhs/rhs = {worst:.4f} over 2000 random count vectors")
