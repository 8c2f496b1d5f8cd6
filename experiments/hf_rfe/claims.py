r"""Claims of HF-UCRL-RFE++: Zhang, Zhang & Gu, "Optimal Horizon-Free Reward-Free Exploration for
Linear Mixture MDPs", ICML 2023, arXiv 2303.10165.

Theorem numbers are those of W. Zhang's dissertation (Chapter 2), with the arXiv
numbering beside them (:mod:`rltheory.bounds.hf_rfe`).

Confidence radius.  The literal constants give :math:`\beta_K \approx 10^3`, and
:math:`\hat V \equiv 1` until :math:`K` is astronomically large (specification
Sec. 10); the theorem's explicit bound exceeds the trivial bound 1 at every
reachable K.  Every learner claim is therefore made once per scale
:math:`c` of the concentration part of :math:`\beta_k` (``beta_scale``,
:data:`BETA_SCALES`; :math:`c = 1` is the literal radius), with ids
``<claim>.c<scale>``, and checks only a rate.  All learner claims are
``reconstructed``: the exploration oracle is a substitute (reward dictionary,
candidate set for theta), and for :math:`c < 1` the radius is scaled.

Alternatives (learners a reader would try, on the claim's own instances and
seeds): the UCRL-RFE-type Hoeffding explorer (unit weights, radius growing
like :math:`H\sqrt d`, the paper's non-horizon-free baseline), uniform
exploration with least squares (no bonus), and the null learner that plans in
:math:`\hat\theta_0 = 0` (does not learn).  The lower bound is checked as an
instance fact (exact KL of the hard pair).
"""

from __future__ import annotations

from rltheory.bounds.hf_rfe import (INDISTINGUISHABLE_KL, SRC_CERT, SRC_LOWER, SRC_UPPER, UPPER_D, UPPER_H,
                                    UPPER_K, failure_probability)
from rltheory.claims import Alternative, Claim, ExplicitCheck, Experiment, RateCheck, Scale

from .tasks import LEARNER_KEYS, run_hard_pair, run_hypercube, run_random

#: Scales of the concentration part of beta_k: two scaled radii and the literal one.
BETA_SCALES = (1e-4, 1e-2, 1.0)
VERSION = "2"
UNITS = "max over test rewards of the planning suboptimality, value units (total reward <= 1)"

NULL = Alternative("null", {"algorithm": "null"}, role="null",
                   description="plans in the ridge estimate before any data, theta_0 = 0 (greedy in the reward): "
                               "does not learn")
UNIFORM = Alternative("uniform-ls", {"algorithm": "uniform-ls"}, role="weaker",
                      description="uniform exploration, least squares on the transition, no exploration bonus")


def _hoeffding(c: float) -> Alternative:
    return Alternative("hoeffding", {"algorithm": "hoeffding"}, role="fails",
                       description=("UCRL-RFE-type explorer (dissertation Algorithm 2, Thm 2.4.3): unit weights "
                                    "(no HOME), one moment level, Hoeffding radius c H sqrt(d log(3(1+KH^3B^2)/delta))"
                                    f" + 1 at the claim's scale c = {c:g}: the paper's non-horizon-free baseline"))


def _tag(c: float) -> str:
    return "c1" if c == 1.0 else f"c{c:.0e}".replace("e-0", "e-")


def _scale_note(c: float) -> str:
    radius = ("the literal radius beta_k (c = 1): Vhat saturates at 1, the oracle's choices are ties broken at "
              "random, and the theorem's bound exceeds 1" if c == 1.0 else
              f"beta_scale c = {c:g} on the concentration part of beta_k (the ridge-bias term sqrt(lambda) B = "
              "sqrt(d) kept): a scaled radius loses the coverage guarantee, so the theorem does not transfer and "
              "the run tests whether its rate still shows")
    return ("Algorithm 4 + HOME with the theorem's parameters (alpha = H^-1/2, gamma = d^-1/4, lambda = d/B^2, "
            f"M = ceil(log2(7KH)), beta_k with its constants) at {radius}. Oracle [R]: reward dictionary "
            "(terminal state indicators, terminal constant), theta over the candidate set C_k pulled into the "
            "latest 2M constraints of U_k (an outer approximation of U_k), greedy DP over policies; exact ties "
            "broken uniformly.")


_LEARNER = {"algorithm": "hf", "n_random_candidates": 0, "dictionary_random": 0}
_INST_RANDOM = ("random_linear_mixture(S=4, A=2, d, H): Dirichlet basis kernels / sqrt(d), theta* = sqrt(d) w "
                "with w ~ Dirichlet(1), a rare state reached with probability 0.05 through one gate pair; "
                "one instance per seed")


def rate_K(c: float) -> Claim:
    """Exponent in K of the planning error at beta_scale ``c`` (Theorem 2.6.3)."""
    fixed = {**_LEARNER, "S": 4, "A": 2, "d": 4, "beta_scale": c}
    return Claim(
        id=f"hf_rfe.rate_K.{_tag(c)}",
        family="hf_rfe.rate_K",
        statement=("HF-UCRL-RFE++'s planning error, uniformly over rewards with total reward <= 1, is "
                   "O~(d/sqrt K + d^2/K): its exponent in the number K of exploration episodes is at most -1/2 "
                   "(up to the theorem's log^(3/2) factors). The theorem's explicit bound exceeds 1 at every "
                   "reachable K, so only the rate is checked."),
        source=SRC_UPPER, fidelity="reconstructed",
        fidelity_note=_scale_note(c) + (" The curve logs the planning model theta_k at geometric k >= 64 of one "
                                        "K-episode run (M and beta = beta_K set by the final K). One-sided: on a "
                                        "fixed instance the error may fall faster."),
        experiment=Experiment(
            run_random,
            {"quick": Scale(fixed={**fixed, "H": 8, "K": 1024}, seeds=5),
             "paper": Scale(fixed={**fixed, "H": 16, "K": 2 ** 15}, seeds=20)},
            instance=_INST_RANDOM, learner=LEARNER_KEYS),
        metric="max_subopt", units=UNITS, bound=UPPER_K,
        check=RateCheck("K", x_from="step", fit_min=64),
        alternatives=[NULL, UNIFORM], version=VERSION, figure="curve")


def horizon_free(c: float) -> Claim:
    """Exponent in H of the planning error at fixed K, d and total reward <= 1, at beta_scale ``c``."""
    fixed = {**_LEARNER, "S": 4, "A": 2, "d": 4, "beta_scale": c}
    return Claim(
        id=f"hf_rfe.horizon_free.{_tag(c)}",
        family="hf_rfe.horizon_free",
        statement=("At fixed K and d and total reward <= 1, HF-UCRL-RFE++'s planning error does not grow with the "
                   "horizon H beyond the theorem's polylog factors (exponent 0 in H), whereas the Hoeffding-type "
                   "UCRL-RFE bound grows polynomially in H."),
        source=SRC_UPPER, fidelity="reconstructed",
        fidelity_note=_scale_note(c) + (" Tolerance: the polylog of the theorem's leading term, beta sqrt(iota) "
                                        "with beta = O(tau): power 3/2 in logarithms whose arguments grow like "
                                        "H^2; its largest log-log slope over H >= 4 is 3/ln(L_iota(H=4))."),
        experiment=Experiment(
            run_random,
            {"quick": Scale(grid={"H": [4, 16, 64]}, fixed={**fixed, "K": 128}, seeds=8),
             "paper": Scale(grid={"H": [4, 16, 64, 256]}, fixed={**fixed, "K": 4096}, seeds=20)},
            instance=_INST_RANDOM, learner=LEARNER_KEYS),
        metric="final_max_subopt", units=UNITS, bound=UPPER_H,
        check=RateCheck("H"),
        alternatives=[_hoeffding(c), UNIFORM, NULL], version=VERSION)


_DELTAS = [0.005, 0.015, 0.03]     # fixed grid: (d-1) Delta <= 1/6 for d <= 6; independent of K and d


def dimension(c: float) -> Claim:
    """Exponent in d of the worst-case planning error over a fixed hypercube grid, at beta_scale ``c``."""
    fixed = {**_LEARNER, "H": 4, "Deltas": _DELTAS, "replicates": 1, "beta_scale": c}
    return Claim(
        id=f"hf_rfe.dimension.{_tag(c)}",
        family="hf_rfe.dimension",
        statement=("At fixed K, HF-UCRL-RFE++'s worst-case planning error grows at most linearly in the "
                   "dimension d (leading term O~(d / sqrt K), sample complexity O~(d^2 / eps^2)), the worst case "
                   "taken over hypercube instances with Delta on a grid that depends on neither K nor d."),
        source=SRC_UPPER, fidelity="reconstructed",
        fidelity_note=_scale_note(c) + (
            " On the hypercube the policy search is exact (only the first action matters). Metric: per seed, the "
            f"largest over Delta in {_DELTAS} of the final max-suboptimality. Tolerance: the log^(3/2) allowance "
            "only; the d^2/K term of the theorem is a lower-order term not allowed for. On this family every "
            "learner's error is proportional to the number d-1 of coordinates, a null learner's included, so the "
            "check can tell learners apart only by a faster-than-linear growth."),
        experiment=Experiment(
            run_hypercube,
            {"quick": Scale(grid={"d": [2, 4, 6]}, fixed={**fixed, "K": 256}, seeds=5),
             "paper": Scale(grid={"d": [2, 3, 4, 6]}, fixed={**fixed, "K": 16384, "replicates": 4}, seeds=20)},
            instance=f"hypercube(d, H=4) with Delta in {_DELTAS}, random signs", learner=LEARNER_KEYS),
        metric="worst_mean_subopt", units=UNITS, bound=UPPER_D,
        check=RateCheck("d"),
        alternatives=[NULL, UNIFORM], version=VERSION)


_CERT_DELTA = 1e-3
_CERT_SCALES = {"quick": {"K": 1024, "H": 4}, "paper": {"K": 8192, "H": 4}}


def certificate(c: float) -> Claim:
    r"""Lemma 2.8.7: max_r subopt_r <= 4 Vhat_{k,1}, at beta_scale ``c`` where Vhat is below its cap."""
    fixed = {**_LEARNER, "Deltas": [0.005, 0.02, 0.05], "replicates": 1, "beta_scale": c,
             "delta": _CERT_DELTA, "oracle": "exact"}
    delta = max(failure_probability(s["K"], s["H"], _CERT_DELTA) for s in _CERT_SCALES.values())
    return Claim(
        id=f"hf_rfe.certificate.{_tag(c)}",
        family="hf_rfe.certificate",
        statement=("Data-dependent certificate of HF-UCRL-RFE++ (Lemma 2.8.7): for every reward with total "
                   "<= 1 the planning error in theta_k is at most 4 Vhat_{k,1}(s_1; theta_k, pi_k, r_k), on the good "
                   "event of probability >= 1 - 4 M delta. Checked where Vhat_{K,1} is below its cap, so that "
                   "the certificate says something (4 Vhat < 1)."),
        source=SRC_CERT, fidelity="reconstructed",
        fidelity_note=_scale_note(c) + (
            " Policy search exact on the hypercube (enumeration of the 2^(d-1) first actions), reward dictionary "
            "and theta candidates as in the oracle substitute. Metric at every logged k: max_r subopt_r / "
            f"(4 Vhat_k,1), which must be <= 1; allowed failure rate 4 M delta with M = ceil(log2(7KH)) of the "
            f"largest K of the sweep ({delta:.3g}). At the literal radius, and at c = 0.01 (measured at "
            "K = 256), Vhat_K,1 = 1, so the certificate cannot fail there and is not claimed; the monotonicity "
            "of Lemma 2.8.8 needs the exact argmax over theta, which the candidate set does not give, and is "
            "not claimed either."),
        experiment=Experiment(
            run_hypercube,
            {name: Scale(grid={"d": [2, 3]}, fixed={**fixed, **s}, seeds=5 if name == "quick" else 20)
             for name, s in _CERT_SCALES.items()},
            instance="hypercube(d, H=4) with Delta in {0.005, 0.02, 0.05}, random signs", learner=LEARNER_KEYS),
        metric="certificate_ratio", units="max_r subopt_r / (4 Vhat_k,1)",
        check=ExplicitCheck(bound_value=lambda config, step: 1.0, x_from="step", delta=delta),
        alternatives=[Alternative("no-width", {"beta_scale": 1e-6, "bias_term": False}, role="fails",
                                  description="the certificate without its confidence width (beta = 1e-6 times "
                                              "the concentration part, no ridge-bias term): Vhat collapses to the "
                                              "model's own prediction")],
        version=VERSION, figure="curve")


lower_bound = Claim(
    id="hf_rfe.lower_bound",
    kind="instance",
    statement=("Hard instance of the lower bound Omega(d^2/eps^2) (Theorem 2.6.8, instance of Zhou & Gu 2022a Thm "
               "5.4): with Delta = sqrt(delta0/K)/(4 sqrt 2), two hypercube instances whose mu differ in one "
               "coordinate's sign cannot be told apart after K reward-free episodes by any exploration policy: "
               "the KL between their observation laws is at most ln 2 (so every test errs with total probability "
               ">= 1/4), for every K and d, while their gap is 2 Delta (H-1)/H per coordinate."),
    source=SRC_LOWER, fidelity="partly",
    fidelity_note=("Exact KL by the chain rule: the observation of an episode is the first action and the next "
                   "state (Bernoulli(delta0 + <mu, a>)); the metric is K max_a kl(p_a || p'_a), the largest KL any "
                   "(adaptive) exploration policy reaches, maximised over the flipped coordinate; the seed draws "
                   "sign(mu). The threshold ln 2 is the Bretagnolle-Huber form of 'no test tells them apart' [D]; "
                   "the paper routes the same fact through a regret lower bound. Feature scalings alpha, beta are "
                   "the derived [D] choice (they do not enter the laws)."),
    experiment=Experiment(
        run_hard_pair,
        {"quick": Scale(grid={"K": [64, 256, 1024, 4096], "d": [2, 4, 8]}, fixed={"separation": "paper", "K0": 64},
                        seeds=5),
         "paper": Scale(grid={"K": [2 ** j for j in range(6, 17)], "d": [2, 3, 4, 6, 8]},
                        fixed={"separation": "paper", "K0": 64}, seeds=20)},
        instance="hypercube pair (mu, mu with one coordinate flipped), Delta = sqrt(delta0/K)/(4 sqrt 2)"),
    metric="kl", units="nats",
    check=ExplicitCheck(bound_value=lambda config, step: INDISTINGUISHABLE_KL, delta=0.0),
    alternatives=[Alternative("frozen separation", {"separation": "frozen"}, role="uncovered",
                              description="the pair of the smallest budget (Delta at K0 = 64) kept as K grows: "
                                          "a separation that does not shrink like K^-1/2")],
    version=VERSION)

CLAIMS = ([rate_K(c) for c in BETA_SCALES] + [horizon_free(c) for c in BETA_SCALES]
          + [dimension(c) for c in BETA_SCALES] + [certificate(1e-4), lower_bound])
