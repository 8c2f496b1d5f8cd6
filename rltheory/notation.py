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
"""
