r"""Proof steps of "Harnessing Density Ratios for Online Reinforcement Learning" (arXiv 2401.09681).

Amortila, Foster, Jiang, Sekhari & Xie, ICLR 2024.  Specification: ``shared/papers/glow_hyglow.md``.

1. Definition 2.1: :math:`\inf_\mu \sup_{\pi,h} \|d^\pi_h/\mu_h\|_\infty = \max_h \sum_{x,a}\sup_\pi d^\pi_h(x,a)`
   on small instances: LP (robust occupancy LP, HiGHS), the per-target DP and brute force over
   deterministic policies agree.
2. Lemma E.3 (coverability potential): :math:`\sum_{t \le T} \mathbb E_{d^{(t)}}[d^{(t)}/\tilde d^{(t+1)}] \le 5C\log T`
   for random sequences with :math:`\|d^{(t)}/\mu\|_\infty \le C`, :math:`T \ge 2`; at :math:`T = 1` the left side
   is 1 and the right side 0 (the lemma needs :math:`T \ge 2`).
3. Lemma D.5 (per-state elliptic potential): :math:`\sum_t d^{(t)}(z)/(\sum_{i<t} d^{(i)}(z) + C\mu(z)) \le 2\log(1+T)`.
4. The clipping inequality behind Lemma E.4: with :math:`w = d/\bar d`,
   :math:`|\mathbb E_d[f] - \mathbb E_{\bar d}[\mathrm{clip}_\gamma(w) f]| = |\sum (d - \gamma\bar d)_+ f|
   \le \|f\|_\infty \mathbb E_d[w]/\gamma`, from :math:`(d - \gamma b)_+ \le d^2/(\gamma b)` (symbolic) --
   the bias of clipping is the coverability potential divided by :math:`\gamma`.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp

from rltheory.envs import kappa_layered, random_tabular
from rltheory.proofs import ProofStep
from rltheory.solvers import coverability, coverability_lp, coverability_potential, occupancy

SRC = ("Amortila, Foster, Jiang, Sekhari & Xie, Harnessing Density Ratios for Online Reinforcement Learning, "
       "arXiv 2401.09681")


def check_coverability_definitions_agree() -> ProofStep:
    r"""Definition 2.1 (inf over mu, LP) = sum of sups (DP) = brute force over deterministic policies."""
    worst = 0.0
    n = 0
    for seed in range(12):
        for mdp in (kappa_layered(3, 2, 3, (seed % 5) / 4, seed=seed),
                    random_tabular(3, 2, 3, seed=seed, gamma_max=2)):
            dp = coverability(mdp).per_step
            lp = coverability_lp(mdp)
            best = np.zeros((mdp.H, mdp.S, mdp.A))
            for acts in itertools.product(range(mdp.A), repeat=mdp.H * mdp.S):
                best = np.maximum(best, occupancy(mdp, np.array(acts).reshape(mdp.H, mdp.S)))
            brute = best.sum(axis=(1, 2))
            worst = max(worst, float(np.abs(dp - lp).max()), float(np.abs(dp - brute).max()))
            n += 1
    return ProofStep("coverability_definitions_agree",
                     "inf_mu max_{pi,h} ||d^pi_h/mu_h||_inf = max_h sum_{x,a} sup_pi d^pi_h(x,a)",
                     SRC + ", Definition 2.1", "numeric", worst <= 1e-8,
                     f"{n} instances (kappa-layered and random, S = 3, A = 2, H = 3; 64 deterministic policies "
                     f"each); max |DP - LP|, |DP - brute force| = {worst:.2e}")


def _random_sequences(rng, T, H, S, A):
    """Occupancy sequences of random deterministic policies on a random layered MDP, and that MDP's C_cov."""
    mdp = random_tabular(S, A, H, seed=int(rng.integers(2 ** 31)), gamma_max=2)
    pols = rng.integers(0, A, size=(T, H, S))
    k = min(int(rng.integers(1, 4)), T)             # a few distinct policies, repeated in random order
    pols = pols[rng.integers(0, k, size=T)] if rng.random() < 0.5 else pols
    return np.array([occupancy(mdp, p) for p in pols]), coverability(mdp).value


def check_potential_lemma_E3() -> ProofStep:
    r"""Lemma E.3: potential :math:`\le 5 C_{\mathrm{cov}} \log T` for ``T >= 2`` on 200 random sequences."""
    rng = np.random.default_rng(24010968)
    worst = -np.inf
    for _ in range(200):
        T = int(rng.integers(2, 60))
        d, C = _random_sequences(rng, T, 3, 3, 2)
        pot = coverability_potential(d).max(axis=1)
        steps = np.arange(2, T + 1)
        worst = max(worst, float((pot[steps - 1] / (5 * C * np.log(steps))).max()))
    return ProofStep("potential_lemma_E3", "sum_{t<=T} E_{d^(t)}[d^(t)/sum_{s<=t} d^(s)] <= 5 C log T, T >= 2",
                     SRC + ", Lemma E.3", "numeric", worst <= 1.0,
                     f"200 sequences of random deterministic policies (T in 2..59) on random MDPs (S = 3, A = 2, "
                     f"H = 3), C = exact C_cov; max ratio over every T = {worst:.3f}")


def check_potential_needs_T_at_least_2() -> ProofStep:
    r"""At :math:`T = 1` the potential is :math:`\mathbb E_{d}[d/d] = 1` while :math:`5C\log 1 = 0`.

    So the printed lemma needs ``T >= 2``."""
    d = np.zeros((1, 1, 2, 1))
    d[0, 0, :, 0] = [0.5, 0.5]
    pot = float(coverability_potential(d)[0, 0])
    return ProofStep("potential_needs_T_at_least_2", "Psi(1) = 1 > 5 C log 1 = 0", SRC + ", Lemma E.3 (edge case)",
                     "numeric", pot == 1.0,
                     "the printed bound 5 C log T fails at T = 1 (Lemma D.5's 2 log(1 + T) form does not); "
                     "the claims check T >= 2")


def check_elliptic_potential_D5() -> ProofStep:
    r"""Lemma D.5: :math:`\sum_t d^{(t)}(z)/(\sum_{i<t} d^{(i)}(z) + C\mu(z)) \le 2\log(1+T)`.

    For sequences with :math:`0 \le d^{(t)}(z) \le C\mu(z)`."""
    rng = np.random.default_rng(5)
    worst = -np.inf
    for _ in range(2000):
        T = int(rng.integers(1, 200))
        cmu = rng.uniform(0.01, 1.0)
        d = cmu * rng.random(T) * (rng.random(T) < rng.uniform(0.05, 1))
        past = np.concatenate([[0.0], np.cumsum(d)[:-1]])
        worst = max(worst, float((d / (past + cmu)).sum() - 2 * np.log1p(T)))
    return ProofStep("elliptic_potential_D5", "sum_t d_t/(sum_{i<t} d_i + C mu) <= 2 log(1+T), 0 <= d_t <= C mu",
                     SRC + ", Lemma D.5", "numeric", worst <= 1e-12,
                     f"2000 random sequences (T in 1..199, sparse and dense); max LHS - RHS = {worst:.3f}")


def check_clipping_scalar_inequality() -> ProofStep:
    r""":math:`(d - \gamma b)_+ \le d^2/(\gamma b)` for :math:`d \ge 0`, :math:`b, \gamma > 0`.

    On :math:`d \le \gamma b` the left side is 0.  Otherwise multiply by :math:`\gamma b > 0`:
    :math:`d^2 - \gamma b d + \gamma^2 b^2 = (d - \gamma b/2)^2 + \tfrac34 \gamma^2 b^2 \ge 0`.
    """
    d, b, g = sp.symbols("d b gamma", positive=True)
    lhs = d ** 2 - g * b * d + g ** 2 * b ** 2
    ident = sp.expand(lhs - ((d - g * b / 2) ** 2 + sp.Rational(3, 4) * g ** 2 * b ** 2))
    return ProofStep("clipping_scalar_inequality", "(d - gamma b)_+ <= d^2 / (gamma b)",
                     SRC + ", Lemma E.4 (clipping bias)", "symbolic", ident == 0,
                     "d^2 - gamma b d + gamma^2 b^2 = (d - gamma b / 2)^2 + 3/4 gamma^2 b^2 (sympy expand)")


def check_clipping_bias_bound() -> ProofStep:
    r""":math:`|\mathbb E_d f - \mathbb E_{\bar d}[\min(d/\bar d, \gamma) f]| \le \|f\|_\infty \mathbb E_d[d/\bar d]/\gamma`.

    Checked on random instances."""
    rng = np.random.default_rng(7)
    worst = -np.inf
    for _ in range(5000):
        n = int(rng.integers(2, 12))
        d = rng.dirichlet(np.full(n, 0.5))
        dbar = rng.dirichlet(np.full(n, 0.5)) * (rng.random(n) < 0.9)
        f = rng.uniform(-1, 1, n)
        gamma = float(rng.choice([0.5, 1.0, 3.0, 10.0]))
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(dbar > 0, d / np.where(dbar > 0, dbar, 1.0), np.where(d > 0, np.inf, 0.0))
        lhs = abs(float(d @ f) - float(np.sum(np.where(dbar > 0, dbar * np.minimum(w, gamma), 0.0) * f)))
        with np.errstate(invalid="ignore"):
            rhs = float(np.sum(np.where(d > 0, d * w, 0.0))) / gamma * np.abs(f).max()
        worst = max(worst, lhs - rhs)
    return ProofStep("clipping_bias_bound", "|E_d f - E_dbar[clip_gamma(d/dbar) f]| <= ||f||_inf E_d[d/dbar]/gamma",
                     SRC + ", Lemma E.4 (clipping bias)", "numeric", worst <= 1e-12,
                     f"5000 random (d, dbar, f, gamma), dbar with zeros (ratio +inf); max LHS - RHS = {worst:.3g}")
