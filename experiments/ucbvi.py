r"""Claims of UCBVI: Azar, Osband & Munos, "Minimax Regret Bounds for Reinforcement Learning".

ICML 2017, arXiv 1703.05449.  Theorem 1 (UCBVI-CH, Hoeffding bonus): with
probability at least :math:`1-\delta`,
:math:`\mathrm{Regret}(K) \le 20 H L \sqrt{SAT} + 250 H^2 S^2 A L^2` with
:math:`T = KH` and :math:`L = \ln(5SAT/\delta)` (formulas in
:mod:`rltheory.bounds.ucbvi`).  At every scale a laptop reaches the bound
exceeds the trivial bound :math:`KH`, so the claims check only the *rate* of
the leading term :math:`20HL\sqrt{SAT}` (exponent 1/2, :math:`L^1` hidden).

Metric: the cumulative *expected* regret
:math:`\sum_{k\le K} (V^*_0(\mu_0) - V^{\pi_k}_0(\mu_0))`, every episode's
policy evaluated exactly.

Learners (config key ``algorithm``): ``"ucbvi"`` (the paper's UCBVI-CH,
:func:`rltheory.algorithms.ucbvi`, bonus multiplied by ``bonus_scale``),
and the alternatives run on the same instances, sweep and seeds:
``"greedy"`` (certainty-equivalent planning without bonus,
:func:`rltheory.algorithms.greedy`) and ``"uniform"`` (the null learner,
:func:`rltheory.algorithms.uniform_random`).

Bonus scale.  The paper's bonus :math:`7HL/\sqrt{N}` exceeds the value range
until :math:`N \approx 49 L^2` visits per pair, so at laptop scale UCBVI-CH
with the literal bonus is still exploring at the end of the run.  Each claim
is therefore stated once per scale :math:`c \in \{0.01, 0.1, 1\}` (ids ending
in ``.c0.01``, ``.c0.1``, ``.c1``; ``c = 1`` is the paper's bonus) and
reported with its own verdict; the claims of one statement share a family, so every
scale meets the same instances and seeds.  A bonus scaled below 1 no longer guarantees
optimism, so Theorem 1's proof does not cover those runs (``reconstructed``).
"""

from __future__ import annotations

import numpy as np

from rltheory.algorithms import greedy, ucbvi, uniform_random
from rltheory.bounds.ucbvi import AZAR, DELTA, REGRET_K, episodes, regret_along_path
from rltheory.claims import Alternative, Claim, Experiment, RateCheck, Scale
from rltheory.curves import geometric_steps
from rltheory.envs import chain, random_tabular

#: Bonus scales of the claims (1 = the paper's bonus 7HL/sqrt(N)).
BONUS_SCALES = (0.01, 0.1, 1.0)
#: Config keys that are learner settings (everything else is instance and sweep).
LEARNER_KEYS = ("algorithm", "bonus", "bonus_scale", "delta")
#: Distractor reward of the chain instance (reward d per step for staying at the start).
DISTRACTOR = 0.05
#: The S claim's path K = K_COEF * S^K_POWER (K = 20480 at S = 16, the K claim's largest K).
K_COEF, K_POWER = 80, 2.0


def make_instance(config: dict, seed: np.random.SeedSequence):
    """The instance of a config: ``random_tabular(S, A, H)`` or ``chain(S, H)`` with the distractor."""
    if config["instance"] == "random":
        return random_tabular(config["S"], config["A"], config["H"], seed)
    if config["instance"] == "chain":
        return chain(config["S"], config["H"], distractor=config["distractor"])
    raise ValueError(f"unknown instance {config['instance']!r}")


def learn(config: dict, mdp, K: int, seed: np.random.SeedSequence):
    """Run the learner named by ``config["algorithm"]`` for ``K`` episodes on ``mdp``."""
    alg = config["algorithm"]
    if alg == "ucbvi":
        return ucbvi(mdp, K, seed, bonus=config["bonus"], delta=config["delta"],
                     bonus_scale=config["bonus_scale"])
    if alg == "greedy":
        return greedy(mdp, K, seed)
    if alg == "uniform":
        return uniform_random(mdp, K, seed)
    raise ValueError(f"unknown algorithm {alg!r}")


def run_learner(config: dict, seed: np.random.SeedSequence) -> dict:
    """One learner run; returns its cumulative-regret curve and its final value.

    Parameters
    ----------
    config : dict
        Instance part: ``instance`` ("random" | "chain"), ``S``, ``A``, ``H``,
        ``distractor`` (chain), and either ``K`` or the path ``K_coef``,
        ``K_power`` (:math:`K = \\text{K\\_coef}\\cdot S^{\\text{K\\_power}}`).
        Learner part (:data:`LEARNER_KEYS`): ``algorithm`` ("ucbvi" | "greedy" |
        "uniform"), ``bonus``, ``bonus_scale``, ``delta`` (read by "ucbvi" only).
    seed : numpy.random.SeedSequence
        Spawns the instance's seed and the learner's.

    Returns
    -------
    dict
        ``regret``: (geometric steps, cumulative regret); ``final_regret``: its value at ``K``.
    """
    inst_seed, learn_seed = seed.spawn(2)
    mdp = make_instance(config, inst_seed)
    K = int(episodes(**config))
    cum = learn(config, mdp, K, learn_seed).cumulative_regret
    steps = geometric_steps(K)
    return {"regret": (steps, cum[steps - 1]), "final_regret": float(cum[-1])}


def alternatives() -> list[Alternative]:
    """Greedy (no bonus) and the uniform null learner, on the claim's own instances and seeds."""
    return [
        Alternative("greedy", {"algorithm": "greedy"}, role="fails", description=(
            "certainty-equivalent planning on the empirical model without bonus (untried pairs valued at "
            "their reward and zero continuation): no directed exploration (on a chain with a distractor "
            "reward it never walks right and pays V* - H d in every episode)")),
        Alternative("uniform", {"algorithm": "uniform"}, role="null", description=(
            "uniformly random actions in every episode: learns nothing, regret K (V* - V^unif)")),
    ]


def learner_config(bonus_scale: float) -> dict:
    """The claim's learner: UCBVI-CH with the bonus multiplied by ``bonus_scale``."""
    return {"algorithm": "ucbvi", "bonus": "hoeffding", "bonus_scale": bonus_scale, "delta": DELTA}


def scale_note(bonus_scale: float) -> str:
    """What the bonus scale means for the run, in words."""
    if bonus_scale == 1.0:
        return ("Bonus scale c = 1: the paper's bonus 7HL/sqrt(N). It exceeds the cap H - h until about "
                "49 L^2 visits per pair (1e4 to 2e4 in these sweeps, no fewer than an average pair gets in "
                "the whole run), so for most of the run the Q values sit at their cap and the learner cycles "
                "through its least-tried actions: a violated verdict says the rate does not show at laptop "
                "scale, not that Theorem 1 fails (its bound exceeds KH there).")
    return (f"Bonus scale c = {bonus_scale:g}: the bonus is {bonus_scale:g} x 7HL/sqrt(N), smaller than the "
            "paper's so that learning may happen within the sweep; a scaled bonus no longer guarantees "
            "optimism, so Theorem 1's proof does not cover the run (reconstructed) and the claim tests only "
            "whether the rate shows.")


ALGORITHM_NOTE = ("UCBVI-CH (Alg. 1 with the Hoeffding bonus of Alg. 3) as reconstructed in "
                  "rltheory.algorithms.ucbvi (Q capped at H - h, not H; ties to the least-visited action). ")


def regret_rate_K(bonus_scale: float) -> Claim:
    """``ucbvi.regret_rate_K.c<scale>``: the sqrt(K) rate on random instances and on the chain."""
    return Claim(
        id=f"ucbvi.regret_rate_K.c{bonus_scale:g}",
        family="ucbvi.regret_rate_K",
        statement=(f"UCBVI-CH with its bonus scaled by c = {bonus_scale:g}: the cumulative expected regret "
                   "grows at most like sqrt(K) up to the factor L = ln(5SAT/delta) for K from 1000 to 20000 "
                   "(the rate of Theorem 1's leading term 20 H L sqrt(SAT), T = KH), on random tabular "
                   "instances and on a chain with a distractor reward (S = 5, A = 2, H = 8). Theorem 1's "
                   "bound exceeds the trivial bound KH at every reachable K (1.7e3 x KH at K = 20000; it "
                   "falls below KH only beyond K = 1.3e8), so only the rate is checked."),
        source=AZAR,
        fidelity="reconstructed",
        fidelity_note=(ALGORITHM_NOTE + scale_note(bonus_scale) + " The exponent in K is fitted on the "
                       "logged K >= 1000 of each run; allowance for L^1 (Theorem 1's power): 1/ln(5SAKH/delta) "
                       "at K = 1000, i.e. 0.066. Each instance family is a group (Bonferroni across groups; "
                       "a violated group makes the arm violated): on random Dirichlet instances the rows are "
                       "nearly uniform and the reward decides the action, so greedy has zero regret on many "
                       "seeds and gets stuck on a few; the chain is where it provably fails."),
        experiment=Experiment(
            run_learner,
            {"quick": Scale(grid={"instance": ["random", "chain"]},
                            fixed={**learner_config(bonus_scale), "S": 5, "A": 2, "H": 8, "K": 20000,
                                   "distractor": DISTRACTOR}, seeds=8),
             "paper": Scale(grid={"instance": ["random", "chain"]},
                            fixed={**learner_config(bonus_scale), "S": 10, "A": 2, "H": 20, "K": 1_000_000,
                                   "distractor": DISTRACTOR}, seeds=32)},
            instance=("random_tabular(S, A, H): Dirichlet(1) rows, uniform mean rewards, one instance per "
                      "seed; chain(S, H) with distractor reward 0.05 at the start"),
            learner=LEARNER_KEYS),
        metric="regret",
        bound=REGRET_K,
        check=RateCheck("K", x_from="step", fit_min=1000),
        alternatives=alternatives(),
        figure="curve",
        units="sum of per-episode expected regret, return units",
        version="3",
    )


def regret_in_S(bonus_scale: float) -> Claim:
    """``ucbvi.regret_in_S.c<scale>``: the leading term's rate in S along the path K = 80 S^2."""
    return Claim(
        id=f"ucbvi.regret_in_S.c{bonus_scale:g}",
        family="ucbvi.regret_in_S",
        statement=(f"UCBVI-CH with its bonus scaled by c = {bonus_scale:g}: along the path K = 80 S^2 "
                   "(S = 4, 8, 16; A = 2, H = 5; K = 1280 to 20480) its regret grows in S at most like "
                   "Theorem 1's leading term 20 H L sqrt(SAT), i.e. S^(3/2) up to L = ln(5SAT/delta), while "
                   "a learner that does not learn pays K (V* - V^unif), of order S^2 along the path. "
                   "Theorem 1's bound, and its leading term alone, exceed the trivial bound KH on the whole "
                   "path (by factors above 6e3 and 30), so only the rate is checked."),
        source=AZAR,
        fidelity="reconstructed",
        fidelity_note=(ALGORITHM_NOTE + scale_note(bonus_scale) + " Why a path: at fixed K no check in S "
                       "can discriminate, since every learner's regret is at most KH and the uniform "
                       "learner's K (V* - V^unif) is flat in S (it passed the earlier fixed-K form of this "
                       "claim, whose threshold was the local slope of the burn-in term); along K = c S^p the "
                       "leading term grows like S^((1+p)/2) and a non-learner like S^p, which differ for "
                       "p > 1 (p = 2, largest K equal to the K claim's). Allowance for L^1 (Theorem 1's "
                       "power): L's argument grows like S^3 along the path, local slope 3/ln(5SAKH/delta) "
                       "at S = 4, i.e. 0.20. 16 seeds: V* - V^unif varies by about 38% between instances "
                       "at S = 4, and 8 seeds left the null learner's exponent (about 1.97) undecided "
                       "against 1.70. On these random Dirichlet instances greedy has zero regret on "
                       "many seeds, so the check separates learning from not learning, not UCBVI from "
                       "greedy."),
        experiment=Experiment(
            run_learner,
            {"quick": Scale(grid={"S": [4, 8, 16]},
                            fixed={**learner_config(bonus_scale), "instance": "random", "A": 2, "H": 5,
                                   "K_coef": K_COEF, "K_power": K_POWER}, seeds=16),
             "paper": Scale(grid={"S": [4, 8, 16, 32, 64]},
                            fixed={**learner_config(bonus_scale), "instance": "random", "A": 2, "H": 5,
                                   "K_coef": K_COEF, "K_power": K_POWER}, seeds=32)},
            instance="random_tabular(S, 2, 5), one instance per seed, K = 80 S^2 episodes",
            learner=LEARNER_KEYS),
        metric="final_regret",
        units="cumulative expected regret at K = 80 S^2, return units",
        bound=regret_along_path(K_POWER),
        check=RateCheck("S"),
        alternatives=alternatives(),
        version="3",
    )


CLAIMS = [make(c) for make in (regret_rate_K, regret_in_S) for c in BONUS_SCALES]
