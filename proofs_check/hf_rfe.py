r"""Proof steps of HF-UCRL-RFE++ (Zhang, Zhang & Gu, ICML 2023, arXiv 2303.10165).

Numbering of W. Zhang's dissertation (Chapter 2), with the arXiv numbers beside
them: upper bound Theorem 2.6.3 (arXiv Thm 5.1), lower bound Theorem 2.6.8
(arXiv Thm 5.3, instance of Zhou & Gu 2022a, Thm 5.4), HOME = Algorithm 5
(arXiv Algorithm 2).

Checked: the hard instance's feature normalisation, parameter norm, transition
and closed-form gaps; the parameter choices that make :math:`H\alpha^2 = 1` so
that :math:`H` enters the bound only through logarithms; and the Bernstein-type
step behind the HOME weights (the variance estimate plus its error bar
dominates the true variance of :math:`V^{2^m}` on the good event).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from rltheory.proofs import ProofStep

SRC = "Zhang, Zhang & Gu 2023 (arXiv 2303.10165)"
SRC_LB = SRC + ", Thm 2.6.8 (arXiv Thm 5.3); instance of Zhou & Gu 2022a Thm 5.4"
SRC_UB = SRC + ", Thm 2.6.3 (arXiv Thm 5.1)"
SRC_HOME = SRC + ", Algorithm 5 (arXiv Alg. 2) = HOME of Zhou & Gu 2022a, and Lemma 2.8.6"

_D, _d = sp.symbols("Delta d", positive=True)


def _scalings():
    alpha2 = 1 / (1 + _D)
    beta2 = _D / ((_d - 1) * (1 + _D))
    return alpha2, beta2


def check_hypercube_feature_normalisation():
    r""":math:`\alpha^2 + (d-1)\beta^2 = 1` for :math:`\alpha^2 = 1/(1+\Delta)`, :math:`\beta^2 = \Delta/((d-1)(1+\Delta))` [D]."""
    a2, b2 = _scalings()
    holds = sp.simplify(a2 + (_d - 1) * b2 - 1) == 0
    return ProofStep("hypercube_feature_normalisation", r"\alpha^2 + (d-1)\beta^2 = 1", SRC_LB, "symbolic",
                     holds, "sympy.simplify of the difference is 0 for all Delta > 0, d > 1")


def check_hypercube_phi_V_norm():
    r""":math:`\|\phi_V(x_1,a)\|_2^2 = \alpha^2((1-\delta_0)V_2 + \delta_0V_3)^2 + (d-1)\beta^2(V_3-V_2)^2 \le 1` on :math:`[0,1]^2`.

    Convex in :math:`(V_2,V_3)`, so the maximum over the box is at a vertex;
    the four vertices give :math:`0`, :math:`\alpha^2(1-\delta_0)^2 + (d-1)\beta^2`,
    :math:`\alpha^2\delta_0^2 + (d-1)\beta^2`, :math:`\alpha^2`, each <= 1.
    """
    a2, b2 = _scalings()
    d0 = sp.Rational(1, 6)
    ok = True
    vals = []
    for v2 in (0, 1):
        for v3 in (0, 1):
            q = a2 * ((1 - d0) * v2 + d0 * v3) ** 2 + (_d - 1) * b2 * (v3 - v2) ** 2
            slack = sp.factor(sp.simplify(1 - q))
            vals.append(slack)
            num, den = sp.fraction(sp.together(slack))
            for part in (num, den):       # all coefficients >= 0 and Delta > 0, d > 1  =>  part >= 0
                coeffs = sp.Poly(sp.expand(part), _D, _d).coeffs()
                ok &= all(c >= 0 for c in coeffs)
    return ProofStep("hypercube_phi_V_norm", r"\max_{V\in[0,1]^S}\|\phi_V(x_1,a)\|_2 \le 1", SRC_LB, "symbolic",
                     ok, f"1 - ||phi_V||^2 at the 4 vertices of [0,1]^2: {vals} (numerators and denominators "
                     "have non-negative coefficients in Delta, d)")


def check_hypercube_theta_norm():
    r""":math:`\|\theta\|_2^2 = 1/\alpha^2 + (d-1)\Delta^2/\beta^2 = (1+\Delta)(1+(d-1)^2\Delta)` [D]."""
    a2, b2 = _scalings()
    lhs = 1 / a2 + (_d - 1) * _D ** 2 / b2
    holds = sp.simplify(lhs - (1 + _D) * (1 + (_d - 1) ** 2 * _D)) == 0
    return ProofStep("hypercube_theta_norm", r"\|\theta\|^2 = (1+\Delta)(1+(d-1)^2\Delta)", SRC_LB, "symbolic",
                     holds, "sympy.simplify of the difference is 0")


def check_hypercube_transition():
    r""":math:`\langle\phi(x_3|x_1,a),\theta\rangle = \delta_0 + \langle\mu,a\rangle` and the two rows sum to 1 (d = 4 symbolic)."""
    al, be, d0 = sp.symbols("alpha beta delta0", positive=True)
    a = sp.symbols("a1:4")
    mu = sp.symbols("mu1:4")
    theta = [1 / al] + [m / be for m in mu]
    phi3 = [al * d0] + [be * x for x in a]
    phi2 = [al * (1 - d0)] + [-be * x for x in a]
    p3 = sp.simplify(sum(f * t for f, t in zip(phi3, theta)))
    p2 = sp.simplify(sum(f * t for f, t in zip(phi2, theta)))
    holds = sp.simplify(p3 - (d0 + sum(m * x for m, x in zip(mu, a)))) == 0 and sp.simplify(p2 + p3 - 1) == 0
    return ProofStep("hypercube_transition", r"P(x_3|x_1,a) = \delta_0 + \langle\mu,a\rangle,\ P(x_2|x_1,a) = 1 - P(x_3|x_1,a)",
                     SRC_LB, "symbolic", holds, f"<phi(x3|x1,a), theta> = {p3}")


def check_hypercube_gap():
    r"""Closed-form gap :math:`V^* - V^a = \frac{H-1}{H}2\Delta\#\{i: a_i \ne \mathrm{sign}\,\mu_i\}` [D].

    :math:`V^a(x_1) = \frac{H-1}{H}(\delta_0 + \langle\mu,a\rangle)` (reward 1/H in each of the H-1
    steps after reaching :math:`x_3`), so the gap is :math:`\frac{H-1}{H}\sum_i\Delta(1 - s_ia_i)`
    with :math:`s = \mathrm{sign}\,\mu`; each term is :math:`2\Delta\,\mathbb 1[a_i\ne s_i]` for
    :math:`a_i, s_i \in \{\pm1\}`.
    """
    H = sp.symbols("H", positive=True)
    ok = True
    for s in (-1, 1):
        for a in (-1, 1):
            term = (H - 1) / H * _D * (1 - s * a)
            want = (H - 1) / H * 2 * _D * (1 if a != s else 0)
            ok &= sp.simplify(term - want) == 0
    return ProofStep("hypercube_gap", r"V^*(x_1) - V^a(x_1) = \tfrac{H-1}{H}\,2\Delta\,\#\{i: a_i\neq \mathrm{sign}(\mu_i)\}",
                     SRC_LB, "symbolic", ok, "per-coordinate identity checked for all four sign pairs")


def check_horizon_enters_through_logs():
    r"""With :math:`\alpha = H^{-1/2}`, :math:`\gamma = d^{-1/4}`, :math:`\lambda = d/B^2`:
    :math:`H\alpha^2 = 1`, :math:`\sqrt\lambda B = \sqrt d`, :math:`30\tau/\gamma^2 = 30\sqrt d\,\tau`,
    :math:`kH/(\alpha^2 d\lambda) = kH^2B^2/d^2`, so the :math:`1/\sqrt K` term
    :math:`120\beta\sqrt{d\iota H\alpha^2} = 120\beta\sqrt{d\iota}` and :math:`\beta` depend on
    :math:`H` only through :math:`\eta_k, \tau_k, \iota` (logarithms).
    """
    H, d, B, k, tau, iota, beta = sp.symbols("H d B k tau iota beta", positive=True)
    alpha = H ** sp.Rational(-1, 2)
    gamma = d ** sp.Rational(-1, 4)
    lam = d / B ** 2
    checks = [sp.simplify(H * alpha ** 2 - 1) == 0,
              sp.simplify(sp.sqrt(lam) * B - sp.sqrt(d)) == 0,
              sp.simplify(30 * tau / gamma ** 2 - 30 * sp.sqrt(d) * tau) == 0,
              sp.simplify(k * H / (alpha ** 2 * d * lam) - k * H ** 2 * B ** 2 / d ** 2) == 0,
              sp.simplify(120 * beta * sp.sqrt(d * iota * H * alpha ** 2) - 120 * beta * sp.sqrt(d * iota)) == 0]
    return ProofStep("horizon_enters_through_logs", r"H\alpha^2 = 1;\ \beta_k = 12\sqrt{d\eta_k\tau_k} + 30\sqrt d\,\tau_k + \sqrt d",
                     SRC_UB, "symbolic", all(checks), f"five identities: {checks}")


def check_home_variance_identity():
    r""":math:`\mathrm{Var}[X^{2^m}] = \mathbb E[X^{2^{m+1}}] - (\mathbb E[X^{2^m}])^2` -- the identity behind
    the HOME estimate :math:`\langle\phi_{m+1},\theta_{m+1}\rangle - \langle\phi_m,\theta_m\rangle^2`
    (regressing :math:`V^{2^{m+1}}` estimates the second moment of :math:`V^{2^m}`).
    Symbolic for a three-point distribution and m = 0, 1, 2.
    """
    p = sp.symbols("p1:4", nonnegative=True)
    x = sp.symbols("x1:4", nonnegative=True)
    ok = True
    for m in range(3):
        e = 2 ** m
        mean = sum(pi * xi ** e for pi, xi in zip(p, x))
        var = sum(pi * (xi ** e - mean) ** 2 for pi, xi in zip(p, x))
        rhs = sum(pi * xi ** (2 * e) for pi, xi in zip(p, x)) - mean ** 2
        ok &= sp.simplify(sp.expand((var - rhs).subs(p[2], 1 - p[0] - p[1]))) == 0
    return ProofStep("home_variance_identity", r"\mathrm{Var}[V^{2^m}] = \mathbb{E}[V^{2^{m+1}}] - (\mathbb{E}V^{2^m})^2",
                     SRC_HOME, "symbolic", ok, "expanded with p3 = 1 - p1 - p2")


def check_home_error_bar():
    r"""Bernstein-type step of HOME: on the good event the error bar :math:`E_m` covers the estimation error.

    If :math:`|\langle\phi_j,\theta_j\rangle - \langle\phi_j,\theta^*\rangle| \le \beta\|\phi_j\|_{\dot\Sigma_j^{-1}}`
    (Cauchy–Schwarz and :math:`\|\theta_j-\theta^*\|_{\dot\Sigma_j}\le\beta`), then with true moments
    :math:`a = \mathbb E V^{2^{m+1}}`, :math:`b = \mathbb E V^{2^m}` in [0, 1]:
    :math:`|[\hat a]_{[0,1]} - [\hat b]^2_{[0,1]} - (a - b^2)| \le [\beta\|\phi_{m+1}\|]_{[0,1]} + [2\beta\|\phi_m\|]_{[0,1]}`,
    i.e. :math:`\widehat{\mathrm{Var}} + E_m \ge \mathrm{Var}`.  Two facts: clipping to [0,1] is a
    contraction onto a set containing :math:`a, b`; :math:`|x^2 - y^2| = |x-y||x+y| \le 2|x-y|`
    on [0,1] (symbolic), and both errors are also at most 1 after clipping.  The whole inequality
    is then checked numerically on random instances (Cauchy–Schwarz included).
    """
    x, y = sp.symbols("x y", nonnegative=True)
    fact = sp.factor(x ** 2 - y ** 2) == (x - y) * (x + y)
    rng = np.random.default_rng(20230318)
    worst = np.inf
    for _ in range(4000):
        d = int(rng.integers(2, 6))
        S = int(rng.integers(2, 6))
        Phi = rng.dirichlet(np.ones(S), size=d).T / np.sqrt(d)        # (S, d): phi(s'|s,a)
        th_star = np.sqrt(d) * rng.dirichlet(np.ones(d))
        P = Phi @ th_star
        V = rng.uniform(0, 1, S)
        L = rng.normal(size=(d, d))
        Sig = L @ L.T + 0.1 * np.eye(d)
        Sinv = np.linalg.inv(Sig)
        beta = rng.uniform(0.01, 3.0)
        clip = lambda z: min(max(z, 0.0), 1.0)
        est = []
        bars = []
        for e in (1, 2):
            ph = Phi.T @ V ** e
            z = rng.normal(size=d)
            z *= rng.uniform(0, 1) * beta / np.sqrt(z @ Sig @ z)        # ||theta - theta*||_Sigma <= beta
            est.append(ph @ (th_star + z))
            bars.append(beta * np.sqrt(ph @ Sinv @ ph))
        var_true = P @ V ** 2 - (P @ V) ** 2
        var_hat = clip(est[1]) - clip(est[0]) ** 2
        E = clip(2 * bars[0]) + clip(bars[1])
        worst = min(worst, var_hat + E - var_true)
    holds = bool(fact) and worst >= -1e-12
    return ProofStep("home_error_bar", r"\widehat{\mathrm{Var}}_m + E_m \ge \mathrm{Var}[V^{2^m}] \text{ on the good event}",
                     SRC_HOME, "numeric", holds,
                     f"factorisation x^2-y^2=(x-y)(x+y): {fact}; 4000 random instances (d, S in 2..5, m = 0), "
                     f"min of varhat + E - Var = {worst:.3g}")
