r"""Task functions of the revealing-POMDP claims (arXiv 2302.01333): ``run(config, seed) -> {metric: value}``.

Every task dispatches on its *learner* keys (``method``, ``procedure``, ``learner``); the other
keys describe the instance, and the random stream (``seed``) depends on them only, so a claim and
its alternatives meet the same instances and draws.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy.stats import binom

from rltheory.bounds.pomdp import revealing_closed_form
from rltheory.solvers.divergences import bhattacharyya


def _children(seed: np.random.SeedSequence, n: int) -> list:
    """``n`` independent child streams of ``seed``, built without mutating it."""
    return [np.random.SeedSequence(seed.entropy, spawn_key=tuple(seed.spawn_key) + (k,),
                                   pool_size=seed.pool_size) for k in range(n)]


# =========================================================================== revealing constant (identity)

def refined_channel(n: int, a: float, beta: float, refined: bool, rng: np.random.Generator) -> np.ndarray:
    r"""The channel :math:`O=aI+(1-a)\mathbf 1\mathbf 1^\top/n` as ``(rows, n)`` (columns = states).

    ``refined``: every observation is split in two with fractions ``beta`` and ``1 - beta`` (rows
    ``[beta O; (1-beta) O]``, then shuffled).  Splitting observations leaves the revealing
    constant unchanged: a left inverse ``[X, X]`` of the refined matrix has the norm of X, and
    averaging the two blocks of any left inverse gives one of the original matrix with no larger
    column norms.
    """
    from rltheory.envs.hard_instances.pomdp import uniform_noise_channel
    M = uniform_noise_channel(n, a).T
    if refined:
        M = np.vstack([beta * M, (1.0 - beta) * M])
    return M[rng.permutation(M.shape[0])]


def _square_subsystem_constant(M: np.ndarray) -> float:
    """1 / ||B^{-1}||_{1->1} for the S heaviest rows of M that keep full rank (a left inverse padded by zeros)."""
    S = M.shape[1]
    order = np.argsort(-M.sum(axis=1), kind="stable")
    rows = []
    for i in order:
        cand = rows + [int(i)]
        if np.linalg.matrix_rank(M[cand]) == len(cand):
            rows = cand
        if len(rows) == S:
            break
    inv = np.linalg.inv(M[rows])
    return 1.0 / float(np.abs(inv).sum(axis=0).max())


def run_revealing_constant(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""|computed revealing constant - closed form| on the (possibly refined) uniform-noise channel.

    Instance: ``n`` states, emission quality ``a ~ U(0.05, 0.95)`` and split fraction
    ``beta ~ U(0.55, 0.95)`` drawn per seed, ``refined`` (split observations or not).  Learner key
    ``method``: ``"lp"`` (:func:`rltheory.solvers.revealing_constant`), ``"pinv"`` (the Moore-Penrose
    bound), ``"square_inverse"`` (invert the heaviest full-rank square block) or ``"l2"``
    (:math:`\sigma_{\min}`, the weakly-revealing constant).
    """
    from rltheory import solvers
    rng = np.random.default_rng(seed)
    a = float(rng.uniform(0.05, 0.95))
    beta = float(rng.uniform(0.55, 0.95))
    n = int(config["n"])
    M = refined_channel(n, a, beta, bool(config["refined"]), rng)
    method = config["method"]
    if method == "lp":
        val = solvers.revealing_constant(M)
    elif method == "pinv":
        val = solvers.pinv_revealing_lower_bound(M)
    elif method == "square_inverse":
        val = _square_subsystem_constant(M)
    elif method == "l2":
        val = solvers.l2_revealing_constant(M)
    else:
        raise ValueError(f"method {method!r}")
    return {"abs_error": abs(val - revealing_closed_form(n, a)), "alpha": val, "a": a}


# =========================================================================== uniformity testing

def observation_eps(n: int, eps: float, a: float) -> float:
    r"""Effective perturbation :math:`\varepsilon_{obs}` of the observation law of the embedded gadget.

    Read off the POMDP (:func:`rltheory.envs.hard_instances.pomdp.paninski_pomdp`): the exact law
    of :math:`o_1` (:func:`rltheory.solvers.trajectory_law`) for :math:`z=\mathbf 1` is
    :math:`(1\pm\varepsilon_{obs})/n` on the two cells of every pair; the function checks that
    structure and returns :math:`\varepsilon_{obs}` (:math:`=a\varepsilon`).
    """
    from rltheory.envs.hard_instances.pomdp import paninski_pomdp
    from rltheory.solvers import trajectory_law
    law = trajectory_law(paninski_pomdp(n, eps, a, np.ones(n // 2, dtype=int)), np.zeros(2, dtype=np.int64))
    q = law.sum(axis=(0, 1, 3))[1:]                       # o_1 over the n cells
    e_plus = q[0::2] * n - 1.0
    e_minus = 1.0 - q[1::2] * n
    e = float(e_plus[0])
    if not (np.allclose(e_plus, e, atol=1e-12) and np.allclose(e_minus, e, atol=1e-12)):
        raise AssertionError("the observation law of the embedded gadget is not a Paninski law")
    return e


def learner_error_fraction(n: int, e: float, N: int) -> float:
    r"""Exact expected fraction of pairs the majority decoder gets wrong from N observations.

    Pair counts :math:`m\sim\mathrm{Bin}(N,2/n)`; given m, the cell count of the favoured cell is
    :math:`\mathrm{Bin}(m,(1+e)/2)`; wrong if below m/2, a fair coin on ties.
    """
    m = np.arange(N + 1)
    pm = binom.pmf(m, N, 2.0 / n)
    p = (1.0 + e) / 2.0
    wrong = binom.cdf(np.ceil(m / 2.0) - 1, m, p) + np.where(m % 2 == 0, 0.5 * binom.pmf(m // 2, m, p), 0.0)
    return math.fsum((pm * wrong).tolist())


def run_testing_samples(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Samples needed on the Paninski gadget embedded in a POMDP (n cells, ``eps``, emission ``a``).

    Learner key ``procedure``:

    ``"test"``
        :math:`N_{1/3}` = the smallest N with :math:`\mathrm{TV}(\mathbb E_zq_z^{\otimes N},U^{\otimes N})\ge1/3`
        for the observation laws :math:`q_z` of the POMDP: the best any tester can do.  TV by Monte
        Carlo (:func:`rltheory.envs.hard_instances.pomdp.paninski_tv_curve`, ``n_mc`` coupled streams);
        the metric is the crossing of the estimate, ``N_low`` / ``N_high`` the crossings of its
        upper / lower 95% bound.
    ``"learn"``
        the smallest N at which the majority decoder of z from N observations has
        :math:`\mathbb E\,\mathrm{TV}(q_{\hat z},q_z)\le\mathrm{TV}(q_z,U)/3` (expected fraction of wrong
        pairs at most 1/6), computed exactly (:func:`learner_error_fraction`).
    """
    from rltheory.envs.hard_instances.pomdp import paninski_tv_curve
    n, eps, a = int(config["n"]), float(config["eps"]), float(config["a"])
    e = observation_eps(n, eps, a)
    if config["procedure"] == "test":
        N_max = int(math.ceil(4.0 * math.sqrt(n) / e ** 2)) + 10
        curve = paninski_tv_curve(n, e, N_max, int(config["n_mc"]), seed)
        return {"samples": float(curve.first_crossing(1 / 3)),
                "N_low": float(curve.first_crossing(1 / 3, -1.96)),
                "N_high": float(curve.first_crossing(1 / 3, 1.96)), "eps_obs": e}
    if config["procedure"] == "learn":
        lo, hi = 1, 1
        while learner_error_fraction(n, e, hi) > 1 / 6:
            lo, hi = hi, 2 * hi
        N = lo
        while learner_error_fraction(n, e, N) > 1 / 6:   # first crossing, scanned (the error is not monotone)
            N += 1
        return {"samples": float(N), "eps_obs": e}
    raise ValueError(f"procedure {config['procedure']!r}")


# =========================================================================== noisy lock

def run_lock(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Episodes to open the noisy lock (``H``, ``A``, ``a = 1 / inv_a``, a random code per seed).

    Learner key ``learner``: ``"search"`` (:func:`rltheory.algorithms.pomdp_learners.lock_search`),
    ``"fixed_budget"`` (the :math:`a^{-4}` budget) or ``"blind"`` (whole codes in random order).
    Also returns ``correct`` (1 if the code found is the secret code).
    """
    from rltheory.algorithms import pomdp_learners as pl
    from rltheory.envs.hard_instances.pomdp import noisy_lock
    s_inst, s_learn = _children(seed, 2)
    H, A, a = int(config["H"]), int(config["A"]), 1.0 / float(config["inv_a"])
    code = np.random.default_rng(s_inst).integers(0, A, size=H - 1)
    lock = noisy_lock(H, A, a, code)
    learner = config["learner"]
    if learner == "search":
        res = pl.lock_search(lock, s_learn, delta=float(config["delta"]))
    elif learner == "fixed_budget":
        res = pl.lock_fixed_budget(lock, a, s_learn, delta=float(config["delta"]))
    elif learner == "blind":
        res = pl.lock_blind_search(lock, s_learn)
    else:
        raise ValueError(f"learner {learner!r}")
    return {"episodes": float(res.episodes), "correct": float(np.array_equal(res.code, code))}


# =========================================================================== costly reveal regret

def run_reveal_regret(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Cumulative regret after T episodes on the costly-reveal instance (``k``, ``eps``, ``a``, ``variant``).

    A hypothesis :math:`z` is drawn per seed.  Learner key ``learner``: ``"etc"``
    (explore-then-commit with ``c_explore``), ``"ucb_exploit"``, ``"plug_in"`` or ``"fixed_guess"``
    (:mod:`rltheory.algorithms.pomdp_learners`).  Returns the final cumulative expected regret
    (``regret``) and the learning curve at geometric steps (``curve``).
    """
    from rltheory.algorithms import pomdp_learners as pl
    from rltheory.envs.hard_instances.pomdp import costly_reveal_pomdp
    s_inst, s_learn = _children(seed, 2)
    k = int(config["k"])
    z = np.random.default_rng(s_inst).choice([-1, 1], size=k)
    inst = costly_reveal_pomdp(k, float(config["eps"]), float(config["a"]), z, config["variant"])
    T = int(config["T"])
    learner = config["learner"]
    if learner == "etc":
        run = pl.reveal_explore_then_commit(inst, T, s_learn, c_explore=float(config["c_explore"]))
    elif learner == "ucb_exploit":
        run = pl.ucb_exploit(inst, T, s_learn)
    elif learner == "plug_in":
        run = pl.plug_in_exploit(inst, T, s_learn)
    elif learner == "fixed_guess":
        run = pl.fixed_guess(inst, T, s_learn)
    else:
        raise ValueError(f"learner {learner!r}")
    steps, values = run.curve()
    return {"regret": float(run.cumulative_regret[-1]), "curve": (steps, values)}


# =========================================================================== N-episode TV bracket

def _episode_laws(lock, policies) -> list:
    """Exact observation laws ``(2,)*H`` of one episode under each open-loop action vector."""
    from rltheory.solvers import trajectory_law
    out = []
    for u in policies:
        law = trajectory_law(lock, np.asarray(u, dtype=np.int64))
        out.append(law.sum(axis=tuple(range(1, 2 * lock.H, 2))).ravel())   # marginal over observations
    return out


def _n_episode_law(laws, N: int, adaptive: bool) -> np.ndarray:
    """Law of N episodes: policy 0 first; later episodes play policy 1 after an episode whose
    last observation was 1 ("off track") when ``adaptive``, policy 0 otherwise."""
    X = laws[0].size
    out = np.empty((X,) * N)
    for seq in itertools.product(range(X), repeat=N):
        p, pol = 1.0, 0
        for x in seq:
            p *= laws[pol][x]
            pol = 1 if (adaptive and x % 2 == 1) else 0
        out[seq] = p
    return out


def run_tv_bracket(config: dict, seed: np.random.SeedSequence) -> dict:
    r"""Exact TV of N episodes between two noisy locks against the Hellinger bracket of spec Section 6.

    Instance: two locks (``H``, A = 2, ``a ~ U(0.3, 0.9)``) whose codes differ in the last digit;
    exploration policies: a random open-loop action vector :math:`u_0` and the first lock's code
    :math:`u_1`.  ``collection``: ``"iid"`` (N episodes of :math:`u_0`) or ``"adaptive"`` (after an
    episode ending off track, the next plays :math:`u_1`).  The bracket
    :math:`1-\mathrm{BC}_1^N\le\mathrm{TV}_N\le\sqrt{1-\mathrm{BC}_1^{2N}}` uses the one-episode
    laws of :math:`u_0` (:func:`rltheory.solvers.n_episode_divergences`); the metric is the larger
    of its two violations (0 when it holds).  The N-episode laws are enumerated exactly.
    """
    from rltheory.envs.hard_instances.pomdp import noisy_lock
    from rltheory.solvers import n_episode_divergences, tv
    rng = np.random.default_rng(seed)
    H, N = int(config["H"]), int(config["N"])
    a = float(rng.uniform(0.3, 0.9))
    code = rng.integers(0, 2, size=H - 1)
    code2 = code.copy()
    code2[-1] = 1 - code2[-1]
    u0 = np.append(rng.integers(0, 2, size=H - 1), 0)
    u1 = np.append(code, 0)
    P = _episode_laws(noisy_lock(H, 2, a, code), [u0, u1])
    Q = _episode_laws(noisy_lock(H, 2, a, code2), [u0, u1])
    adaptive = config["collection"] == "adaptive"
    tvN = tv(_n_episode_law(P, N, adaptive), _n_episode_law(Q, N, adaptive))
    br = n_episode_divergences(P[0], Q[0], N)
    viol = max(0.0, br.tv_lower - tvN, tvN - br.tv_upper)
    return {"bracket_violation": viol, "tv": tvN, "tv_lower": br.tv_lower, "tv_upper": br.tv_upper,
            "bc1": bhattacharyya(P[0], Q[0])}
