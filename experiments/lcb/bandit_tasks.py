r"""Task functions of the bandit claims of arXiv 2103.12021: worst cases over fixed instance grids.

The paper's rates are minimax: on one fixed instance every sensible learner's
error eventually decays exponentially in :math:`N`, and on an instance whose
gap is tied to :math:`N` every learner shows the tested slope by construction.
Each task here therefore measures, at one sample size :math:`N`, the **worst
case over an instance grid that does not depend on N**: for every instance of
the grid it draws ``datasets`` datasets through their sufficient statistics
(:mod:`rltheory.envs.offline_sampling`), runs the learner on all of them, evaluates the
returned arms/policies exactly on the true instance and averages; the metric
is the largest of these means over the grid (:math:`\max_{\text{grid}}
\widehat{\mathbb E}[\text{suboptimality}]`).

Random streams: the data of a task come from the first child of its seed
sequence, the learner's tie-breaking from the second, so learners that differ
only in learner settings meet the same instances and the same datasets.

Learners (config key ``algorithm``): ``lcb`` (Algorithm 1 or 2), ``empirical_best``
(greedy, Proposition 1), ``most_played`` (behaviour cloning, Propositions 2-3),
``uniform`` (the null learner: a uniformly random arm/action, data ignored).
"""

from __future__ import annotations

import math

import numpy as np

from rltheory.algorithms.lcb import (empirical_best, lcb_bandit, lcb_contextual, most_played,
                                     two_arm_exact_risk, uniform_policy)
from rltheory.envs.offline_sampling import dataset_kl, sample_bandit, sample_contextual_bandit
from rltheory.envs.hard_instances import lcb as hard

#: Learner settings of every bandit task (the rest of a config is the instance family and the sweep).
LEARNER_KEYS = ("algorithm", "penalty", "c")

#: Gaps of the two-armed families, 2^(-k/2) for k = 2..16 (1/2 down to 1/256): fixed, independent of N.
MAB_GAPS = tuple(2.0 ** (-k / 2) for k in range(2, 17))
#: Masses of the rare arm of the Proposition-1 family, 2^(-k) for k = 6..20.
RARE_MASSES = tuple(2.0 ** (-k) for k in range(6, 21))
#: Gaps of the exact Proposition-2 check (C* = 1.5): 1/2, 1/8, 1/16.
PROP2_GAPS = (0.5, 0.125, 0.0625)
#: Gaps of the contextual families, 2^(-k/2) for k = 2..14 (1/2 down to 1/128).
CB_GAPS = tuple(2.0 ** (-k / 2) for k in range(2, 15))
#: Rare-context masses zeta = 1/(M+1), M + 1 = 2^k for k = 4..16 (as many as CB_GAPS).
CB_ZETA_M = tuple(2 ** k - 1 for k in range(4, 17))


def _streams(seed: np.random.SeedSequence):
    """``(data_rng, learner_rng)``: independent generators for the datasets and the learner's ties."""
    data, learner = seed.spawn(2)
    return np.random.default_rng(data), np.random.default_rng(learner)


# --------------------------------------------------------------------------- multi-armed bandits

def mab_family(config: dict) -> list:
    r"""The instances of a multi-armed family (:class:`~rltheory.envs.offline_models.OfflineBandit`), fixed in N.

    ``family``:

    * ``"thm2"``: the Theorem-2 member :math:`f_2` (:math:`\mu = (1-1/C^\star, 1/C^\star)`, arms
      :math:`\mathrm{Bern}(1/2)` and :math:`\mathrm{Bern}(1/2+g)`: the rarer arm is optimal,
      :math:`C^\star` exact) for every :math:`g` in :data:`MAB_GAPS`;
    * ``"prop1"``: :func:`~rltheory.envs.hard_instances.lcb.rare_arm_bandit` for every mass in
      :data:`RARE_MASSES` (:math:`C^\star \le 1/(1 - 2^{-6})`);
    * ``"class"``: both (every member lies in :math:`\mathrm{MAB}(C^\star)`);
    * ``"thm3"``: :func:`~rltheory.envs.hard_instances.lcb.thm3_bandit_fixed_gap` for every
      :math:`g` in :data:`MAB_GAPS` (:data:`PROP2_GAPS` when :math:`C^\star < 2`).
    """
    fam, C = config["family"], float(config["C_star"])
    thm2 = [hard.thm2_bandit_pair(C, 1, g)[1] for g in MAB_GAPS] if fam in ("thm2", "class") else []
    prop1 = [hard.rare_arm_bandit(m) for m in RARE_MASSES] if fam in ("prop1", "class") else []
    if fam == "thm3":
        return [hard.thm3_bandit_fixed_gap(C, g) for g in (PROP2_GAPS if C < 2 else MAB_GAPS)]
    if not thm2 + prop1:
        raise ValueError(f"unknown bandit family {fam!r}")
    return thm2 + prop1


def mab_penalty_L(config: dict, A: int) -> float:
    r"""Theorem 3's penalty level :math:`L` of ``config["penalty"]``.

    ``"delta"``: Algorithm 1 with :math:`\delta = 1/N`, :math:`L = \log(2|\mathcal A|N)/2`;
    ``"sqrt_N"``: :math:`L = \sqrt N` (the penalty that would give exponential decay for
    :math:`C^\star < 2`, Theorem 3).
    """
    N, mode = int(config["N"]), config.get("penalty", "delta")
    if mode == "delta":
        return math.log(2 * A * N) / 2
    if mode == "sqrt_N":
        return math.sqrt(N)
    raise ValueError(f"unknown penalty {mode!r}")


def mab_choose(config: dict, stats, rng: np.random.Generator, A: int) -> np.ndarray:
    """The arm ``config["algorithm"]`` picks on every dataset of ``stats``."""
    alg = config["algorithm"]
    if alg == "lcb":
        return lcb_bandit(stats.counts, stats.reward_sum, seed=rng, L=mab_penalty_L(config, A))
    if alg == "empirical_best":
        return empirical_best(stats.counts, stats.reward_sum, seed=rng)
    if alg == "most_played":
        return most_played(stats.counts, seed=rng)
    if alg == "uniform":
        return uniform_policy(stats.counts.shape[0], 1, A, seed=rng)[:, 0]
    raise ValueError(f"unknown algorithm {alg!r}")


def mab_index(config: dict, A: int):
    """The index rule of ``config["algorithm"]`` for :func:`two_arm_exact_risk` (unseen arms rank lowest)."""
    alg = config["algorithm"]
    if alg == "most_played":
        return lambda n, s: np.full(s.shape, float(n))
    if alg == "uniform":
        return lambda n, s: np.zeros(s.shape)
    pen = math.sqrt(mab_penalty_L(config, A)) if alg == "lcb" else 0.0
    if alg not in ("lcb", "empirical_best"):
        raise ValueError(f"unknown algorithm {alg!r}")
    return lambda n, s: np.full(s.shape, -np.inf) if n == 0 else s / n - pen / math.sqrt(n)


def mab_risk(config: dict, inst, data_rng, learner_rng) -> float:
    r""":math:`\mathbb E[r(a^\star) - r(\hat a)]` on one instance: Monte Carlo mean or exact (``method``)."""
    N = int(config["N"])
    if config.get("method", "mc") == "exact":
        return two_arm_exact_risk(inst.mu, inst.reward_value, inst.reward_prob, N, mab_index(config, inst.A))
    stats = sample_bandit(inst, N, int(config["datasets"]), seed=data_rng)
    return float(inst.gaps[mab_choose(config, stats, learner_rng, inst.A)].mean())


def run_mab(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Worst case over the family's fixed grid of :math:`\mathbb E[r(a^\star) - r(\hat a)]` at size ``N``."""
    data_rng, learner_rng = _streams(seed)
    risks = [mab_risk(config, inst, data_rng, learner_rng) for inst in mab_family(config)]
    return {"subopt": max(risks)}


def run_le_cam_pair(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Theorem 2's Le Cam pair at size ``N``: exact KL and TV of the two data laws, Le Cam's risk bound.

    ``separation``: ``"theorem"`` (:math:`\delta = \min(1/4, \sqrt{C^\star/N})`) or a fixed number.
    Deterministic (``seed`` unused): the divergences are computed, not sampled.
    """
    from rltheory.bounds.lcb_bandits import le_cam_risk, thm2_separation
    C, N = float(config["C_star"]), int(config["N"])
    sep = config["separation"]
    d = thm2_separation(C_star=C, N=N) if sep == "theorem" else float(sep)
    f1, f2 = hard.thm2_bandit_pair(C, N, d)
    tv = hard.thm2_pair_tv(C, N, d)
    return {"kl": dataset_kl(f1, f2, N), "tv": tv, "le_cam_risk": le_cam_risk(d, tv)}


# --------------------------------------------------------------------------- contextual bandits

def cb_family(config: dict, data_rng: np.random.Generator) -> list:
    r"""The instances of a contextual family, fixed in N (:class:`~rltheory.envs.offline_models.OfflineContextualBandit`).

    ``family``:

    * ``"expert"``: :func:`~rltheory.envs.hard_instances.lcb.expert_contextual` (``S`` contexts,
      :math:`C^\star = 1`) with rare-context mass :math:`\zeta = 1/(M+1)` for every ``M`` in
      :data:`CB_ZETA_M` (the generator's ``N`` argument is this ``M``, not the dataset size);
    * ``"thm5"``: the Theorem-5 instance for :math:`C^\star \ge 2` with :math:`v = (1, \dots, 1)`
      (the rarer action optimal in every context) for every gap in :data:`CB_GAPS`;
    * ``"middle"``: :func:`~rltheory.envs.hard_instances.lcb.interpolation_contextual`
      (:math:`C^\star = 1 + \eta`, ``S_expert`` expert contexts then ``S`` gap contexts,
      :math:`v = (1, \dots, 1)`) with :math:`(\zeta_i, g_i)` from :data:`CB_ZETA_M` and
      :data:`CB_GAPS` side by side.

    Optimal expert actions are drawn uniformly from ``data_rng``.
    """
    fam, S, C = config["family"], int(config["S"]), float(config["C_star"])
    if fam == "expert":
        return [hard.expert_contextual(S, M, 2, seed=data_rng) for M in CB_ZETA_M]
    if fam == "thm5":
        return [hard.thm5_contextual(S, C, 1, v=np.ones(S), delta=g) for g in CB_GAPS]
    if fam == "middle":
        SE = int(config["S_expert"])
        return [hard.interpolation_contextual(S, C, M, S_expert=SE, v=np.ones(S), seed=data_rng, delta=g)
                for M, g in zip(CB_ZETA_M, CB_GAPS)]
    raise ValueError(f"unknown contextual family {fam!r}")


def cb_choose(config: dict, stats, rng: np.random.Generator) -> np.ndarray:
    """The policy ``(n, S)`` that ``config["algorithm"]`` returns on every dataset of ``stats``."""
    alg = config["algorithm"]
    if alg == "lcb":
        return lcb_contextual(stats.counts, stats.reward_sum, seed=rng, delta=1.0 / stats.N, c=config["c"])
    if alg == "empirical_best":
        return empirical_best(stats.counts, stats.reward_sum, seed=rng)
    if alg == "most_played":
        return most_played(stats.counts, seed=rng)
    if alg == "uniform":
        n, S, A = stats.counts.shape
        return uniform_policy(n, S, A, seed=rng)
    raise ValueError(f"unknown algorithm {alg!r}")


def cb_risks(config: dict, inst, data_rng, learner_rng, split: int | None = None) -> np.ndarray:
    r"""Mean of :math:`\rho(s)\,\mathrm{gap}(s, \hat\pi(s))` over datasets, summed over contexts ``< split``
    and ``>= split`` (one entry when ``split`` is None)."""
    stats = sample_contextual_bandit(inst, int(config["N"]), int(config["datasets"]), seed=data_rng)
    pi = cb_choose(config, stats, learner_rng)
    per_context = (inst.rho * np.take_along_axis(inst.gaps[None], pi[..., None], -1)[..., 0]).mean(0)
    if split is None:
        return np.array([per_context.sum()])
    return np.array([per_context[:split].sum(), per_context[split:].sum()])


def run_cb(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Worst case over the family's fixed grid of :math:`\mathbb E[J(\pi^\star) - J(\hat\pi)]` at size ``N``.

    For ``family="middle"`` the expert contexts and the gap contexts are disjoint
    and the learners decide context by context, so the expected suboptimality is
    the sum of the two parts, the first depending on :math:`\zeta` only and the
    second on :math:`g` only; the worst case over the product grid
    :math:`\{\zeta_i\} \times \{g_j\}` is then :math:`\max_i(\text{expert part}) + \max_j(\text{gap part})`,
    reported as ``subopt`` with the two parts (``missing_mass``, ``gap_part``).
    """
    data_rng, learner_rng = _streams(seed)
    insts = cb_family(config, data_rng)
    if config["family"] != "middle":
        return {"subopt": max(float(cb_risks(config, i, data_rng, learner_rng)[0]) for i in insts)}
    parts = np.array([cb_risks(config, i, data_rng, learner_rng, int(config["S_expert"])) for i in insts])
    worst = parts.max(axis=0)
    return {"subopt": float(worst.sum()), "missing_mass": float(worst[0]), "gap_part": float(worst[1])}


def run_fano_packing(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Theorem 5 (:math:`C^\star \in (1,2)`): the largest exact KL between the data laws of two sign vectors.

    Over :math:`\{-1,1\}^S` the largest divergence is between :math:`v` and :math:`-v`
    (every gap context differs); computed exactly on :func:`thm5_contextual` with
    ``separation`` ``"theorem"`` (:func:`~rltheory.bounds.lcb_bandits.thm5_separation`) or a
    fixed number.  Deterministic (``seed`` unused).
    """
    from rltheory.bounds.lcb_bandits import thm5_separation
    S, C, N = int(config["S"]), float(config["C_star"]), int(config["N"])
    sep = config["separation"]
    d = thm5_separation(S=S, C_star=C, N=N) if sep == "theorem" else float(sep)
    plus = hard.thm5_contextual(S, C, N, v=np.ones(S), delta=d)
    minus = hard.thm5_contextual(S, C, N, v=-np.ones(S), delta=d)
    return {"max_pair_kl": dataset_kl(plus, minus, N), "separation": d}
