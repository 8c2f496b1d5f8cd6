r"""Proof steps behind the LMDP claims (Zhou, Wang & Du, ICML 2023, arXiv 2210.11604).

The definitions of alpha vectors and of Var* are the specification's
reconstruction (Sections 2, 3, [R]); the steps checked here are the ones the
claims and the toolkit rely on:

1. Law of total variance for alpha vectors (the step behind horizon-freeness):
   with deterministic rewards and a deterministic history-dependent policy,
   :math:`\mathrm{Var}_m[\sum_h r_h \mid s_0] = \mathbb E_m[\sum_h \mathbb V(P_m(\cdot|s_h,a_h),
   \alpha_{h+1}(m, \tau_h\circ(a_h,r_h,\cdot))) \mid s_0]` -- symbolically on a two-step tree with
   symbolic probabilities, rewards and branch-dependent actions, and numerically against
   :func:`rltheory.solvers.lmdp_policy_variance` on random LMDPs;
2. its consequence :math:`\mathrm{Var}^\pi \le 1` when total reward is at most 1
   (:math:`\mathrm{Var}(G) \le \mathbb E[G^2] \le \mathbb E[G] \le 1` for :math:`G \in [0,1]`);
3. the belief update: filtering one observation at a time gives the batch posterior
   :math:`b_m \propto w_m \nu_m(s_0) \prod_t P_m(s_{t+1}|s_t,a_t)\mathbb 1[R_m(s_t,a_t)=r_t]`
   (symbolic, two steps, two contexts; numeric with :func:`rltheory.solvers.belief_update`);
4. the closed form :math:`\mathrm{Var}^* = p(1-p)` on :func:`rltheory.envs.variance_lmdp`
   (symbolic in :math:`p` over both first actions, numeric by enumerating every policy);
5. the hard pair: :math:`\mathrm{KL} = M^{-1} A^{-(\mathrm{depth}+1)}\,\mathrm{kl}(\tfrac12\|\tfrac12+\varepsilon)`
   under uniform play and :math:`\mathrm{kl}(\tfrac12\|\tfrac12+\varepsilon) = 2\varepsilon^2 + O(\varepsilon^4)`;
6. revealing family, :math:`H = 3`: adapting the second action to the first outcome changes the variance by
   :math:`p(1-p)u^2(2\,\mathrm{gap} + \mathrm{gap}^2 - p)`, so :math:`\mathrm{Var}^\pi` is not policy-independent
   (symbolic), and :math:`\mathrm{Var}^*` there in closed form (numeric, :func:`rltheory.solvers.var_star`);
7. the exact set DP :func:`rltheory.envs.revealing_lmdp_var_star` against policy enumeration, and the bracket
   :func:`rltheory.envs.revealing_lmdp_var_star_bounds` around it (numeric);
8. the bracket :func:`rltheory.envs.probe_state_lmdp_var_star_bounds` around :func:`rltheory.solvers.var_star`,
   exact when no context's :math:`\theta` depends on the action (numeric).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from rltheory.proofs import ProofStep

SRC = ("Zhou, Wang & Du, Horizon-Free and Variance-Dependent RL for Latent MDPs, arXiv 2210.11604; "
       "alpha vectors and Var* as reconstructed in Sections 2-3 of our specification")


def _var(probs, vals):
    mean = sum(p * v for p, v in zip(probs, vals))
    return sum(p * v ** 2 for p, v in zip(probs, vals)) - mean ** 2


def check_total_variance_alpha_symbolic() -> ProofStep:
    r"""Two-step tree, one context: :math:`\mathrm{Var}(r_0 + r_1(s_1)) = \mathbb V(P_0, \alpha_1) + \mathbb E[\mathbb V(P_1(\cdot|s_1), \alpha_2)]`.

    From :math:`s_0` the played action leads to :math:`s_1 \in \{x, y\}` w.p. :math:`p, 1-p`; the
    policy may play different actions at :math:`x` and :math:`y` (history dependence), leading to two
    successors each with probabilities :math:`q_x, q_y` and rewards :math:`u_{x,\cdot}, u_{y,\cdot}`
    collected at step 2.  Deterministic rewards :math:`r_0, r_x, r_y`.
    """
    p, qx, qy, r0, rx, ry, ux1, ux2, uy1, uy2 = sp.symbols("p q_x q_y r0 r_x r_y u_x1 u_x2 u_y1 u_y2", real=True)
    leaves = [(p * qx, r0 + rx + ux1), (p * (1 - qx), r0 + rx + ux2),
              ((1 - p) * qy, r0 + ry + uy1), ((1 - p) * (1 - qy), r0 + ry + uy2)]
    var_g = sum(w * g ** 2 for w, g in leaves) - sum(w * g for w, g in leaves) ** 2
    alpha2 = {"x": (ux1, ux2), "y": (uy1, uy2)}
    alpha1 = (rx + qx * ux1 + (1 - qx) * ux2, ry + qy * uy1 + (1 - qy) * uy2)
    total = (_var((p, 1 - p), alpha1) + p * _var((qx, 1 - qx), alpha2["x"])
             + (1 - p) * _var((qy, 1 - qy), alpha2["y"]))
    ok = sp.expand(var_g - total) == 0
    return ProofStep("total_variance_alpha_symbolic",
                     "Var[G | s0] = V(P_0, alpha_1) + E[V(P_1, alpha_2)] (two steps, history-dependent actions)",
                     SRC, "symbolic", bool(ok), "expanded difference is 0" if ok else "difference is not 0")


def check_total_variance_alpha_numeric() -> ProofStep:
    r""":func:`rltheory.solvers.lmdp_policy_variance` equals :math:`\sum_m w_m(\mathrm{Var}_m[G] - \mathrm{Var}_{\nu_m}[\alpha_1])`
    for the Bayes-optimal policy on 20 random LMDPs (M = 2, S = 2, A = 2, H = 3), and is at most 1."""
    from rltheory.envs import random_lmdp
    from rltheory.solvers import BeliefPolicy, lmdp_policy_variance
    worst, worst_bound = 0.0, -np.inf
    for seed in range(20):
        L = random_lmdp(2, 2, 2, 3, seed=seed)
        act = BeliefPolicy.optimal(L).actor(L.H)
        direct = 0.0
        for m in range(L.M):
            e1 = e2 = vs = 0.0
            for s in np.flatnonzero(L.nu[m] > 0):
                leaves = []

                def rec(hist, st, prob, ret):
                    if len(hist) // 3 == L.H:
                        leaves.append((prob, ret))
                        return
                    a = act(hist)
                    for t in np.flatnonzero(L.P[m, st, a] > 0):
                        rec(hist + (a, float(L.R[m, st, a]), int(t)), int(t), prob * L.P[m, st, a, t],
                            ret + L.R[m, st, a])
                rec((int(s),), int(s), 1.0, 0.0)
                mean = sum(q * g for q, g in leaves)
                e1 += L.nu[m, s] * mean
                e2 += L.nu[m, s] * sum(q * g * g for q, g in leaves)
                vs += L.nu[m, s] * mean ** 2
            direct += L.w[m] * ((e2 - e1 ** 2) - (vs - e1 ** 2))
        v = lmdp_policy_variance(L, BeliefPolicy.optimal(L))
        worst = max(worst, abs(v - direct))
        worst_bound = max(worst_bound, v - 1.0)
    ok = worst <= 1e-10 and worst_bound <= 0
    return ProofStep("total_variance_alpha_numeric",
                     "Var^pi = sum_m w_m (Var_m[G] - Var_nu_m[alpha_1]) <= 1 (total reward <= 1)", SRC, "numeric",
                     bool(ok), f"20 random LMDPs: max |difference| = {worst:.2e}, max Var^pi - 1 = {worst_bound:.3g}")


def check_variance_bounded_by_one() -> ProofStep:
    r""":math:`G \in [0,1] \Rightarrow \mathrm{Var}(G) \le \mathbb E[G^2] \le \mathbb E[G] \le 1`, checked as
    :math:`\mathbb E[G] - \mathbb E[G^2] = \mathbb E[G(1-G)] \ge 0` symbolically for a two-point law."""
    q, g1, g2 = sp.symbols("q g1 g2", real=True)
    diff = (q * g1 + (1 - q) * g2) - (q * g1 ** 2 + (1 - q) * g2 ** 2)
    ok = sp.expand(diff - (q * g1 * (1 - g1) + (1 - q) * g2 * (1 - g2))) == 0
    return ProofStep("variance_bounded_by_one", "G in [0,1]: E[G] - E[G^2] = E[G(1-G)] >= 0, so Var* <= 1",
                     SRC, "symbolic", bool(ok), "identity E[G]-E[G^2] = E[G(1-G)] expanded")


def check_belief_update_symbolic() -> ProofStep:
    r"""Filtering twice (normalising after each step) equals the batch posterior, two contexts, two steps."""
    w1, n1, n2, a1, a2, b1, b2 = sp.symbols("w1 n1 n2 a1 a2 b1 b2", positive=True)
    i1, i2, j1, j2 = sp.symbols("i1 i2 j1 j2", nonnegative=True)   # reward-match indicators
    prior = (w1 * n1, (1 - w1) * n2)

    def step(b, lik):
        un = (b[0] * lik[0], b[1] * lik[1])
        z = un[0] + un[1]
        return (un[0] / z, un[1] / z)
    seq = step(step(prior, (a1 * i1, a2 * i2)), (b1 * j1, b2 * j2))
    batch_un = (w1 * n1 * a1 * i1 * b1 * j1, (1 - w1) * n2 * a2 * i2 * b2 * j2)
    batch = (batch_un[0] / (batch_un[0] + batch_un[1]), batch_un[1] / (batch_un[0] + batch_un[1]))
    ok = all(sp.simplify(x - y) == 0 for x, y in zip(seq, batch))
    return ProofStep("belief_update_symbolic",
                     "b_m(tau_2) ∝ w_m nu_m(s0) prod_t P_m(s_{t+1}|s_t,a_t) 1[R_m(s_t,a_t)=r_t], sequentially = batch",
                     SRC, "symbolic", bool(ok), "two sequential normalised updates equal the batch posterior")


def check_belief_update_numeric() -> ProofStep:
    r""":func:`rltheory.solvers.belief_update` along 200 sampled histories equals the batch posterior."""
    from rltheory.envs import random_lmdp
    from rltheory.solvers import belief_update
    rng = np.random.default_rng(12)
    worst = 0.0
    for seed in range(20):
        L = random_lmdp(3, 3, 2, 4, seed=seed)
        for _ in range(10):
            m = rng.choice(L.M, p=L.w)
            s = rng.choice(L.S, p=L.nu[m])
            un = L.w * L.nu[:, s]
            b = un / un.sum()
            for _h in range(L.H):
                a = int(rng.integers(L.A))
                t = int(rng.choice(L.S, p=L.P[m, s, a]))
                r = float(L.R[m, s, a])
                b = belief_update(L, b, s, a, r, t)
                un = un * L.P[:, s, a, t] * (L.R[:, s, a] == r)
                worst = max(worst, float(np.abs(b - un / un.sum()).max()))
                s = t
    return ProofStep("belief_update_numeric", "sequential belief_update = batch posterior", SRC, "numeric",
                     worst <= 1e-12, f"200 histories of 4 steps on random LMDPs (M=3, S=3): max error {worst:.2e}")


def check_variance_family_closed_form() -> ProofStep:
    r"""Variance family: a good first action gives one-step variance :math:`\mathbb V = p(1-p)\cdot 1^2`, a bad
    one 0, every later step is deterministic; so :math:`\mathrm{Var}^\pi = p(1-p)\sum_m w_m \Pr^\pi_m[a_0=a^*_m]`,
    maximised at :math:`p(1-p)` (symbolic), and :func:`rltheory.solvers.var_star` agrees on a grid (numeric)."""
    from rltheory.envs import variance_lmdp
    from rltheory.solvers import var_star
    p = sp.symbols("p", positive=True)
    good = _var((1 - p, p), (1, 0))             # alpha_1(G) = 1, alpha_1(B) = 0 for every policy
    sym_ok = sp.simplify(good - p * (1 - p)) == 0
    worst = 0.0
    for pv in (0.0, 0.05, 0.2, 0.5):
        for M, A, H in ((1, 2, 2), (2, 2, 3), (2, 3, 2)):
            worst = max(worst, abs(var_star(variance_lmdp(M, A, H, p=pv, gap=0.05 * (1 - pv))) - pv * (1 - pv)))
    ok = bool(sym_ok) and worst <= 1e-12
    return ProofStep("variance_family_closed_form", "Var* = p(1-p) on variance_lmdp(M, A, H, p, gap)", SRC,
                     "numeric", ok, f"symbolic one-step variance: {sym_ok}; max |var_star - p(1-p)| over 12 "
                     f"instances = {worst:.2e}")


def check_hard_pair_kl() -> ProofStep:
    r"""Hard pair: :math:`\mathrm{KL} = M^{-1}A^{-(d+1)}\,\mathrm{kl}(\tfrac12\|\tfrac12+\varepsilon)` (exact enumeration,
    numeric) and :math:`\mathrm{kl}(\tfrac12\|\tfrac12+\varepsilon) = -\tfrac12\ln(1-4\varepsilon^2) = 2\varepsilon^2 + 4\varepsilon^4
    + O(\varepsilon^6)`, leading term :math:`2\varepsilon^2` (symbolic series)."""
    from rltheory.envs.hard_instances.lmdp import lmdp_hard_pair, uniform_trajectory_laws
    from rltheory.solvers import kl
    e = sp.symbols("epsilon", positive=True)
    f = sp.Rational(1, 2) * sp.log(sp.Rational(1, 2) / (sp.Rational(1, 2) + e)) \
        + sp.Rational(1, 2) * sp.log(sp.Rational(1, 2) / (sp.Rational(1, 2) - e))
    series = sp.series(f, e, 0, 5).removeO()
    lead_ok = sp.simplify(series.coeff(e, 2) - 2) == 0 and series.coeff(e, 1) == 0
    worst = 0.0
    for M, d, A, eps in ((2, 1, 2, 0.1), (3, 2, 2, 0.03), (2, 1, 3, 0.2)):
        base, pert = lmdp_hard_pair(M, d, A, eps)
        p, q = uniform_trajectory_laws(base, pert)
        closed = float(f.subs(e, eps)) / (M * A ** (d + 1))
        worst = max(worst, abs(kl(p, q) - closed))
    ok = bool(lead_ok) and worst <= 1e-12
    return ProofStep("hard_pair_kl", "KL(base || target) = kl(1/2 || 1/2+eps) / (M A^(depth+1)) = O(eps^2)", SRC,
                     "numeric", ok, f"series leading term 2 eps^2: {lead_ok}; max |KL - closed form| = {worst:.2e}")


def _revealing_threshold_policy(k: int, t: int, G: int = 1):
    """``history -> action`` on ``revealing_lmdp(1, 2, H)`` (good action 0, bad 1, G = state 1): good at the
    first ``k`` decisions, then good iff at least ``t`` of the states ``s_1..s_k`` are G."""
    def act(hist):
        h = len(hist) // 3
        if h < k:
            return 0
        return 0 if sum(hist[3 * j] == G for j in range(1, k + 1)) >= t else 1
    return act


def check_revealing_adaptivity_identity() -> ProofStep:
    r"""Revealing family, :math:`H = 3` (:math:`n = 2`, :math:`u = 1/2`): "good; after G good; after B bad" minus
    always-good is :math:`p(1-p)u^2(2\,\mathrm{gap} + \mathrm{gap}^2 - p)` (symbolic, from the return's four-leaf
    law), so :math:`\mathrm{Var}^\pi` depends on :math:`\pi` when :math:`\mathrm{gap} > 0`; and
    :math:`\mathrm{Var}^* = p(1-p)u^2\max\{2, (1+\mathrm{gap})^2 + 1 - p\}` (the other first-good policies give
    :math:`(1-\mathrm{gap})^2 + p \le 2` and :math:`1`, first-bad gives at most :math:`1`), checked against
    :func:`rltheory.solvers.var_star` and :func:`rltheory.solvers.lmdp_policy_variance` on
    :func:`rltheory.envs.revealing_lmdp` (numeric)."""
    from rltheory.envs import revealing_lmdp
    from rltheory.solvers import lmdp_policy_variance, var_star
    p, gap, u = sp.symbols("p gap u", positive=True)
    c = 1 - p - gap

    def var_of(leaves):
        mean = sum(w * g for w, g in leaves)
        return sp.expand(sum(w * g ** 2 for w, g in leaves) - mean ** 2)
    always_good = var_of([((1 - p) ** 2, 2 * u), ((1 - p) * p, u), (p * (1 - p), u), (p * p, 0)])
    adaptive = var_of([((1 - p) ** 2, 2 * u), ((1 - p) * p, u), (p, c * u)])
    sym_ok = (sp.expand(adaptive - always_good - p * (1 - p) * u ** 2 * (2 * gap + gap ** 2 - p)) == 0
              and sp.expand(always_good - 2 * p * (1 - p) * u ** 2) == 0)
    worst = 0.0
    for pv in (0.05, 0.25, 0.5, 0.8):
        for frac in (0.0, 0.1, 0.5, 1.0):
            gv = frac * (1 - pv)
            closed = pv * (1 - pv) / 4 * max(2.0, (1 + gv) ** 2 + 1 - pv)
            for M in ((1, 2) if frac == 0.5 else (1,)):
                worst = max(worst, abs(var_star(revealing_lmdp(M, 2, 3, gap=gv, p=pv)) - closed))
            pol = lmdp_policy_variance(revealing_lmdp(1, 2, 3, gap=gv, p=pv), _revealing_threshold_policy(1, 1))
            worst = max(worst, abs(pol - pv * (1 - pv) / 4 * ((1 + gv) ** 2 + 1 - pv)))
    ok = bool(sym_ok) and worst <= 1e-12
    return ProofStep("revealing_adaptivity_identity",
                     "H = 3: Var(adaptive) - Var(always good) = p(1-p)u^2(2 gap + gap^2 - p); "
                     "Var* = p(1-p)u^2 max(2, (1+gap)^2 + 1-p)", SRC, "numeric", ok,
                     f"symbolic identity: {bool(sym_ok)}; max |var_star or policy variance - closed form| over "
                     f"16 (p, gap), M = 1 (and M = 2 at gap = (1-p)/2): {worst:.2e}")


def check_revealing_bracket_and_set_dp() -> ProofStep:
    r"""Revealing family: the exact set DP :func:`rltheory.envs.revealing_lmdp_var_star` equals
    :func:`rltheory.solvers.var_star` (policy enumeration) for :math:`H \le 4`, and
    :func:`rltheory.envs.revealing_lmdp_var_star_bounds` brackets it for :math:`H \le 7`, with equal ends at
    gap = 0; the threshold-policy variances behind the lower end match
    :func:`rltheory.solvers.lmdp_policy_variance` of the same policies (numeric)."""
    from rltheory.envs import revealing_lmdp, revealing_lmdp_var_star, revealing_lmdp_var_star_bounds
    from rltheory.envs.latent_var_star import _threshold_variances
    from rltheory.solvers import lmdp_policy_variance, var_star
    grid = [(pv, frac * (1 - pv)) for pv in (0.0, 0.25, 0.6) for frac in (0.0, 0.3, 1.0)]
    dp_err = thr_err = 0.0
    outside = 0
    for pv, gv in grid:
        for H in (2, 3, 4):
            dp_err = max(dp_err, abs(revealing_lmdp_var_star(pv, gv, H) - var_star(revealing_lmdp(1, 2, H, gap=gv,
                                                                                                 p=pv))))
        for H in range(2, 8):
            v = revealing_lmdp_var_star(pv, gv, H)
            lo, hi = revealing_lmdp_var_star_bounds(pv, gv, H)
            outside += not (lo - 1e-12 <= v <= hi + 1e-12) or (gv == 0 and abs(hi - lo) > 1e-15)
        L = revealing_lmdp(1, 2, 5, gap=gv, p=pv)
        good, bad = (1 - pv, pv * (1 - pv)), (1 - pv - gv, 0.0)
        for k in (1, 2, 3):
            closed = _threshold_variances(1 - pv, good, bad, 4, k)
            for t in range(k + 2):
                thr_err = max(thr_err, abs(closed[t] - lmdp_policy_variance(L, _revealing_threshold_policy(k, t))))
    ok = dp_err <= 1e-12 and thr_err <= 1e-12 and outside == 0
    return ProofStep("revealing_bracket_and_set_dp",
                     "set DP = var_star (H <= 4); lower <= Var* <= upper (H <= 7), equal at gap = 0", SRC, "numeric",
                     ok, f"9 (p, gap): max |set DP - var_star| = {dp_err:.2e}; bracket violations {outside}/54; "
                     f"max |threshold closed form - policy variance| (H = 5) = {thr_err:.2e}")


def check_probe_bracket() -> ProofStep:
    r"""Probe-state family: :func:`rltheory.envs.probe_state_lmdp_var_star_bounds` brackets
    :func:`rltheory.solvers.var_star` on random :math:`\theta` (M, A <= 2, H <= 5, odd and even H) and both ends
    equal :math:`\mathrm{Var}^* = \sum_m w_m\theta_m(1-\theta_m)/\lfloor H/2\rfloor` when every :math:`D_m = 0`
    (numeric)."""
    from rltheory.envs import probe_state_lmdp, probe_state_lmdp_var_star_bounds
    from rltheory.solvers import var_star
    rng = np.random.default_rng(3)
    outside, n, worst = 0, 0, 0.0
    for H in (2, 3, 4, 5):
        for M, A in (((1, 2), (2, 2), (2, 1)) if H < 5 else ((1, 2),)):
            for _ in range(2):
                th = rng.random((M, A))
                v = var_star(probe_state_lmdp(A, H, th))
                lo, hi = probe_state_lmdp_var_star_bounds(th, H)
                outside += not (lo - 1e-12 <= v <= hi + 1e-12)
                n += 1
            th = np.repeat(rng.random((M, 1)), 2, axis=1)
            closed = float(np.mean(th[:, 0] * (1 - th[:, 0]))) / (H // 2)
            lo, hi = probe_state_lmdp_var_star_bounds(th, H)
            worst = max(worst, abs(var_star(probe_state_lmdp(2, H, th)) - closed), abs(lo - closed), abs(hi - closed))
    ok = outside == 0 and worst <= 1e-12
    return ProofStep("probe_bracket", "lower <= Var* <= upper on probe_state_lmdp; exact when every D_m = 0", SRC,
                     "numeric", ok, f"{n} random instances: {outside} violations; D_m = 0 (10 instances): "
                     f"max |var_star, lower, upper - closed form| = {worst:.2e}")
