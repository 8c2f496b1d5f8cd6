r"""FTPedel: policy elimination with offline-augmented experiment design, and its alternatives.

Wagenmaker & Pacchiano, *Leveraging Offline Data in Online Reinforcement
Learning*, ICML 2023, arXiv 2211.04974 (specification
``ftpedel_offline_online.md``, Sections 3-4).  **Reconstructed** [R]: only the
abstract is verified; OPTCOV is restated by Tan et al. (NeurIPS 2024, their
Alg. 5); the pseudo-code, the constants and the design oracle below are the
specification's reconstruction and toolkit choices.

Algorithm (one-hot features of :class:`rltheory.envs.offline_linear.TabularLinearMDP`)
------------------------------------------------------------------------------------
Input: :math:`\epsilon, \delta`, the class :math:`\Pi` of all deterministic policies, the offline
statistics :math:`\mathcal D_{\rm off}` (a fixed design, used in every epoch).
For epochs :math:`\ell = 1, \dots, L = \lceil\log_2(1/\epsilon)\rceil`, with
:math:`\epsilon_\ell = 2^{-\ell}` and

.. math:: \beta_\ell = c\, H^4 \log(4H^2|\Pi|\ell^2/\delta), \qquad \text{tol}_\ell = \epsilon_\ell^2/\beta_\ell

(one global constant :math:`c` = ``beta_scale``, recorded in ``params``), and for
:math:`h = 0, \dots, H-1`:

1. **OPTCOV** [R]: choose a mixture :math:`\lambda` of deterministic exploration policies and a
   number :math:`N_{\ell,h}` of *fresh* online episodes so that every surviving policy is covered,
   :math:`\max_{\pi\in\Pi_\ell}\|\hat\phi_{\pi,h}\|^2_{\Lambda_{\ell,h}^{-1}} \le \text{tol}_\ell`
   (the features themselves, as the specification writes; a criterion on differences
   :math:`\hat\phi_{\pi,h}-\hat\phi_{\pi',h}` alone leaves the transitions of steps where the
   survivors agree unestimated, and the propagated features collapse),
   :math:`\Lambda_{\ell,h} = \Lambda_{{\rm off},h} + \sum_{\text{online}}\phi\phi^\top + \lambda_{\rm reg} I`.
   The design minimises OPTCOV's smoothed maximum (log-sum-exp, as in Tan et al.'s restatement)
   by Frank-Wolfe over the occupancies of the deterministic policies in the model estimated from
   all data seen so far (unseen pairs: uniform over the next layer) -- the "learned design" of
   specification Section 4, in place of OPTCOV's regret-minimisation oracle; :math:`N` is found by
   doubling then bisection on the predicted criterion; the episodes are played, and the criterion
   is **verified on the realised counts**; if it fails, a quarter as many episodes again are
   played (geometric growth by 5/4, finer than OPTCOV's doubling, which overshoots by up to 2x), until
   it holds; all of them are counted.
2. Least squares on :math:`\mathcal D_{\rm off,h} \cup \mathcal D_{\ell,h}`:
   :math:`\hat\theta_h = \Lambda_{\ell,h}^{-1}\sum\phi_\tau r_\tau` and
   :math:`\hat\phi_{\pi,h+1} = (\sum\phi(s'_\tau,\pi(s'_\tau))\phi_\tau^\top)\Lambda_{\ell,h}^{-1}\hat\phi_{\pi,h}`
   (:func:`rltheory.algorithms._ftpedel_kernels.propagate_features`), starting from the known
   start law, :math:`\hat\phi_{\pi,0}(s,a) = \mu_0(s)1\{a=\pi(s)\}`.

Then :math:`\hat V^\pi = \sum_h\langle\hat\phi_{\pi,h},\hat\theta_h\rangle` and
:math:`\Pi_{\ell+1} = \{\pi : \hat V^\pi \ge \max_{\pi'}\hat V^{\pi'} - 2\epsilon_\ell\}`; stop when one
policy survives, else output :math:`\arg\max\hat V` after epoch :math:`L`.  If every estimate is
within :math:`\epsilon_\ell/2`, :math:`\pi^\star` survives every epoch and the output is
:math:`\epsilon_L \le \epsilon`-optimal: the learner *certifies* its output at level :math:`\delta`
(verifiable learning).  Whether the output is :math:`\epsilon`-optimal is then evaluated exactly.

Alternatives
------------
* ``explore="uniform"``: the same elimination rule, online data from the uniformly random policy;
* online-only FTPedel: pass :func:`rltheory.envs.offline_linear.empty_offline`;
* :func:`offline_lcb`: VI-LCB (Algorithm 4 of Rashidinejad et al. 2021, arXiv 2103.12021) on the
  offline data alone, zero online episodes (unverifiable);
* :func:`fixed_budget_greedy`: a fixed budget of uniform online episodes, then the greedy policy of
  the estimated model (unverifiable: the budget does not depend on the instance);
* :func:`null_learner`: a uniformly random deterministic policy, no data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import numpy as np

from .._errors import ValidationError
from .._random import as_generator
from ..envs.offline_linear import (OfflineLinearData, TabularLinearMDP, behaviour_policy, empty_offline,
                                   sample_offline_linear)
from ..fidelity import FIDELITY
from ..kernels.linalg import vecmat
from ..kernels.mdp import occupancy_kernel
from ..models.tabular import TabularMDP
from ..solvers import backward_induction
from ..solvers.experiment_design import PolicyTable, policy_occupancies, policy_table
from ._ftpedel_kernels import (criterion, frank_wolfe_design, propagate_features, reward_estimate,
                               step_occupancies)
from .lcb import vi_lcb_episodic

__all__ = ["FTPedelRun", "ftpedel", "offline_lcb", "fixed_budget_greedy", "null_learner", "EXPLORE",
           "BETA_SCALE", "epoch_beta", "elimination_step", "optcov_design", "propagate"]

#: Exploration rules: OPTCOV's design, or the uniformly random policy.
EXPLORE = ("optcov", "uniform")
#: Default global constant c of beta_l (not reconstructed; see the claims' fidelity notes).
BETA_SCALE = 0.05
_FW_ITERS = 150
_FW_ETA = 30.0
_BISECT = 8


@dataclass(frozen=True, eq=False)
class FTPedelRun:
    r"""Record of one PAC run (FTPedel or an alternative).

    Attributes
    ----------
    algorithm : str
    online_episodes : int
        Online episodes played in total (0 for offline-only and null learners).
    episodes : int64 array (epochs, H)
        Online episodes per epoch and step (empty for learners without epochs).
    survivors : int64 array (epochs,)
        :math:`|\Pi_\ell|` at the start of each epoch.
    output_policy : int64 array (S,)
        The returned deterministic policy (layered, stationary form).
    suboptimality : float
        :math:`V^\star_0 - V^{\hat\pi}_0`, exact.
    eps_optimal : bool
        ``suboptimality <= eps``.
    certified : bool
        The learner claims its output is eps-optimal with probability >= 1 - delta (FTPedel run to
        completion within its budget); False for unverifiable learners.
    eps, delta : float
    params : Mapping
        Every constant of the run (``beta_scale``, ``lam``, ``explore``, ``offline`` size, ...).
    fidelity : {"verified", "partly", "reconstructed"}
    """

    algorithm: str
    online_episodes: int
    episodes: np.ndarray
    survivors: np.ndarray
    output_policy: np.ndarray
    suboptimality: float
    eps_optimal: bool
    certified: bool
    eps: float
    delta: float
    params: Mapping = field(default_factory=dict)
    fidelity: str = "reconstructed"

    def __post_init__(self):
        if self.fidelity not in FIDELITY:
            raise ValidationError(f"fidelity = {self.fidelity!r} (rule: one of {FIDELITY})")
        for nm in ("episodes", "survivors", "output_policy"):
            a = np.array(getattr(self, nm), dtype=np.int64)
            a.setflags(write=False)
            object.__setattr__(self, nm, a)
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))


def _check_common(inst, offline, eps, delta):
    if not isinstance(inst, TabularLinearMDP):
        raise ValidationError(f"inst is {type(inst).__name__} (rule: a TabularLinearMDP)")
    if not isinstance(offline, OfflineLinearData):
        raise ValidationError(f"offline is {type(offline).__name__} (rule: OfflineLinearData; "
                              "use empty_offline(inst) for online-only learning)")
    if offline.counts.shape != (inst.H, inst.S, inst.A):
        raise ValidationError(f"offline.counts has shape {offline.counts.shape} "
                              f"(rule: ({inst.H}, {inst.S}, {inst.A}), the instance's)")
    eps, delta = float(eps), float(delta)
    if not 0 < eps < 1:
        raise ValidationError(f"eps = {eps} (rule: 0 < eps < 1)")
    if not 0 < delta < 1:
        raise ValidationError(f"delta = {delta} (rule: 0 < delta < 1)")
    return eps, delta


def epoch_beta(ell: int, H: int, n_policies: int, delta: float, beta_scale: float) -> float:
    r""":math:`\beta_\ell = c H^4 \log(4H^2|\Pi|\ell^2/\delta)` [R: constant c not reconstructed]."""
    return beta_scale * H ** 4 * math.log(4.0 * H * H * n_policies * ell * ell / delta)


def elimination_step(v_hat, eps_l: float) -> np.ndarray:
    r"""Indices kept by the elimination rule :math:`\hat V^\pi \ge \max_{\pi'}\hat V^{\pi'} - 2\epsilon_\ell`.

    Examples
    --------
    >>> elimination_step([0.50, 0.30], 0.05).tolist()      # 0.30 < 0.50 - 0.10: eliminated
    [0]
    >>> elimination_step([0.50, 0.30], 0.25).tolist()
    [0, 1]
    """
    v = np.asarray(v_hat, dtype=np.float64)
    if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)):
        raise ValidationError(f"v_hat has shape {v.shape} (rule: a non-empty finite 1-D array)")
    return np.flatnonzero(v >= v.max() - 2.0 * float(eps_l))


def optcov_design(vertices, targets_sq, base, N: float, iters: int = _FW_ITERS, eta: float = _FW_ETA
                  ) -> tuple[float, np.ndarray]:
    r"""The learner's design at fixed ``N``: Frank-Wolfe on OPTCOV's smoothed maximum.

    Approximately solves :math:`\min_{\lambda\in\Delta_J}\max_p \sum_k T2_{p,k}/(N(\lambda^\top V)_k +
    \mathrm{base}_k)` (the problem :func:`rltheory.solvers.experiment_design.design_value` solves exactly).

    Parameters
    ----------
    vertices : array (J, k), >= 0
    targets_sq : array (P, k), >= 0
        Squared target coordinates.
    base : array (k,), > 0
        Offline counts plus the ridge.
    N : float >= 0
    iters : int >= 1
    eta : float > 0

    Returns
    -------
    value : float
        :math:`\max_p` criterion at the returned mixture (exact, not smoothed).
    mixture : array (J,)
    """
    V = np.ascontiguousarray(vertices, dtype=np.float64)
    T2 = np.ascontiguousarray(targets_sq, dtype=np.float64)
    b = np.ascontiguousarray(base, dtype=np.float64)
    if V.ndim != 2 or T2.ndim != 2 or b.shape != (V.shape[1],) or T2.shape[1] != V.shape[1]:
        raise ValidationError(f"vertices {V.shape}, targets_sq {T2.shape}, base {b.shape} "
                              "(rule: (J, k), (P, k) and (k,))")
    if np.any(V < 0) or np.any(T2 < 0) or np.any(b <= 0) or not N >= 0:
        raise ValidationError("vertices, targets_sq >= 0, base > 0, N >= 0 (rule: occupancies and counts)")
    if int(iters) < 1 or not eta > 0:
        raise ValidationError(f"iters = {iters}, eta = {eta} (rule: iters >= 1, eta > 0)")
    mix = np.empty(V.shape[0])
    val = frank_wolfe_design(V, T2, b, float(N), int(iters), float(eta), mix)
    return float(val), mix


def propagate(policies, counts, next_counts, lam: float, phi_h) -> np.ndarray:
    r"""One step of the least-squares feature propagation (module docstring, step 2), one-hot features.

    Parameters
    ----------
    policies : int array (P, S)
    counts : array (S, A)
        :math:`n_h(s,a)` (offline plus online).
    next_counts : array (S, A, S)
    lam : float > 0
    phi_h : array (P, S, A)
        :math:`\hat\phi_{\pi,h}` as ``(S, A)`` tables.

    Returns
    -------
    array (P, S, A)
        :math:`\hat\phi_{\pi,h+1}`.
    """
    pols = np.ascontiguousarray(policies, dtype=np.int64)
    phi = np.ascontiguousarray(phi_h, dtype=np.float64)
    c = np.ascontiguousarray(counts, dtype=np.float64)
    x = np.ascontiguousarray(next_counts, dtype=np.float64)
    P, S, A = phi.shape
    if pols.shape != (P, S) or c.shape != (S, A) or x.shape != (S, A, S) or not lam > 0:
        raise ValidationError(f"policies {pols.shape}, counts {c.shape}, next_counts {x.shape}, phi_h {phi.shape}, "
                              f"lam = {lam} (rule: (P, S), (S, A), (S, A, S), (P, S, A), lam > 0)")
    out = np.empty_like(phi)
    propagate_features(pols, c, x, float(lam), phi, out)
    return out


def _design_kernel(inst, cum_counts, cum_next, h):
    """Estimated kernel ``(S, A, S)``: empirical rows, uniform over the next layer where unseen."""
    S, A = inst.S, inst.A
    P = np.zeros((S, A, S))
    n = cum_counts.sum(axis=0).astype(np.float64)             # layered: each state at one step
    nx = cum_next.sum(axis=0).astype(np.float64)
    for s in range(S):
        nxt_layer = np.flatnonzero(inst.layer == inst.layer[s] + 1)
        for a in range(A):
            if n[s, a] > 0:
                P[s, a] = nx[s, a] / n[s, a]
            elif nxt_layer.size:
                P[s, a, nxt_layer] = 1.0 / nxt_layer.size
            else:
                P[s, a, s] = 1.0
    return P


class _Collector:
    """Online data for one step of one epoch: design, doubling/bisection on N, sampling, verification."""

    def __init__(self, inst, pols, true_occ, true_unif, explore, rng, budget):
        # true_occ (J, H, S, A) / true_unif (H, S, A): the environment's response to a mixture (the
        # simulator's side; the design itself uses only the estimated model)
        self.inst, self.pols, self.true_occ, self.true_unif = inst, pols, true_occ, true_unif
        self.explore, self.rng, self.budget = explore, rng, budget

    def _vertices(self, h, cum_counts, cum_next):
        inst = self.inst
        k = inst.step_pairs[h]
        Phat = _design_kernel(inst, cum_counts, cum_next, h)
        if self.explore == "uniform":
            d = np.zeros((inst.S, inst.A))
            rho = inst.mu0.copy()
            flat = np.ascontiguousarray(Phat.reshape(inst.S, -1))
            buf = np.empty(flat.shape[1])
            for _ in range(h):                              # fixed-order products (no BLAS)
                vecmat(rho, flat, buf)                      # buf[a * S + t] = sum_s rho(s) P(t|s, a)
                acts = buf.reshape(inst.A, inst.S)
                rho = acts[0].copy()
                for a in range(1, inst.A):
                    rho += acts[a]
                rho /= inst.A
            d[:] = rho[:, None] / inst.A
            return d.reshape(1, -1)[:, k], self.true_unif[h].reshape(1, -1)
        J = self.pols.shape[0]
        est = np.empty((J, inst.S, inst.A))
        step_occupancies(self.pols, Phat, inst.mu0, h, est)
        # one representative per distinct estimated step-h occupancy (policies that agree up to step h)
        _, first = np.unique(est.reshape(J, -1)[:, k], axis=0, return_index=True)
        first = np.sort(first)
        return (np.ascontiguousarray(est.reshape(J, -1)[first][:, k]),
                np.ascontiguousarray(self.true_occ[first, h].reshape(first.size, -1)))

    def collect(self, h, T2, base, tol, cum_counts, cum_next):
        """Returns (episodes, counts (S, A), reward sums (S, A), next counts (S, A, S)) of step h."""
        inst = self.inst
        S, A = inst.S, inst.A
        on_c = np.zeros((S, A), np.int64)
        on_r = np.zeros((S, A))
        on_x = np.zeros((S, A, S), np.int64)
        if criterion(np.zeros(base.size), T2, base, 0.0) <= tol:
            return 0, on_c, on_r, on_x
        V, true_full = self._vertices(h, cum_counts, cum_next)
        mix = np.empty(V.shape[0])

        def pred(N):
            return frank_wolfe_design(V, T2, base, float(N), _FW_ITERS, _FW_ETA, mix)

        N = 1
        while pred(N) > tol:
            N *= 2
            if N > self.budget:
                return -1, on_c, on_r, on_x
        lo, hi = N // 2, N
        for _ in range(_BISECT):
            if hi - lo <= max(1, hi // 64):
                break
            mid = (lo + hi) // 2
            if pred(mid) <= tol:
                hi = mid
            else:
                lo = mid
        N = hi
        pred(N)
        mixture = mix.copy()
        occ = vecmat(mixture, true_full, np.empty(true_full.shape[1]))   # true step-h pair law (S*A,)
        occ = np.maximum(occ, 0.0)
        occ /= occ.sum()
        kk = inst.step_pairs[h]
        total, batch = 0, N
        while True:
            c = self.rng.multinomial(batch, occ).reshape(S, A)
            on_c += c
            on_r += self.rng.binomial(c, inst.r)
            for s, a in zip(*np.nonzero(c)):
                on_x[s, a] += self.rng.multinomial(c[s, a], inst.P[s, a])
            total += batch
            real = criterion(np.zeros(base.size), T2, base + on_c.reshape(-1)[kk], 0.0)
            if real <= tol:
                return total, on_c, on_r, on_x
            batch = max(1, total // 4)
            if total + batch > self.budget:
                return -1, on_c, on_r, on_x


def _evaluate(inst, table, policy):
    idx = int(np.ravel_multi_index(tuple(policy), (inst.A,) * inst.S))
    return float(table.gaps[idx])


def ftpedel(inst: TabularLinearMDP, offline: OfflineLinearData, eps: float, delta: float, seed, *,
            beta_scale: float = BETA_SCALE, explore: str = "optcov", lam: float = 1.0,
            budget: float = 1e12, table: PolicyTable | None = None) -> FTPedelRun:
    r"""Run FTPedel to termination (module docstring).

    Parameters
    ----------
    inst : TabularLinearMDP
    offline : OfflineLinearData
        :math:`\mathcal D_{\rm off}` (``empty_offline(inst)`` for the online-only learner).
    eps, delta : float in (0, 1)
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Draws the online episodes.
    beta_scale : float > 0
        The global constant :math:`c` of :math:`\beta_\ell`.
    explore : {"optcov", "uniform"}
    lam : float > 0
        Ridge :math:`\lambda_{\rm reg}`.
    budget : float
        Largest number of online episodes; a run that would exceed it stops uncertified.
    table : PolicyTable, optional
        :func:`rltheory.solvers.experiment_design.policy_table` of ``inst`` (reused across runs; used
        for the policy class and, after the run, for the exact evaluation of the output only).

    Returns
    -------
    FTPedelRun
    """
    eps, delta = _check_common(inst, offline, eps, delta)
    if explore not in EXPLORE:
        raise ValidationError(f"explore = {explore!r} (rule: one of {EXPLORE})")
    if not beta_scale > 0 or not lam > 0:
        raise ValidationError(f"beta_scale = {beta_scale}, lam = {lam} (rule: both > 0)")
    tab = policy_table(inst) if table is None else table
    rng = as_generator(seed)
    H, S, A = inst.H, inst.S, inst.A
    pols = np.ascontiguousarray(tab.policies)
    true_occ = policy_occupancies(inst, pols)
    true_unif = np.zeros((H, S, A))
    occupancy_kernel(inst.tabular.P4, H, np.full((H, S, A), 1.0 / A), inst.mu0, true_unif)
    col = _Collector(inst, pols, true_occ, true_unif, explore, rng, float(budget))
    off_c = offline.counts.astype(np.float64)
    cum_c = offline.counts.copy()
    cum_x = offline.next_counts.copy()
    alive = np.arange(tab.n)
    L = max(1, math.ceil(math.log2(1.0 / eps)))
    episodes, survivors = [], []
    certified, total = True, 0
    v_hat = np.zeros(tab.n)
    for ell in range(1, L + 1):
        eps_l = 2.0 ** -ell
        tol = eps_l ** 2 / epoch_beta(ell, H, tab.n, delta, beta_scale)
        survivors.append(alive.size)
        P_al = np.ascontiguousarray(pols[alive])
        phi = np.zeros((alive.size, S, A))
        phi[np.arange(alive.size)[:, None], np.arange(S)[None, :], P_al] = inst.mu0[None, :]
        v_hat = np.zeros(alive.size)
        row = []
        for h in range(H):
            kk = inst.step_pairs[h]
            T2 = np.ascontiguousarray(np.unique(phi.reshape(alive.size, -1)[:, kk] ** 2, axis=0))
            base = np.ascontiguousarray(off_c[h].reshape(-1)[kk] + lam)
            col.budget = float(budget) - total              # what is left of the global budget
            n_ep, c, r, x = col.collect(h, T2, base, tol, cum_c, cum_x)
            if n_ep < 0:
                certified = False
                n_ep = int(c.sum())
            row.append(n_ep)
            total += n_ep
            cnt = off_c[h] + c
            reward_estimate(phi, offline.reward_sum[h] + r, cnt, lam, v_hat)
            if h + 1 < H:
                nxt = (offline.next_counts[h] + x).astype(np.float64)
                new = np.empty_like(phi)
                propagate_features(P_al, cnt, nxt, lam, phi, new)
                phi = new
            cum_c[h] += c
            cum_x[h] += x
        episodes.append(row)
        if not certified:
            break
        keep = elimination_step(v_hat, eps_l)
        alive, v_hat = alive[keep], v_hat[keep]
        if alive.size == 1:
            break
    out = pols[alive[int(np.argmax(v_hat))]] if alive.size > 1 else pols[alive[0]]
    gap = _evaluate(inst, tab, out)
    params = {"beta_scale": float(beta_scale), "lam": float(lam), "explore": explore, "N_off": offline.N_off,
              "behaviour": offline.behaviour, "epochs_max": L, "n_policies": tab.n, "budget": float(budget),
              "fw_iters": _FW_ITERS, "fw_eta": _FW_ETA}
    name = "ftpedel" if explore == "optcov" else "elimination-uniform"
    return FTPedelRun(name, int(total), np.array(episodes, dtype=np.int64).reshape(-1, H),
                      np.array(survivors), out, gap, gap <= eps, certified, eps, delta, params)


def offline_lcb(inst: TabularLinearMDP, offline: OfflineLinearData, eps: float, delta: float, seed, *,
                c=1.0, table: PolicyTable | None = None) -> FTPedelRun:
    r"""VI-LCB on the offline data alone (Algorithm 4 of arXiv 2103.12021, :func:`rltheory.algorithms.lcb.vi_lcb_episodic`).

    The per-step statistics are pooled over the union of layers (each state lives in one layer);
    unseen actions rank below seen ones; zero online episodes; not certified (unverifiable).
    """
    eps, delta = _check_common(inst, offline, eps, delta)
    tab = policy_table(inst) if table is None else table
    counts = offline.counts.sum(axis=0)[None]
    sums = offline.reward_sum.sum(axis=0)[None]
    nxt = offline.next_counts.sum(axis=0)[None]
    pi = vi_lcb_episodic(counts, sums, nxt, inst.layer, seed=seed, delta=delta, c=c)[0]
    gap = _evaluate(inst, tab, pi)
    return FTPedelRun("offline-lcb", 0, np.zeros((0, inst.H)), np.zeros(0), pi, gap, gap <= eps, False, eps,
                      delta, {"c": c, "N_off": offline.N_off, "behaviour": offline.behaviour})


def fixed_budget_greedy(inst: TabularLinearMDP, offline: OfflineLinearData, eps: float, delta: float, seed, *,
                        budget: int = 1000, table: PolicyTable | None = None) -> FTPedelRun:
    r"""``budget`` uniformly random online episodes, then the greedy policy of the empirical model.

    The empirical model pools offline and online statistics (unseen pairs: reward 0, uniform next
    layer); the budget is fixed in advance, so the learner cannot certify its output.
    """
    eps, delta = _check_common(inst, offline, eps, delta)
    tab = policy_table(inst) if table is None else table
    on = sample_offline_linear(inst, behaviour_policy(inst, "uniform"), int(budget), seed=seed)
    cnt = offline.counts + on.counts
    nx = offline.next_counts + on.next_counts
    P = _design_kernel(inst, cnt, nx, 0)
    n = cnt.sum(axis=0)
    R = np.where(n > 0, (offline.reward_sum + on.reward_sum).sum(axis=0) / np.maximum(n, 1), 0.0)
    sol = backward_induction(TabularMDP(P, R, inst.mu0, H=inst.H))
    pi = sol.policy[inst.layer, np.arange(inst.S)]
    gap = _evaluate(inst, tab, pi)
    return FTPedelRun("fixed-budget-greedy", int(budget), np.zeros((0, inst.H)), np.zeros(0), pi, gap,
                      gap <= eps, False, eps, delta, {"budget": int(budget), "N_off": offline.N_off})


def null_learner(inst: TabularLinearMDP, eps: float, delta: float, seed, *,
                 table: PolicyTable | None = None) -> FTPedelRun:
    """A uniformly random deterministic policy, no data (does not learn)."""
    tab = policy_table(inst) if table is None else table
    eps, delta = _check_common(inst, empty_offline(inst), eps, delta)
    pi = as_generator(seed).integers(0, inst.A, size=inst.S)
    gap = _evaluate(inst, tab, pi)
    return FTPedelRun("null", 0, np.zeros((0, inst.H)), np.zeros(0), pi, gap, gap <= eps, False, eps, delta, {})
