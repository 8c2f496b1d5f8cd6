r"""A plain-Python/numpy reference of :func:`rltheory.algorithms.lmdp_hf` (benchmark and tests).

The same algorithm as :mod:`rltheory.algorithms.lmdp_hf` -- hindsight counts,
doubling snapshots, the optimistic belief DP memoised on the rounded belief
(a ``dict``), the planner's belief filter, exact evaluation of each episode's
belief policy by the DP over :math:`(h, s, b, \hat b)`, the same random draws
-- written with Python recursion and ``dict`` memos, with the sums in the
kernels' order, so that its regrets agree with the Numba learner's.  Both
planners (``"exact"``, ``"greedy_belief"``) and both solvers (``"value_opt"``,
``"model_opt"``: the Bernstein box of :func:`rltheory.kernels.belief.bernstein_box`
maximised as :func:`rltheory.kernels.belief.box_max` does, here with Python
lists and ``sorted``) are written out again.
"""

from __future__ import annotations

import numpy as np

from .._random import as_generator
from ..kernels.sampling import draw_from_pmf

__all__ = ["lmdp_hf_reference"]


def _key(h, s, *bs):
    return (h, s) + tuple(int(x) for b in bs for x in np.round(b * 1e12))


def _groups(R, s, a, b, known):
    M = b.shape[0]
    lead = [(-1 if b[m] <= 0 else (m if known[m] else -2)) for m in range(M)]
    for m in range(M):
        if lead[m] == m:
            for m2 in range(m + 1, M):
                if lead[m2] == m2 and R[m2, s, a] == R[m, s, a]:
                    lead[m2] = m
    return lead


def box_max_reference(p, n, iota, scale, c1, c2, v):
    """``(max p~ . v over the Bernstein box of p, the maximiser)`` in plain Python (every successor boxed)."""
    S = len(v)
    lo, hi = [0.0] * S, [0.0] * S
    for t in range(S):
        wid = scale * (np.sqrt(c1 * p[t] * iota / n) + c2 * iota / n)
        lo[t], hi[t] = max(0.0, p[t] - wid), min(1.0, p[t] + wid)
    out, rest = list(lo), 1.0
    for t in range(S):
        rest -= lo[t]
    for t in sorted(range(S), key=lambda i: -v[i]):
        if rest <= 0.0:
            break
        add = min(hi[t] - lo[t], rest)
        out[t] += add
        rest -= add
    val = 0.0
    for t in range(S):
        if out[t] != 0.0:
            val += out[t] * v[t]
    return val, np.array(out)


class _Planner:
    def __init__(self, P, R, n, w, nu, H, bonus, c, greedy=False):
        self.P, self.R, self.n, self.w, self.nu, self.H, self.bonus, self.c = P, R, n, w, nu, H, bonus, c
        self.greedy = greedy
        self.memo = {}

    def _box(self, m, s, a, vn):
        """Box maximum with every successor valued by the planner (unseen ones at the reward-only belief)."""
        scale, c1, c2, iota = self.c[:4]
        return box_max_reference(self.P[m, s, a], self.n[m, s, a], iota, scale, c1, c2, list(vn))[0]

    def _beta(self, m, s, a, vn, mean):
        scale, c1, c2, iota, gamma, cap, Hs = self.c
        n = self.n[m, s, a]
        if self.bonus == "none":
            return 0.0
        if self.bonus == "model_opt":
            return self._box(m, s, a, vn) - mean
        if self.bonus == "hoeffding_H":
            return scale * Hs * np.sqrt(vn.shape[0] * iota / n)
        second = 0.0
        for t in range(vn.shape[0]):
            p = self.P[m, s, a, t]
            if p > 0.0:
                second += p * vn[t] * vn[t]
        var = max(second - mean * mean, 0.0)
        return scale * (np.sqrt(c1 * (gamma * iota) * var / n) + c2 * (gamma * iota) / n)

    def value(self, h, s, b):
        """``(min(cap, V), argmax)``, or for the greedy-belief planner ``(sum_m b_m alpha_m, argmax, alpha)``."""
        if h == self.H:
            return 0.0, 0
        k = _key(h, s, b)
        if k in self.memo:
            return self.memo[k]
        if self.greedy:
            self.memo[k] = self._greedy(h, s, b)
            return self.memo[k]
        M, S, A = b.shape[0], self.P.shape[1], self.P.shape[2]
        best, arg = -np.inf, 0
        for a in range(A):
            lead = _groups(self.R, s, a, b, self.n[:, s, a] > 0)
            vn = np.zeros((M, S))
            q = 0.0
            for g in range(M):
                if lead[g] != g:
                    continue
                for t in range(S):
                    child, p = self._child(b, s, a, t, lead, g)
                    if p > 0.0:
                        vn[g, t] = self.value(h + 1, t, child)[0]
                        q += p * vn[g, t]
                    elif self.bonus == "model_opt" and h + 1 < self.H:
                        vn[g, t] = self.value(h + 1, t, self._unseen(b, lead, g))[0]
            loc = 0.0
            for m in range(M):
                if lead[m] == -2:
                    loc += b[m] * self.c[5]
                elif lead[m] >= 0:
                    mean = 0.0
                    for t in range(S):
                        mean += self.P[m, s, a, t] * vn[lead[m], t]
                    loc += b[m] * (self.R[m, s, a] + self._beta(m, s, a, vn[lead[m]], mean))
            q += loc
            if q > best:
                best, arg = q, a
        self.memo[k] = (min(best, self.c[5]), arg)
        return self.memo[k]

    def _child(self, b, s, a, t, lead, g):
        """The planner's posterior after ``(s, a)``, reward group ``g`` and next state ``t``, and its
        probability: ``(b' (M,), p)`` (``b'`` unnormalised when ``p = 0``)."""
        M = b.shape[0]
        child = np.array([b[m] * self.P[m, s, a, t] if lead[m] == g else 0.0 for m in range(M)])
        p = 0.0
        for m in range(M):
            p += child[m]
        return (child / p if p > 0.0 else child), p

    @staticmethod
    def _unseen(b, lead, g):
        """Belief at a successor unseen in group ``g``: the posterior after the group's reward alone."""
        child = np.array([b[m] if lead[m] == g else 0.0 for m in range(b.shape[0])])
        tot = 0.0
        for x in child:
            tot += x
        return child / tot

    def _greedy(self, h, s, b):
        """Greedy-belief node: per-context alpha values, the action maximising ``sum_m b_m Q_m``."""
        M, S, A, cap = b.shape[0], self.P.shape[1], self.P.shape[2], self.c[5]
        best, arg, alpha = -np.inf, 0, np.zeros(M)
        for a in range(A):
            lead = _groups(self.R, s, a, b, self.n[:, s, a] > 0)
            an = np.zeros((M, S))
            for g in range(M):
                if lead[g] != g:
                    continue
                for t in range(S):
                    child, p = self._child(b, s, a, t, lead, g)
                    if p == 0.0 and self.bonus == "model_opt":
                        child, p = self._unseen(b, lead, g), 1.0
                    if p > 0.0 and h + 1 < self.H:
                        ach = self.value(h + 1, t, child)[2]
                        for m in range(M):
                            if lead[m] == g:
                                an[m, t] = ach[m]
            qm, score = np.zeros(M), 0.0
            for m in range(M):
                if lead[m] == -2:
                    qm[m] = cap
                elif lead[m] >= 0:
                    if self.bonus == "model_opt":
                        qm[m] = self.R[m, s, a] + self._box(m, s, a, an[m])
                    else:
                        mean = 0.0
                        for t in range(S):
                            mean += self.P[m, s, a, t] * an[m, t]
                        qm[m] = self.R[m, s, a] + self._beta(m, s, a, an[m], mean) + mean
                score += b[m] * qm[m]
            if score > best:
                best, arg, alpha = score, a, np.minimum(qm, cap)
        v = 0.0
        for m in range(M):
            v += b[m] * alpha[m]
        return v, arg, alpha

    def filt(self, b, s, a, r, t):
        S = self.P.shape[1]
        out = np.array([(b[m] * self.P[m, s, a, t] if self.R[m, s, a] == r else 0.0) if self.n[m, s, a] > 0
                        else b[m] / S for m in range(b.shape[0])])
        out = np.where(b > 0, out, 0.0)
        tot = 0.0
        for x in out:
            tot += x
        return out / tot if tot > 0 else b.copy()

    def start(self, s):
        b = self.w * self.nu[:, s]
        tot = 0.0
        for x in b:
            tot += x
        return (b / tot if tot > 0 else self.w.copy()), tot


def _evaluate(lmdp, pl):
    """Exact value of the planner's belief policy in the true LMDP (DP over (h, s, b, bhat))."""
    memo = {}
    truth = _Planner(lmdp.P, lmdp.R, np.full(lmdp.R.shape, np.inf), lmdp.w, lmdp.nu, lmdp.H, "none",
                     (0, 0, 0, 0, 0, np.inf, 0))

    def W(h, s, beta, bh):
        if h == lmdp.H:
            return 0.0
        k = _key(h, s, beta, bh)
        if k in memo:
            return memo[k]
        a = pl.value(h, s, bh)[1]
        lead = _groups(lmdp.R, s, a, beta, np.ones(lmdp.M, dtype=bool))
        v = 0.0
        for m in range(lmdp.M):
            v += beta[m] * lmdp.R[m, s, a]
        for g in range(lmdp.M):
            if lead[g] != g:
                continue
            for t in range(lmdp.S):
                child = np.array([beta[m] * lmdp.P[m, s, a, t] if lead[m] == g else 0.0 for m in range(lmdp.M)])
                p = 0.0
                for x in child:
                    p += x
                if p > 0.0:
                    v += p * W(h + 1, t, child / p, pl.filt(bh, s, a, lmdp.R[g, s, a], t))
        memo[k] = v
        return v
    total = 0.0
    for s in range(lmdp.S):
        beta, p = truth.start(s)
        if p > 0:
            total += p * W(0, s, beta, pl.start(s)[0])
    return total, truth




def lmdp_hf_reference(lmdp, K, seed, *, bonus="bernstein", bonus_scale=1.0, c1=2.0, c2=7.0 / 3.0, delta=0.1,
                      doubling=True, planner=None, solver="value_opt", hindsight=True):
    """The learner of :func:`rltheory.algorithms.lmdp_hf` in plain Python; returns ``(regret (K,), returns (K,))``.

    ``solver="model_opt"`` plans with the Bernstein box (``bonus`` is then ignored); ``planner=None``
    is ``"greedy_belief"`` for it and ``"exact"`` otherwise, as in :func:`rltheory.algorithms.lmdp_hf`;
    ``hindsight=False`` records every episode under context 0 (the context-blind baseline).
    """
    if planner is None:
        planner = "greedy_belief" if solver == "model_opt" else "exact"
    greedy = planner == "greedy_belief"
    if solver == "model_opt":
        bonus = "model_opt"
    rng = as_generator(seed)
    M, S, A, H = lmdp.M, lmdp.S, lmdp.A, lmdp.H
    iota = 2.0 * float(np.log(2.0 * M * S * A * H * K / delta))
    c = (bonus_scale, c1, c2, iota, float(lmdp.Gamma), 1.0, float(H))
    P, R, n = np.full((M, S, A, S), 1.0 / S), np.zeros((M, S, A)), np.zeros((M, S, A))
    w, nu = np.full(M, 1.0 / M), np.full((M, S), 1.0 / S)
    N, Nsa, N0, Nm, k_seen = np.zeros((M, S, A, S)), np.zeros((M, S, A)), np.zeros((M, S)), np.zeros(M), 0
    pow2 = lambda x: (not doubling) or (int(x) & (int(x) - 1)) == 0   # noqa: E731
    _, truth = _evaluate(lmdp, _Planner(P, R, n, w, nu, H, bonus, c))
    v_star = 0.0
    for s in range(S):
        beta, p = truth.start(s)
        if p > 0:
            v_star += p * truth.value(0, s, beta)[0]
    regret, returns = np.zeros(K), np.zeros(K)
    pl, changed, value = None, True, 0.0
    for k in range(K):
        if changed:
            pl = _Planner(P, R, n, w, nu, H, bonus, c, greedy)
            value, _ = _evaluate(lmdp, pl)
            changed = False
        regret[k] = v_star - value
        m = draw_from_pmf(lmdp.w, lmdp.w.shape[0], rng.random())
        s = draw_from_pmf(lmdp.nu[m], lmdp.S, rng.random())
        bh, _ = pl.start(s)
        path = []
        for h in range(H):
            a = pl.value(h, s, bh)[1]
            r = lmdp.R[m, s, a]
            t = draw_from_pmf(lmdp.P[m, s, a], lmdp.S, rng.random())
            path.append((s, a, t, r))
            returns[k] += r
            bh = pl.filt(bh, s, a, r, t)
            s = t
        m = m if hindsight else 0
        for s, a, t, r in path:
            N[m, s, a, t] += 1
            Nsa[m, s, a] += 1
            if pow2(Nsa[m, s, a]):
                P[m, s, a] = N[m, s, a] / Nsa[m, s, a]
                n[m, s, a], R[m, s, a], changed = Nsa[m, s, a], r, True
        N0[m, path[0][0]] += 1
        Nm[m] += 1
        k_seen += 1
        if pow2(k_seen):
            w[:] = (Nm + 1.0) / (k_seen + M)
            nu[:] = np.where(Nm[:, None] > 0, N0 / np.maximum(Nm, 1)[:, None], 1.0 / S)
            changed = True
    return regret, returns
