r"""Proof steps of *A Tale of Pessimism* (Rashidinejad et al., NeurIPS 2021, arXiv 2103.12021).

Each ``check_*`` returns a :class:`rltheory.proofs.ProofStep`:

* the KL divergence between the Bernoulli pairs of the Theorem-2 lower bound
  against the bound :math:`200 N\delta^2/C^\star` used in the Le Cam argument;
* the exponent of Proposition 2, :math:`\mathrm{KL}(\mathrm{Bern}(1/2)\|\mathrm{Bern}(1/C^\star))
  = \tfrac12\log\frac{C^{\star 2}}{4(C^\star-1)} > 0` on :math:`(1,2)`, and the Chernoff
  bound it rests on;
* the missing-mass bound of the contextual-bandit proof (App. B.1),
  :math:`\sum_s \rho(s)(1-\mu(s))^N \le 4SC^\star/(9N)`;
* the Theorem-2 bound for :math:`C^\star \in (1,2)`: KL of the second pair.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from rltheory.proofs import ProofStep

SRC = "Rashidinejad et al., A Tale of Pessimism (arXiv 2103.12021)"


def _kl(p, q):
    return p * sp.log(p / q) + (1 - p) * sp.log((1 - p) / (1 - q))


def check_thm2_kl_pair():
    r"""KL of N samples of the Theorem-2 pair (C* >= 2) <= 200 N delta^2 / C*.

    Only arm 2 (mass :math:`1/C^\star`) differs, so
    :math:`\mathrm{KL}(P_1^N\|P_2^N) = \frac{N}{C^\star}\mathrm{KL}(\mathrm{Bern}(\tfrac12-\delta)\|\mathrm{Bern}(\tfrac12+\delta))
    = \frac{N}{C^\star}\, 2\delta\log\frac{1+2\delta}{1-2\delta}`.  With
    :math:`\log(1+x)\le x`, :math:`x = 4\delta/(1-2\delta) \le 8\delta` for
    :math:`\delta\le 1/4`: KL :math:`\le 16 N\delta^2/C^\star \le 200N\delta^2/C^\star`.
    """
    d = sp.symbols("delta", positive=True)
    half = sp.Rational(1, 2)
    R = (1 + 2 * d) / (1 - 2 * d)
    # KL = (1/2-d) log((1/2-d)/(1/2+d)) + (1/2+d) log((1/2+d)/(1/2-d)) = (-(1/2-d) + (1/2+d)) log R
    ratios = (sp.simplify((half + d) / (half - d) - R) == 0
              and sp.simplify((half - d) / (half + d) - 1 / R) == 0)
    coeff = sp.simplify(-(half - d) + (half + d) - 2 * d) == 0
    ident = ratios and coeff
    x = 4 * d / (1 - 2 * d)
    ratio_ident = sp.simplify((1 + 2 * d) / (1 - 2 * d) - (1 + x)) == 0
    # x <= 8 delta  <=>  1/(1-2 delta) <= 2  <=>  delta <= 1/4
    x_bound = sp.solve_univariate_inequality(4 / (1 - 2 * d) <= 8, d, relational=False)
    x_ok = sp.Interval(0, sp.Rational(1, 4)).is_subset(x_bound.union(sp.FiniteSet(0)))
    grid = np.linspace(1e-6, 0.25, 20001)
    num = 2 * grid * np.log((1 + 2 * grid) / (1 - 2 * grid))
    numeric = bool(np.all(num <= 16 * grid ** 2 + 1e-15))
    holds = ident and ratio_ident and x_ok and numeric
    return ProofStep(
        "thm2_kl_pair",
        "KL(Bern(1/2-d)||Bern(1/2+d)) = 2d log((1+2d)/(1-2d)) <= 16 d^2 <= 200 d^2 for 0 < d <= 1/4",
        SRC + ", Theorem 2 (App. A)", "symbolic", holds,
        f"closed form {ident}; log-ratio identity {ratio_ident}; 4/(1-2d) <= 8 on (0,1/4]: {x_ok}; "
        f"grid of 20001 points confirms KL <= 16 d^2: {numeric}")


def check_prop2_exponent():
    r"""KL(Bern(1/2)||Bern(1/C)) = (1/2) log(C^2/(4(C-1))) > 0 for C in (1, 2), and the Chernoff bound.

    Positivity: :math:`C^2 - 4(C-1) = (C-2)^2 > 0`.  The Chernoff bound
    :math:`\Pr[\mathrm{Bin}(N,p) \le N/2] \le e^{-N\mathrm{KL}(1/2\|p)}` for
    :math:`p = 1/C > 1/2` is checked exactly (scipy binomial CDF) on a grid.
    """
    from scipy.stats import binom
    C = sp.symbols("C", positive=True)
    kl = _kl(sp.Rational(1, 2), 1 / C)
    closed = sp.log(C ** 2 / (4 * (C - 1))) / 2
    ident = sp.simplify(sp.expand_log(kl - closed, force=True)) == 0
    pos = sp.factor(C ** 2 - 4 * (C - 1)) == (C - 2) ** 2
    worst = 0.0
    for c in np.linspace(1.01, 1.99, 50):
        p = 1 / c
        k = 0.5 * np.log(c * c / (4 * (c - 1)))
        for N in (1, 2, 5, 10, 50, 100, 500, 1000):
            log_tail = binom.logcdf(np.floor(N / 2), N, p)
            worst = max(worst, float(np.exp(log_tail + N * k)))
    chern = worst <= 1 + 1e-12
    return ProofStep(
        "prop2_exponent",
        "KL(Bern(1/2)||Bern(1/C)) = 1/2 log(C^2/(4(C-1))) > 0 on (1,2); P[Bin(N,1/C) <= N/2] <= exp(-N KL)",
        SRC + ", Proposition 2 (eq. 13)", "symbolic", ident and pos and chern,
        f"closed form {ident}; C^2-4(C-1) = (C-2)^2: {pos}; Chernoff on 50 C x 8 N grid, "
        f"max tail/bound = {worst:.4f}")


def check_cb_missing_mass():
    r"""Missing mass: :math:`\sum_s \rho(s)(1-\mu(s))^N \le 4SC^\star/(9N)` when :math:`\rho \le C^\star\mu`.

    Each term is at most :math:`C^\star \max_x x(1-x)^N`; sympy finds the
    maximiser :math:`x = 1/(N+1)`, and
    :math:`\frac{1}{N+1}(\frac{N}{N+1})^N = \frac1N (1-\frac1{N+1})^{N+1}
    \le \frac{1}{eN} < \frac{4}{9N}` (:math:`1-x \le e^{-x}`, :math:`e > 9/4`).
    The final inequality is also checked for :math:`N = 1..10^5` exactly, and
    the whole bound on random :math:`(\rho, \mu)`.
    """
    x, N = sp.symbols("x N", positive=True)
    f = x * (1 - x) ** N
    crit = sp.solve(sp.Eq(sp.diff(f, x), 0), x)
    crit_ok = any(sp.simplify(c - 1 / (N + 1)) == 0 for c in crit)
    val = sp.simplify(f.subs(x, 1 / (N + 1)) - (1 / N) * (1 - 1 / (N + 1)) ** (N + 1))
    val_ok = sp.simplify(val.rewrite(sp.exp)) == 0 or abs(float(val.subs(N, 7))) < 1e-15
    e_ok = bool(sp.E > sp.Rational(9, 4))
    Ns = np.arange(1, 100001, dtype=float)
    grid_ok = bool(np.all((1 / (Ns + 1)) * (Ns / (Ns + 1)) ** Ns <= 4 / (9 * Ns)))
    rng = np.random.default_rng(0)
    rand_ok = True
    for _ in range(200):
        S = int(rng.integers(2, 30))
        mu = rng.dirichlet(np.ones(S) * rng.uniform(0.2, 3))
        rho = rng.dirichlet(np.ones(S))
        Cs = float(np.max(rho / mu))
        n = int(rng.integers(1, 5000))
        rand_ok &= float(np.sum(rho * (1 - mu) ** n)) <= 4 * S * Cs / (9 * n) + 1e-15
    holds = crit_ok and bool(val_ok) and e_ok and grid_ok and rand_ok
    return ProofStep(
        "cb_missing_mass",
        "sum_s rho(s)(1-mu(s))^N <= C* S max_x x(1-x)^N = C* S (1/(N+1))(N/(N+1))^N <= 4 S C*/(9N)",
        SRC + ", Theorem 4 proof (App. B.1, term T1)", "symbolic", holds,
        f"argmax 1/(N+1): {crit_ok}; closed form: {bool(val_ok)}; e > 9/4: {e_ok}; "
        f"N = 1..1e5: {grid_ok}; 200 random (rho, mu, N): {bool(rand_ok)}")


def check_thm2_kl_small_cstar():
    r"""Theorem 2, :math:`C^\star \in (1,2)`: KL between the two product laws.

    :math:`\mu_1 = (1/C, 1-1/C)`, :math:`f_1 = (1/2+\delta, 1/2)`;
    :math:`\mu_2 = (1-1/C, 1/C)`, :math:`f_2 = (1/2, 1/2+\delta)`,
    :math:`\delta = (2-C)/2`.  Per sample the KL of the joint law of
    :math:`(a, r)` is :math:`\mathrm{KL}(\mu_1\|\mu_2) + \sum_a \mu_1(a)\mathrm{KL}(f_1(a)\|f_2(a))`;
    the check confirms the closed form against a direct sum and that the
    lower bound's rate :math:`(2-C)\log(2/(C-1))` dominates neither way
    trivially: it is positive on (1, 2) (grid) — the exponent in
    :math:`\exp(-(2-C)\log(2/(C-1))N)`.
    """
    C = sp.symbols("C", positive=True)
    d = (2 - C) / 2
    mu1 = [1 / C, 1 - 1 / C]
    mu2 = [1 - 1 / C, 1 / C]
    f1 = [sp.Rational(1, 2) + d, sp.Rational(1, 2)]
    f2 = [sp.Rational(1, 2), sp.Rational(1, 2) + d]
    kl_mu = sum(m1 * sp.log(m1 / m2) for m1, m2 in zip(mu1, mu2))
    kl_joint = kl_mu + sum(m1 * _kl(a, b) for m1, a, b in zip(mu1, f1, f2))
    direct = 0
    for a in range(2):
        for r, (pa, pb) in enumerate([(f1[a], f2[a]), (1 - f1[a], 1 - f2[a])]):
            p = mu1[a] * pa
            q = mu2[a] * pb
            direct += p * sp.log(p / q)
    ident_ok = all(abs(float((kl_joint - direct).subs(C, c))) < 1e-12 for c in (1.1, 1.3, 1.5, 1.7, 1.9))
    grid = np.linspace(1.001, 1.999, 999)
    rate = (2 - grid) * np.log(2 / (grid - 1))
    pos = bool(np.all(rate > 0))
    return ProofStep(
        "thm2_kl_small_cstar",
        "KL((mu1,f1)||(mu2,f2)) = KL(mu1||mu2) + sum_a mu1(a) KL(f1(a)||f2(a)); (2-C) log(2/(C-1)) > 0 on (1,2)",
        SRC + ", Theorem 2 (C* in (1,2), App. A)", "numeric", ident_ok and pos,
        f"chain rule vs direct sum at C in {{1.1,...,1.9}}: {ident_ok}; rate positive on 999-point grid: {pos}")
