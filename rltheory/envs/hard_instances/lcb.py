r"""Hard and failure instances of *A Tale of Pessimism* (Rashidinejad et al., NeurIPS 2021, arXiv 2103.12021).

The rates of the paper are minimax: they are attained on instances whose gap
shrinks with the sample size ``N`` (a fixed instance makes every sensible
algorithm's error decay exponentially).  Each generator below takes ``N`` (or
the gap) explicitly and states the concentrability the paper assigns to it;
``inst.C_star`` computes it exactly from the occupancy of the optimal policy.
Generators with a random part (a sign vector ``v`` or an optimal policy
``pi_star``) take it as an argument or draw it from the keyword ``seed`` (an
int, a :class:`numpy.random.SeedSequence` or a :class:`numpy.random.Generator`,
used as is); without either they raise.

================================  ================================  ======================
generator                         source                            stated :math:`C^\star`
================================  ================================  ======================
:func:`prop1_bandit`              Prop. 1, App. A.1                 :math:`N/(N-1)`
:func:`thm2_bandit_pair`          Thm. 2, App. A (Le Cam pairs)     ``C_star``
:func:`thm3_bandit`               Thm. 3, App. A                    ``C_star`` (1.5 or 6)
:func:`thm5_contextual`           Thm. 5, App. B.2                  ``C_star``
:func:`expert_contextual`         Thm. 5 (:math:`C^\star=1`), [D]   1
:func:`interpolation_contextual`  Thm. 5, both parts in one [D]     ``C_star``
:func:`prop3_contextual`          Prop. 3, App. B.3                 ``C_star``
:func:`thm7_mdp`                  Thm. 7, App. C.6 [R gadget]       ``C_star``
:func:`lemma6_mdp`                Lemma 6, Fig. 6                   1
:func:`fig4_episodic`             Fig. 4, App. D.6 [R values]       computed
:func:`layered_gap_mdp`           episodic analogue of Thm 5 [R]    ``C_star``
:func:`layered_expert_mdp`        episodic analogue of Lemma 6 [R]  1
:func:`layered_near_expert_mdp`   Conj. 2 test instance [R]         ``C_star`` = 1 + eta
:func:`rare_action_mdp`           Prop. 1 in a discounted MDP [R]   ``C_star``
:func:`layered_rare_action_mdp`   Prop. 1 in a layered MDP [R]      ``C_star``
================================  ================================  ======================
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..._errors import ValidationError
from ..._random import as_generator
from ..offline_models import OfflineBandit, OfflineContextualBandit, OfflineDiscountedMDP, OfflineLayeredMDP

__all__ = ["prop1_bandit", "thm2_bandit_pair", "thm2_gap", "thm3_bandit", "thm3_gap",
           "thm5_contextual", "thm5_gap", "expert_contextual", "interpolation_contextual",
           "prop3_contextual", "thm7_mdp",
           "lemma6_mdp", "fig4_episodic", "layered_gap_mdp", "layered_expert_mdp",
           "layered_near_expert_mdp", "rare_action_mdp", "layered_rare_action_mdp", "cached_instance"]


def _check_cstar(C_star, lo=1.0, hi=math.inf, closed_lo=True):
    C = float(C_star)
    ok = (C >= lo if closed_lo else C > lo) and C < hi
    if not ok:
        raise ValidationError(f"C_star = {C_star} (rule: {'[' if closed_lo else '('}{lo}, {hi}))")
    return C


def _check_N(N):
    if isinstance(N, bool) or int(N) != N or N < 1:
        raise ValidationError(f"N = {N} (rule: integer >= 1)")
    return int(N)


def _generator(seed) -> np.random.Generator | None:
    """The generator of ``seed`` (see :func:`rltheory._random.as_generator`), or None when no seed is given."""
    return None if seed is None else as_generator(seed)


def _signs(S, v, rng):
    """``v`` checked as a ``(S,)`` vector of +-1, or drawn uniformly from ``rng`` when None."""
    if v is None:
        if rng is None:
            raise ValidationError("give the sign vector v or a seed to draw it")
        return rng.choice(np.array([-1.0, 1.0]), size=S)
    v = np.asarray(v, dtype=float)
    if v.shape != (S,) or not np.all(np.abs(v) == 1):
        raise ValidationError(f"v has shape {v.shape} (rule: a ({S},) vector of +-1)")
    return v


def _optimal_actions(pi_star, rng, A, size):
    """``pi_star`` as int64, or ``size`` actions drawn uniformly from ``0..A-1`` with ``rng`` when None."""
    if pi_star is None:
        if rng is None:
            raise ValidationError("give pi_star or a seed to draw it")
        pi_star = rng.integers(0, A, size=size)
    return np.asarray(pi_star, dtype=np.int64)


# --------------------------------------------------------------------------- bandits

def prop1_bandit(N: int, eps: float) -> OfflineBandit:
    r"""Proposition 1 (App. A.1): the empirical best arm fails.

    Two arms, :math:`\mu = ((N-1)/N, 1/N)`; arm 0 pays :math:`2\varepsilon`
    surely, arm 1 pays :math:`2.1\varepsilon` with probability 1/2, else 0
    (mean :math:`1.05\varepsilon`).  The rare arm is seen about once and then
    looks best half of the time, so the greedy choice errs with constant
    probability for every ``N``; :math:`C^\star = N/(N-1)`.
    """
    N = _check_N(N)
    if not 0 < eps < 0.05 or N < 2:
        raise ValidationError(f"eps = {eps}, N = {N} (rule: 0 < eps < 0.05, N >= 2)")
    return OfflineBandit(mu=[(N - 1) / N, 1 / N], reward_value=[2 * eps, 2.1 * eps],
                         reward_prob=[1.0, 0.5], name=f"Prop. 1 (N={N}, eps={eps})")


def thm2_gap(C_star: float, N: int) -> float:
    r"""Gap :math:`\delta = \min(1/4, \sqrt{C^\star/N})` of the Theorem-2 pair for :math:`C^\star \ge 2`."""
    return min(0.25, math.sqrt(float(C_star) / _check_N(N)))


def thm2_bandit_pair(C_star: float, N: int, delta: float | None = None) -> tuple[OfflineBandit, OfflineBandit]:
    r"""The Le Cam pair of Theorem 2 (minimax lower bound for bandits, App. A).

    * :math:`C^\star \ge 2`: :math:`\mu = (1-1/C^\star, 1/C^\star)` for both;
      Bernoulli means :math:`f_1 = (1/2, 1/2-\delta)`, :math:`f_2 = (1/2,
      1/2+\delta)`, :math:`\delta = \min(1/4, \sqrt{C^\star/N})`.  Under
      :math:`f_2` the optimal arm has :math:`\mu = 1/C^\star`
      (:math:`C^\star` exactly); under :math:`f_1`, :math:`C^\star/(C^\star-1) \le C^\star`.
      Lower bound :math:`\gtrsim \min(1, \sqrt{C^\star/N})`.
    * :math:`C^\star \in (1,2)`: :math:`\mu_1 = (1/C^\star, 1-1/C^\star)`,
      :math:`f_1 = (1/2+\delta, 1/2)`; :math:`\mu_2 = (1-1/C^\star,
      1/C^\star)`, :math:`f_2 = (1/2, 1/2+\delta)`; :math:`\delta =
      (2-C^\star)/2`.  Both have :math:`C^\star` exactly.

    ``delta`` overrides the gap (a fixed-gap pair for negative controls).
    """
    C = _check_cstar(C_star, 1.0, closed_lo=False)
    N = _check_N(N)
    if C >= 2:
        d = thm2_gap(C, N) if delta is None else float(delta)
        mu = [1 - 1 / C, 1 / C]
        f1 = OfflineBandit(mu, [1, 1], [0.5, 0.5 - d], name=f"Thm 2 f1 (C*={C}, N={N})")
        f2 = OfflineBandit(mu, [1, 1], [0.5, 0.5 + d], name=f"Thm 2 f2 (C*={C}, N={N})")
        return f1, f2
    d = (2 - C) / 2 if delta is None else float(delta)
    f1 = OfflineBandit([1 / C, 1 - 1 / C], [1, 1], [0.5 + d, 0.5], name=f"Thm 2 f1 (C*={C})")
    f2 = OfflineBandit([1 - 1 / C, 1 / C], [1, 1], [0.5, 0.5 + d], name=f"Thm 2 f2 (C*={C})")
    return f1, f2


def thm3_gap(C_star: float, N: int, L: float) -> float:
    r"""Gap of the Theorem-3 instances: :math:`\min(1/3, \sqrt{L/(2N\mu(a))})` for
    :math:`C^\star < 2` (:math:`\mu(a) = 1 - 1/C^\star`), :math:`\min(1/2, \sqrt{L/(4N)})` otherwise."""
    C, N = float(C_star), _check_N(N)
    if C < 2:
        return min(1 / 3, math.sqrt(L / (2 * N * (1 - 1 / C))))
    return min(0.5, math.sqrt(L / (4 * N)))


def thm3_bandit(C_star: float, N: int, L: float) -> OfflineBandit:
    r"""Theorem 3 (LCB is not adaptive): the two instances for a penalty :math:`b = \sqrt{L/N(a)}`.

    * :math:`C^\star = 1.5` (any :math:`C^\star \in (1,2)` accepted):
      :math:`\mu(a^\star) = 1/C^\star`, :math:`r(a^\star) = 1/2` surely,
      other arm :math:`\mathrm{Bern}(1/2 - g)`,
      :math:`g = \min(1/3, \sqrt{L/(2N\mu(a))})`.  LCB's error is
      :math:`\gtrsim \min(\sqrt{L/N}, 1/\sqrt N)\, e^{-32L}` — polynomial for
      :math:`L \asymp \log N`, while the most-played arm decays like
      :math:`e^{-N\,\mathrm{KL}}`.
    * :math:`C^\star = 6` (any :math:`C^\star \ge 2`): :math:`r(a^\star)
      \sim \mathrm{Bern}(1/2)`, :math:`\mu(a^\star) = 1/C^\star`, other arm
      pays :math:`1/2 - g` surely, :math:`g = \min(\sqrt{L/(4N)}, 1/2)`.
      LCB's error is :math:`\gtrsim \min(1, \sqrt{L/N})`, slower than
      :math:`N^{-1/2}` when :math:`L` grows polynomially.

    Arm 0 is :math:`a^\star`.
    """
    C = _check_cstar(C_star, 1.0, closed_lo=False)
    N = _check_N(N)
    g = thm3_gap(C, N, float(L))
    mu = [1 / C, 1 - 1 / C]
    if C < 2:
        return OfflineBandit(mu, [0.5, 1.0], [1.0, 0.5 - g], name=f"Thm 3 (C*={C}, N={N}, L={L:.3g})")
    return OfflineBandit(mu, [1.0, 0.5 - g], [0.5, 1.0], name=f"Thm 3 (C*={C}, N={N}, L={L:.3g})")


# --------------------------------------------------------------------------- contextual bandits

def thm5_gap(S: int, C_star: float, N: int) -> float:
    r"""Gap of Theorem 5: :math:`\min(1/3, \sqrt{S C^\star/(200N)})` for :math:`C^\star\ge2`,
    :math:`\min(1/3, \sqrt{S C^\star/(200 (C^\star-1) N)})` for :math:`C^\star \in (1,2)`."""
    C, N = float(C_star), _check_N(N)
    if C >= 2:
        return min(1 / 3, math.sqrt(S * C / (200 * N)))
    return min(1 / 3, math.sqrt(S * C / (200 * (C - 1) * N)))


def thm5_contextual(S: int, C_star: float, N: int, v=None, *, seed=None,
                    delta: float | None = None) -> OfflineContextualBandit:
    r"""Theorem 5 (contextual-bandit lower bound, App. B.2), one member of the family.

    * :math:`C^\star \ge 2`: ``S`` contexts, :math:`\rho(s) = 1/S`, actions
      :math:`a_1, a_2` (indices 0, 1), :math:`\mu(s,a_1) = 1/S - 1/(SC^\star)`,
      :math:`\mu(s,a_2) = 1/(SC^\star)`, :math:`R(s,a_1) = \mathrm{Bern}(1/2)`,
      :math:`R(s,a_2) = \mathrm{Bern}(1/2 + v_s\delta)`.
    * :math:`C^\star \in (1,2)`: contexts :math:`\{0, 1..S\}` (``S + 1`` in all),
      :math:`\rho(0) = 2 - C^\star`, :math:`\rho(s) = (C^\star-1)/S`,
      :math:`\mu(s,a) = (C^\star-1)/(SC^\star)`; context 0 has one action
      (here: two copies with reward 0, the copy never in the data),
      :math:`\mu(0,a_1) = (2-C^\star)/C^\star`.

    The paper draws ``v`` from a Gilbert–Varshamov packing of
    :math:`\{-1,1\}^S`; here ``v`` is given, or drawn uniformly from
    :math:`\{-1,1\}^S` with the generator of ``seed`` (the uniform prior over all sign vectors).
    ``delta`` defaults to :func:`thm5_gap`.  :math:`C^\star` is exact when some
    :math:`v_s = +1`.
    """
    rng = _generator(seed)
    C = _check_cstar(C_star, 1.0, closed_lo=False)
    N = _check_N(N)
    d = thm5_gap(S, C, N) if delta is None else float(delta)
    if C >= 2:
        v = _signs(S, v, rng)
        rho = np.full(S, 1.0 / S)
        mu = np.column_stack([np.full(S, 1 / S - 1 / (S * C)), np.full(S, 1 / (S * C))])
        prob = np.column_stack([np.full(S, 0.5), 0.5 + v * d])
        return OfflineContextualBandit(rho, mu, np.ones((S, 2)), prob,
                                       name=f"Thm 5 (S={S}, C*={C}, N={N})")
    v = _signs(S, v, rng)
    rho = np.concatenate([[2 - C], np.full(S, (C - 1) / S)])
    mu = np.vstack([[(2 - C) / C, 0.0], np.full((S, 2), (C - 1) / (S * C))])
    prob = np.vstack([[0.0, 0.0], np.column_stack([np.full(S, 0.5), 0.5 + v * d])])
    return OfflineContextualBandit(rho, mu, np.ones((S + 1, 2)), prob,
                                   name=f"Thm 5 (S={S}, C*={C}, N={N})")


def expert_contextual(S: int, N: int, A: int = 2, *, seed=None,
                      pi_star=None) -> OfflineContextualBandit:
    r"""Expert data, :math:`C^\star = 1`: the missing-mass instance behind the :math:`S/N` rate.

    Contextual-bandit form [D] of the imitation-learning lower bound the paper
    invokes for :math:`C^\star = 1` (Rajaraman et al. 2020; the MDP version is
    Lemma 6 / Fig. 6 of arXiv 2103.12021): :math:`\rho(s) = \zeta` for
    :math:`s < S-1`, :math:`\rho(S-1) = 1 - (S-1)\zeta`,
    :math:`\zeta = 1/(N+1)`; the optimal action :math:`\pi^\star(s)` (uniform
    at random per context, or given) pays 1, every other action 0; data
    :math:`\mu = d^{\pi^\star}`.  A context absent from the data is
    guessed, so the error is :math:`\approx (1-1/A)\sum_s \rho(s)(1-\rho(s))^N
    \asymp S/N`.
    """
    rng = _generator(seed)
    N = _check_N(N)
    if S < 2 or A < 2:
        raise ValidationError(f"S = {S}, A = {A} (rule: S >= 2, A >= 2)")
    if (S - 1) / (N + 1) >= 1:
        raise ValidationError(f"S = {S}, N = {N} (rule: (S - 1)/(N + 1) < 1)")
    zeta = 1.0 / (N + 1)
    rho = np.concatenate([np.full(S - 1, zeta), [1 - (S - 1) * zeta]])
    pi_star = _optimal_actions(pi_star, rng, A, S)
    prob = np.zeros((S, A))
    prob[np.arange(S), pi_star] = 1.0
    mu = np.zeros((S, A))
    mu[np.arange(S), pi_star] = rho
    return OfflineContextualBandit(rho, mu, np.ones((S, A)), prob, name=f"expert CB (S={S}, N={N})")


def interpolation_contextual(S: int, C_star: float, N: int, S_expert: int | None = None,
                             v=None, pi_star=None, *, seed=None,
                             delta: float | None = None) -> OfflineContextualBandit:
    r"""Both lower-bound constructions of Theorem 5 in one instance [D]: :math:`S/N + \sqrt{S(C^\star-1)/N}`.

    For :math:`C^\star = 1 + \eta \in (1, 2)`, the context 0 of the Theorem-5
    construction (:func:`thm5_contextual`, mass :math:`\rho(0) = 2 - C^\star`,
    one action) is replaced by ``S_expert`` (default ``S``) expert contexts
    :math:`e_1..e_{S_E}` of the missing-mass instance (:func:`expert_contextual`)
    carrying the same total mass:

    * expert contexts: :math:`\rho(e_i) = (1-\eta)\,q_i`,
      :math:`q = (\zeta, \dots, \zeta, 1 - (S_E-1)\zeta)`, :math:`\zeta = 1/(N+1)`;
      the optimal action :math:`\pi^\star(e_i)` (uniform per context, or
      ``pi_star``) pays 1, the other 0; data only on it,
      :math:`\mu(e_i, \pi^\star(e_i)) = \rho(e_i)/C^\star`;
    * gap contexts :math:`g_1..g_S`, exactly as in Theorem 5:
      :math:`\rho(g_s) = \eta/S`, :math:`\mu(g_s, a) = \eta/(S C^\star)` for both
      actions, rewards :math:`\mathrm{Bern}(1/2)` and
      :math:`\mathrm{Bern}(1/2 + v_s\delta)`,
      :math:`\delta = \min(1/3, \sqrt{S C^\star/(200\,\eta N)})` (:func:`thm5_gap`).

    Every context has :math:`\rho(s)/\mu(s, \pi^\star(s)) = C^\star`, so
    :math:`C^\star` is exact.  Contexts ``0..S_E-1`` are the expert ones,
    ``S_E..S_E+S-1`` the gap ones.  [D] The instance is not in the paper: its
    minimax risk is at least the larger of the risks of its two parts, i.e.
    :math:`\gtrsim S_E/N` (missing mass, Rajaraman et al. 2020) and
    :math:`\gtrsim \sqrt{S(C^\star-1)/N}` (Theorem 5), so it exhibits the
    switch of Theorems 4 and 5 at :math:`N \approx S/(C^\star - 1)` in a single
    family: slope :math:`-1` for :math:`N \ll S/\eta`, :math:`-1/2` for
    :math:`N \gg S/\eta`.
    """
    rng = _generator(seed)
    C = _check_cstar(C_star, 1.0, 2.0, closed_lo=False)
    N = _check_N(N)
    SE = S if S_expert is None else int(S_expert)
    if S < 1 or SE < 2 or (SE - 1) / (N + 1) >= 1:
        raise ValidationError(f"S = {S}, S_expert = {SE}, N = {N} "
                              "(rule: S >= 1, S_expert >= 2, S_expert - 1 < N + 1)")
    eta = C - 1.0
    d = thm5_gap(S, C, N) if delta is None else float(delta)
    if not 0 <= d <= 0.5:
        raise ValidationError(f"delta = {d} (rule: 0 <= delta <= 1/2)")
    v = _signs(S, v, rng)
    pi_star = _optimal_actions(pi_star, rng, 2, SE)
    if pi_star.shape != (SE,) or np.any((pi_star < 0) | (pi_star > 1)):
        raise ValidationError(f"pi_star has shape {pi_star.shape} (rule: ({SE},) actions in 0..1)")
    zeta = 1.0 / (N + 1)
    q = np.concatenate([np.full(SE - 1, zeta), [1 - (SE - 1) * zeta]])
    rho = np.concatenate([(1 - eta) * q, np.full(S, eta / S)])
    mu = np.zeros((SE + S, 2))
    mu[np.arange(SE), pi_star] = (1 - eta) * q / C
    mu[SE:] = eta / (S * C)
    prob = np.zeros((SE + S, 2))
    prob[np.arange(SE), pi_star] = 1.0
    prob[SE:, 0] = 0.5
    prob[SE:, 1] = 0.5 + v * d
    return OfflineContextualBandit(rho, mu, np.ones((SE + S, 2)), prob,
                                   name=f"Thm 5 interpolation (S={S}, S_E={SE}, C*={C}, N={N})")


def prop3_contextual(C_star: float, eps: float) -> OfflineContextualBandit:
    r"""Proposition 3 (App. B.3): the most-played action fails in contextual bandits.

    Contexts :math:`s_0, s_1`, actions :math:`a_0, a_1`; only
    :math:`(s_0, a_0)` pays (1).  :math:`\rho(s_0) = C^\star - 1 - \varepsilon`,
    :math:`\mu(s_0,a_0) = (C^\star-1-\varepsilon)/C^\star`,
    :math:`\mu(s_0,a_1) = (C^\star-1)/C^\star`,
    :math:`\mu(s_1, a_0) = (2-C^\star+\varepsilon)/C^\star`.  The most played
    action at :math:`s_0` is :math:`a_1` forever: error
    :math:`\to C^\star - 1 - \varepsilon`.
    """
    C = _check_cstar(C_star, 1.0, 2.0, closed_lo=False)
    if not 0 < eps < C - 1:
        raise ValidationError(f"eps = {eps} (rule: 0 < eps < C_star - 1)")
    rho = [C - 1 - eps, 2 - C + eps]
    mu = [[(C - 1 - eps) / C, (C - 1) / C], [(2 - C + eps) / C, 0.0]]
    prob = [[1.0, 0.0], [0.0, 0.0]]
    return OfflineContextualBandit(rho, mu, np.ones((2, 2)), prob, name=f"Prop. 3 (C*={C}, eps={eps})")


# --------------------------------------------------------------------------- discounted MDPs

def thm7_mdp(replicas: int, C_star: float, gamma: float, delta: float, v=None, *,
             seed=None) -> OfflineDiscountedMDP:
    r"""Theorem 7 (MDP lower bound, App. C.6, gadget of Lattimore & Hutter 2012) — reconstructed gadget.

    ``replicas`` copies of :math:`\{s_0, s_1, s_+, s_-\}` plus an absorbing
    zero-reward state :math:`s_{-1}` (last index): ``S = 4 * replicas + 1``
    states, 2 actions.  Only :math:`s_1` has two distinct actions:
    :math:`P(s_+|s_1,a_1) = 1/2`, :math:`P(s_+|s_1,a_2) = 1/2 + v_j\delta`,
    the rest to :math:`s_-`; reward 1 at :math:`s_+` only.

    [R] The paper does not give the absorbing probabilities in this version.
    Here :math:`s_0` stays with probability :math:`(1+\gamma)/2` and moves to
    :math:`s_1` otherwise (this reproduces the paper's
    :math:`d^\star(s_0) = 8/((2+\gamma)S)` exactly), and :math:`s_\pm` are
    absorbing, which gives :math:`d^\star(s_1) = 4\gamma(1-\gamma)/((2+\gamma)S)`
    (the paper states :math:`8\gamma(1-\gamma)/((2-\gamma)(2+\gamma)S)`,
    so its :math:`s_1` is not left at once) and
    :math:`d^\star(s_\pm) = p_\pm \gamma d^\star(s_1)/(1-\gamma)`.

    Behaviour distribution, as in the paper with :math:`s_\pm` masses scaled to
    the absorbing gadget: :math:`C^\star \ge 2`: :math:`\rho(s_0^j) = 4/S`
    (``1/replicas``), :math:`\mu(s_0) = d^\star(s_0)/C^\star`,
    :math:`\mu(s_1,a_2) = d^\star(s_1)/C^\star`,
    :math:`\mu(s_1,a_1) = d^\star(s_1)(1-1/C^\star)`,
    :math:`\mu(s_+) = \tfrac34\gamma d^\star(s_1)/((1-\gamma)C^\star)`,
    :math:`\mu(s_-) = \tfrac12\gamma d^\star(s_1)/((1-\gamma)C^\star)`, the rest
    on :math:`s_{-1}`.  :math:`C^\star \in (1,2)`: :math:`\rho(s_0^j) =
    (C^\star-1)/\text{replicas}`, :math:`\rho(s_{-1}) = 2-C^\star`,
    :math:`\mu(s_1,a_1) = \mu(s_1,a_2) = d^\star(s_1)/C^\star`.  ``mu`` does
    not depend on ``v``; :math:`C^\star` is exact when some :math:`v_j=+1`
    and :math:`\delta \le 1/4`.  The paper's gap is
    :math:`\delta = \sqrt{SC^\star/(c_3(1-\gamma)N)}` (cap 1/4) with an
    unspecified constant :math:`c_3`; pass ``delta`` explicitly.
    """
    rng = _generator(seed)
    C = _check_cstar(C_star, 1.0, closed_lo=False)
    if not 0.5 <= gamma < 1:
        raise ValidationError(f"gamma = {gamma} (rule: 0.5 <= gamma < 1, as in Theorem 7)")
    if not 0 <= delta <= 0.25:
        raise ValidationError(f"delta = {delta} (rule: 0 <= delta <= 1/4)")
    R_ = int(replicas)
    v = _signs(R_, v, rng)
    S = 4 * R_ + 1
    A = 2
    sink = S - 1
    P = np.zeros((S, A, S))
    r = np.zeros((S, A))
    p_stay = (1 + gamma) / 2
    rho = np.zeros(S)
    for j in range(R_):
        s0, s1, sp, sm = 4 * j, 4 * j + 1, 4 * j + 2, 4 * j + 3
        P[s0, :, s0] = p_stay
        P[s0, :, s1] = 1 - p_stay
        P[s1, 0, sp] = 0.5
        P[s1, 0, sm] = 0.5
        P[s1, 1, sp] = 0.5 + v[j] * delta
        P[s1, 1, sm] = 0.5 - v[j] * delta
        P[sp, :, sp] = 1.0
        P[sm, :, sm] = 1.0
        r[sp, :] = 1.0
        rho[s0] = 1.0 / R_ if C >= 2 else (C - 1) / R_
    P[sink, :, sink] = 1.0
    if C < 2:
        rho[sink] = 2 - C
    # occupancies do not depend on v at s0, s1 (s1 is reached whatever the policy)
    d0 = rho[0] * (1 - gamma) / (1 - gamma * p_stay)
    d1 = rho[0] * (1 - gamma) * (1 - p_stay) * gamma / (1 - gamma * p_stay)
    mu = np.zeros((S, A))
    for j in range(R_):
        s0, s1, sp, sm = 4 * j, 4 * j + 1, 4 * j + 2, 4 * j + 3
        mu[s0, 0] = d0 / C
        if C >= 2:
            mu[s1, 1] = d1 / C
            mu[s1, 0] = d1 * (1 - 1 / C)
        else:
            mu[s1, 0] = mu[s1, 1] = d1 / C
        mu[sp, 0] = 0.75 * gamma * d1 / ((1 - gamma) * C)
        mu[sm, 0] = 0.5 * gamma * d1 / ((1 - gamma) * C)
    mu[sink, 0] = 1.0 - mu.sum()
    return OfflineDiscountedMDP(P, np.ones((S, A)), r, rho, gamma, mu,
                                name=f"Thm 7 gadget (replicas={R_}, C*={C}, gamma={gamma})")


def lemma6_mdp(S: int, N: int, gamma: float, A: int = 2, *, seed=None,
               pi_star=None) -> OfflineDiscountedMDP:
    r"""Lemma 6 / Figure 6 (App. C.6): the :math:`C^\star = 1` MDP lower bound.

    States :math:`0..S-2` plus a bad absorbing state :math:`b = S-1`.  In a
    good state the optimal action (uniform at random per state, or given)
    pays 1 and resets to :math:`\rho = (\zeta, \dots, \zeta, 1-(S-2)\zeta, 0)`,
    :math:`\zeta = 1/(N+1)`; any other action pays 0 and moves to :math:`b`.
    Expert data :math:`\mu = d^{\pi^\star} = \rho` (on the optimal actions).
    Error :math:`\asymp \min(1/(1-\gamma), S/((1-\gamma)^2 N))`.
    """
    rng = _generator(seed)
    N = _check_N(N)
    if S < 3 or (S - 2) / (N + 1) >= 1:
        raise ValidationError(f"S = {S}, N = {N} (rule: S >= 3 and (S - 2)/(N + 1) < 1)")
    zeta = 1.0 / (N + 1)
    rho = np.concatenate([np.full(S - 2, zeta), [1 - (S - 2) * zeta], [0.0]])
    pi_star = _optimal_actions(pi_star, rng, A, S - 1)
    b = S - 1
    P = np.zeros((S, A, S))
    r = np.zeros((S, A))
    P[:, :, b] = 1.0
    for s in range(S - 1):
        P[s, pi_star[s], :] = rho
        r[s, pi_star[s]] = 1.0
    mu = np.zeros((S, A))
    mu[np.arange(S - 1), pi_star] = rho[:-1]
    return OfflineDiscountedMDP(P, np.ones((S, A)), r, rho, gamma, mu,
                                name=f"Lemma 6 (S={S}, N={N}, gamma={gamma})")


# --------------------------------------------------------------------------- episodic (layered)

def fig4_episodic(g, w=None, ratio: float = 9.0) -> OfflineLayeredMDP:
    r"""The ``H = 3`` episodic example of Figure 4 (App. D.6) — reconstructed values.

    Layers :math:`\mathcal S_1 = \{0, 1\}`, :math:`\mathcal S_2 = \{2, 3\}`,
    :math:`\mathcal S_3 = \{4, 5\}` (the paper's states 1..6), actions
    :math:`\{0, 1\}` (the paper's 1, 2), action 0 optimal everywhere,
    deterministic rewards, :math:`\mu(s,0) = \text{ratio}\cdot\mu(s,1)`
    (the paper requires :math:`\ge 9`).

    [R] The figure's transition and reward values are not in the
    specification; here: :math:`\rho` uniform on layer 1, action ``a`` moves
    to the ``a``-th state of the next layer, :math:`r(s,0) = 1/2`,
    :math:`r(s,1) = 1/2 - g_h(s)` with the value gaps ``g`` (array (6,) or
    scalar) so that :math:`Q^\star_h(s,0) - Q^\star_h(s,1) = g_h(s) + (V^\star(\text{state }0\text{ of }h+1) - V^\star(\text{state }1))`.
    ``w (6,)`` are the state weights of :math:`\mu` (default uniform).
    """
    S, A = 6, 2
    g = np.broadcast_to(np.asarray(g, float), (S,)).copy()
    if np.any(g < 0) or np.any(g > 0.5):
        raise ValidationError("g (rule: value gaps in [0, 1/2])")
    layer = np.array([0, 0, 1, 1, 2, 2])
    P = np.zeros((S, A, S))
    for s in range(4):
        base = 2 * (layer[s] + 1)
        P[s, 0, base] = 1.0
        P[s, 1, base + 1] = 1.0
    for s in (4, 5):
        P[s, :, s] = 1.0
    r = np.column_stack([np.full(S, 0.5), 0.5 - g])
    rho = np.array([0.5, 0.5, 0, 0, 0, 0])
    w = np.full(S, 1 / S) if w is None else np.asarray(w, float) / np.sum(w)
    mu = np.column_stack([w * ratio / (1 + ratio), w / (1 + ratio)])
    return OfflineLayeredMDP(P, r, rho, layer, mu, name="Fig. 4 (H=3) [R]")


def _layers(H, width):
    return np.repeat(np.arange(H), width)


def layered_gap_mdp(H: int, width: int, C_star: float, delta: float, v=None, *,
                    seed=None) -> OfflineLayeredMDP:
    r"""Episodic hard instance with gap :math:`\delta` [R]: a layered analogue of Theorems 5 and 7.

    ``H`` layers of ``width >= 2`` states; the first state of each layer is
    "up" (reward 1 for both actions), the others pay 0.  From a non-final
    state ``s`` the better action :math:`a^\star(s)` (action 1 if
    :math:`v_s = +1`, else 0) reaches the next up state with probability
    :math:`1/2 + \delta`, the other action with 1/2; the rest is spread
    uniformly over the next layer's other states.  Every non-final state has
    value gap exactly :math:`\delta`.  :math:`\rho` is uniform on layer 0.
    Data in the style of Theorem 5: :math:`\mu(s, a^\star) = d^\star(s)/C^\star`,
    :math:`\mu(s, \text{other}) = d^\star(s)(1 - 1/C^\star)` (layer-normalised
    :math:`d^\star`, so :math:`C^\star` is exact); for :math:`C^\star > 2`
    the data favour the worse action.
    """
    rng = _generator(seed)
    C = _check_cstar(C_star, 1.0, closed_lo=False)
    if H < 2 or width < 2 or not 0 <= delta <= 0.5:
        raise ValidationError(f"H = {H}, width = {width}, delta = {delta} "
                              "(rule: H >= 2, width >= 2, 0 <= delta <= 1/2)")
    S, A = H * width, 2
    layer = _layers(H, width)
    v = _signs(S, v, rng)
    P = np.zeros((S, A, S))
    r = np.zeros((S, A))
    for s in range(S):
        h = layer[s]
        if s % width == 0:
            r[s, :] = 1.0
        if h == H - 1:
            P[s, :, s] = 1.0
            continue
        up = (h + 1) * width
        others = np.arange(up + 1, up + width)
        for a in range(A):
            better = (a == 1) == (v[s] > 0)
            p = 0.5 + delta if better else 0.5
            P[s, a, up] = p
            P[s, a, others] = (1 - p) / len(others)
    rho = np.zeros(S)
    rho[:width] = 1.0 / width
    # optimal policy and occupancy do not depend on mu: compute them first (placeholder mu)
    ref = OfflineLayeredMDP(P, r, rho, layer, np.full((S, A), 1.0 / (S * A)))
    pi, d = ref.pi_star, ref.d_star.sum(axis=1)
    mu = np.zeros((S, A))
    mu[np.arange(S), pi] = d / C
    mu[np.arange(S), 1 - pi] = d * (1 - 1 / C)
    return OfflineLayeredMDP(P, r, rho, layer, mu, name=f"layered gap (H={H}, width={width}, C*={C})")


def layered_expert_mdp(H: int, width: int, N: int, *, seed=None,
                       pi_star=None) -> OfflineLayeredMDP:
    r"""Episodic expert-data instance with :math:`C^\star = 1` [R]: layered analogue of Lemma 6.

    Every layer has ``width`` states with distribution
    :math:`(\zeta, \dots, \zeta, 1 - (\text{width}-1)\zeta)`,
    :math:`\zeta = 1/(N+1)`, whatever the action; the optimal action (uniform
    at random per state) pays 1, the other 0.  Data :math:`\mu = d^{\pi^\star}`
    (layer-normalised).  States absent from the data are guessed:
    error :math:`\asymp H \cdot \text{width}/N`.
    """
    rng = _generator(seed)
    N = _check_N(N)
    if H < 1 or width < 2 or (width - 1) / (N + 1) >= 1:
        raise ValidationError(f"H = {H}, width = {width}, N = {N} (rule: H >= 1, width >= 2, width - 1 < N + 1)")
    S, A = H * width, 2
    layer = _layers(H, width)
    zeta = 1.0 / (N + 1)
    q = np.concatenate([np.full(width - 1, zeta), [1 - (width - 1) * zeta]])
    pi_star = _optimal_actions(pi_star, rng, A, S)
    P = np.zeros((S, A, S))
    r = np.zeros((S, A))
    for s in range(S):
        h = layer[s]
        r[s, pi_star[s]] = 1.0
        if h == H - 1:
            P[s, :, s] = 1.0
        else:
            P[s, :, (h + 1) * width:(h + 2) * width] = q
    rho = np.zeros(S)
    rho[:width] = q
    mu = np.zeros((S, A))
    mu[np.arange(S), pi_star] = np.tile(q, H) / H
    return OfflineLayeredMDP(P, r, rho, layer, mu, name=f"layered expert (H={H}, width={width}, N={N})")


def layered_near_expert_mdp(H: int, n_gap: int, C_star: float, delta: float, v=None, *,
                              seed=None) -> OfflineLayeredMDP:
    r"""Nearly expert data, :math:`C^\star = 1 + \eta`, on a layered MDP [R]: a test instance for Conjecture 2.

    Our construction (not in arXiv 2103.12021): an episodic, layered analogue
    of the Theorem-5 contextual instance for :math:`C^\star \in (1, 2)`
    (App. B.2), in which the data are expert data except for a mass
    :math:`\eta/C^\star` on the non-optimal actions of a few rarely visited
    decision states.  Conjecture 2 (App. D) predicts that Algorithm 4 then
    errs by :math:`\tilde O(H^2\sqrt{S(C^\star-1)/N})`, not
    :math:`\sqrt{SC^\star/N}` (Theorem 9).

    States (``S = 1 + n_gap + 3(H-1)``), actions :math:`\{0, 1\}`:

    * layer 0: the expert state :math:`x_0` (index 0) and the decision
      ("gap") states :math:`g_1..g_K` (indices ``1..n_gap``);
    * layer :math:`h \ge 1`: :math:`x_h`, :math:`u_h` ("up"), :math:`w_h`
      ("down"), at indices ``1 + n_gap + 3(h-1) + (0, 1, 2)``.

    Dynamics and rewards: :math:`x_h \to x_{h+1}`, :math:`u_h \to u_{h+1}`,
    :math:`w_h \to w_{h+1}` whatever the action; :math:`r(x_h, 0) = 1`,
    :math:`r(x_h, 1) = 0` (the expert's action is 0); :math:`r(u_h, \cdot) = 1`,
    :math:`r(w_h, \cdot) = 0`, :math:`r(g_k, \cdot) = 0`.  From :math:`g_k`
    the better action :math:`a^\star_k` (1 if :math:`v_k = +1`, else 0)
    reaches :math:`u_1` with probability :math:`1/2 + \delta`, the other
    action with probability :math:`1/2`; the rest goes to :math:`w_1`.  The
    value gap at :math:`g_k` is :math:`(H-1)\delta`; nowhere else does a
    suboptimal action of :math:`\pi^\star`'s support cost more than the
    expert's reward.

    Initial distribution :math:`\rho(x_0) = 1 - H\eta`,
    :math:`\rho(g_k) = H\eta/K`, so the layer-normalised occupancy (eq. 78)
    has :math:`d^\star(g_k) = \eta/K`,
    :math:`d^\star(x_h) = (1 - H\eta)/H`,
    :math:`d^\star(u_h) = \eta(1/2 + \delta)`,
    :math:`d^\star(w_h) = \eta(1/2 - \delta)` (:math:`h \ge 1`).  Data:
    :math:`\mu(s, \pi^\star(s)) = d^\star(s)/C^\star` for every state and
    :math:`\mu(g_k, 1 - \pi^\star(g_k)) = \eta/(K C^\star)`: total mass
    :math:`(1 + \eta)/C^\star = 1` and :math:`C^\star = 1 + \eta` exactly;
    the mass off the expert's path is :math:`\eta/(1+\eta)`.  Each action at
    a decision state has about :math:`n = N\eta/(KC^\star)` samples; with
    the gap :math:`\delta \asymp n^{-1/2}` a learner errs there with constant
    probability, so the expected suboptimality of a sensible learner is
    :math:`\asymp H(H-1)\eta\delta \asymp H^2\sqrt{K C^\star\eta/N}` (the
    minimax regime of the conjecture, :math:`N \gg K/\eta`).

    Parameters
    ----------
    H : int >= 2
    n_gap : int >= 1
        :math:`K`, the number of decision states.
    C_star : float in :math:`(1, 1 + 1/H)`
        :math:`1 + \eta`; :math:`H\eta < 1` keeps :math:`\rho(x_0) > 0`.
    delta : float in [0, 1/2]
    v : array (n_gap,) of +-1, optional
        Which action is better at each decision state (drawn from ``seed`` if not given).
    seed : int, numpy.random.SeedSequence or numpy.random.Generator, optional
        Needed only when ``v`` is not given.
    """
    rng = _generator(seed)
    if isinstance(H, bool) or int(H) != H or H < 2 or isinstance(n_gap, bool) or int(n_gap) != n_gap \
            or n_gap < 1 or not 0 <= delta <= 0.5:
        raise ValidationError(f"H = {H}, n_gap = {n_gap}, delta = {delta} "
                              "(rule: integer H >= 2, integer n_gap >= 1, 0 <= delta <= 1/2)")
    C = _check_cstar(C_star, 1.0, 1.0 + 1.0 / int(H), closed_lo=False)
    H, K = int(H), int(n_gap)
    eta = C - 1.0
    v = _signs(K, v, rng)
    S, A = 1 + K + 3 * (H - 1), 2
    layer = np.concatenate([np.zeros(1 + K, dtype=np.int64), np.repeat(np.arange(1, H), 3)])

    def x(h):
        return 0 if h == 0 else 1 + K + 3 * (h - 1)

    P = np.zeros((S, A, S))
    r = np.zeros((S, A))
    for h in range(H):
        xs = x(h)
        r[xs, 0] = 1.0
        if h >= 1:
            r[xs + 1, :] = 1.0                      # u_h
        last = h == H - 1
        for s in ((xs,) if h == 0 else (xs, xs + 1, xs + 2)):
            P[s, :, s if last else (x(h + 1) + (s - xs))] = 1.0
    u1, w1 = x(1) + 1, x(1) + 2
    for k in range(K):
        g = 1 + k
        for a in range(A):
            better = (a == 1) == (v[k] > 0)
            p = 0.5 + delta if better else 0.5
            P[g, a, u1] = p
            P[g, a, w1] = 1.0 - p
    rho = np.zeros(S)
    rho[0] = 1.0 - H * eta
    rho[1:1 + K] = H * eta / K
    # optimal policy and occupancy do not depend on mu: compute them first (placeholder mu)
    ref = OfflineLayeredMDP(P, r, rho, layer, np.full((S, A), 1.0 / (S * A)))
    pi, d = ref.pi_star, ref.d_star.sum(axis=1)
    mu = np.zeros((S, A))
    mu[np.arange(S), pi] = d / C
    gaps = np.arange(1, 1 + K)
    mu[gaps, 1 - pi[gaps]] = d[gaps] / C
    return OfflineLayeredMDP(P, r, rho, layer, mu,
                             name=f"layered nearly expert (H={H}, K={K}, C*=1+{eta:g}, delta={delta:g})")


# --------------------------------------------------------------------------- rare-action members (Prop. 1 in MDPs)

def _rare_action_mu(d_star, pi, rare, eps, C, fill):
    r"""Data of a rare-action member: :math:`\mu(s,\pi^\star(s)) = d^\star(s)/C^\star`, mass ``eps`` on
    the pair ``rare`` and the rest spread evenly over the pairs ``fill`` (none of them on
    :math:`\pi^\star`'s path, so :math:`C^\star` is exact)."""
    S, A = d_star.shape[0], 2
    mu = np.zeros((S, A))
    mu[np.arange(S), pi] = d_star / C
    mu[rare] = eps
    rest = 1.0 - mu.sum()
    if rest < -1e-12:
        raise ValidationError(f"eps = {eps}, C_star = {C} (rule: eps <= 1 - 1/C_star)")
    rows, cols = fill
    mu[rows, cols] += max(rest, 0.0) / len(rows)
    return mu


def _check_rare(C_star, eps, q):
    C = _check_cstar(C_star, 1.0, closed_lo=False)
    if not 0 < eps <= 1 - 1 / C or not 0 < q < 0.5:
        raise ValidationError(f"eps = {eps}, q = {q} (rule: 0 < eps <= 1 - 1/C_star, 0 < q < 1/2)")
    return C


def rare_action_mdp(C_star: float, gamma: float, eps: float, q: float = 0.3) -> OfflineDiscountedMDP:
    r"""Proposition 1 as a discounted MDP [R]: a rarely sampled, high-variance, suboptimal action.

    States :math:`x` (start, :math:`\rho(x) = 1`), :math:`m`, :math:`u`, :math:`w` (indices 0..3), two
    actions.  :math:`m, u, w` are absorbing with rewards :math:`1/2, 1, 0` (both actions alike);
    :math:`r(x,\cdot) = 0`.  At :math:`x` the safe action 0 moves to :math:`m`
    (:math:`Q^\star = \gamma/(2(1-\gamma))`), the rare action 1 moves to :math:`u` with probability
    ``q < 1/2`` and to :math:`w` otherwise (:math:`Q = \gamma q/(1-\gamma)`): value gap
    :math:`\gamma(1/2 - q)/(1-\gamma)`.  Data: :math:`\mu(s,\pi^\star(s)) = d^\star(s)/C^\star`,
    :math:`\mu(x, 1) = \varepsilon`, the rest spread over :math:`u`, :math:`w` and :math:`(m, 1)`, so
    :math:`C^\star` is exact.  Once seen and sent to :math:`u`, the rare action looks better than the
    safe one: the greedy (certainty-equivalence) learner errs with constant probability when
    :math:`N\varepsilon \approx 1`, as the empirical best arm of Proposition 1 (App. A.1 of arXiv
    2103.12021) does; a pessimistic learner does not.  The instance does not depend on ``N``.
    """
    C = _check_rare(C_star, eps, q)
    if not 0 <= gamma < 1:
        raise ValidationError(f"gamma = {gamma} (rule: 0 <= gamma < 1)")
    S, A = 4, 2
    P = np.zeros((S, A, S))
    P[0, 0, 1] = 1.0
    P[0, 1, 2], P[0, 1, 3] = q, 1 - q
    for s in (1, 2, 3):
        P[s, :, s] = 1.0
    r = np.zeros((S, A))
    r[1, :], r[2, :] = 0.5, 1.0
    rho = np.array([1.0, 0.0, 0.0, 0.0])
    ref = OfflineDiscountedMDP(P, np.ones((S, A)), r, rho, gamma, np.full((S, A), 1.0 / (S * A)))
    mu = _rare_action_mu(ref.d_star.sum(axis=1), ref.pi_star, (0, 1), eps, C,
                         (np.array([1, 2, 2, 3, 3]), np.array([1, 0, 1, 0, 1])))
    return OfflineDiscountedMDP(P, np.ones((S, A)), r, rho, gamma, mu,
                                name=f"rare action (C*={C}, gamma={gamma}, eps={eps:g}, q={q})")


def layered_rare_action_mdp(H: int, C_star: float, eps: float, q: float = 0.3) -> OfflineLayeredMDP:
    r"""Proposition 1 as an episodic layered MDP [R]: a rarely sampled, high-variance, suboptimal action.

    Layer 0 is one state :math:`x_0` (reward 0); layer :math:`h \ge 1` has :math:`m_h, u_h, w_h`
    (indices ``1 + 3(h-1) + (0, 1, 2)``) with rewards :math:`1/2, 1, 0` and chains
    :math:`m_h \to m_{h+1}`, :math:`u_h \to u_{h+1}`, :math:`w_h \to w_{h+1}` whatever the action.  At
    :math:`x_0` the safe action 0 moves to :math:`m_1` (:math:`Q^\star = (H-1)/2`), the rare action 1 to
    :math:`u_1` with probability ``q < 1/2``, else :math:`w_1` (:math:`Q = q(H-1)`).  Data
    :math:`\mu(s,\pi^\star(s)) = d^\star(s)/C^\star` (layer-normalised, eq. 78),
    :math:`\mu(x_0, 1) = \varepsilon`, the rest over :math:`u_h`, :math:`w_h` and :math:`(m_h, 1)`;
    :math:`C^\star` exact.  The episodic analogue of Proposition 1 (arXiv 2103.12021, App. A.1): the
    greedy learner errs with constant probability when :math:`N\varepsilon \approx 1`.  The instance does
    not depend on ``N``.
    """
    C = _check_rare(C_star, eps, q)
    if isinstance(H, bool) or int(H) != H or H < 2:
        raise ValidationError(f"H = {H} (rule: integer H >= 2)")
    H = int(H)
    S, A = 1 + 3 * (H - 1), 2
    layer = np.concatenate([[0], np.repeat(np.arange(1, H), 3)]).astype(np.int64)
    P = np.zeros((S, A, S))
    r = np.zeros((S, A))
    P[0, 0, 1] = 1.0
    P[0, 1, 2], P[0, 1, 3] = q, 1 - q
    for h in range(1, H):
        base = 1 + 3 * (h - 1)
        r[base, :], r[base + 1, :] = 0.5, 1.0
        for k in range(3):
            s = base + k
            P[s, :, s if h == H - 1 else s + 3] = 1.0
    rho = np.zeros(S)
    rho[0] = 1.0
    ref = OfflineLayeredMDP(P, r, rho, layer, np.full((S, A), 1.0 / (S * A)))
    m_states = 1 + 3 * np.arange(H - 1)
    rows = np.concatenate([m_states, m_states + 1, m_states + 1, m_states + 2, m_states + 2])
    cols = np.concatenate([np.ones(H - 1, int), np.zeros(H - 1, int), np.ones(H - 1, int),
                           np.zeros(H - 1, int), np.ones(H - 1, int)])
    mu = _rare_action_mu(ref.d_star.sum(axis=1), ref.pi_star, (0, 1), eps, C, (rows, cols))
    return OfflineLayeredMDP(P, r, rho, layer, mu, name=f"layered rare action (H={H}, C*={C}, eps={eps:g})")


# --------------------------------------------------------------------------- fixed-gap bandit families

def rare_arm_bandit(mu_rare: float, r_star: float = 0.5, value: float = 1.0, prob: float = 0.25) -> OfflineBandit:
    r"""The Proposition-1 shape (App. A.1) with a fixed mass on the rare arm [R].

    Arm 0, :math:`\mu(0) = 1 - \mu_{\mathrm{rare}}`, pays ``r_star`` surely;
    arm 1, :math:`\mu(1) = \mu_{\mathrm{rare}}`, pays ``value`` with probability
    ``prob`` (mean ``value * prob < r_star``).  Proposition 1 ties the mass to
    the sample size (:math:`\mu_{\mathrm{rare}} = 1/N`); over a fixed grid of
    masses, the greedy learner meets at every :math:`N` an instance with
    :math:`N\mu_{\mathrm{rare}} \approx 1`, where a single lucky draw of the
    rare arm makes it look best.  :math:`C^\star = 1/(1 - \mu_{\mathrm{rare}})`.
    """
    if not 0 < mu_rare < 1 or not value * prob < r_star <= 1:
        raise ValidationError(f"mu_rare = {mu_rare}, r_star = {r_star}, value * prob = {value * prob} "
                              "(rule: 0 < mu_rare < 1, value * prob < r_star <= 1)")
    return OfflineBandit([1 - mu_rare, mu_rare], [r_star, value], [1.0, prob],
                         name=f"Prop. 1 shape (mu_rare={mu_rare:.3g})")


def thm3_bandit_fixed_gap(C_star: float, g: float) -> OfflineBandit:
    r"""The Theorem-3 instances (App. A) with a fixed gap ``g`` instead of :math:`g(N, L)`.

    Arm 0 is :math:`a^\star` with :math:`\mu(a^\star) = 1/C^\star`.
    :math:`C^\star < 2`: :math:`r(a^\star) = 1/2` surely, arm 1
    :math:`\mathrm{Bern}(1/2 - g)`; :math:`C^\star \ge 2`:
    :math:`r(a^\star) \sim \mathrm{Bern}(1/2)`, arm 1 pays :math:`1/2 - g` surely.
    """
    C = _check_cstar(C_star, 1.0, closed_lo=False)
    if not 0 < g <= 0.5:
        raise ValidationError(f"g = {g} (rule: 0 < g <= 1/2)")
    mu = [1 / C, 1 - 1 / C]
    if C < 2:
        return OfflineBandit(mu, [0.5, 1.0], [1.0, 0.5 - g], name=f"Thm 3 (C*={C}, g={g:.3g})")
    return OfflineBandit(mu, [1.0, 0.5 - g], [0.5, 1.0], name=f"Thm 3 (C*={C}, g={g:.3g})")


def thm2_pair_tv(C_star: float, N: int, delta: float) -> float:
    r"""Exact total variation between the laws of ``N`` samples under the Theorem-2 pair (:math:`C^\star \ge 2`).

    Both members share :math:`\mu` and arm 0's law; the likelihood ratio depends
    on the count :math:`n` of arm 1 and its number of successes :math:`j` only,
    and exceeds 1 iff :math:`j > n/2`.  Hence

    .. math::
        \mathrm{TV} = \sum_n \binom{N}{n}\mu_1^n(1-\mu_1)^{N-n}
        \bigl(P(\mathrm{Bin}(n, 1/2+\delta) > n/2) - P(\mathrm{Bin}(n, 1/2-\delta) > n/2)\bigr).
    """
    from scipy.stats import binom
    C = _check_cstar(C_star, 2.0)
    N = _check_N(N)
    if not 0 <= delta <= 0.5:
        raise ValidationError(f"delta = {delta} (rule: 0 <= delta <= 1/2)")
    n = np.arange(N + 1)
    w = binom.pmf(n, N, 1.0 / C)
    keep = w > 1e-300
    n, w = n[keep], w[keep]
    half = np.floor(n / 2.0)
    diff = binom.sf(half, n, 0.5 + delta) - binom.sf(half, n, 0.5 - delta)
    return float(np.sum(w * diff))


@lru_cache(maxsize=4096)
def cached_instance(name: str, *args, **kwargs):
    """``name(*args, **kwargs)`` for a generator of this module, built once per process.

    For sweeps that meet the same members of a fixed instance grid in many tasks.  The instances are
    immutable (frozen dataclasses over read-only arrays), so sharing them is safe.  Arguments must be
    hashable; a tuple passed as ``v`` or ``pi_star`` is converted to an array.
    """
    if name not in __all__ or name == "cached_instance":
        raise ValidationError(f"cached_instance({name!r}) (rule: one of the generators {__all__})")
    kw = {k: (np.asarray(v) if k in ("v", "pi_star") and isinstance(v, tuple) else v) for k, v in kwargs.items()}
    return globals()[name](*args, **kw)
