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
"""
