r"""Pessimism for offline decision making: LCB, VI-LCB and the baselines they are compared with.

Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline Reinforcement
Learning and Imitation Learning: A Tale of Pessimism*, NeurIPS 2021,
arXiv 2103.12021.  Every function works on the sufficient statistics of many
datasets at once (:mod:`rltheory.envs.offline`): counts :math:`N(s,a)`,
reward sums and next-state counts.

Algorithms
----------
* :func:`lcb_bandit` — Algorithm 1 (§3.2): :math:`\hat a = \arg\max_a \hat r(a) - b(a)`,
  :math:`b(a) = \sqrt{\log(2|\mathcal A|/\delta) / (2 N(a))}`; or the
  :math:`b(a) = \sqrt{L/N(a)}` form used in Theorem 3 (§3.5).
* :func:`lcb_contextual` — Algorithm 2 (§4.1), per context,
  :math:`b(s,a) = \sqrt{2000 \log(2 S |\mathcal A|/\delta) / N(s,a)}`.
* :func:`vi_lcb` — Algorithm 3 (§5.1, eq. 19): data split into :math:`T+1`
  folds, :math:`T = \lceil \log N / (1-\gamma) \rceil`, behaviour-cloning
  initialisation :math:`\pi_0(s) = \arg\max_a m_0(s,a)`, pessimistic update
  :math:`Q_t = \hat r_t - b_t + \gamma \hat P_t V_{t-1}`,
  :math:`b_t = V_{\max}\sqrt{2000 \log(2(T+1)S|\mathcal A|/\delta)/(m_t \vee 1)}`,
  and the monotone step (keep :math:`V_{t-1}, \pi_{t-1}` unless the new value
  is larger).  ``split=False`` is the no-splitting ablation (every iteration
  and the initialisation use the whole dataset).
* :func:`vi_lcb_episodic` — Algorithm 4 (App. D.2), backward induction on a
  layered MDP with :math:`b(s,a) = H\sqrt{2000 \log(2S|\mathcal A|/\delta)/N(s,a)}`
  (no data splitting, no clipping of ``Q``).
* Baselines: :func:`empirical_best` (greedy, Proposition 1) and
  :func:`most_played` (behaviour cloning / imitation, Propositions 2 and 3).

Penalty scale (a design choice, [R] in the specification)
---------------------------------------------------------
Every penalty is written :math:`b = c \cdot \kappa \cdot \sqrt{\ell / n}` with
:math:`\ell` the paper's log term, :math:`\kappa` the range (1 for bandits,
:math:`V_{\max}` for VI-LCB, :math:`H` for Algorithm 4) and ``c`` the scale:
``c="literal"`` is the paper's constant (:data:`LITERAL_C`: :math:`1/\sqrt2`
for Algorithm 1, :math:`\sqrt{2000}` for Algorithms 2–4).  With the literal
constants of Algorithms 2–4 the penalty exceeds the reward range unless
:math:`N(s,a) \gtrsim 3\cdot 10^4`, so at laptop scale the algorithms
degenerate: Algorithm 2 with the paper's unseen convention prefers never-seen
actions, VI-LCB returns its behaviour-cloning initialisation, Algorithm 4
becomes count-driven.  Scaled values ``c`` (e.g. 0.1, 0.3, 1) keep the form
and the log term; every experiment states the ``c`` it uses.

Unseen actions
--------------
``unseen="below_seen"`` (default): an action never seen in a state ranks
below every seen action; it is chosen only when no action of the state was
seen.  Its value, needed by the dynamic programmes when no action of a state
was seen, is the paper's: :math:`\hat r = 0`, :math:`\hat P` uniform over the
next layer (the paper's "random" vector; a fixed convention here) and the
penalty at :math:`n = 1`.  ``unseen="paper"``: the literal convention of the
algorithms (:math:`\hat r = 0`, :math:`b = 1` for Algorithms 1–2; penalty at
:math:`m \vee 1 = 1` for Algorithms 3–4), with unseen actions competing in the
argmax.  Ties in every argmax are broken uniformly at random by the supplied
generator.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .._errors import ValidationError

__all__ = ["LITERAL_C", "penalty_c", "lcb_bandit", "lcb_contextual", "empirical_best", "most_played",
           "vi_lcb", "vi_lcb_iterations", "vi_lcb_episodic", "optimistic_vi_episodic", "bc_policy",
           "two_arm_exact_risk", "uniform_policy"]

#: The paper's penalty constants in the form :math:`b = c\,\kappa\sqrt{\ell/n}`.
LITERAL_C = {"mab": 1.0 / math.sqrt(2.0), "cb": math.sqrt(2000.0), "vi_lcb": math.sqrt(2000.0),
             "episodic": math.sqrt(2000.0)}

UNSEEN = ("below_seen", "paper")


def penalty_c(c, algorithm: str) -> float:
    """The numeric scale ``c`` (``"literal"`` -> the paper's constant of ``algorithm``)."""
    if isinstance(c, str):
        if c != "literal":
            raise ValidationError(f"c = {c!r} (rule: a number >= 0 or 'literal')")
        return LITERAL_C[algorithm]
    c = float(c)
    if not (c >= 0 and math.isfinite(c)):
        raise ValidationError(f"c = {c} (rule: a finite number >= 0 or 'literal')")
    return c


def _check_delta(delta):
    delta = float(delta)
    if not 0 < delta < 1:
        raise ValidationError(f"delta = {delta} (rule: 0 < delta < 1)")
    return delta


def _check_unseen(unseen):
    if unseen not in UNSEEN:
        raise ValidationError(f"unseen = {unseen!r} (rule: one of {UNSEEN})")
    return unseen


def _check_stats(counts, reward_sum, ndim_min=2):
    counts = np.asarray(counts)
    if counts.dtype.kind not in "iu":
        raise ValidationError(f"counts has dtype {counts.dtype} (rule: integer counts)")
    if counts.ndim < ndim_min:
        raise ValidationError(f"counts has shape {counts.shape} (rule: at least {ndim_min} dimensions)")
    if np.any(counts < 0):
        raise ValidationError("counts has a negative entry (rule: counts are >= 0)")
    if reward_sum is not None:
        reward_sum = np.asarray(reward_sum, dtype=np.float64)
        if reward_sum.shape != counts.shape:
            raise ValidationError(f"reward_sum has shape {reward_sum.shape}, counts {counts.shape} "
                                  "(rule: same shape)")
        if np.any(reward_sum < -1e-12) or np.any(reward_sum > counts + 1e-9):
            raise ValidationError("reward_sum outside [0, counts] (rule: rewards lie in [0, 1])")
    return counts.astype(np.int64), reward_sum


def _argmax_random(index: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Argmax over the last axis with ties broken uniformly at random."""
    mx = index.max(axis=-1, keepdims=True)
    keys = rng.random(index.shape)
    keys[index != mx] = -1.0
    return np.argmax(keys, axis=-1)


def _lcb_index(counts, reward_sum, pen, unseen):
    seen = counts > 0
    n = np.maximum(counts, 1)
    idx = reward_sum / n - pen / np.sqrt(n)
    if unseen == "paper":
        return np.where(seen, idx, -1.0)
    return np.where(seen, idx, -np.inf)


def lcb_bandit(counts, reward_sum, rng: np.random.Generator, *, delta: float | None = None,
               c="literal", L: float | None = None, unseen: str = "below_seen") -> np.ndarray:
    r"""Algorithm 1 (LCB for multi-armed bandits) on many datasets.

    .. math::
        \hat a = \arg\max_a \hat r(a) - b(a), \qquad
        b(a) = c \sqrt{\log(2|\mathcal A|/\delta) / N(a)}

    with ``c = "literal"`` :math:`= 1/\sqrt 2` (Algorithm 1 of arXiv
    2103.12021; Theorem 1 takes :math:`\delta = 1/N`), or, when ``L`` is
    given, the Theorem-3 form :math:`b(a) = \sqrt{L / N(a)}`
    (:math:`L = \log(2|\mathcal A|/\delta)/2` recovers Algorithm 1;
    :math:`L\to\infty` is the most-played arm, :math:`L \to 0` the empirical
    best arm).

    Parameters
    ----------
    counts : int array (n, A)
    reward_sum : float array (n, A)
    rng : numpy.random.Generator
        Breaks ties.
    delta : float in (0, 1)
        Needed unless ``L`` is given.
    c : float >= 0 or "literal"
    L : float >= 0, optional
    unseen : {"below_seen", "paper"}

    Returns
    -------
    int array (n,)
        The chosen arm of every dataset.
    """
    counts, reward_sum = _check_stats(counts, reward_sum)
    _check_unseen(unseen)
    A = counts.shape[-1]
    if L is not None:
        if not float(L) >= 0:
            raise ValidationError(f"L = {L} (rule: L >= 0)")
        pen = math.sqrt(float(L))
    else:
        if delta is None:
            raise ValidationError("lcb_bandit needs delta or L (rule: give one)")
        pen = penalty_c(c, "mab") * math.sqrt(math.log(2 * A / _check_delta(delta)))
    return _argmax_random(_lcb_index(counts, reward_sum, pen, unseen), rng)


def lcb_contextual(counts, reward_sum, rng: np.random.Generator, *, delta: float, c="literal",
                   unseen: str = "below_seen") -> np.ndarray:
    r"""Algorithm 2 (LCB for contextual bandits) on many datasets.

    .. math::
        \hat\pi(s) = \arg\max_a \hat r(s,a) - b(s,a), \qquad
        b(s,a) = c\sqrt{\log(2 S |\mathcal A| / \delta) / N(s,a)},

    ``c = "literal"`` :math:`= \sqrt{2000}` (Algorithm 2, §4.1 of arXiv
    2103.12021; Theorem 4 takes :math:`\delta = 1/N`).

    Parameters
    ----------
    counts : int array (n, S, A)
    reward_sum : float array (n, S, A)

    Returns
    -------
    int array (n, S)
    """
    counts, reward_sum = _check_stats(counts, reward_sum, 3)
    _check_unseen(unseen)
    S, A = counts.shape[-2:]
    pen = penalty_c(c, "cb") * math.sqrt(math.log(2 * S * A / _check_delta(delta)))
    return _argmax_random(_lcb_index(counts, reward_sum, pen, unseen), rng)


def empirical_best(counts, reward_sum, rng: np.random.Generator) -> np.ndarray:
    r"""Greedy baseline :math:`\arg\max_a \hat r(a)` per dataset (and per context).

    Unseen actions rank below seen ones; Proposition 1 of arXiv 2103.12021
    shows it fails (constant error) on an instance with a rarely sampled,
    high-variance arm.  Shapes ``(..., A)`` -> ``(...)``.
    """
    counts, reward_sum = _check_stats(counts, reward_sum, 1)
    return _argmax_random(_lcb_index(counts, reward_sum, 0.0, "below_seen"), rng)


def most_played(counts, rng: np.random.Generator) -> np.ndarray:
    r"""Behaviour cloning: :math:`\arg\max_a N(a)` (per context), ties at random.

    Imitation-learning baseline of Propositions 2 and 3 of arXiv 2103.12021.
    Shapes ``(..., A)`` -> ``(...)``.
    """
    counts, _ = _check_stats(counts, None, 1)
    return _argmax_random(counts.astype(np.float64), rng)


def bc_policy(counts, rng: np.random.Generator) -> np.ndarray:
    """Behaviour cloning on MDP data ``counts (n, F, S, A)`` (all folds pooled) -> ``(n, S)``."""
    counts, _ = _check_stats(counts, None, 4)
    return most_played(counts.sum(axis=1), rng)


# --------------------------------------------------------------------------- VI-LCB (discounted)

@njit(cache=True)
def _argmax_ties(q, lo, hi, rng):
    """Index in [lo, hi) of the maximum of q, ties uniformly at random (reservoir sampling)."""
    best = -np.inf
    arg = lo
    cnt = 0
    for a in range(lo, hi):
        v = q[a]
        if v > best:
            best = v
            arg = a
            cnt = 1
        elif v == best:
            cnt += 1
            if rng.random() * cnt < 1.0:
                arg = a
    return arg


@njit(cache=True)
def _vi_lcb_kernel(counts, sums, nxt, gamma, pen, paper_unseen, split, T, rng, pi_out):
    n, F, S, A = counts.shape
    V = np.zeros(S)
    Q = np.empty((S, A))
    key = np.empty(A)
    Vmid = np.empty(S)
    amid = np.zeros(S, dtype=np.int64)
    for i in range(n):
        # behaviour-cloning initialisation pi_0(s) = argmax_a m_0(s, a)
        for s in range(S):
            for a in range(A):
                key[a] = counts[i, 0, s, a]
            pi_out[i, s] = _argmax_ties(key, 0, A, rng)
            V[s] = 0.0
        for t in range(1, T + 1):
            f = t if split else 0
            vbar = 0.0
            for s in range(S):
                vbar += V[s]
            vbar /= S
            for s in range(S):
                any_seen = False
                for a in range(A):
                    m = counts[i, f, s, a]
                    if m >= 1:
                        any_seen = True
                        pv = 0.0
                        for s2 in range(S):
                            pv += nxt[i, f, s, a, s2] * V[s2]
                        Q[s, a] = sums[i, f, s, a] / m - pen / math.sqrt(m) + gamma * pv / m
                    else:
                        # r = 0, P uniform, penalty at m v 1 = 1
                        Q[s, a] = -pen + gamma * vbar
                if paper_unseen or not any_seen:
                    for a in range(A):
                        key[a] = Q[s, a]
                else:
                    for a in range(A):
                        key[a] = Q[s, a] if counts[i, f, s, a] >= 1 else -np.inf
                a_best = _argmax_ties(key, 0, A, rng)
                amid[s] = a_best
                Vmid[s] = Q[s, a_best]
            for s in range(S):          # monotone update
                if Vmid[s] > V[s]:
                    V[s] = Vmid[s]
                    pi_out[i, s] = amid[s]


def vi_lcb_iterations(N: int, gamma: float) -> int:
    r""":math:`T = \lceil \log N / (1-\gamma) \rceil` (at least 1), the iteration count of Algorithm 3."""
    return max(1, int(math.ceil(math.log(N) / (1.0 - gamma))))


def vi_lcb(counts, reward_sum, next_counts, gamma: float, rng: np.random.Generator, *, delta: float,
           c="literal", unseen: str = "below_seen", split: bool = True) -> np.ndarray:
    r"""Algorithm 3 (VI-LCB, discounted) on many datasets.

    Parameters
    ----------
    counts : int array (n, F, S, A)
        Fold counts :math:`m_t(s,a)`.  With ``split=True`` there must be
        :math:`F = T + 1` folds, fold 0 initialising :math:`\pi_0`; draw them
        with :func:`rltheory.envs.offline.sample_discounted` and
        ``folds = vi_lcb_iterations(N, gamma) + 1``.  With ``split=False``
        (ablation) ``F = 1`` and every step uses the whole dataset for
        :math:`T = \lceil \log N/(1-\gamma)\rceil` iterations, ``N`` the total count.
    reward_sum : float array (n, F, S, A)
    next_counts : int array (n, F, S, A, S)
    gamma : float in [0, 1)
    delta : float in (0, 1)
        Theorem 6 uses :math:`\delta = 1/N`.
    c : float or "literal"
        Penalty :math:`b_t = c\, V_{\max}\sqrt{\log(2(T+1)S|\mathcal A|/\delta)/(m_t\vee 1)}`;
        ``"literal"`` is :math:`\sqrt{2000}` (eq. 19 of arXiv 2103.12021).
    unseen : {"below_seen", "paper"}
    split : bool

    Returns
    -------
    int array (n, S)
        :math:`\pi_T` of every dataset.
    """
    counts, reward_sum = _check_stats(counts, reward_sum, 4)
    nxt = np.asarray(next_counts)
    n, F, S, A = counts.shape
    if nxt.shape != (n, F, S, A, S) or nxt.dtype.kind not in "iu":
        raise ValidationError(f"next_counts has shape {nxt.shape} (rule: integer ({n}, {F}, {S}, {A}, {S}))")
    if np.any(nxt.sum(axis=-1) != counts):
        raise ValidationError("next_counts do not sum to counts (rule: one next state per sample)")
    gamma = float(gamma)
    if not 0 <= gamma < 1:
        raise ValidationError(f"gamma = {gamma} (rule: 0 <= gamma < 1)")
    _check_unseen(unseen)
    if split:
        T = F - 1
        if T < 1:
            raise ValidationError("split=True needs F = T + 1 >= 2 folds")
    else:
        if F != 1:
            raise ValidationError(f"split=False needs F = 1 fold, got {F}")
        N_total = int(counts[0].sum())
        T = vi_lcb_iterations(max(N_total, 2), gamma)
    V_max = 1.0 / (1.0 - gamma)
    pen = penalty_c(c, "vi_lcb") * V_max * math.sqrt(math.log(2 * (T + 1) * S * A / _check_delta(delta)))
    pi = np.zeros((n, S), dtype=np.int64)
    _vi_lcb_kernel(counts, reward_sum, nxt.astype(np.int64), gamma, pen, unseen == "paper",
                   bool(split), T, rng, pi)
    return pi


# --------------------------------------------------------------------------- Algorithm 4 (episodic)

@njit(cache=True)
def _episodic_kernel(counts, sums, nxt, layer, H, pen, paper_unseen, rng, pi_out):
    n, S, A = counts.shape
    V = np.zeros(S)
    Q = np.empty(A)
    key = np.empty(A)
    size = np.zeros(H + 1)
    for s in range(S):
        size[layer[s]] += 1.0
    for i in range(n):
        for s in range(S):
            V[s] = 0.0
        for h in range(H - 1, -1, -1):
            vbar = 0.0                      # mean of V over layer h+1 (uniform P-hat)
            if h + 1 < H:
                for s in range(S):
                    if layer[s] == h + 1:
                        vbar += V[s]
                vbar /= size[h + 1]
            for s in range(S):
                if layer[s] != h:
                    continue
                any_seen = False
                for a in range(A):
                    m = counts[i, s, a]
                    if m >= 1:
                        any_seen = True
                        pv = 0.0
                        for s2 in range(S):
                            pv += nxt[i, s, a, s2] * V[s2]
                        Q[a] = sums[i, s, a] / m - pen / math.sqrt(m) + pv / m
                    else:
                        Q[a] = -pen + vbar
                for a in range(A):
                    key[a] = Q[a] if (paper_unseen or not any_seen or counts[i, s, a] >= 1) else -np.inf
                a_best = _argmax_ties(key, 0, A, rng)
                pi_out[i, s] = a_best
                V[s] = Q[a_best]


def vi_lcb_episodic(counts, reward_sum, next_counts, layer, rng: np.random.Generator, *, delta: float,
                    c="literal", unseen: str = "below_seen") -> np.ndarray:
    r"""Algorithm 4 (episodic value iteration with LCB, App. D.2 of arXiv 2103.12021).

    For :math:`h = H, \dots, 1` and :math:`s \in \mathcal S_h`:

    .. math::
        Q_h(s,a) = \hat r(s,a) - b(s,a) + \hat P(\cdot|s,a)^\top V_{h+1},\quad
        b(s,a) = c\,H\sqrt{\log(2S|\mathcal A|/\delta)/N(s,a)},\quad
        V_h(s) = \max_a Q_h(s,a),

    ``c="literal"`` :math:`=\sqrt{2000}`; an instance of PEVI (Jin et al.
    2021) without clipping.  The paper's listing starts at ``h = H-1`` (a
    typo; the loop starts at ``H``).

    Parameters
    ----------
    counts, reward_sum : arrays (n, S, A) or (n, 1, S, A)
        Over the union of layers (``S`` = total number of states).
    next_counts : int array (n, S, A, S) or (n, 1, S, A, S)
    layer : int array (S,)
        Layer of every state, ``0..H-1``.

    Returns
    -------
    int array (n, S)
    """
    counts = np.asarray(counts)
    reward_sum = np.asarray(reward_sum, dtype=np.float64)
    nxt = np.asarray(next_counts)
    if counts.ndim == 4:
        counts, reward_sum, nxt = counts[:, 0], reward_sum[:, 0], nxt[:, 0]
    counts, reward_sum = _check_stats(counts, reward_sum, 3)
    n, S, A = counts.shape
    if nxt.shape != (n, S, A, S):
        raise ValidationError(f"next_counts has shape {nxt.shape} (rule: ({n}, {S}, {A}, {S}))")
    layer = np.asarray(layer, dtype=np.int64)
    if layer.shape != (S,) or layer.min() < 0:
        raise ValidationError(f"layer has shape {layer.shape} (rule: ({S},) with entries >= 0)")
    H = int(layer.max()) + 1
    _check_unseen(unseen)
    pen = penalty_c(c, "episodic") * H * math.sqrt(math.log(2 * S * A / _check_delta(delta)))
    pi = np.zeros((n, S), dtype=np.int64)
    _episodic_kernel(counts, reward_sum, nxt.astype(np.int64), layer, H, pen, unseen == "paper", rng, pi)
    return pi


# --------------------------------------------------------------------------- exact two-arm risk

def optimistic_vi_episodic(counts, reward_sum, next_counts, layer, rng: np.random.Generator, *, delta: float,
                           c) -> np.ndarray:
    r"""The optimistic counterpart of Algorithm 4: a negative control for pessimism.

    Backward induction on the layered data with the penalty's sign flipped and
    unseen actions ranked above every seen one (optimism in the face of
    uncertainty, as online learners do, R-max style):

    .. math::
        Q_h(s,a) = \min\big(H - h,\; \hat r(s,a) + b(s,a) + \hat P(\cdot|s,a)^\top V_{h+1}\big)
        \ \text{if } N(s,a) \ge 1, \qquad Q_h(s,a) = H - h \ \text{otherwise},

    :math:`b(s,a) = c\,H\sqrt{\log(2S|\mathcal A|/\delta)/N(s,a)}` (Algorithm 4's penalty of
    arXiv 2103.12021, App. D.2, with a plus sign); :math:`\hat\pi(s)` is an unseen action whenever
    :math:`s` has one (ties uniformly at random), else :math:`\arg\max_a Q_h(s,a)`; layers are
    numbered ``0..H-1`` so :math:`H - h` is the largest return from layer ``h``.  On expert data only
    the expert's action is seen, so this learner leaves the expert's path wherever it can.

    Shapes as :func:`vi_lcb_episodic` (one fold); returns int array (n, S).
    """
    counts, sums, nxt = np.asarray(counts), np.asarray(reward_sum, dtype=np.float64), np.asarray(next_counts)
    if counts.ndim == 4:
        counts, sums, nxt = counts[:, 0], sums[:, 0], nxt[:, 0]
    if counts.ndim != 3 or sums.shape != counts.shape or nxt.shape != counts.shape + counts.shape[1:2]:
        raise ValidationError(f"counts {counts.shape}, reward_sum {sums.shape}, next_counts {nxt.shape} "
                         "(rule: (n, S, A), (n, S, A), (n, S, A, S), optionally with a fold axis of 1)")
    if not 0 < delta < 1:
        raise ValidationError(f"delta = {delta} (rule: 0 < delta < 1)")
    counts, nxt = counts.astype(np.int64), nxt.astype(np.float64)
    n, S, A = counts.shape
    layer = np.asarray(layer, dtype=np.int64)
    H = int(layer.max()) + 1
    bonus = penalty_c(c, "episodic") * H * math.sqrt(math.log(2 * S * A / delta))
    V = np.zeros((n, S))
    pi = np.zeros((n, S), dtype=np.int64)
    for h in range(H - 1, -1, -1):
        idx = np.flatnonzero(layer == h)
        m = counts[:, idx]
        seen = m > 0
        mm = np.maximum(m, 1)
        Q = sums[:, idx] / mm + bonus / np.sqrt(mm) + np.einsum("nkat,nt->nka", nxt[:, idx], V) / mm
        Q = np.where(seen, np.minimum(Q, H - h), float(H - h))
        a = _argmax_random(np.where(seen, Q, np.inf), rng)
        pi[:, idx] = a
        V[:, idx] = np.take_along_axis(Q, a[..., None], axis=-1)[..., 0]
    return pi


def two_arm_exact_risk(mu, reward_value, reward_prob, N: int, index) -> float:
    r"""Exact expected suboptimality of an index rule on a two-armed bandit, by enumeration.

    The rule picks :math:`\arg\max_a I(N(a), \Sigma(a))` (ties uniformly at
    random), where :math:`\Sigma(a) = v_a \cdot j_a` with
    :math:`j_a \sim \mathrm{Binomial}(N(a), q_a)` and
    :math:`N(1) \sim \mathrm{Binomial}(N, \mu(1))`.  Enumerates :math:`N(1)`
    and, for each, the reward counts of both arms (sorting one side), in
    :math:`O(N^2 \log N)` — an independent reference for the Monte Carlo
    sampler and a way to measure probabilities far below :math:`10^{-4}`.

    Parameters
    ----------
    mu, reward_value, reward_prob : array (2,)
    N : int
    index : callable ``index(n: int, sums: ndarray) -> ndarray``
        Index of an arm with ``n`` samples and reward sums ``sums``;
        ``n = 0`` must be handled (e.g. ``-inf`` for "unseen below seen").

    Returns
    -------
    float
        :math:`\mathbb E[r(a^\star) - r(\hat a)]`.
    """
    from scipy.stats import binom
    mu = np.asarray(mu, float)
    v = np.asarray(reward_value, float)
    q = np.asarray(reward_prob, float)
    means = v * q
    gap = means.max() - means
    pk = binom.pmf(np.arange(N + 1), N, mu[1])          # k = N(arm 1)
    risk = 0.0
    for k in range(N + 1):
        if pk[k] < 1e-300:
            continue
        n0, n1 = N - k, k
        j0 = np.arange(n0 + 1)
        j1 = np.arange(n1 + 1)
        p0 = binom.pmf(j0, n0, q[0]) if q[0] < 1 else (j0 == n0).astype(float)
        p1 = binom.pmf(j1, n1, q[1]) if q[1] < 1 else (j1 == n1).astype(float)
        i0 = np.asarray(index(n0, v[0] * j0), float) * np.ones(n0 + 1)
        i1 = np.asarray(index(n1, v[1] * j1), float) * np.ones(n1 + 1)
        order = np.argsort(i0, kind="stable")
        s0, c0 = i0[order], np.concatenate([[0.0], np.cumsum(p0[order])])
        lo = np.searchsorted(s0, i1, side="left")     # P(I0 < I1)
        hi = np.searchsorted(s0, i1, side="right")    # P(I0 <= I1)
        p_pick1 = np.sum(p1 * (c0[lo] + 0.5 * (c0[hi] - c0[lo])))
        risk += pk[k] * (p_pick1 * gap[1] + (1.0 - p_pick1) * gap[0])
    return float(risk)


def uniform_policy(n: int, S: int, A: int, rng: np.random.Generator) -> np.ndarray:
    r"""The null learner: a deterministic policy drawn uniformly at random per dataset, ignoring the data.

    :math:`\hat\pi(s) \sim \mathrm{Unif}(\mathcal A)` independently for every state and dataset, so its
    expected suboptimality is the average over all deterministic policies; it does not decay with ``N``.  A reference for the checks on arXiv 2103.12021's rates (a check that
    this learner passes has no power).

    Returns
    -------
    int array (n, S)
    """
    if min(int(n), int(S), int(A)) < 1:
        raise ValidationError(f"n = {n}, S = {S}, A = {A} (rule: all >= 1)")
    return rng.integers(0, int(A), size=(int(n), int(S))).astype(np.int64)
