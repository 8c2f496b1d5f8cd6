r"""Notation used throughout rltheory (names follow the papers' notation).

Episodic MDPs
-------------
``H``           horizon; steps ``h = 0, ..., H-1`` (papers often write 1..H).
``S``, ``A``    numbers of states and actions; states ``s``, actions ``a`` are integers.
``K``           number of episodes; ``T = K H`` steps.
``P[h,s,a,s']`` transition probability :math:`P_h(s' \mid s, a)`; stationary models store ``P[s,a,s']``.
``R[h,s,a]``    mean reward :math:`r_h(s,a)`; stationary models store ``R[s,a]``.
``mu0[s]``      initial-state distribution :math:`\mu_0` (papers: :math:`\rho`, :math:`s_1`).
``V[h,s]``      value :math:`V_h(s)`, shape ``(H+1, S)``, ``V[H] = 0``.
``Q[h,s,a]``    action value :math:`Q_h(s,a)`, shape ``(H, S, A)``.
``pi``          a policy: ``int (H, S)`` (deterministic) or ``float (H, S, A)`` (stochastic).
``d[h,s,a]``    occupancy :math:`d^\pi_h(s,a) = \Pr^\pi(s_h = s, a_h = a)`.
``gap[h,s,a]``  :math:`V^*_h(s) - Q^*_h(s,a)`.
``Gamma``       maximum number of next states with positive probability (transition degree).
``C_star``      single-policy concentrability :math:`C^* = \max_{h,s,a} d^{\pi^*}_h(s,a) / \mu_h(s,a)`.

Discounted MDPs
---------------
``gamma``       discount factor; ``P[s,a,s']``, ``R[s,a]``, ``V[s]``, ``policy[s]``.

Linear models
-------------
``d``           feature dimension; ``phi`` features; ``theta`` parameters (``theta_star`` the truth).

Regret of learner runs: ``expected_regret[k] = V*_0(mu0) - V^{pi_k}_0(mu0)`` for the policy ``pi_k``
played in episode ``k``, evaluated exactly on the true MDP; ``cumulative_regret`` is its running sum.

Public attributes
-----------------
Every public attribute of the models, solver results and learner runs, with its shape.

``TabularMDP``: ``H``, ``S``, ``A`` (ints); ``P`` as given, ``(S, A, S)`` or ``(H, S, A, S)``;
``R`` as given, ``(S, A)`` or ``(H, S, A)``; ``P4`` ``(H, S, A, S)`` and ``R3`` ``(H, S, A)``, the
step-indexed views every kernel reads (stationary models broadcast, no copy); ``PT`` ``(S, S*A)``
the transposed stationary kernel ``PT[s', s*A + a] = P[s, a, s']``, computed on first use and
kept, so repeated solves on one model transpose ``P`` once (``None`` when step-dependent); ``mu0`` ``(S,)``;
``stationary`` (bool); ``reward_range`` (``"per_step"``: rewards in [0, 1]; ``"total"``: every
return at most 1); ``max_return`` (the largest possible return, ``H`` or 1); ``name``.

``LinearMixtureMDP``: ``phi`` ``(S, A, S, d)`` basis kernels :math:`\phi(s'|s,a)`; ``theta`` ``(d,)``
:math:`\theta^*`; ``B`` the norm bound :math:`\|\theta^*\|_2 \le B`; ``phi_V_norm`` the largest
:math:`\|\phi_V(s,a)\|_2` over value functions in [0, 1]; ``d``, ``H``, ``S``, ``A``, ``P``
``(S, A, S)``, ``R``, ``mu0``, ``reward_range``, ``name``.

``LinearMDP``: ``phi`` ``(S, A, d)`` features; ``mu`` ``(H, d, S)`` :math:`\mu_h(s')`; ``theta_r``
``(H, d)`` reward parameters; ``d``, ``H``, ``S``, ``A``, ``P`` ``(H, S, A, S)``, ``R`` ``(H, S, A)``,
``mu0``, ``reward_range``, ``name``.

``MarkovGame``: ``m`` players; ``actions`` (tuple, actions per player); ``joint_actions``
``(n_joint, m)`` the joint actions in row-major order; ``n_joint``; ``H``, ``S``; ``P`` and ``R`` as
given; ``P4`` ``(H, S, n_joint, S)``, ``R4`` ``(m, H, S, n_joint)``; ``mu0``; ``stationary``;
``is_normal_form`` (``S = H = 1``); ``is_repeated`` (one state); ``name``.

``FiniteHorizonSolution``: ``Q`` ``(H, S, A)``, ``V`` ``(H+1, S)``, ``policy`` ``(H, S)``,
``value`` :math:`V^*_0(\mu_0)`.  ``PolicyValue``: ``Q``, ``V``, ``value`` :math:`V^\pi_0(\mu_0)`.
``ReturnVariance``: ``Q``, ``V``, ``second_moment`` ``(H+1, S)``, ``var`` ``(H+1, S)``, ``sigma2``
``(H, S, A)``, ``action_var`` ``(H, S)``.  ``TotalVarianceIdentity``: ``lhs``, ``rhs``,
``initial_term``, ``transition_term``, ``action_term`` (floats).  ``OccupancyLPSolution``:
``occupancy`` ``(H, S, A)``, ``value``.  ``DiscountedSolution``: ``V`` ``(S,)``, ``Q`` ``(S, A)``,
``policy`` ``(S,)``, ``iterations``, ``residual``, ``method``.  ``DiscountedPolicyValue``: ``V``, ``Q``.

``LearnerRun``: ``algorithm``; ``expected_regret`` ``(K,)``; ``cumulative_regret`` ``(K,)``;
``returns`` ``(K,)`` realised returns; ``v_star`` :math:`V^*_0(\mu_0)`; ``K``; ``params`` (read-only
mapping of parameters and derived constants); ``fidelity``; ``policies`` ``(K, H, S)`` or ``None``;
``final_policy`` ``(H, S)`` int64, the greedy policy the learner would play after episode ``K``
(``-1`` rows where it would act uniformly at random; every tabular learner fills it).

``BonusConstants`` (UCBVI, arXiv 1703.05449, Alg. 3-4): ``hoeffding``, ``var``, ``lin``, ``corr``,
``corr_inner`` (floats, the numerical constants of the bonuses).

``Trajectories``: ``states`` ``(K, H+1)``, ``actions`` ``(K, H)``, ``rewards`` ``(K, H)``, ``returns``
``(K,)``; ``K``, ``H``.

Offline instances (arXiv 2103.12021): ``OfflineBandit``: ``mu`` ``(A,)`` data distribution;
``reward_value``, ``reward_prob`` ``(A,)``; ``means``, ``gaps`` ``(A,)``; ``optimal_arms``; ``C_star``;
``A``; ``name``.  ``OfflineContextualBandit``: ``rho`` ``(S,)``; ``mu`` ``(S, A)``; ``reward_value``,
``reward_prob``, ``means``, ``gaps`` ``(S, A)``; ``optimal_policy`` ``(S,)``; ``C_star``; ``S``, ``A``;
``name``.  ``OfflineDiscountedMDP``: ``P`` ``(S, A, S)``; ``reward_value``, ``reward_prob`` ``(S, A)``;
``rho`` ``(S,)``; ``gamma``; ``mu`` ``(S, A)``; ``J_star``; ``V_max`` :math:`1/(1-\gamma)`; ``C_star``;
``S``, ``A``; ``name``.  ``OfflineLayeredMDP``: ``P`` ``(S, A, S)``; ``r`` ``(S, A)``; ``rho`` ``(S,)``;
``layer`` ``(S,)``; ``mu`` ``(S, A)``; ``C_star``; ``S``, ``A``; ``name``.
``BanditStats``: ``counts``, ``reward_sum`` ``(n, A)`` or ``(n, S, A)``; ``N``.  ``TabularStats``:
``counts``, ``reward_sum`` ``(n, F, S, A)``; ``next_counts`` ``(n, F, S, A, S)``; ``N``; ``m`` (fold size).

Games (arXiv 2303.12287): ``ZeroSumNash``: ``value``; ``x`` ``(n,)``, ``y`` ``(k,)``; ``lower``,
``upper`` certified bounds; ``exploitability``.  ``CorrelatedEquilibrium``: ``kind`` (``"CCE"`` or
``"CE"``); ``distribution`` ``(A_1, ..., A_m)``; ``values`` ``(m,)``; ``welfare``; ``gaps`` ``(m,)``;
``max_violation``; ``support_size``.  ``PureNashSearch``: ``profile`` (tuple or ``None``); ``queries``;
``n_profiles``.  ``ZeroSumMarkovNash``: ``V`` ``(H+1, S)``; ``x`` ``(H, S, A_1)``; ``y`` ``(H, S, A_2)``;
``value``.  ``MarkovCCE``: ``policy`` ``(H, S, n_joint)``; ``V`` ``(m, H+1, S)``; ``values`` ``(m,)``.
``BestResponse``: ``value``; ``policy`` ``(H, S)`` or ``None``.  ``MonteCarloEstimate``: ``mean``,
``se``, ``n``.  ``IndependentRun``: ``policies`` (tuple of ``(T, H, S, A_i)``); ``values`` ``(T, m)``;
``returns`` ``(T, m)`` or ``None``; ``eta`` ``(m,)``; ``feedback``; ``optimistic``; ``T``.

POMDPs (arXiv 2302.01333): ``n_obs`` observations ``o``; emissions stored **one row per latent
state**, ``O[h, s, o] = O_h(o|s)`` (the paper's :math:`\mathbb O_h \in \mathbb R^{O\times S}` is
``O[h].T``); ``T[h, s, a, s']``; rewards ``r[h, o, a]`` of (observation, action); ``alpha`` the
:math:`\ell_1` revealing constant :math:`1/\min\{\|X\|_{1\to1}: XM=I\}`; ``m`` the revealing length.

``POMDP``: ``H``, ``S``, ``A``, ``n_obs`` (ints); ``T`` as given, ``(S, A, S)`` or ``(H, S, A, S)``;
``O`` as given, ``(S, n_obs)`` or ``(H, S, n_obs)``; ``r`` ``(H, n_obs, A)``; ``mu0`` ``(S,)``; ``T4``
``(H, S, A, S)`` and ``O3`` ``(H, S, n_obs)`` step-indexed views; ``stationary``; ``max_return`` (the
largest total reward of a positive-probability trajectory, at most 1); ``name``.

Latent MDPs (arXiv 2210.11604): ``M`` contexts ``m`` mixed with weights ``w``; per-context ``P[m, s, a, s']``,
deterministic ``R[m, s, a]`` and initial laws ``nu[m, s]``; ``b`` the belief over contexts; ``Gamma`` the
maximum transition degree :math:`\max_{m,s,a}|\mathrm{supp}\,P_m(\cdot|s,a)|`; ``Var*`` (``var_star``) the
reconstructed variance quantity; ``iota`` :math:`2\ln(2MSAHK/\delta)`.

``LatentMDP``: ``M``, ``S``, ``A``, ``H``, ``Gamma`` (ints); ``P`` ``(M, S, A, S)``; ``R`` ``(M, S, A)``;
``nu`` ``(M, S)``; ``w`` ``(M,)``; ``name``.

``BeliefPolicy``: the planner's ``P`` ``(M, S, A, S)``, ``R`` ``(M, S, A)``, ``counts`` ``(M, S, A)`` (``inf``
known, 0 unknown), ``w`` ``(M,)``, ``nu`` ``(M, S)``; ``bonus`` (``"none"``, ``"bernstein"``, ``"hoeffding_H"``,
``"model_opt"``: the Bernstein box of the model-optimistic solver);
``scale``, ``c1``, ``c2``, ``iota``, ``Gamma``, ``H_scale``, ``cap`` (floats); ``planner`` (``"exact"``,
``"greedy_belief"``); ``consts`` the kernel's constant array.

``BeliefTrajectory``: ``prior`` ``(n, S)`` predictive beliefs, ``posterior`` ``(n, S)``, ``likelihood``.

``NEpisodeDivergences``: ``N``; ``kl`` :math:`N\,\mathrm{KL}_1`; ``bc`` :math:`\mathrm{BC}_1^N`; ``hellinger2``
:math:`1-\mathrm{BC}_N`; ``chi2`` :math:`(1+\chi^2_1)^N-1`; ``tv_lower``, ``tv_upper`` the Hellinger bracket on
:math:`\mathrm{TV}_N`; ``tv_pinsker`` :math:`\min(1,\sqrt{\mathrm{KL}_N/2})`.

``PaninskiTVCurve``: ``N`` ``(N_max,)``; ``tv`` ``(N_max,)`` Monte Carlo TV; ``se`` ``(N_max,)`` its standard
error; ``n_mc``; ``n``; ``eps``.

``CostlyReveal``: ``pomdp``; ``k`` pairs; ``z`` ``(k,)``; ``eps``; ``a``; ``variant``; ``reveal`` (action 0);
``sample_obs0``; ``optimal_actions`` ``(3,)``.

``LockSearchResult``: ``algorithm``; ``episodes``; ``code`` ``(H-1,)``; ``params``; ``fidelity``.

Offline-to-online learning (arXiv 2211.04974, reconstructed): ``N_off`` offline episodes; ``phi_{pi,h}`` the
expected feature :math:`\mathbb E^\pi[\phi(s_h,a_h)]` (one-hot features: the occupancy :math:`d^\pi_h`);
``Lambda_off`` the offline covariance (one-hot: ``diag(counts[h])``); ``T_o2o`` the oracle-design prediction;
``beta_scale`` the one global constant :math:`c` of :math:`\beta_\ell = cH^4\log(4H^2|\Pi|\ell^2/\delta)`.
Layered policies are stationary ``int (S,)`` arrays (each state lives in one layer).

``TabularLinearMDP``: ``P`` ``(S, A, S)`` (last-layer rows self-loops); ``r`` ``(S, A)``; ``mu0`` ``(S,)``; ``layer``
``(S,)``; ``hard`` ``(S,)`` bool or ``None``; ``H``, ``S``, ``A``; ``d`` ``= S*A``; ``linear`` (the
``LinearMDP`` with one-hot ``phi``); ``tabular`` (the ``TabularMDP``); ``step_pairs`` (per step, the feature
indices of the reachable pairs); ``v_star``; ``pi_star`` ``(S,)``; ``name``.

``Behaviour``: ``name``; ``start_step``; ``start`` ``(S,)``; ``policy`` ``(S, A)``.

``OfflineLinearData``: ``counts`` ``(H, S, A)``; ``reward_sum`` ``(H, S, A)``; ``next_counts`` ``(H, S, A, S)``;
``N_off``; ``behaviour``.

``PolicyTable``: ``policies`` ``(n, S)``; ``features`` ``(n, H, d)``; ``values`` ``(n,)``; ``gaps`` ``(n,)``;
``v_star``; ``n``.

``O2OPrediction``: ``T``; ``mixture`` ``(n,)`` unnormalised weights over the deterministic policies; ``beta``;
``scale``; ``slack``.

``FTPedelRun``: ``algorithm``; ``online_episodes``; ``episodes`` ``(epochs, H)``; ``survivors`` ``(epochs,)``;
``output_policy`` ``(S,)``; ``suboptimality``; ``eps_optimal``; ``certified``; ``eps``; ``delta``; ``params``;
``fidelity``.

Density ratios and coverability (arXiv 2401.09681): ``C_cov`` the coverability coefficient
:math:`\max_h \sum_{x,a} \sup_\pi d^\pi_h(x,a)`; ``C_star`` single-policy concentrability of the offline
distribution ``nu`` ``(H, S, A)``; ``kappa`` the control strength of the layered family; ``gamma`` the
clipping scale (:math:`\gamma_t = \gamma t`); ``beta_scale`` the factor on the paper's :math:`\beta_t`;
``gamma_scale`` the factor on the theorem's :math:`\gamma`; ``eta`` the uniform share of ``nu``.

``Coverability``: ``value`` :math:`C_{\mathrm{cov}}`; ``per_step`` ``(H,)`` :math:`C_h`; ``sup_occupancy``
``(H, S, A)`` :math:`\sup_\pi d^\pi_h`; ``mu`` ``(H, S, A)`` a minimiser of Definition 2.1; ``step`` the
maximising step; ``policy_class`` (``"all"`` or ``"finite"``).

``ModelFamily``: ``models`` (tuple of ``TabularMDP``); ``kinds`` (``"true"``, ``"optimistic"``,
``"pessimistic"``, ``"transition"``); ``true_index``; ``truth`` (the true model).

``GlowRun``: ``run`` (a ``LearnerRun``); ``chosen`` ``(T,)`` index of :math:`f^{(t)}` in F (-1: not a
candidate); ``qstar_in_set`` ``(T,)`` bool :math:`Q^* \in \mathcal F^{(t)}`; ``set_size`` ``(T,)``
:math:`|\mathcal F^{(t)}|`; ``mixture_risk`` ``(T,)`` risk of the uniform mixture of the first t iterates.
Adversarial MDPs with linear Q (arXiv 2301.12942): ``losses[k, h, s, a]`` :math:`\ell_{k,h}(s,a)\in[0,1]`
fixed before episode 0 (oblivious); values are expected total *losses*; ``pi_star`` the best fixed policy in
hindsight; pseudo-regret :math:`\sum_k V^{\pi_k}_{\ell_k}(\mu_0) - V^{\pi^*}_{\ell_k}(\mu_0)` (may be negative
per episode); ``eta`` the FTRL rate, ``gamma`` the ridge of :math:`(\gamma I + \Sigma_h)^{-1}`, ``beta`` the bonus
scale, ``M``, ``c`` the MGR iterations and step, ``eta_scale``/``beta_scale`` factors on the default tuning.
In the ``LearnerRun`` of these learners ``returns`` are realised total losses and ``v_star`` is the
comparator's mean loss per episode.

``AdversarialMDP``: ``K``, ``H``, ``S``, ``A``, ``d`` (ints); ``P`` as given, ``(S, A, S)`` or ``(H, S, A, S)``;
``P4`` ``(HP, S, A, S)``; ``losses`` ``(K, H, S, A)``; ``phi`` ``(S, A, d)`` with :math:`\|\phi(s,a)\|_2\le 1`;
``mu0`` ``(S,)``; ``stationary`` (bool); ``name``.

``LinearQCheck``: ``holds`` (every :math:`Q^\pi_{k,h}` in the span of the features); ``max_residual``;
``where`` ``(k, h)`` of the first failure or ``None``.

``BestFixedPolicy``: ``policy`` ``(H, S)``; ``value`` (total loss over the K episodes); ``per_episode``
``(K,)``; ``V`` ``(H+1, S)`` its values on the summed losses.
"""
