r"""Proof steps behind the log-barrier FTRL learner for adversarial MDPs with linear Q.

Dai, Luo, Wei & Zimmert, "Refined Regret for Adversarial MDPs with Linear Function Approximation", ICML 2023,
arXiv 2301.12942; the steps are those of the reconstruction in the specification (Sections 2 and 8):
the stationarity condition of the log-barrier step and the bracket of its Newton scheme [D], the
unbiasedness of the linear-Q estimator under the exact covariance (Luo, Wei & Lee 2021, arXiv
2107.08346), the closed form of the MGR expectation and its bias (Neu & Olkhovskaya 2020, arXiv
2007.01612), and the dilated-bonus recursion on a small instance.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp

from rltheory.algorithms.ftrl_logbarrier import dilated_bonus, logbarrier_distribution
from rltheory.envs.adversarial import layered_one_hot
from rltheory.proofs import ProofStep
from rltheory.solvers import occupancy, policy_evaluation
from rltheory.models import TabularMDP
from rltheory.models.adversarial import AdversarialMDP

SOURCE = "Dai, Luo, Wei, Zimmert 2023 (arXiv 2301.12942), specification Sec. 2 [D]"


def check_logbarrier_stationarity():
    r"""The Lagrangian :math:`\langle p, L\rangle + \eta^{-1}\sum_a -\ln p_a + \lambda(\sum_a p_a - 1)` is strictly
    convex in :math:`p` and stationary iff :math:`p_a = 1/(\eta(L_a + \lambda))`; positivity needs
    :math:`\lambda > -\min_a L_a`."""
    p, L, lam = sp.symbols("p L lambda", real=True)
    eta = sp.symbols("eta", positive=True)
    lag = p * L - sp.log(p) / eta + lam * p
    sol = sp.solve(sp.Eq(sp.diff(lag, p), 0), p)
    second = sp.simplify(sp.diff(lag, p, 2))
    ok = len(sol) == 1 and sp.simplify(sol[0] - 1 / (eta * (L + lam))) == 0 and sp.simplify(second - 1 / (eta * p ** 2)) == 0
    return ProofStep("logbarrier_stationarity", r"\partial_{p_a}\mathcal L = 0 \iff p_a = 1/(\eta(L_a+\lambda))",
                     SOURCE + ", log-barrier step", "symbolic", ok,
                     f"solution {sol}, second derivative {second} > 0 for p > 0")


def check_newton_bracket():
    r"""On shifted losses :math:`x = L - \min L`, :math:`f(\lambda) = \sum_a (\eta(x_a+\lambda))^{-1} - 1` has
    :math:`f' < 0 < f''` (symbolic), :math:`f(1/\eta) \ge 0 \ge f(A/\eta)`, and Newton from :math:`1/\eta`
    increases monotonically to the root (numeric: 2,000 random loss vectors, A in 1..30, entries up to
    :math:`\pm 10^{8}`, eta in [1e-4, 1e4], seed 0; the result sums to 1 within 1e-12)."""
    x, lam = sp.symbols("x lambda", nonnegative=True)
    eta = sp.symbols("eta", positive=True)
    term = 1 / (eta * (x + lam))
    d1, d2 = sp.simplify(sp.diff(term, lam)), sp.simplify(sp.diff(term, lam, 2))
    sym_ok = sp.simplify(d1 + 1 / (eta * (x + lam) ** 2)) == 0 and sp.simplify(d2 - 2 / (eta * (x + lam) ** 3)) == 0
    rng = np.random.default_rng(0)
    worst, bracket_ok, mono_ok = 0.0, True, True
    for _ in range(2000):
        A = int(rng.integers(1, 31))
        L = rng.normal(size=A) * 10.0 ** rng.integers(-3, 9)
        e = 10.0 ** rng.uniform(-4, 4)
        xs = L - L.min()
        f = lambda t: float(np.sum(1.0 / (e * (xs + t)))) - 1.0  # noqa: E731
        bracket_ok &= f(1.0 / e) >= -1e-15 and f(A / e) <= 1e-15
        t = 1.0 / e
        for _ in range(60):
            ft = f(t)
            if ft <= 0:
                break
            new = t + ft / (e * float(np.sum((1.0 / (e * (xs + t))) ** 2)))
            mono_ok &= new >= t and f(new) >= -1e-12
            if new <= t:
                break
            t = new
        p = logbarrier_distribution(L, e)
        worst = max(worst, abs(p.sum() - 1.0))
    ok = bool(sym_ok and bracket_ok and mono_ok and worst <= 1e-12)
    return ProofStep("newton_bracket", r"f(1/\eta) \ge 0 \ge f(A/\eta),\ f'<0<f'' \Rightarrow \text{Newton monotone}",
                     SOURCE + ", Newton scheme", "numeric", ok,
                     f"symbolic f', f'' ok: {sym_ok}; bracket ok: {bracket_ok}; monotone: {mono_ok}; "
                     f"max |sum p - 1| = {worst:.2e}")


def _paths(m, pi, k):
    """Every trajectory of episode k under pi: (probability, states, actions, losses-to-go)."""
    H, S, A = m.H, m.S, m.A
    out = []
    for states in itertools.product(range(S), repeat=H):
        for acts in itertools.product(range(A), repeat=H):
            pr = m.mu0[states[0]]
            for h in range(H):
                pr *= pi[h, states[h], acts[h]]
                if h + 1 < H:
                    pr *= m.P4[h, states[h], acts[h], states[h + 1]]
            if pr > 0:
                ls = [m.losses[k, h, states[h], acts[h]] for h in range(H)]
                out.append((pr, states, acts, np.cumsum(ls[::-1])[::-1]))
    return out


def check_estimator_unbiased_exact_covariance():
    r"""With :math:`\gamma = 0` and :math:`\hat\Sigma^+_h = \Sigma_h^{-1}` (exact covariance, every pair visited),
    :math:`E[\phi(s,a)^\top\Sigma_h^{-1}\phi(s_h,a_h)L_h] = Q^\pi_h(s,a)` for linear Q: exact expectation
    over all trajectories of a layered one-hot instance (S = 2, A = 2, H = 3) and a random policy; with
    :math:`\gamma > 0` the mean is :math:`\phi^\top(\gamma I + \Sigma)^{-1}\Sigma\theta` (checked too)."""
    m0 = layered_one_hot(2, 2, 3, 1, seed=3)
    m = AdversarialMDP(m0.P, m0.losses, m0.phi, np.array([0.4, 0.6]))     # every pair has positive occupancy
    pi = np.random.default_rng(1).dirichlet(np.ones(2), size=(3, 2))
    tab = TabularMDP(m.P, m.losses[0], m.mu0)
    Q = policy_evaluation(tab, pi).Q
    occ = occupancy(tab, pi)
    worst, worst_g = 0.0, 0.0
    paths = _paths(m, pi, 0)
    for h in range(m.H):
        Sigma = np.einsum("sa,sai,saj->ij", occ[h], m.phi, m.phi)
        for gamma, tgt in ((0.0, Q[h]), (0.3, None)):
            Sinv = np.linalg.inv(gamma * np.eye(m.d) + Sigma)
            mean = np.zeros(m.d)
            for pr, s, a, Lsuf in paths:
                mean += pr * Sinv @ m.phi[s[h], a[h]] * Lsuf[h]
            est = np.einsum("sai,i->sa", m.phi, mean)
            if tgt is not None:
                worst = max(worst, float(np.abs(est - tgt).max()))
            else:
                theta = Q[h].reshape(-1)                     # one-hot: theta = Q table
                want = np.einsum("sai,i->sa", m.phi, Sinv @ Sigma @ theta)
                worst_g = max(worst_g, float(np.abs(est - want).max()))
    ok = worst <= 1e-12 and worst_g <= 1e-12
    return ProofStep("estimator_unbiased_exact_covariance",
                     r"E[\phi^\top\Sigma_h^{-1}\phi_{k,h}L_{k,h}] = Q^\pi_h \ (\gamma = 0)",
                     "Luo, Wei & Lee 2021 (arXiv 2107.08346), linear-Q estimator; specification Sec. 8", "numeric", ok,
                     f"max error {worst:.2e} (gamma = 0), {worst_g:.2e} (gamma = 0.3, biased mean)")


def check_mgr_expectation_and_bias():
    r"""MGR: :math:`E[\hat\Sigma^+] = c\sum_{i=0}^{M}(I - cY)^i = Y^{-1}(I - (I - cY)^{M+1})`, :math:`Y = \gamma I + \Sigma`
    (independent draws: the expectation of the product is the product of expectations); the scalar
    geometric identity symbolically, the matrix bias :math:`\|E[\hat\Sigma^+] - Y^{-1}\| \le (1-c\gamma)^{M+1}/\gamma`
    numerically on 200 random covariances (d in 2..8, gamma in [0.01, 0.5], c = 1/2, M in 1..200, seed 0)."""
    y, c = sp.symbols("y c", positive=True)
    i, M = sp.symbols("i M", integer=True, nonnegative=True)
    lhs = c * sp.summation((1 - c * y) ** i, (i, 0, M))
    rhs = (1 - (1 - c * y) ** (M + 1)) / y
    sym_ok = sp.simplify(sp.piecewise_fold(lhs).args[-1][0] - rhs) == 0 if isinstance(lhs, sp.Piecewise) \
        else sp.simplify(lhs - rhs) == 0
    rng = np.random.default_rng(0)
    ok, worst = True, 0.0
    for _ in range(200):
        d = int(rng.integers(2, 9))
        X = rng.dirichlet(np.ones(d), size=5)
        w = rng.dirichlet(np.ones(5))
        Sigma = np.einsum("n,ni,nj->ij", w, X, X)
        g, cc, MM = float(rng.uniform(0.01, 0.5)), 0.5, int(rng.integers(1, 201))
        Y = g * np.eye(d) + Sigma
        R = np.eye(d) - cc * Y
        E = cc * sum(np.linalg.matrix_power(R, j) for j in range(MM + 1))
        closed = np.linalg.inv(Y) @ (np.eye(d) - np.linalg.matrix_power(R, MM + 1))
        bias = np.linalg.norm(E - np.linalg.inv(Y), 2)
        bound = (1 - cc * g) ** (MM + 1) / g
        worst = max(worst, float(np.abs(E - closed).max()))
        ok &= bias <= bound * (1 + 1e-9) + 1e-12
    ok = bool(sym_ok and ok and worst <= 1e-9)
    return ProofStep("mgr_expectation_and_bias", r"E[\hat\Sigma^+] = Y^{-1}(I-(I-cY)^{M+1}),\ "
                     r"\|E[\hat\Sigma^+]-Y^{-1}\| \le (1-c\gamma)^{M+1}/\gamma",
                     "Neu & Olkhovskaya 2020 (arXiv 2007.01612), MGR; specification Sec. 2", "numeric", ok,
                     f"scalar identity symbolic: {sym_ok}; closed form error {worst:.1e}; bias bound held on 200 draws")


def check_dilated_bonus_recursion():
    r"""The learner's dilated bonus equals its unrolled form
    :math:`B_h(s,a) = \sum_{h'\ge h}(1+1/H)^{h'-h}E^\pi[b_{h'}(s_{h'},a_{h'}) \mid s_h = s, a_h = a]`,
    computed by enumerating every continuation (S = 2, A = 2, H = 3, random policy and covariances)."""
    m = layered_one_hot(2, 2, 3, 1, seed=5)
    rng = np.random.default_rng(2)
    pi = rng.dirichlet(np.ones(2), size=(3, 2))
    G = rng.normal(size=(3, m.d, m.d))
    Sig = np.einsum("hij,hkj->hik", G, G) + 0.1 * np.eye(m.d)
    beta, H = 0.7, m.H
    B = dilated_bonus(m, pi, Sig, beta)
    nrm = np.einsum("sai,hij,saj->hsa", m.phi, Sig, m.phi)
    b = beta * (nrm + np.einsum("hsa,hsa->hs", pi, nrm)[:, :, None])
    worst = 0.0
    for h in range(H):
        for s in range(m.S):
            for a in range(m.A):
                tot = b[h, s, a]
                for hp in range(h + 1, H):      # distribution of (s_hp, a_hp) given (s_h, a_h) = (s, a)
                    dist = np.zeros((m.S, m.A))
                    rho = m.P4[h, s, a].copy()
                    for t in range(h + 1, hp + 1):
                        dist = rho[:, None] * pi[t]
                        rho = np.einsum("sa,sat->t", dist, m.P4[t]) if t + 1 < H else rho
                    tot += (1 + 1 / H) ** (hp - h) * float(np.sum(dist * b[hp]))
                worst = max(worst, abs(tot - B[h, s, a]))
    return ProofStep("dilated_bonus_recursion",
                     r"B_h = b_h + (1+1/H)P_h\langle\pi_{h+1},B_{h+1}\rangle = \sum_{h'\ge h}(1+1/H)^{h'-h}E[b_{h'}]",
                     "Luo, Wei & Lee 2021 (arXiv 2107.08346), dilated bonus", "numeric", worst <= 1e-12,
                     f"max |DP - unrolled| = {worst:.2e} over all (h, s, a)")
