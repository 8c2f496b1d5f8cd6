"""GLOW, H2O and HyGLOW (arXiv 2401.09681) on finite tabular classes: kernels against plain numpy."""

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.algorithms import LearnerRun, glow, h2o, hyglow
from rltheory.algorithms import _glow_kernels as K
from rltheory.algorithms.glow import glow_class_arrays, glow_numpy
from rltheory.envs import model_family, offline_distribution
from rltheory.solvers import backward_induction, occupancy, policy_evaluation

SMALL = dict(n_optimistic=3, n_pessimistic=2, n_transition=1)


@pytest.fixture(scope="module")
def fam():
    return model_family(5, 2, 3, 1.0, seed=0, **SMALL)      # truth last: ties do not favour it


def _data(fam, n, rng):
    """Random sufficient statistics with n tuples per layer (and their raw tuples)."""
    true = fam.truth
    H, S, A = true.H, true.S, true.A
    tuples = []
    N = np.zeros((H, S, A, S))
    for h in range(H):
        for _ in range(n):
            x, a = rng.integers(S), rng.integers(A)
            y = rng.choice(S, p=true.P_at(h)[x, a])
            tuples.append((h, x, a, true.R_at(h)[x, a], y))
            N[h, x, a, y] += 1
    Nsa = N.sum(axis=3)
    Rsum = Nsa * true.R3
    nM = len(fam)
    D = K.Data(N, Nsa, Rsum, np.ones(S), rng.random((nM, H, S, A)), np.array([float(n)]),
               np.zeros((3, H, 0), dtype=np.int64), np.zeros((H, 0)))
    return D, tuples


def test_kernel_statistics_match_the_empirical_averages_over_tuples(fam):
    rng = np.random.default_rng(0)
    n, t, gamma_t = 40, 9, 3.0
    C = glow_class_arrays(fam)
    D, tuples = _data(fam, n, rng)
    nF, H, S, A = C.Qf.shape
    e = np.zeros((H, S * A, nF))
    K.residuals(C, D, e)
    Kw = nF * nF
    w, quad = np.zeros((H, Kw, S * A)), np.zeros((H, Kw))
    K.weights(C, D, t, gamma_t, K.WEIGHT_RATIO, False, w, quad)
    lin = np.zeros((H, Kw, nF))
    K.linear_terms(C, e, w, lin)
    for f in (0, nF - 1):
        for k in (0, 7, Kw - 1):
            M, g = divmod(k, nF)
            den = (D.dsum[M] + C.Df[M, g]) / t
            wr = np.minimum(np.where(den > 0, C.Df[M, g] / np.where(den > 0, den, 1), 0.0), gamma_t)
            for h in range(H):
                # empirical average over the raw tuples of DeltaHat f * w, with f_{h+1} at the next state
                vals = [(C.Qf[f, h, x, a] - r - (C.Qf[f, h + 1, y].max() if h + 1 < H else 0.0)) * wr[h, x, a]
                        for (hh, x, a, r, y) in tuples if hh == h]
                assert lin[h, k, f] == pytest.approx(np.mean(vals), abs=1e-12)
                sq = [wr[h, x, a] ** 2 for (hh, x, a, r, y) in tuples if hh == h]
                assert quad[h, k] == pytest.approx(np.mean(sq), abs=1e-12)


def test_bellman_residual_uses_f_next_at_the_next_state(fam):
    """With the exact expected counts, Q* has zero residual at every pair (the f_{h+1} fix of the typo)."""
    C = glow_class_arrays(fam)
    true = fam.truth
    H, S, A = true.H, true.S, true.A
    Nsa = np.full((H, S, A), 10.0)
    N = Nsa[..., None] * true.P4
    D = K.Data(N, Nsa, Nsa * true.R3, np.ones(S), np.zeros((len(fam), H, S, A)), np.array([10.0 * S * A]),
               np.zeros((3, H, 0), dtype=np.int64), np.zeros((H, 0)))
    e = np.zeros((H, S * A, len(fam)))
    K.residuals(C, D, e)
    np.testing.assert_allclose(e[:, :, fam.true_index], 0.0, atol=1e-14)
    # with the appendix's f_h at the next state the residual of Q* would not vanish
    typo = Nsa * C.Qf[fam.true_index] - Nsa * true.R3 - np.einsum("hxay,hy->hxa", N, C.Qf[fam.true_index].max(axis=2))
    assert np.abs(typo).max() > 1e-3


def test_weights_zero_denominator_is_inf_then_clipped(fam):
    C = glow_class_arrays(fam, nu=np.zeros((3, 5, 2)))
    rng = np.random.default_rng(1)
    D, _ = _data(fam, 5, rng)
    D.dsum[:] = 0.0
    nF = len(fam)
    w, quad = np.full((3, nF * nF, 10), -1.0), np.zeros((3, nF * nF))
    K.weights(C, D, 1, 7.5, K.WEIGHT_RATIO, True, w, quad)     # hybrid, t = 1: nu alone, nu = 0
    assert not np.isnan(w).any()
    for k in range(nF * nF):
        M, j = divmod(k, nF)
        for h in range(3):
            m = C.nsupp[h, k]
            assert m == (C.Df[M, C.wpol[j], h] > 0).sum()
            assert (w[h, k, :m] == 7.5).all()        # positive numerator over a zero denominator: +inf, clipped


def test_glow_matches_plain_numpy_reference(fam):
    for kappa in (0.4, 1.0):
        f2 = model_family(5, 2, 3, kappa, seed=3, **SMALL)
        run = glow(f2, 120, seed=11, gamma_scale=30, beta_scale=1e-4)
        reg, chosen = glow_numpy(f2, 120, seed=11, gamma_scale=30, beta_scale=1e-4)
        assert (run.chosen == chosen).all()
        np.testing.assert_array_equal(run.run.expected_regret, reg)


def test_regret_is_exact_and_runs_are_reproducible(fam):
    out = glow(fam, 80, seed=2, gamma_scale=30, beta_scale=1e-4)
    assert isinstance(out.run, LearnerRun) and out.run.fidelity == "partly"
    v_star = backward_induction(fam.truth).value
    for t in (0, 40, 79):
        pi = out.run.policies[t]
        assert out.run.expected_regret[t] == pytest.approx(v_star - policy_evaluation(fam.truth, pi).value,
                                                          abs=1e-14)
        assert out.chosen[t] >= 0
    np.testing.assert_allclose(out.mixture_risk, np.cumsum(out.run.expected_regret) / np.arange(1, 81))
    again = glow(fam, 80, seed=2, gamma_scale=30, beta_scale=1e-4)
    assert (again.chosen == out.chosen).all() and (again.run.returns == out.run.returns).all()
    assert out.run.params["beta_scale"] == 1e-4 and out.run.params["gamma_scale"] == 30


def test_paper_constants_keep_every_candidate(fam):
    """Spec Section 8: with beta_scale = 1 the confidence set is all of F over a short run."""
    out = glow(fam, 60, seed=0)
    assert (out.set_size == len(fam)).all() and out.qstar_in_set.all()


def test_alternative_learners(fam):
    rr = glow(fam, 20, seed=0, select="round_robin")
    assert (rr.chosen == np.arange(20) % len(fam)).all()
    un = glow(fam, 20, seed=0, select="uniform")
    assert (un.chosen == -1).all() and np.ptp(un.run.expected_regret) == 0.0
    assert glow(fam, 20, seed=0, select="least_violation").run.algorithm == "glow-no-optimism"
    assert glow(fam, 20, seed=0, weighting="none").run.algorithm == "glow-unweighted"


@pytest.mark.parametrize("base", ["mabo_cr", "fqi", "mle"])
def test_h2o_bases_learn_with_offline_data(fam, base):
    nu = offline_distribution(fam.truth, 0.5)
    out = h2o(fam, 300, seed=4, base=base, nu=nu, gamma_scale=100)
    assert out.mixture_risk[-1] < out.mixture_risk[9] and out.run.expected_regret[0] > 0
    assert out.run.expected_regret[-20:].max() < 1e-12
    v_star = backward_induction(fam.truth).value
    pi = out.run.policies[-1]
    assert out.run.expected_regret[-1] == pytest.approx(v_star - policy_evaluation(fam.truth, pi).value, abs=1e-14)
    if base == "mabo_cr":
        assert hyglow(fam, 50, seed=4, nu=nu).run.algorithm == "hyglow"


def test_h2o_offline_counts_and_C_star(fam):
    nu = offline_distribution(fam.truth, 0.5)
    d = occupancy(fam.truth, backward_induction(fam.truth).policy)
    out = h2o(fam, 10, seed=0, base="mle", nu=nu)
    assert out.run.params["C_star"] == pytest.approx((d / nu).max())
    online = h2o(fam, 10, seed=0, base="mle", nu=nu, offline=False)
    assert online.run.algorithm == "h2o-mle-online-only"


def test_bad_input_raises(fam):
    nu = offline_distribution(fam.truth, 0.5)
    with pytest.raises(ValidationError, match="rltheory.envs.ModelFamily"):
        glow("family", 10)
    with pytest.raises(ValidationError, match="T = 0"):
        glow(fam, 0)
    with pytest.raises(ValidationError, match="select = 'greedy'"):
        glow(fam, 10, select="greedy")
    with pytest.raises(ValidationError, match="beta_scale = -1"):
        glow(fam, 10, beta_scale=-1)
    with pytest.raises(ValidationError, match="gamma_scale = 0"):
        glow(fam, 10, gamma_scale=0)
    with pytest.raises(ValidationError, match="base = 'cql'"):
        h2o(fam, 10, base="cql", nu=nu)
    with pytest.raises(ValidationError, match="nu is None"):
        h2o(fam, 10)
    with pytest.raises(ValidationError, match=r"nu has shape \(2, 5, 2\)"):
        h2o(fam, 10, nu=nu[:2])


def test_mabo_objective_matches_dense_formula(fam):
    """eq. (13)/(39): max over W-bar = W, -W and single-layer copies of sum_h |E[w_h Delta_h f]| - alpha E[w_h^2]."""
    rng = np.random.default_rng(3)
    H, Kw, nF = 3, 5, 4
    lin = rng.normal(size=(H, Kw, nF))
    quad = rng.random((H, Kw))
    alpha = 0.7
    obj = np.zeros(nF)
    K.mabo_objective(lin, quad, alpha, np.zeros(nF), obj)
    for f in range(nF):
        vals = []
        for k in range(Kw):
            for sign in (1.0, -1.0):
                per = np.abs(sign * lin[:, k, f]) - alpha * quad[:, k]
                vals.append(per.sum())                     # w and -w on every layer
                vals.extend(per.tolist())                  # the single-layer copies W^(h), -W^(h)
        assert obj[f] == pytest.approx(max(vals), abs=1e-14)


def test_bound_formulas():
    from rltheory.bounds.glow import clipping_tradeoff, glow_regret_leading, h2o_risk_explicit, potential_bound
    T, C, H, L = 1000, 8.0, 4, 10.0
    gammas = np.geomspace(1e-4, 10, 400)
    vals = np.array([clipping_tradeoff(g, T, C_cov=C, H=H, log_FW=L) for g in gammas])
    g_best = gammas[np.argmin(vals)]
    Lfull = L + np.log(H * T / 0.1)
    assert g_best == pytest.approx(np.sqrt(C * np.log1p(T) / (T * Lfull + np.log(T))), rel=0.05)   # U shape
    assert potential_bound(np.e, 2.0) == pytest.approx(10.0)
    assert glow_regret_leading(4 * T, C_cov=C, H=H, log_FW=L) > glow_regret_leading(T, C_cov=C, H=H, log_FW=L)
    r1 = h2o_risk_explicit(T, 2.0, C, H, 0.1)
    assert r1 > h2o_risk_explicit(10 * T, 2.0, C, H, 0.1)


def test_regret_bound_at_theorem_gamma_is_proportional_to_sqrt_C_cov():
    # Lemma E.4 at gamma = c sqrt(C_cov / (T log)) is exactly c' sqrt(C_cov): no log of C_cov to allow for
    from rltheory.bounds.glow import GLOW_REGRET_C_COV, clipping_tradeoff
    T, H, L0 = 2000, 4, np.log(100 / 0.1)
    vals = []
    for C in (3.0, 5.5, 10.0, 18.0):
        gamma = 30 * np.sqrt(C / (T * L0))
        vals.append(clipping_tradeoff(gamma, T, C_cov=C, H=H, log_FW=np.log(100)) / np.sqrt(C))
    assert np.ptp(vals) <= 1e-12 * max(vals)
    assert GLOW_REGRET_C_COV.exponent("C_cov") == 0.5
    assert GLOW_REGRET_C_COV.log_tolerance("C_cov", {"C_cov": 3.0}) == 0.0


def test_C_cov_sweep_task_runs_at_the_exact_coverability():
    import sys
    from pathlib import Path

    from rltheory.claims import discover
    from rltheory.envs import kappa_layered
    from rltheory.solvers import coverability_lp
    claim = next(c for c in discover([Path(__file__).resolve().parents[1] / "experiments" / "glow"])
                 if c.id == "glow.regret_in_C_cov")
    tasks = sys.modules[claim.experiment.run.__module__]
    for C in (3.0, 5.5, 10.0, 18.0):
        cfg = {**claim.experiment.scale("quick").configs()[0], "C_cov": C, "T": 30}
        ss = np.random.SeedSequence(7)
        out = claim.experiment.run(cfg, ss)
        assert out["C_cov_exact"] == pytest.approx(C, abs=1e-9)
        inst = np.random.SeedSequence(ss.entropy, spawn_key=(0,))
        lp = coverability_lp(kappa_layered(6, 3, 4, out["kappa"], inst)).max()   # Definition 2.1 by LP
        assert lp == pytest.approx(C, abs=1e-7)
        assert out["regret"] >= 0.0
    assert tasks.kappa_for_coverability(6, 3, 4, 3.0, np.random.SeedSequence(1)) == 0.0
    with pytest.raises(ValueError, match="outside"):
        tasks.kappa_for_coverability(6, 3, 4, 19.0, np.random.SeedSequence(1))
