r"""Claims of Algorithm 1 (log-barrier FTRL with linear-Q estimators) and its simulator-free variant:
Dai, Luo, Wei & Zimmert, "Refined Regret for Adversarial MDPs with Linear Function Approximation", ICML 2023,
arXiv 2301.12942.

Every claim is ``reconstructed``: the exponents in K are verified against the abstract, the algorithms
are rebuilt from Luo, Wei & Lee 2021 and Neu & Olkhovskaya 2020, and the tuning (eta, gamma, beta, M) is
the specification's design choice.  Algorithm 2's magnitude-reduced estimator is **not reconstructed**
and no claim is made about it; the simulator-free learner is an epoch-based substitute, not the
paper's estimator.

Learning-rate scale.  With the specification's literal rate eta = sqrt(A ln K/(d H^3 K)) the learner
barely leaves the uniform policy within quick-scale K (K <= 2^14 on S_h = 3, A = 4, H = 3): the rate
claim is made once at the literal rate (``.s1``) and once at ten times it (``.s10``; the bonus scale
beta = eta_1 H of the literal rate is kept); the other learner claims use the scale 10 and say so.

Alternatives (on the claim's own instances and seeds, only learner keys changed): exponential weights
on the same estimator with Luo et al.'s K^{2/3} tuning (the paper's weaker baseline), exponential weights
with a constant rate eta = 1 and no eta <= gamma/H cap (the specification's negative control), Algorithm 1
without the dilated bonus, and the uniform policy (does not learn).  Regret is exact pseudo-regret
against the best fixed policy in hindsight; on switching losses an adaptive learner can beat that
comparator (negative regret), in which case no exponent can be fitted and the arm is inconclusive.

Exact versus MGR covariance (``adversarial.mgr_vs_exact``): an explicit check of the MGR estimate of
(gamma I + Sigma)^-1 against the exact-covariance learner's inverse at the policy that learner plays, within
MGR's stated bias (1 - c gamma)^(M+1)/gamma; its alternatives change only the covariance estimator (MGR with
half the terms, a diagonal and an isotropic covariance).
"""

from __future__ import annotations

from rltheory.bounds.adversarial import ALG1_A, ALG1_D, ALG1_K, LINEAR_MDP_K, MGR_BIAS
from rltheory.claims import Alternative, Claim, Experiment, ExplicitCheck, RateCheck, Scale

from .tasks import ESTIMATOR_KEYS, LEARNER_KEYS, run_adversarial, run_mgr_agreement

VERSION = "1"
UNITS = "pseudo-regret (expected loss units)"

EXP23 = Alternative("exp-weights K^2/3", {"algorithm": "exp-K2/3"}, role="weaker",
                    description="exponential weights on the same linear-Q estimator and bonus with Luo, Wei & Lee "
                                "2021's tuning gamma = K^-1/3, eta = gamma/(2H) (eta |Qhat| <= 1/2): O~(K^2/3)")
UNCAPPED = Alternative("exp-weights uncapped", {"algorithm": "exp-uncapped", "eta_const": 1.0}, role="fails",
                       description="exponential weights, same estimator, gamma = K^-1/2 and bonus scale as "
                                   "Algorithm 1, constant eta = 1 without the cap eta <= gamma/H (specification "
                                   "Section 7, negative control)")
NO_BONUS = Alternative("no bonus", {"bonus": False}, role="fails",
                       description="Algorithm 1 without the dilated bonus (specification Section 7, negative control 2)")
NULL = Alternative("uniform", {"algorithm": "uniform"}, role="null",
                   description="the uniform policy in every episode: does not learn")

_SWITCH = {"losses": "switching", "amplitude": 0.2, "spread": 0.3}
_INST_ONE_HOT = ("layered_one_hot(S_h=3, A, H=3): Dirichlet(1) rows, one-hot features (d = S_h A, linear Q exact), "
                 "switching losses theta_k,h = clip(m_h + 0.2 (-1)^j z_h, 0, 1), m_h ~ U[0.2, 0.8]^d, block "
                 "j = floor(8k/K); one instance per seed")
_TUNING = ("Algorithm 1 reconstructed (linear-Q estimator, exact occupancy covariance (gamma I + Sigma)^-1, dilated "
           "bonus by exact DP with the true kernel, log-barrier FTRL by Newton); tuning of the specification "
           "(Sec. 6, a design choice): eta = s sqrt(A ln K/(d H^3 K)) with scale s, gamma = K^-1/2, "
           "beta = sqrt(A ln K/(d H^3 K)) H. ")
_LOGS = ("Tolerance: one power of ln K (the O~ of the abstract hides logarithms of unstated power; the tuning alone "
         "gives sqrt(K ln K)), i.e. 1/ln K_min on the fitted range. ")


def rate_K(scale: float) -> Claim:
    """Exponent in K of Algorithm 1's regret on switching losses, learning-rate scale ``scale``."""
    fixed = {"instance": "one_hot", "S": 3, "A": 4, "H": 3, **_SWITCH, "algorithm": "ftrl", "cov": "exact",
             "bonus": True, "eta_scale": scale, "beta_scale": 1.0}
    return Claim(
        id=f"adversarial.rate_K.s{scale:g}",
        family="adversarial.rate_K",
        statement=("Algorithm 1 (log-barrier FTRL with linear-Q estimators and a simulator) has pseudo-regret "
                   "O~(sqrt K) against the best fixed policy on adversarial loss sequences: its exponent in K is at "
                   "most 1/2, where exponential weights are known only to reach O~(K^2/3)."),
        source=ALG1_K.source, fidelity="reconstructed",
        fidelity_note=_TUNING + f"Here s = {scale:g}. " + _LOGS + (
            "The exact covariance is the infinite-sample limit of MGR (specification Sec. 6). The switching "
            "period K/8 grows with K (the issue's instance); the comparator is decided by m_h."),
        experiment=Experiment(
            run_adversarial,
            {"quick": Scale(grid={"K": [2048, 4096, 8192, 16384]}, fixed=fixed, seeds=5),
             "paper": Scale(grid={"K": [2 ** j for j in range(10, 18)]}, fixed=fixed, seeds=10)},
            instance=_INST_ONE_HOT, learner=LEARNER_KEYS),
        metric="regret", units=UNITS, bound=ALG1_K, check=RateCheck("K"),
        alternatives=[EXP23, UNCAPPED, NO_BONUS, NULL], version=VERSION)


_ACT = {"instance": "linear", "S": 10, "H": 3, "d": 8, **_SWITCH, "algorithm": "ftrl", "cov": "exact",
        "bonus": True, "eta_scale": 10.0, "beta_scale": 1.0}

actions = Claim(
    id="adversarial.actions",
    statement=("At fixed K and feature dimension d, Algorithm 1's regret grows at most like sqrt(|A|) (the poly(|A|) "
               "of the abstract; the sqrt(A) from the log-barrier penalty |A| ln K / eta is reconstructed)."),
    source=ALG1_A.source, fidelity="reconstructed",
    fidelity_note=_TUNING + ("Here s = 10 (see rate_K.s1 for the literal rate). Random linear MDP with d = 8 fixed, "
                             "so that A is not confounded with d (on one-hot features d = S_h A). No log allowance "
                             "in A: the logarithms in K do not vary with A at fixed K."),
    experiment=Experiment(
        run_adversarial,
        {"quick": Scale(grid={"A": [2, 4, 8, 16]}, fixed={**_ACT, "K": 2048}, seeds=5),
         "paper": Scale(grid={"A": [2, 4, 8, 16, 32]}, fixed={**_ACT, "S": 50, "K": 2 ** 15}, seeds=10)},
        instance="random_linear_adversarial(S=10, A, H=3, d=8) with switching losses (S = 50 at paper scale)",
        learner=LEARNER_KEYS),
    metric="regret", units=UNITS, bound=ALG1_A, check=RateCheck("A"),
    alternatives=[UNCAPPED, NULL], version=VERSION)

_INST_LINEAR = ("random_linear_adversarial(S, A=4, H=3, d) (S = 10 quick, 50 paper): phi ~ Dirichlet(1) on d coordinates, P_h = phi psi_h "
                "with psi_h,i distributions, linear switching losses (as for the one-hot family); linear Q exact")

dimension = Claim(
    id="adversarial.dimension",
    statement=("At fixed K, Algorithm 1's regret grows at most like sqrt(d) in the feature dimension (the poly(d) of "
               "the abstract; the sqrt(d A K) shape is reconstructed)."),
    source=ALG1_D.source, fidelity="reconstructed",
    fidelity_note=_TUNING + "Here s = 10. No log allowance in d at fixed K.",
    experiment=Experiment(
        run_adversarial,
        {"quick": Scale(grid={"d": [2, 4, 8, 16]}, fixed={"instance": "linear", "S": 10, "A": 4, "H": 3, "K": 2048,
                                                         **_SWITCH, "algorithm": "ftrl", "cov": "exact",
                                                         "bonus": True, "eta_scale": 10.0, "beta_scale": 1.0},
                        seeds=5),
         "paper": Scale(grid={"d": [2, 4, 8, 16, 32]}, fixed={"instance": "linear", "S": 50, "A": 4, "H": 3,
                                                              "K": 2 ** 15, **_SWITCH, "algorithm": "ftrl",
                                                              "cov": "exact", "bonus": True, "eta_scale": 10.0,
                                                              "beta_scale": 1.0}, seeds=10)},
        instance=_INST_LINEAR, learner=LEARNER_KEYS),
    metric="regret", units=UNITS, bound=ALG1_D, check=RateCheck("d"),
    alternatives=[UNCAPPED, NULL], version=VERSION)

_LIN = {"instance": "linear", "S": 10, "A": 4, "H": 3, "d": 4, **_SWITCH, "algorithm": "ftrl-linear-mdp",
        "bonus": True}

linear_mdp_rate = Claim(
    id="adversarial.linear_mdp_rate_K",
    statement=("Without a simulator, on linear MDPs, the log-barrier learner has regret O~(K^{8/9}): exponent in K "
               "at most 8/9 (a sanity bound)."),
    source=LINEAR_MDP_K.source, fidelity="reconstructed",
    fidelity_note=("The paper's replacement of MGR is not reconstructed; the learner is an epoch-based substitute "
                   "[R]: epochs of ceil(K^1/3) episodes with one policy, each episode a covariance or an estimation "
                   "episode by a fair coin, (gamma I + empirical covariance)^-1 with gamma = epoch^-1/2, estimates x2, "
                   "dilated bonus by least-squares regression; eta = sqrt(A ln K/(d H^3 N))/epoch over N epochs. "
                   + _LOGS + "The allowance 1/ln K_min exceeds 1 - 8/9 = 1/9 whenever K_min < e^9 = 8,103: on such a "
                   "range the threshold 8/9 + 1/ln K_min exceeds 1 and no learner (regret <= K H) can fail the check, "
                   "which is then vacuous by construction of the allowance. Both scales therefore start at K = 2^14, "
                   "where the threshold is 0.992 < 1 (the uniform policy, exponent 1, can fail it). Even there the "
                   "check is weak: it separates only exponents measurably below 0.992 from linear regret. Observed at "
                   "K = 65536 (5 seeds, mean regret): the substitute 11,011, the uniform policy 11,693, exponential "
                   "weights at eta = 1 on the same epochs 5,444; with the literal rate the substitute barely leaves "
                   "uniform, so a consistent verdict here says the exponent is below 0.992, not that it learns well."),
    experiment=Experiment(
        run_adversarial,
        {"quick": Scale(grid={"K": [16384, 32768, 65536]}, fixed=_LIN, seeds=5),
         "paper": Scale(grid={"K": [2 ** j for j in range(14, 19)]}, fixed=_LIN, seeds=10)},
        instance=_INST_LINEAR + ", d = 4", learner=LEARNER_KEYS),
    metric="regret", units=UNITS, bound=LINEAR_MDP_K, check=RateCheck("K"),
    alternatives=[Alternative("epochs, exp-weights uncapped", {"algorithm": "exp-linear-mdp", "eta_const": 1.0},
                              role="fails", description="the same epochs with exponential weights at constant eta = 1"),
                  NULL], version=VERSION)

_MGR = {"instance": "one_hot", "S": 2, "A": 2, "H": 2, **_SWITCH, "algorithm": "ftrl", "cov": "mgr", "bonus": True,
        "eta_scale": 10.0, "beta_scale": 1.0}

mgr_rate = Claim(
    id="adversarial.mgr_rate_K",
    statement=("With Matrix Geometric Resampling in place of the exact covariance inverse, Algorithm 1 keeps the "
               "O~(sqrt K) regret: exponent in K at most 1/2 (MGR's bias (1 - c gamma)^M / gamma is below 1/K "
               "with M = ln K/(c gamma))."),
    source=ALG1_K.source, fidelity="reconstructed",
    fidelity_note=_TUNING + ("Here s = 10. MGR (Neu & Olkhovskaya 2020) with c = 1/2, M = ceil(ln K/(c gamma)) "
                             "simulator trajectories per episode, at a small instance (S_h = 2, A = 2, H = 2, d = 4) "
                             "to keep the M d^2 H cost per episode low. The closed form of E[MGR] and the bias bound "
                             "are proof checks (proofs_check/adversarial.py). " + _LOGS),
    experiment=Experiment(
        run_adversarial,
        {"quick": Scale(grid={"K": [128, 256, 512, 1024]}, fixed=_MGR, seeds=5),
         "paper": Scale(grid={"K": [2 ** j for j in range(8, 15)]}, fixed=_MGR, seeds=10)},
        instance=_INST_ONE_HOT.replace("S_h=3, A, H=3", "S_h=2, A=2, H=2"), learner=LEARNER_KEYS),
    metric="regret", units=UNITS, bound=ALG1_K, check=RateCheck("K"),
    alternatives=[Alternative("mgr, exp-weights uncapped", {"algorithm": "exp-uncapped", "eta_const": 1.0},
                              role="fails", description="exponential weights at constant eta = 1 on the same MGR "
                                                        "estimator"), NULL], version=VERSION)

_TRAP = {"instance": "trap", "A": 4, "H": 3, "noise": 0.1, "algorithm": "ftrl", "cov": "exact", "bonus": True,
         "eta_scale": 10.0, "beta_scale": 1.0}

trap = Claim(
    id="adversarial.trap_rate_K",
    statement=("On the delayed-reward trap, Algorithm 1 with the dilated bonus has regret O~(sqrt K) (exponent in K at "
               "most 1/2), while without the bonus it is expected to fall into the trap (specification Sec. 7)."),
    source=ALG1_K.source, fidelity="reconstructed",
    fidelity_note=_TUNING + "Here s = 10. " + _LOGS + (
        "Trap: action 0 at step 0 costs 0.5 instead of 0.3 and leads to the only state where action A-1 avoids all "
        "later loss; losses perturbed by i.i.d. U[-0.1, 0.1] noise, clipped. "
        "Audit of the bonus against the specification (Sec. 2): b = beta(||phi(s,a)||^2_Sig+ + E_{a'~pi_k}"
        "||phi(s,a')||^2_Sig+), B_h = b_h + (1 + 1/H) E_{s'~P_h(s,a), a'~pi_k} B_{h+1}, both with the policy pi_k of "
        "the episode and the covariance of its occupancy, and FTRL on the cumulative Qhat - B (losses, so the bonus "
        "lowers the loss of rarely played actions); the recursion equals its unrolled sum (proof check) and the "
        "sign is tested. One deviation is deliberate: beta = eta_1 H with the literal rate eta_1 although FTRL runs "
        "at 10 eta_1. What is observed at quick scale (the claim's 5 seeds, mean regret at K = 2048 and 16384): "
        "with the bonus 1,184 and 5,405, without it 840 and 2,287, with beta = 10 eta_1 H (= eta H for the rate in "
        "use) 1,679 and 12,257 (nearly linear). Why: on one-hot features the per-episode bonus of a pair of occupancy "
        "q is beta/(gamma + q), up to beta/gamma = sqrt(A ln K/(d H)) = 1.13 to 1.27 over the quick range, the "
        "size of the whole loss range, so the bonus pays the learner to keep playing rarely visited actions and "
        "its cost dominates the regret at laptop K (it scales like beta K, i.e. sqrt(K ln K), only once the "
        "exploration it buys has settled); meanwhile the log-barrier, whose probabilities decay only like "
        "1/(eta x cumulative gap), keeps visiting the trap's state by itself, so at H = 3 the no-bonus learner "
        "does not fall into the trap. The violated verdict is that observation, not a bug; the negative control "
        "of the specification (no bonus -> linear regret) is not reproduced at this size."),
    experiment=Experiment(
        run_adversarial,
        {"quick": Scale(grid={"K": [2048, 4096, 8192, 16384]}, fixed=_TRAP, seeds=5),
         "paper": Scale(grid={"K": [2 ** j for j in range(10, 18)]}, fixed=_TRAP, seeds=10)},
        instance="delayed_reward_trap(A=4, H=3), 2 states per step, one-hot features (d = 8)", learner=LEARNER_KEYS),
    metric="regret", units=UNITS, bound=ALG1_K, check=RateCheck("K"),
    alternatives=[NO_BONUS, EXP23, NULL], version=VERSION)

_AGREE = {"instance": "linear", "S": 5, "A": 3, "H": 2, "d": 4, **_SWITCH, "eta_scale": 10.0, "delta": 0.01,
          "cov": "mgr", "M_scale": 1.0}

mgr_exact = Claim(
    id="adversarial.mgr_vs_exact",
    statement=("Matrix Geometric Resampling with M = ceil(ln K/(c gamma)) simulator trajectories agrees with the exact "
               "covariance inverse (gamma I + Sigma_{k,h})^-1 of the exact-covariance learner within its stated error: "
               "every entry of the bias of the MGR estimate is at most (1 - c gamma)^(M+1)/gamma (<= K^-1/2), at the "
               "policy Algorithm 1 plays."),
    source=MGR_BIAS.source, fidelity="reconstructed",
    fidelity_note=("MGR (Neu & Olkhovskaya 2020, arXiv 2007.01612) as reconstructed in the specification (Sec. 2): "
                   "c = 1/2, gamma = K^-1/2, M = ceil(ln K/(c gamma)); the learner's own kernels for MGR and for the "
                   "exact inverse. The policy is the last one of the exact-covariance Algorithm 1 (s = 10) after K "
                   "episodes on the instance. Metric: a lower confidence bound on the largest entry of the bias, "
                   "max(|mean of n MGR draws - exact| - z se) with z two-sided and Bonferroni over the H d^2 entries at "
                   "per-run level delta = 0.01; a run fails when it exceeds the stated error, and the check tolerates "
                   "failures in a fraction delta of runs (binomial test). The start state is fixed, so Sigma_0 has rank "
                   "at most A = 3 < d = 4: along its null direction v every MGR factor is the scalar 1 - c gamma, the "
                   "estimate is deterministic there and its bias is exactly (1 - c gamma)^(M+1)/gamma v v^T, so the "
                   "stated error is attained up to the entry's share v_i v_j (the claim's estimate, max metric/bound, "
                   "sits just below 1 for that reason, with no Monte Carlo noise in it). In the other directions the "
                   "resolution z se is about 0.07 to 0.14 at quick scale (4,000 draws), above the stated error "
                   "(0.03 to 0.05): there the check detects only a larger bias, as the alternatives do (M/2 leaves "
                   "about 1 along v). The regret of the MGR learner itself is the claim adversarial.mgr_rate_K."),
    experiment=Experiment(
        run_mgr_agreement,
        {"quick": Scale(grid={"K": [256, 512, 1024]}, fixed={**_AGREE, "n_draws": 4000}, seeds=5),
         "paper": Scale(grid={"K": [256, 512, 1024, 2048, 4096]}, fixed={**_AGREE, "n_draws": 32000}, seeds=10)},
        instance=_INST_LINEAR.replace("(S, A=4, H=3, d)", "(S=5, A=3, H=2, d=4)").replace(
            " (S = 10 quick, 50 paper)", ""),
        learner=ESTIMATOR_KEYS),
    metric="bias_lcb", units="entries of (gamma I + Sigma)^-1", bound=MGR_BIAS, check=ExplicitCheck(delta=0.01),
    alternatives=[Alternative("MGR, M/2", {"M_scale": 0.5}, role="fails",
                              description="MGR with half the terms, M = ceil(ln K/(2 c gamma)): bias up to "
                                          "(1 - c gamma)^(M/2)/gamma ~ 1, not below the stated error"),
                  Alternative("diagonal covariance", {"cov": "diagonal"}, role="fails",
                              description="(gamma I + diag Sigma)^-1: ignores the correlations of the features"),
                  Alternative("isotropic covariance", {"cov": "isotropic"}, role="fails",
                              description="(gamma + tr Sigma/d)^-1 I: the identity scaled to the right trace")],
    version=VERSION)

CLAIMS = [rate_K(1.0), rate_K(10.0), actions, dimension, linear_mdp_rate, mgr_rate, mgr_exact, trap]
