r"""Numba kernels for planning and evaluation over histories of a latent MDP, memoised on beliefs.

Used by :mod:`rltheory.solvers.latent` (exact optimum, exact policy values)
and :mod:`rltheory.algorithms.lmdp_hf` (optimistic planning, the episode loop).
No checks: the Python layers validate.

Belief DP (Zhou, Wang & Du, arXiv 2210.11604, Section 3; specification Sections 2 and 6)
---------------------------------------------------------------------------------------
With deterministic rewards, the posterior over contexts after an observable
history :math:`\tau_h = (s_0, a_0, r_0, \dots, s_h)` is

.. math:: b_m(\tau_h) \propto w_m \nu_m(s_0) \prod_{t<h} P_m(s_{t+1} \mid s_t, a_t)\,
          \mathbb 1[R_m(s_t, a_t) = r_t],

and the optimal continuation value of the mixture depends on the history only
through :math:`(h, s_h, b)`:

.. math::

   V_h(s, b) = \max_a Q_h(s, b, a), \qquad
   Q_h(s, b, a) = \sum_m b_m \bigl(R_m(s,a) + \beta_m(s,a)\bigr)
      + \sum_{g} \sum_{s'} p_g(s')\, V_{h+1}(s', b^{g,s'}),

where :math:`g` runs over the groups of contexts (with :math:`b_m > 0`) that
share the reward value :math:`R_m(s,a)` (the observation :math:`r` tells the
groups apart), :math:`p_g(s') = \sum_{m \in g} b_m P_m(s' \mid s, a)` and
:math:`b^{g,s'}_m = b_m P_m(s'|s,a) \mathbb 1[m \in g] / p_g(s')`.  With
:math:`\beta \equiv 0` and no cap this is the exact optimum over
history-dependent policies of the untruncated objective.

A *planner model* (:class:`BeliefModel`) may also carry visit counts
:math:`n_m(s,a)`, a bonus :math:`\beta_m(s,a)` and a cap
:math:`V \leftarrow \min\{\text{cap}, V\}` (optimistic planning):

* ``MODE_EXACT`` (0): :math:`\beta = 0`;
* ``MODE_BERNSTEIN`` (1): :math:`\beta_m = c\,[\sqrt{c_1 \Gamma\,\mathbb V_m \iota / n}
  + c_2 \Gamma \iota / n]` with :math:`\mathbb V_m` the variance, under
  :math:`P_m(\cdot \mid s,a)`, of the next values :math:`V_{h+1}(s', b^{g_m, s'})`;
* ``MODE_HOEFFDING_H`` (2): :math:`\beta_m = c\,H \sqrt{S \iota / n}` (per-step reward scale);
* ``MODE_MODEL_OPT`` (3, model-optimistic solver, **reconstructed**, specification Section 4):
  the expectation :math:`\hat P_m(\cdot|s,a)^\top v` of the next values is replaced by
  :math:`\max_{\tilde p \in \mathcal B_m(s,a)} \tilde p^\top v` over the per-entry Bernstein box
  (:func:`bernstein_box`, :func:`box_max`); as a bonus,
  :math:`\beta_m = \max_{\tilde p} \tilde p^\top v - \hat P_m^\top v \ge 0`.

A pair with :math:`n_m(s,a) = 0` is unknown: context :math:`m` then contributes
``cap`` (the largest value) to :math:`Q` and no successors.

Memoisation: values are stored under the key
:math:`(h, s, \mathrm{round}(10^{12} b))` in an open-addressing table
(:class:`Memo`; the key is compared in full, no hash collisions are trusted).
When the table is 3/4 full, ``Memo.count[1]`` is set and the DPs stop at once
and return NaN: the Python layers then retry with a table 4 times larger
(without the memo the work would grow exponentially in ``H``).

Policy values: a *belief policy* plays :math:`\arg\max_a Q_h(s, \hat b, a)` of
a planner model, where :math:`\hat b` is the planner's own filtered belief
(:func:`filter_belief`: likelihood :math:`\hat P_m(s'|s,a)\mathbb 1[\hat R_m(s,a) = r]`,
:math:`1/S` for an unknown pair; an observation impossible under every context
leaves :math:`\hat b` unchanged).  Its exact value in the true LMDP is a DP over
:math:`(h, s, b, \hat b)` (:func:`policy_value`), memoised the same way.

Both DPs are depth-first traversals with an explicit stack (no recursion:
Numba's on-disk cache cannot reload recursive functions).

Speed: the kernels that allocate nothing (the traversal :func:`_descend` and every
step it calls; scratch space lives in the frames and in ``BeliefModel.work``/``order``)
are compiled with ``_nrt=False``, Numba's switch that drops reference counting
(the pattern of numba issue 2350).  Measured on the DP of ``random_lmdp(2, 4, 2, 4)``:
atomic reference counts of the arrays held in the model and frame tuples took about
half of the time per node, and the switch cut the cost per node about 7-fold; values
are bit-identical (the arithmetic is unchanged).  Numba refuses at compile time any
allocation in such a kernel.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

__all__ = ["Memo", "BeliefModel", "belief_model", "new_memo", "reset_memo", "plan_value", "plan_action",
           "filter_belief", "initial_belief", "policy_value", "root_value", "policy_root_value",
           "MODE_EXACT", "MODE_BERNSTEIN", "MODE_HOEFFDING_H", "N_CONSTS", "K_SCALE", "K_C1", "K_C2",
           "K_IOTA", "K_GAMMA", "K_CAP", "K_H", "K_GREEDY", "QUANT", "MODE_MODEL_OPT", "bernstein_box",
           "box_max"]

MODE_EXACT = 0
MODE_BERNSTEIN = 1
MODE_HOEFFDING_H = 2
MODE_MODEL_OPT = 3

#: Indices into ``BeliefModel.consts`` (``K_GREEDY``: 1.0 selects the greedy-belief planner).
K_SCALE, K_C1, K_C2, K_IOTA, K_GAMMA, K_CAP, K_H, K_GREEDY = 0, 1, 2, 3, 4, 5, 6, 7
N_CONSTS = 8
#: Beliefs are rounded to multiples of 1/QUANT in memo keys.
QUANT = 1e12


class Memo(NamedTuple):
    """Open-addressing table: ``keys (cap, KW)`` int64, ``vals (cap, NV)`` (value, action, alpha...),
    ``used (cap,)`` int8, ``count (2,)`` int64 = (entries, full flag); ``cap`` a power of 2."""

    keys: np.ndarray
    vals: np.ndarray
    used: np.ndarray
    count: np.ndarray


class BeliefModel(NamedTuple):
    """A planner's model: ``P (M,S,A,S)``, ``R (M,S,A)``, counts ``n (M,S,A)`` (``inf``: known
    exactly), ``w (M,)``, ``nu (M,S)``, ``H``, ``mode`` and ``consts (N_CONSTS,)``; ``work (3,S)``
    and ``order (S,)`` are scratch space of the box maximum (so that the DP allocates nothing per node)."""

    P: np.ndarray
    R: np.ndarray
    n: np.ndarray
    w: np.ndarray
    nu: np.ndarray
    H: int
    mode: int
    consts: np.ndarray
    work: np.ndarray
    order: np.ndarray


def belief_model(P, R, n, w, nu, H: int, mode: int, consts) -> BeliefModel:
    """A :class:`BeliefModel` of writable C-contiguous float64 copies.

    Every planner and true model is built this way, so the kernels are compiled for one
    array type only (a read-only array is another Numba type and another compilation).
    """
    c = lambda x: np.array(x, dtype=np.float64, order="C", copy=True)   # noqa: E731
    S = np.shape(P)[1]
    return BeliefModel(c(P), c(R), c(n), c(w), c(nu), int(H), int(mode), c(consts), np.zeros((3, S)),
                       np.zeros(S, dtype=np.int64))


def new_memo(capacity: int, key_width: int, n_vals: int = 2) -> Memo:
    """An empty table with room for ``capacity`` keys of ``key_width`` int64 (rounded up to 2^k) and
    ``n_vals`` floats per key (value, action, and for the greedy-belief planner the ``M`` truncated
    alpha values)."""
    cap = 1
    while cap < capacity:
        cap *= 2
    return Memo(np.zeros((cap, key_width), dtype=np.int64), np.zeros((cap, n_vals)),
                np.zeros(cap, dtype=np.int8), np.zeros(2, dtype=np.int64))


@njit(cache=True)
def reset_memo(memo):
    """Forget every entry."""
    memo.used[:] = 0
    memo.count[0] = 0
    memo.count[1] = 0


@njit(cache=True, inline="always")
def _probe(memo, key):
    """Slot of ``key`` (``found=True``) or of the first empty slot on its probe path."""
    keys, used = memo.keys, memo.used
    cap = used.shape[0]
    KW = key.shape[0]
    hsh = np.uint64(14695981039346656037)
    for j in range(KW):
        hsh = (hsh ^ np.uint64(key[j] & 0x7FFFFFFFFFFFFFFF)) * np.uint64(1099511628211)
    hsh ^= hsh >> np.uint64(29)
    i = np.int64(hsh & np.uint64(cap - 1))
    while used[i] != 0:
        same = True
        for j in range(KW):
            if keys[i, j] != key[j]:
                same = False
                break
        if same:
            return i, True
        i = (i + 1) & (cap - 1)
    return i, False


@njit(cache=True, _nrt=False)
def _store(memo, key, value, action, alpha):
    """Insert ``key -> (value, action, alpha)`` unless the table is 3/4 full (then flag it: the DPs
    stop); ``alpha`` is written as far as the table has room (length 0: nothing)."""
    cap = memo.used.shape[0]
    if 4 * (memo.count[0] + 1) > 3 * cap:
        memo.count[1] = 1
        return
    i, found = _probe(memo, key)
    if not found:
        memo.used[i] = 1
        memo.count[0] += 1
        for j in range(key.shape[0]):
            memo.keys[i, j] = key[j]
    memo.vals[i, 0] = value
    memo.vals[i, 1] = action
    for m in range(min(alpha.shape[0], memo.vals.shape[1] - 2)):
        memo.vals[i, 2 + m] = alpha[m]


@njit(cache=True, inline="always")
def _quantize(b, key, off):
    for m in range(b.shape[0]):
        key[off + m] = np.int64(np.round(b[m] * QUANT))


@njit(cache=True, _nrt=False)
def _groups(R, n, s, a, b, lead):
    """``lead[m]``: the smallest context with the same reward as ``m`` (among ``b > 0`` and known,
    :math:`n_m(s,a) > 0`), ``-1`` for ``b_m = 0``, ``-2`` for an unknown pair."""
    M = b.shape[0]
    for m in range(M):
        lead[m] = -1
        if b[m] > 0.0:
            lead[m] = -2 if not n[m, s, a] > 0.0 else m
    for m in range(M):
        if lead[m] == m:
            for m2 in range(m + 1, M):
                if lead[m2] == m2 and R[m2, s, a] == R[m, s, a]:
                    lead[m2] = m


@njit(cache=True, _nrt=False)
def bernstein_box(p, n, iota, scale, c1, c2, lo, hi):
    r"""Per-entry Bernstein box of the model-optimistic solver (**reconstructed**, specification Section 4).

    For an empirical row ``p (S,)`` from ``n`` visits and log term ``iota``, fills ``lo, hi (S,)`` with

    .. math:: |\tilde p(s') - \hat p(s')| \le c\,\Bigl[\sqrt{c_1 \hat p(s')\,\iota / n} + c_2\,\iota / n\Bigr],
              \qquad 0 \le \tilde p(s') \le 1,

    (the specification's :math:`\sqrt{2 \hat p \iota/n} + c\,\iota/n` at :math:`c_1 = 2`,
    scale :math:`c = 1`).  Support rule: every successor, including an unseen one
    (:math:`\hat p(s') = 0`), gets its box, :math:`[0, c\,c_2\iota/n]` for the unseen; the planners
    value an unseen successor by their own DP (:func:`_optimistic_next`, :func:`_unseen_child`): a
    state never reached has only unvisited pairs and so the value ``cap``, a state known from
    elsewhere its optimistic value there.
    (The specification's "support restricted as in :math:`\hat P`" would make the box a point
    after a first visit with a single observed successor: no optimism, and a set that does not
    cover a two-point law.)  With ``n = inf`` or a zero scale the box is the point :math:`\hat p`.
    An unvisited pair (:math:`n = 0`) has no box: the planners treat it as unknown (``cap``)
    before calling this.
    """
    for t in range(p.shape[0]):
        wid = scale * (np.sqrt(c1 * p[t] * iota / n) + c2 * iota / n)
        lo[t] = max(0.0, p[t] - wid)
        hi[t] = min(1.0, p[t] + wid)


@njit(cache=True, _nrt=False)
def box_max(lo, hi, v, out, order):
    r""":math:`\max \{\tilde p^\top v : lo \le \tilde p \le hi,\ \sum_{s'} \tilde p = 1\}`, maximiser in ``out``.

    Exact for a box intersected with the simplex (a fractional knapsack): start from ``lo``, then
    give the remaining mass :math:`1 - \sum lo` to the entries in decreasing order of :math:`v`
    (stable: ties by index), each up to its ``hi``.  Requires :math:`\sum lo \le 1 \le \sum hi`
    (true for a box around a probability row).  The value is summed in index order over the
    entries with :math:`\tilde p(s') \ne 0` (so that an infinite value with zero mass adds nothing).
    ``order (S,)`` int64 is scratch space.
    """
    S = v.shape[0]
    rest = 1.0
    for t in range(S):
        out[t] = lo[t]
        rest -= lo[t]
        j = t                                  # stable insertion sort, v descending
        while j > 0 and v[order[j - 1]] < v[t]:
            order[j] = order[j - 1]
            j -= 1
        order[j] = t
    for i in range(S):
        if rest <= 0.0:
            break
        t = order[i]
        add = min(hi[t] - lo[t], rest)
        out[t] += add
        rest -= add
    val = 0.0
    for t in range(S):
        if out[t] != 0.0:
            val += out[t] * v[t]
    return val


@njit(cache=True, _nrt=False)
def _optimistic_next(bm, m, s, a, vn):
    r""":math:`\max_{\tilde p \in \mathcal B_m(s,a)} \tilde p^\top v` (model-optimistic solver), with
    :math:`v(s') =` ``vn[s']`` the planner's own next values on every successor, observed or not
    (an unseen successor's value is solved at the belief of :func:`_unseen_child`; 0 after the
    last step)."""
    c, wk = bm.consts, bm.work
    bernstein_box(bm.P[m, s, a], bm.n[m, s, a], c[K_IOTA], c[K_SCALE], c[K_C1], c[K_C2], wk[0], wk[1])
    return box_max(wk[0], wk[1], vn, wk[2], bm.order)


@njit(cache=True, _nrt=False)
def _bonus(bm, m, s, a, vn, mean):
    """:math:`\\beta_m(s, a)` given the next values ``vn (S,)`` of context ``m``'s group."""
    c, n, mode = bm.consts, bm.n[m, s, a], bm.mode
    if mode == MODE_EXACT:
        return 0.0
    if mode == MODE_MODEL_OPT:
        return _optimistic_next(bm, m, s, a, vn) - mean
    if mode == MODE_HOEFFDING_H:
        S = vn.shape[0]
        return c[K_SCALE] * c[K_H] * np.sqrt(S * c[K_IOTA] / n)
    P = bm.P
    second = 0.0
    for t in range(vn.shape[0]):
        p = P[m, s, a, t]
        if p > 0.0:
            second += p * vn[t] * vn[t]
    var = max(second - mean * mean, 0.0)
    gi = c[K_GAMMA] * c[K_IOTA]
    return c[K_SCALE] * (np.sqrt(c[K_C1] * gi * var / n) + c[K_C2] * gi / n)


@njit(cache=True, inline="always")
def _child(P, b, lead, g, s, a, t, child):
    """Fill ``child`` with the posterior after observing group ``g``'s reward and ``t``; return its probability."""
    p = 0.0
    for m in range(b.shape[0]):
        child[m] = 0.0
        if lead[m] == g:
            child[m] = b[m] * P[m, s, a, t]
            p += child[m]
    if p > 0.0:
        for m in range(b.shape[0]):
            child[m] /= p
    return p


@njit(cache=True, inline="always")
def _unseen_child(b, lead, g, child):
    r"""Belief at a successor that no context of group ``g`` has been seen to reach (model-optimistic
    solver): the posterior after group ``g``'s reward alone, :math:`b'_m \propto b_m\,\mathbb 1[m \in g]`.
    The box gives such a successor the same small mass :math:`[0, c\,c_2\iota/n]` in every context of
    the group, so the transition is treated as uninformative (**reconstructed**)."""
    tot = 0.0
    for m in range(b.shape[0]):
        child[m] = b[m] if lead[m] == g else 0.0
        tot += child[m]
    for m in range(b.shape[0]):
        child[m] /= tot


@njit(cache=True, _nrt=False)
def _q_local(bm, s, a, b, lead, vn):
    """The part of :math:`Q_h(s, b, a)` that needs no next value: ``cap`` for unknown pairs, rewards and
    bonuses (``vn (M, S)``: next values, row = group leader)."""
    P, R, cap = bm.P, bm.R, bm.consts[K_CAP]
    S = P.shape[1]
    q = 0.0
    for m in range(b.shape[0]):
        if lead[m] == -2:
            q += b[m] * cap
        elif lead[m] >= 0:
            mean = 0.0
            for t in range(S):
                mean += P[m, s, a, t] * vn[lead[m], t]
            q += b[m] * (R[m, s, a] + _bonus(bm, m, s, a, vn[lead[m]], mean))
    return q


class _Frames(NamedTuple):
    """The explicit stack of :func:`plan_value`: one frame per step below the root (depth ``D``).

    ``s, a, g, t, arg`` (D,) int64: state, action being tried, group leader and next state being
    expanded, best action so far; ``q, best, p, val`` (D,): running :math:`Q`, best :math:`Q`, the
    probability of the child being expanded, the finished value; ``b (D, M)`` beliefs,
    ``lead (D, M)`` groups, ``alpha (D, M)`` the truncated alpha vector of the best action
    (greedy-belief planner), ``vn (D, M, S)`` next values (row: group leader), ``an (D, M, S)``
    next alpha values (row: context), ``key (D, 2+M)`` memo keys, ``qm (D, M)`` scratch of the
    greedy-belief scores.
    """

    s: np.ndarray
    a: np.ndarray
    g: np.ndarray
    t: np.ndarray
    arg: np.ndarray
    q: np.ndarray
    best: np.ndarray
    p: np.ndarray
    val: np.ndarray
    b: np.ndarray
    lead: np.ndarray
    alpha: np.ndarray
    vn: np.ndarray
    an: np.ndarray
    key: np.ndarray
    qm: np.ndarray


@njit(cache=True)
def _new_frames(D, M, S):
    z = np.zeros
    return _Frames(z(D, np.int64), z(D, np.int64), z(D, np.int64), z(D, np.int64), z(D, np.int64), z(D), z(D),
                   z(D), z(D), z((D, M)), z((D, M), np.int64), z((D, M)), z((D, M, S)), z((D, M, S)),
                   z((D, 2 + M), np.int64), z((D, M)))


@njit(cache=True, inline="always")
def _open(fr, d, h, s):
    """Start frame ``d`` at ``(h, s)`` (its belief is already in ``fr.b[d]``)."""
    fr.s[d] = s
    fr.a[d] = 0
    fr.g[d] = -1
    fr.best[d] = -np.inf
    fr.arg[d] = 0
    fr.key[d, 0] = h
    fr.key[d, 1] = s
    _quantize(fr.b[d], fr.key[d], 2)


@njit(cache=True, _nrt=False)
def _begin_action(bm, fr, d):
    """Groups of the action ``fr.a[d]`` and fresh accumulators."""
    _groups(bm.R, bm.n, fr.s[d], fr.a[d], fr.b[d], fr.lead[d])
    fr.vn[d, :, :] = 0.0
    fr.an[d, :, :] = 0.0
    fr.q[d] = 0.0
    fr.g[d] = 0
    fr.t[d] = 0


@njit(cache=True, inline="always")
def _receive(fr, d, v, alpha):
    """Record the value ``v`` and alpha vector ``alpha (M,)`` of the child ``(g, t)`` of frame ``d``
    (weighted into ``Q`` with probability ``fr.p[d]``) and move to the next child."""
    g, t = fr.g[d], fr.t[d]
    fr.vn[d, g, t] = v
    fr.q[d] += fr.p[d] * v
    for m in range(min(fr.lead.shape[1], alpha.shape[0])):
        if fr.lead[d, m] == g:
            fr.an[d, m, t] = alpha[m]
    fr.t[d] += 1


@njit(cache=True, _nrt=False)
def _expand(bm, memo, fr, d, h):
    """Add the known next values of the current action of frame ``d``; return True when a child must
    be solved first (it is then opened in frame ``d + 1``)."""
    M, S = fr.b.shape[1], bm.P.shape[1]
    s, a, lead = fr.s[d], fr.a[d], fr.lead[d]
    while fr.g[d] < M:
        g = fr.g[d]
        if lead[g] == g:
            while fr.t[d] < S:
                p = _child(bm.P, fr.b[d], lead, g, s, a, fr.t[d], fr.b[d + 1])
                fr.p[d] = p
                unseen = p == 0.0 and bm.mode == MODE_MODEL_OPT
                if unseen and h + 1 < bm.H:
                    _unseen_child(fr.b[d], lead, g, fr.b[d + 1])
                if (p > 0.0 or unseen) and h + 1 < bm.H:
                    _open(fr, d + 1, h + 1, fr.t[d])
                    i, found = _probe(memo, fr.key[d + 1])
                    if not found:
                        return True
                    _receive(fr, d, memo.vals[i, 0], memo.vals[i, 2:])
                else:
                    fr.t[d] += 1
        fr.g[d] += 1
        fr.t[d] = 0
    return False


@njit(cache=True, _nrt=False)
def _greedy_score(bm, fr, d):
    """Greedy-belief planner: per-context :math:`Q_m = R_m + \\beta_m + \\hat P_m \\alpha_{h+1}(m, \\cdot)`
    (``MODE_MODEL_OPT``:
    :math:`Q_m = R_m + \\max_{\\tilde p \\in \\mathcal B_m} \\tilde p^\\top \\alpha_{h+1}(m, \\cdot)`;
    ``cap`` for an unknown pair), scored by :math:`\\sum_m b_m Q_m`; keeps the truncated
    :math:`\\min\\{\\text{cap}, Q_m\\}` of the best action in ``fr.alpha[d]``."""
    M, S = fr.b.shape[1], bm.P.shape[1]
    s, a, b, lead, cap = fr.s[d], fr.a[d], fr.b[d], fr.lead[d], bm.consts[K_CAP]
    qm = fr.qm[d]
    score = 0.0
    for m in range(M):
        qm[m] = 0.0
    for m in range(M):
        if lead[m] == -2:
            qm[m] = cap
        elif lead[m] >= 0:
            if bm.mode == MODE_MODEL_OPT:
                qm[m] = bm.R[m, s, a] + _optimistic_next(bm, m, s, a, fr.an[d, m])
            else:
                mean = 0.0
                for t in range(S):
                    mean += bm.P[m, s, a, t] * fr.an[d, m, t]
                qm[m] = bm.R[m, s, a] + _bonus(bm, m, s, a, fr.an[d, m], mean) + mean
        score += b[m] * qm[m]
    if score > fr.best[d]:
        fr.best[d] = score
        fr.arg[d] = a
        for m in range(M):
            fr.alpha[d, m] = min(qm[m], cap)


@njit(cache=True, _nrt=False)
def _advance(bm, memo, fr, d, h):
    """Work on frame ``d`` until it needs a child (True) or is finished and stored (False, value in ``fr.val``)."""
    A, M = bm.P.shape[2], fr.b.shape[1]
    greedy = bm.consts[K_GREEDY] > 0.0
    while fr.a[d] < A:
        if fr.g[d] == -1:
            _begin_action(bm, fr, d)
        if _expand(bm, memo, fr, d, h):
            return True
        if greedy:
            _greedy_score(bm, fr, d)
        else:
            q = fr.q[d] + _q_local(bm, fr.s[d], fr.a[d], fr.b[d], fr.lead[d], fr.vn[d])
            if q > fr.best[d]:
                fr.best[d] = q
                fr.arg[d] = fr.a[d]
        fr.a[d] += 1
        fr.g[d] = -1
    if greedy:
        v = 0.0
        for m in range(M):
            v += fr.b[d, m] * fr.alpha[d, m]
        fr.val[d] = v
    else:
        fr.val[d] = min(fr.best[d], bm.consts[K_CAP])
    _store(memo, fr.key[d], fr.val[d], fr.arg[d], fr.alpha[d])
    return False


@njit(cache=True)
def _solve(bm, memo, h, s, b):
    """``(value, action)`` of the planner at ``(h, s, b)``: from ``memo``, else by a depth-first
    traversal of the belief tree below it with an explicit stack (:class:`_Frames`), skipping every
    node already in ``memo``."""
    M, S = b.shape[0], bm.P.shape[1]
    key = np.empty(2 + M, dtype=np.int64)
    key[0] = h
    key[1] = s
    _quantize(b, key, 2)
    i, found = _probe(memo, key)
    if found:
        return memo.vals[i, 0], np.int64(memo.vals[i, 1])
    fr = _new_frames(bm.H - h + 1, M, S)
    for m in range(M):
        fr.b[0, m] = b[m]
    _open(fr, 0, h, s)
    return _descend(bm, memo, fr, h)


@njit(cache=True, _nrt=False)
def _descend(bm, memo, fr, h):
    """The depth-first traversal of :func:`_solve` from the frame 0 opened at step ``h`` (no allocation:
    compiled without reference counting, which dominated the cost per node)."""
    d = 0
    while True:
        if _advance(bm, memo, fr, d, h + d):
            d += 1
            continue
        if memo.count[1] != 0:
            return np.nan, np.int64(0)
        if d == 0:
            return fr.val[0], fr.arg[0]
        _receive(fr, d - 1, fr.val[d], fr.alpha[d])
        d -= 1


@njit(cache=True)
def plan_value(bm, memo, h, s, b):
    """The planner's value at ``(h, s, b)``, memoised; ``b (M,)`` normalised.

    Exact planner: :math:`\\min\\{\\text{cap}, V_h(s, b)\\}`; greedy-belief planner:
    :math:`\\sum_m b_m \\min\\{\\text{cap}, Q_m\\}` of the chosen action.  The chosen action
    (lowest index among ties) is stored beside the value.
    """
    if h == bm.H:
        return 0.0
    return _solve(bm, memo, h, s, b)[0]


@njit(cache=True)
def plan_action(bm, memo, h, s, b):
    """The planner's action at ``(h, s, b)`` (:math:`\\arg\\max_a` of its score, lowest index among ties)."""
    return _solve(bm, memo, h, s, b)[1]


@njit(cache=True, _nrt=False)
def filter_belief(bm, b, s, a, r, s2, out):
    """Posterior ``out (M,)`` of the planner model after ``(s, a, r, s2)`` from the belief ``b``."""
    M, S = b.shape[0], bm.P.shape[1]
    tot = 0.0
    for m in range(M):
        x = 0.0
        if b[m] > 0.0:
            if bm.n[m, s, a] > 0.0:
                if bm.R[m, s, a] == r:
                    x = b[m] * bm.P[m, s, a, s2]
            else:
                x = b[m] / S
        out[m] = x
        tot += x
    if tot > 0.0:
        for m in range(M):
            out[m] /= tot
    else:
        for m in range(M):
            out[m] = b[m]


@njit(cache=True, _nrt=False)
def initial_belief(bm, s, out):
    """``out_m ∝ w_m nu_m(s)`` of the planner model (``w`` when no context can start in ``s``);
    returns the normaliser :math:`\\sum_m w_m \\nu_m(s)`."""
    M = out.shape[0]
    tot = 0.0
    for m in range(M):
        out[m] = bm.w[m] * bm.nu[m, s]
        tot += out[m]
    if tot > 0.0:
        for m in range(M):
            out[m] /= tot
    else:
        for m in range(M):
            out[m] = bm.w[m]
    return tot


@njit(cache=True)
def root_value(bm, memo):
    """:math:`\\sum_s p_0(s) V_0(s, b_0(s))`, :math:`p_0(s) = \\sum_m w_m \\nu_m(s)`."""
    M, S = bm.w.shape[0], bm.P.shape[1]
    b = np.empty(M)
    v = 0.0
    for s in range(S):
        p = initial_belief(bm, s, b)
        if p > 0.0:
            v += p * plan_value(bm, memo, 0, s, b)
    return v


class _JointFrames(NamedTuple):
    """The explicit stack of :func:`policy_value`: ``s, a, g, t`` (D,) int64 (state, the policy's action,
    group leader and next state being expanded), ``p, v`` (D,) (probability of the child being
    expanded, running value), ``beta, bh (D, M)`` true and planner beliefs, ``lead (D, M)``,
    ``key (D, 2+2M)``."""

    s: np.ndarray
    a: np.ndarray
    g: np.ndarray
    t: np.ndarray
    p: np.ndarray
    v: np.ndarray
    beta: np.ndarray
    bh: np.ndarray
    lead: np.ndarray
    key: np.ndarray


@njit(cache=True, _nrt=False)
def _joint_open(truth, pol, pmemo, fr, d, h, s):
    """Start joint frame ``d`` at ``(h, s)`` with the beliefs already in ``fr.beta[d]``, ``fr.bh[d]``."""
    M = fr.beta.shape[1]
    fr.s[d] = s
    fr.key[d, 0] = h
    fr.key[d, 1] = s
    _quantize(fr.beta[d], fr.key[d], 2)
    _quantize(fr.bh[d], fr.key[d], 2 + M)
    fr.g[d] = -1


@njit(cache=True)
def _joint_begin(truth, pol, pmemo, fr, d, h):
    """The policy's action at frame ``d``, the true reward groups and the immediate expected reward."""
    M = fr.beta.shape[1]
    s = fr.s[d]
    a = plan_action(pol, pmemo, h, s, fr.bh[d])
    fr.a[d] = a
    _groups(truth.R, truth.n, s, a, fr.beta[d], fr.lead[d])
    v = 0.0
    for m in range(M):
        v += fr.beta[d, m] * truth.R[m, s, a]
    fr.v[d] = v
    fr.g[d] = 0
    fr.t[d] = 0


@njit(cache=True)
def _joint_advance(truth, pol, pmemo, jmemo, fr, d, h):
    """Work on joint frame ``d`` until it needs a child (True) or is finished and stored (False)."""
    M, S = fr.beta.shape[1], truth.P.shape[1]
    if fr.g[d] == -1:
        _joint_begin(truth, pol, pmemo, fr, d, h)
    s, a, lead = fr.s[d], fr.a[d], fr.lead[d]
    while fr.g[d] < M:
        g = fr.g[d]
        if lead[g] == g:
            while fr.t[d] < S:
                t = fr.t[d]
                p = _child(truth.P, fr.beta[d], lead, g, s, a, t, fr.beta[d + 1])
                if p > 0.0 and h + 1 < truth.H:
                    filter_belief(pol, fr.bh[d], s, a, truth.R[g, s, a], t, fr.bh[d + 1])
                    _joint_open(truth, pol, pmemo, fr, d + 1, h + 1, t)
                    i, found = _probe(jmemo, fr.key[d + 1])
                    if not found:
                        fr.p[d] = p
                        return True
                    fr.v[d] += p * jmemo.vals[i, 0]
                fr.t[d] += 1
        fr.g[d] += 1
        fr.t[d] = 0
    _store(jmemo, fr.key[d], fr.v[d], a, fr.v[d:d])
    return False


@njit(cache=True)
def policy_value(truth, pol, pmemo, jmemo, h, s, beta, bh):
    """Expected true reward from step ``h`` of the belief policy of ``pol`` (planner model), given the
    state ``s``, the true posterior ``beta`` and the planner's belief ``bh`` (explicit-stack DP over
    :math:`(h, s, b, \\hat b)`, memoised in ``jmemo``)."""
    if h == truth.H:
        return 0.0
    M = beta.shape[0]
    D = truth.H - h + 1
    z = np.zeros
    fr = _JointFrames(z(D, np.int64), z(D, np.int64), z(D, np.int64), z(D, np.int64), z(D), z(D), z((D, M)),
                      z((D, M)), z((D, M), np.int64), z((D, 2 + 2 * M), np.int64))
    for m in range(M):
        fr.beta[0, m] = beta[m]
        fr.bh[0, m] = bh[m]
    _joint_open(truth, pol, pmemo, fr, 0, h, s)
    i, found = _probe(jmemo, fr.key[0])
    if found:
        return jmemo.vals[i, 0]
    d = 0
    while True:
        if _joint_advance(truth, pol, pmemo, jmemo, fr, d, h + d):
            d += 1
            continue
        if jmemo.count[1] != 0 or pmemo.count[1] != 0:
            return np.nan
        if d == 0:
            return fr.v[0]
        v = fr.v[d]
        d -= 1
        fr.v[d] += fr.p[d] * v
        fr.t[d] += 1


@njit(cache=True)
def policy_root_value(truth, pol, pmemo, jmemo):
    """Exact value :math:`V^{\\pi}` in the true model ``truth`` of the belief policy of ``pol``."""
    M, S = truth.w.shape[0], truth.P.shape[1]
    beta = np.empty(M)
    bh = np.empty(M)
    v = 0.0
    for s in range(S):
        p = initial_belief(truth, s, beta)
        if p > 0.0:
            initial_belief(pol, s, bh)
            v += p * policy_value(truth, pol, pmemo, jmemo, 0, s, beta, bh)
    return v
