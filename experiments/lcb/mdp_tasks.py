r"""Task functions of the MDP claims of *A Tale of Pessimism* (arXiv 2103.12021, §5 and App. C-D).

Every task measures a **worst case over a fixed instance grid**: for each
member of a family whose parameters do not depend on ``N`` (gaps on a fixed
log-spaced grid, rare-action masses on a fixed grid, missing-mass levels on
a fixed grid), it draws ``datasets`` i.i.d. datasets of ``N`` samples, runs
the learner on all of them, evaluates every returned policy exactly on the
true instance and averages; the metric is the largest of these means,

.. math::
    \max_{M \in \mathcal G}\ \mathbb E_{\mathcal D \sim M}\big[J_M(\pi^\star_M) - J_M(\hat\pi)\big],

the minimax risk over the grid :math:`\mathcal G` (a subset of the paper's
class of instances with concentrability at most :math:`C^\star`).  On a fixed
instance every sensible learner's error eventually decays exponentially; the
worst case over a grid that spans the relevant gaps decays at the minimax
rate, and a learner that fails on some member (behaviour cloning on data
that favour the worse action, the greedy learner on a rarely sampled
high-variance action, a learner that ignores the data) does not decay.

Learners (``config["algorithm"]``, the learner settings are ``algorithm``
and ``c``): ``vi_lcb`` (Algorithm 3 for discounted MDPs, Algorithm 4 for
layered ones, penalty scale ``c``), ``greedy`` (the same value iteration
without penalty on all the data: certainty equivalence), ``bc`` (behaviour
cloning, the most played action), ``optimistic`` (layered only: Algorithm 4
with the penalty's sign flipped and unseen actions first) and ``uniform``
(the null learner, :func:`rltheory.algorithms.lcb.uniform_policy`).  Datasets
are drawn from a generator that depends only on the instance part of the
config (and the seed), learners break ties with a second one, so every
learner sees the same datasets.
"""

from __future__ import annotations

import numpy as np

from rltheory.algorithms.lcb import (bc_policy, optimistic_vi_episodic, uniform_policy, vi_lcb,
                                     vi_lcb_episodic, vi_lcb_iterations)
from rltheory.envs.offline_models import batch_suboptimality
from rltheory.envs.offline_sampling import TabularStats, sample_discounted, sample_layered
from rltheory.envs.hard_instances import lcb as hard

#: Gaps of the layered coverage family: 2^(-1 - k/2), k = 0..16 (1/2, the largest gap of the family, down
#: to 1/512), fixed for every N.
GAP_GRID = tuple(2.0 ** (-1 - k / 2) for k in range(17))
#: Gaps of the discounted coverage family: 2^(-2 - k), k = 0..9 (1/4, the largest gap of the Theorem-7
#: gadget, down to 1/2048), fixed for every N (coarser: the risk is flat near its maximum, and each
#: member costs T + 1 folds of samples).
DISCOUNTED_GAP_GRID = tuple(2.0 ** (-2 - k) for k in range(10))
#: Masses of the rare action (Proposition-1 members): 0.4 * 4^(-1 - k), fixed for every N; the worst mass
#: (~ 1/N) moves by one member per factor 4 in N.  Layered: k = 0..8 (0.1 down to 1.5e-6, N up to ~1e6);
#: discounted: k = 0..11 (down to 2.4e-8, N up to ~2e7).
RARE_GRID = tuple(0.4 * 4.0 ** (-1 - k) for k in range(9))
DISCOUNTED_RARE_GRID = tuple(0.4 * 4.0 ** (-1 - k) for k in range(12))
#: Missing-mass levels zeta = 1/(N0 + 1) of the expert-data families: N0 = 10^(1.5 + k/4), k = 0..14.
ZETA_N0_GRID = tuple(int(round(10.0 ** (1.5 + k / 4))) for k in range(15))
#: Gaps of the nearly-expert (Conjecture 2) family: the coverage grid down to 1/1024.
NEAR_EXPERT_GAP_GRID = tuple(2.0 ** (-2 - k / 2) for k in range(17))

LEARNERS = ("vi_lcb", "greedy", "bc", "optimistic", "uniform")


# --------------------------------------------------------------------------- instance families

def discounted_member(family: str, C_star: float, gamma: float, kind: str, param: float, S: int = 6):
    r"""One member of a discounted family (built once per process; members do not depend on ``N``).

    ``family="coverage"``: ``kind="gap"`` is the Theorem-7 gadget (:func:`hard.thm7_mdp`, two replicas,
    :math:`v = +1`, gap ``param``); ``kind="rare"`` the Proposition-1 member
    (:func:`hard.rare_action_mdp`, rare mass ``param``).  ``family="expert"``: the Lemma-6 instance
    (:func:`hard.lemma6_mdp`) with :math:`\zeta = 1/(\text{param} + 1)`, :math:`\pi^\star = 0`.
    """
    if family == "coverage":
        if kind == "gap":
            return hard.cached_instance("thm7_mdp", 2, C_star, gamma, param, v=(1.0, 1.0))
        return hard.cached_instance("rare_action_mdp", C_star, gamma, param)
    if family == "expert":
        return hard.cached_instance("lemma6_mdp", S, int(param), gamma, pi_star=(0,) * (S - 1))
    raise ValueError(f"unknown discounted family {family!r}")


def layered_member(family: str, H: int, C_star: float, kind: str, param: float, width: int = 2,
                   n_gap: int = 4):
    r"""One member of a layered family (built once per process; members do not depend on ``N``).

    ``family="coverage"``: ``kind="gap"`` is :func:`hard.layered_gap_mdp` (gap ``param`` at every
    state, :math:`v = +1`), ``kind="rare"`` :func:`hard.layered_rare_action_mdp`.
    ``family="expert"``: :func:`hard.layered_expert_mdp` with :math:`\zeta = 1/(\text{param}+1)`,
    :math:`\pi^\star = 0`.  ``family="near_expert"``: :func:`hard.layered_near_expert_mdp`
    (:math:`C^\star = 1 + \eta`, gap ``param``, :math:`v = +1`).
    """
    if family == "coverage":
        if kind == "gap":
            return hard.cached_instance("layered_gap_mdp", H, width, C_star, param, v=(1.0,) * (H * width))
        return hard.cached_instance("layered_rare_action_mdp", H, C_star, param)
    if family == "expert":
        return hard.cached_instance("layered_expert_mdp", H, width, int(param), pi_star=(0,) * (H * width))
    if family == "near_expert":
        return hard.cached_instance("layered_near_expert_mdp", H, n_gap, C_star, param, v=(1.0,) * n_gap)
    raise ValueError(f"unknown layered family {family!r}")


def family_grid(family: str, discounted: bool = False) -> list[tuple[str, float]]:
    """The fixed grid ``[(kind, param), ...]`` of a family; none of it depends on ``N``."""
    if family == "coverage":
        gaps, rare = (DISCOUNTED_GAP_GRID, DISCOUNTED_RARE_GRID) if discounted else (GAP_GRID, RARE_GRID)
        return [("gap", g) for g in gaps] + [("rare", e) for e in rare]
    if family == "expert":
        return [("zeta", float(n0)) for n0 in ZETA_N0_GRID]
    if family == "near_expert":
        return [("gap", g) for g in NEAR_EXPERT_GAP_GRID]
    raise ValueError(f"unknown family {family!r}")


def _streams(seed: np.random.SeedSequence) -> tuple[np.random.Generator, np.random.Generator]:
    """The data generator (same for every learner) and the tie-breaking generator."""
    data, ties = seed.spawn(2)
    return np.random.default_rng(data), np.random.default_rng(ties)


def _worst_case(values: list[tuple[str, float]]) -> dict:
    """``subopt`` = max over members; ``subopt_<kind>`` = max over the members of each kind."""
    out = {"subopt": max(v for _, v in values)}
    for kind in dict.fromkeys(k for k, _ in values):
        out[f"subopt_{kind}"] = max(v for k, v in values if k == kind)
    return out


# --------------------------------------------------------------------------- discounted (Algorithm 3)

def discounted_policies(config: dict, stats: TabularStats, gamma: float, ties: np.random.Generator):
    """The policies ``(n, S)`` of a learner that reads the data, on discounted data split into ``T + 1`` folds."""
    alg, N = config["algorithm"], int(config["N"])
    if alg == "vi_lcb":
        return vi_lcb(stats.counts, stats.reward_sum, stats.next_counts, gamma, seed=ties, delta=1.0 / N,
                      c=config["c"], split=True)
    if alg == "greedy":     # value iteration on the pooled empirical model, no penalty
        pooled = [x.sum(axis=1, keepdims=True) for x in (stats.counts, stats.reward_sum, stats.next_counts)]
        return vi_lcb(*pooled, gamma, seed=ties, delta=1.0 / N, c=0.0, split=False)
    if alg == "bc":
        return bc_policy(stats.counts, seed=ties)
    raise ValueError(f"unknown discounted learner {alg!r} (rule: vi_lcb, greedy, bc or uniform)")


def run_discounted(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Worst case over a fixed discounted family of the expected suboptimality of one learner.

    Config: ``family`` (``"coverage"`` or ``"expert"``), ``N``, ``gamma``, ``C_star`` (coverage) or
    ``S`` (expert), ``datasets``; learner settings ``algorithm``, ``c``.  Data of every member are
    split into :math:`T + 1` folds, :math:`T = \lceil\log N/(1-\gamma)\rceil` (Algorithm 3); learners
    that do not split pool the folds.
    """
    N, gamma, n = int(config["N"]), float(config["gamma"]), int(config["datasets"])
    folds = vi_lcb_iterations(N, gamma) + 1
    data, ties = _streams(seed)
    values = []
    for kind, param in family_grid(config["family"], discounted=True):
        inst = discounted_member(config["family"], float(config.get("C_star", 1.0)), gamma, kind, param,
                                 int(config.get("S", 6)))
        if config["algorithm"] == "uniform":      # the null learner ignores the data: none is drawn
            pi = uniform_policy(n, inst.S, inst.A, seed=ties)
        else:
            pi = discounted_policies(config, sample_discounted(inst, N, n, seed=data, folds=folds), gamma,
                                     ties)
        values.append((kind, float(np.mean(batch_suboptimality(inst, pi)))))
    return _worst_case(values)


# --------------------------------------------------------------------------- layered (Algorithm 4)

def layered_policies(config: dict, stats: TabularStats, layer: np.ndarray, ties: np.random.Generator):
    """The policies ``(n, S)`` of a learner that reads the data, on layered data (one fold)."""
    alg, N = config["algorithm"], int(config["N"])
    args = (stats.counts, stats.reward_sum, stats.next_counts, layer)
    if alg == "vi_lcb":
        return vi_lcb_episodic(*args, seed=ties, delta=1.0 / N, c=config["c"])
    if alg == "greedy":
        return vi_lcb_episodic(*args, seed=ties, delta=1.0 / N, c=0.0)
    if alg == "optimistic":
        return optimistic_vi_episodic(*args, seed=ties, delta=1.0 / N, c=config["c"])
    if alg == "bc":
        return bc_policy(stats.counts, seed=ties)
    raise ValueError(f"unknown layered learner {alg!r} (rule: one of {LEARNERS})")


def _layered_C(config: dict) -> float:
    """:math:`C^\\star` of the family: ``C_star``, or :math:`1 + 1/\\text{inv\\_eta}` (nearly expert)."""
    if config["family"] == "near_expert":
        return 1.0 + 1.0 / float(config["inv_eta"])
    return float(config.get("C_star", 1.0))


def run_episodic(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Worst case over a fixed layered family of the expected suboptimality of one learner.

    Config: ``family`` (``"coverage"``, ``"expert"`` or ``"near_expert"``), ``N``, ``H``, ``width``
    (coverage, expert), ``C_star`` (coverage) or ``inv_eta`` (nearly expert, :math:`C^\star = 1 + 1/`
    ``inv_eta``), ``n_gap`` (nearly expert), ``datasets``; learner settings ``algorithm``, ``c``.
    """
    N, H, n = int(config["N"]), int(config["H"]), int(config["datasets"])
    C = _layered_C(config)
    data, ties = _streams(seed)
    values = []
    for kind, param in family_grid(config["family"]):
        inst = layered_member(config["family"], H, C, kind, param, int(config.get("width", 2)),
                              int(config.get("n_gap", 4)))
        if config["algorithm"] == "uniform":      # the null learner ignores the data: none is drawn
            pi = uniform_policy(n, inst.S, inst.A, seed=ties)
        else:
            pi = layered_policies(config, sample_layered(inst, N, n, seed=data), inst.layer, ties)
        values.append((kind, float(np.mean(batch_suboptimality(inst, pi)))))
    return _worst_case(values)
