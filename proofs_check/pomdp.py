r"""Proof steps behind the revealing-POMDP lower bounds (Chen, Wang, Xiong, Mei & Bai, arXiv 2302.01333).

The steps are those of the specification's Sections 5 and 6 (derived [D]; the paper's own proofs are
not checked against its text):

1. Ingster's identity for the Paninski family: :math:`\rho(z,z')=\sum_x p_zp_{z'}/U-1=2\varepsilon^2\langle z,z'\rangle/n`
   (symbolic, per pair), and the closed form :math:`1+\chi^2=\mathbb E_W(1+2\varepsilon^2W/n)^N` against the
   engine's exact mixture :math:`\chi^2` (numeric).
2. The cosh bound: :math:`\mathbb E_W(1+2\varepsilon^2W/n)^N\le\cosh(2N\varepsilon^2/n)^{n/2}\le e^{N^2\varepsilon^4/n}`
   (:math:`\mathbb E e^{tz_jz_j'}=\cosh t` symbolic; the chain numeric).
3. The :math:`\ell_1` scaling :math:`\|Ov\|_1=a\|v\|_1` for :math:`v\perp\mathbf 1`, :math:`O=aI+(1-a)\mathbf 1\mathbf 1^\top/n`
   (symbolic, n = 2..6).
4. The noisy lock's per-episode KL: the observation after the step in question has
   :math:`\mathrm{KL}\le\mathrm{KL}(\mathrm{Ber}(\frac{1+a}2)\|\mathrm{Ber}(\frac{1-a}2))=a\log\frac{1+a}{1-a}`
   (symbolic closed form; numeric bound on exact trajectory laws), and
   :math:`a\log\frac{1+a}{1-a}\le 2a^2/(1-a^2)` with :math:`\approx2a^2` as :math:`a\to0`.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import sympy as sp

from rltheory.proofs import ProofStep

SRC = ("Chen, Wang, Xiong, Mei & Bai, Lower Bounds for Learning in Revealing POMDPs, arXiv 2302.01333; "
       "specification Sections 5A, 5B and 6 (derived)")


def check_ingster_pair_term() -> ProofStep:
    r"""Per pair: :math:`n\,[(1+z\varepsilon)(1+z'\varepsilon)+(1-z\varepsilon)(1-z'\varepsilon)]/n^2 = 2(1+zz'\varepsilon^2)/n`.

    Summing over the :math:`n/2` pairs gives :math:`1+\rho(z,z') = 1 + 2\varepsilon^2\langle z,z'\rangle/n`.
    """
    z, w, e, n = sp.symbols("z w epsilon n", real=True)
    lhs = n * ((1 + z * e) * (1 + w * e) + (1 - z * e) * (1 - w * e)) / n ** 2
    ok = sp.simplify(lhs - 2 * (1 + z * w * e ** 2) / n) == 0
    return ProofStep("ingster_pair_term", "sum_{x in pair j} p_z(x) p_z'(x) / U(x) = 2 (1 + z_j z'_j eps^2) / n",
                     SRC, "symbolic", bool(ok), "simplified symbolically")


def check_ingster_closed_form_numeric() -> ProofStep:
    r"""Closed form :math:`\mathbb E_W(1+2\varepsilon^2W/n)^N-1` against :func:`rltheory.solvers.ingster_chi2` on all :math:`2^{n/2}` laws."""
    from rltheory.envs.hard_instances.pomdp import paninski_chi2, paninski_law
    from rltheory.solvers import ingster_chi2
    worst = 0.0
    grid = []
    for n in (2, 4, 6, 8):
        fam = np.array([paninski_law(n, 0.3, np.array(z)) for z in itertools.product((-1, 1), repeat=n // 2)])
        for eps in (0.1, 0.5, 0.9):
            fam = np.array([paninski_law(n, eps, np.array(z)) for z in itertools.product((-1, 1), repeat=n // 2)])
            for N in (1, 2, 5, 20):
                a = paninski_chi2(n, eps, N)
                b = ingster_chi2(np.full(n, 1.0 / n), fam, N)
                worst = max(worst, abs(a - b) / max(1.0, abs(b)))
                grid.append((n, eps, N))
    return ProofStep("ingster_closed_form", "1 + chi2(E_z p_z^N || U^N) = E_W (1 + 2 eps^2 W / n)^N", SRC, "numeric",
                     worst <= 1e-10, f"n in {{2,4,6,8}}, eps in {{0.1,0.5,0.9}}, N in {{1,2,5,20}}; "
                     f"max relative error {worst:.3g}")


def check_cosh_bound() -> ProofStep:
    r""":math:`\mathbb E[e^{t z z'}]=\cosh t` (symbolic), then
    :math:`\chi^2\le\cosh(2N\varepsilon^2/n)^{n/2}-1\le e^{N^2\varepsilon^4/n}-1` on a grid."""
    t = sp.symbols("t", real=True)
    mgf_ok = sp.simplify((sp.exp(t) + sp.exp(-t)) / 2 - sp.cosh(t)) == 0
    from rltheory.envs.hard_instances.pomdp import paninski_chi2, paninski_cosh_bound
    ok = True
    worst = -math.inf
    for n in (2, 8, 32, 128):
        for eps in (0.1, 0.3, 0.6, 0.9):
            for N in (1, 3, 10, 30, 100):
                c = paninski_chi2(n, eps, N)
                b1, b2 = paninski_cosh_bound(n, eps, N)
                ok &= c <= b1 * (1 + 1e-12) + 1e-15 and b1 <= b2 * (1 + 1e-12) + 1e-15
                if math.isfinite(b1) and b1 > 0:
                    worst = max(worst, c / b1)
    return ProofStep("cosh_bound", "E_W(1+2 eps^2 W/n)^N - 1 <= cosh(2N eps^2/n)^(n/2) - 1 <= exp(N^2 eps^4/n) - 1",
                     SRC, "numeric", bool(mgf_ok and ok),
                     f"E e^(t z z') = cosh t symbolically: {mgf_ok}; grid n in {{2,8,32,128}}, eps in "
                     f"{{0.1,0.3,0.6,0.9}}, N in {{1,3,10,30,100}}; max chi2/cosh bound {worst:.3g}")


def check_l1_scaling() -> ProofStep:
    r""":math:`Ov=av` for :math:`\mathbf 1^\top v=0`, hence :math:`\|Ov\|_1=a\|v\|_1` (symbolic, n = 2..6)."""
    a = sp.symbols("a", positive=True)
    ok = True
    for n in range(2, 7):
        v = sp.symbols(f"v0:{n - 1}", real=True)
        vec = sp.Matrix(list(v) + [-sum(v)])                      # a generic vector orthogonal to 1
        O = a * sp.eye(n) + (1 - a) * sp.ones(n, n) / n
        ok &= all(sp.simplify(x) == 0 for x in (O * vec - a * vec))
    return ProofStep("l1_scaling", "||O v||_1 = a ||v||_1 for v orthogonal to 1, O = a I + (1-a) 11^T / n", SRC,
                     "symbolic", bool(ok), "O v - a v simplified to 0 for n = 2..6 (|a v|_1 = a |v|_1, a >= 0)")


def check_lock_kl_per_episode() -> ProofStep:
    r"""KL of the observation after step h between "action c is correct at h" and "c' is": at most
    :math:`a\log\frac{1+a}{1-a}` (closed form symbolic), on exact trajectory laws of two locks."""
    a = sp.symbols("a", positive=True)
    p, q = (1 + a) / 2, (1 - a) / 2
    kl = p * sp.log(p / q) + (1 - p) * sp.log((1 - p) / (1 - q))
    closed_ok = sp.simplify(sp.expand_log(kl - a * sp.log((1 + a) / (1 - a)), force=True)) == 0
    series_ok = sp.simplify(sp.series(a * sp.log((1 + a) / (1 - a)), a, 0, 4).removeO() - 2 * a ** 2) == 0
    from rltheory.bounds.pomdp import lock_kl_per_episode
    from rltheory.envs.hard_instances.pomdp import noisy_lock
    from rltheory.solvers import kl as kl_div
    from rltheory.solvers import trajectory_law
    ok = True
    worst = -math.inf
    H, A = 4, 2
    for av in (0.1, 0.4, 0.8):
        for h in range(H - 2):                       # the observation after step h is noisy for h + 1 <= H - 2
            c1 = np.zeros(H - 1, dtype=np.int64)
            c2 = c1.copy()
            c2[h] = 1
            L1, L2 = noisy_lock(H, A, av, c1), noisy_lock(H, A, av, c2)
            for u in itertools.product(range(A), repeat=H):
                u = np.array(u, dtype=np.int64)
                axes = tuple(i for i in range(2 * H) if i != 2 * (h + 1))
                P = trajectory_law(L1, u).sum(axis=axes)
                Q = trajectory_law(L2, u).sum(axis=axes)
                d = kl_div(P, Q) - lock_kl_per_episode(av)
                worst = max(worst, d)
                ok &= d <= 1e-12
    ok &= bool(all(av * math.log((1 + av) / (1 - av)) <= 2 * av * av / (1 - av * av) + 1e-15
                   for av in np.linspace(0.01, 0.99, 99)))
    return ProofStep("lock_kl_per_episode",
                     "KL(o_(h+1) law | c correct at h || c' correct at h) <= a log((1+a)/(1-a)) = 2a^2 + O(a^4)",
                     SRC, "numeric", bool(closed_ok and series_ok and ok),
                     f"closed form symbolic: {closed_ok}; series 2a^2 + O(a^4): {series_ok}; H = 4, A = 2, "
                     f"a in {{0.1, 0.4, 0.8}}, every open-loop policy; max KL - bound {worst:.3g}; "
                     "a log((1+a)/(1-a)) <= 2a^2/(1-a^2) on a grid of 99 points")


def check_exploit_leakage_chi2() -> ProofStep:
    r"""Exploit trajectories leak only at the mixture level (specification Section 5C caveat).

    For the costly-reveal family :math:`\{\theta_z\}` and the null :math:`\theta_0` in which no guess wins
    more than 1/2, N episodes of the exploit action of a guess g give, by Ingster's identity with
    :math:`\rho(z,z')=\mathbb 1[g=z=z']`, :math:`\chi^2(\mathbb E_zP_z^{\otimes N}\|P_0^{\otimes N})=(2^N-1)/4^k`;
    checked against :func:`rltheory.solvers.ingster_chi2` on the exact trajectory laws (k = 1, 2; N = 1..4).
    """
    from rltheory.envs.hard_instances.pomdp import costly_reveal_pomdp
    from rltheory.models import POMDP
    from rltheory.solvers import ingster_chi2, trajectory_law
    worst = 0.0
    for k in (1, 2):
        zs = [np.array(z) for z in itertools.product((-1, 1), repeat=k)]
        insts = [costly_reveal_pomdp(k, 0.5, 0.8, z, "two_step") for z in zs]
        g = insts[0].guess_action(zs[-1])
        m0 = insts[0].pomdp
        T0 = np.array(m0.T)
        n = 2 * k
        T0[1:1 + n, 1:, 2 * n + 1] = 0.5
        T0[1:1 + n, 1:, 2 * n + 2] = 0.5
        null = POMDP(T0, m0.O, m0.r, m0.mu0, H=m0.H)
        u = np.array([0, g, 0], dtype=np.int64)
        P0 = trajectory_law(null, u)
        fam = np.array([trajectory_law(i.pomdp, u) for i in insts])
        for N in (1, 2, 3, 4):
            worst = max(worst, abs(ingster_chi2(P0, fam, N) - (2 ** N - 1) / 4 ** k))
    return ProofStep("exploit_leakage_chi2", "chi2(E_z P_z^N || P_0^N) = (2^N - 1) / 4^k for exploit trajectories",
                     SRC, "numeric", worst <= 1e-12, f"k in {{1, 2}}, N in 1..4; max |error| {worst:.3g}")
