"""Claims of Rashidinejad, Zhu, Ma, Jiao & Russell, "Bridging Offline Reinforcement Learning and
Imitation Learning: A Tale of Pessimism" (NeurIPS 2021, arXiv 2103.12021).

A claim package: ``bandit_tasks`` / ``bandit_claims`` (multi-armed and contextual bandits, Theorems 1-5
and Propositions 1-3), ``mdp_tasks`` / ``mdp_claims`` (discounted VI-LCB and episodic VI with LCB,
Theorems 6-7 and Conjecture 2) and ``figures`` (figures that combine several claims).
"""
