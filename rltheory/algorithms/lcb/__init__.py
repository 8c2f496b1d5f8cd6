r"""Pessimism for offline decision making: LCB, VI-LCB and the baselines they are compared with.

Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline Reinforcement
Learning and Imitation Learning: A Tale of Pessimism*, NeurIPS 2021,
arXiv 2103.12021.  Every function works on the sufficient statistics of many
datasets at once (:mod:`rltheory.envs.offline_sampling`): counts :math:`N(s,a)`,
reward sums and next-state counts.  Every learner takes its randomness (the
tie-breaking) as a keyword ``seed``: an int, a :class:`numpy.random.SeedSequence`
or a :class:`numpy.random.Generator` (used as is, see :mod:`rltheory._random`).

One module per learner family
-----------------------------
* :mod:`.bandits` -- :func:`lcb_bandit`, Algorithm 1 (§3.2):
  :math:`\hat a = \arg\max_a \hat r(a) - b(a)`,
  :math:`b(a) = \sqrt{\log(2|\mathcal A|/\delta) / (2 N(a))}`, or the
  :math:`b(a) = \sqrt{L/N(a)}` form used in Theorem 3 (§3.5); the baselines
  :func:`empirical_best` (greedy, Proposition 1) and :func:`most_played`
  (behaviour cloning / imitation, Propositions 2 and 3).
* :mod:`.contextual` -- :func:`lcb_contextual`, Algorithm 2 (§4.1), per context,
  :math:`b(s,a) = \sqrt{2000 \log(2 S |\mathcal A|/\delta) / N(s,a)}`.
* :mod:`.discounted` -- :func:`vi_lcb`, Algorithm 3 (§5.1, eq. 19), with data
  splitting, behaviour-cloning initialisation and the monotone step; the
  iteration count :func:`vi_lcb_iterations`.
* :mod:`.episodic` -- :func:`vi_lcb_episodic`, Algorithm 4 (App. D.2),
  backward induction on a layered MDP with
  :math:`b(s,a) = H\sqrt{2000 \log(2S|\mathcal A|/\delta)/N(s,a)}`, and its
  optimistic counterpart :func:`optimistic_vi_episodic` (a negative control).
* :mod:`.baselines` -- :func:`bc_policy` (behaviour cloning on MDP data) and
  :func:`uniform_policy` (the null learner).
* :mod:`.exact_risk` -- :func:`two_arm_exact_risk`, the exact expected
  suboptimality of an index rule on a two-armed bandit (a reference for the
  Monte Carlo estimates).
* :mod:`.penalty` -- the penalty scale ``c`` (:data:`LITERAL_C`, :func:`penalty_c`):
  with the paper's constants of Algorithms 2-4 the penalty is vacuous at
  laptop scale (it exceeds the reward range unless :math:`N(s,a) \gtrsim 3\cdot 10^4`).

Unseen actions
--------------
``unseen="below_seen"`` (default): an action never seen in a state ranks
below every seen action; it is chosen only when no action of the state was
seen.  Its value, needed by the dynamic programmes when no action of a state
was seen, is the paper's: :math:`\hat r = 0`, :math:`\hat P` uniform over the
next layer (the paper's "random" vector; a fixed convention here) and the
penalty at :math:`n = 1`.  ``unseen="paper"``: the literal convention of the
algorithms (:math:`\hat r = 0`, :math:`b = 1` for Algorithms 1-2; penalty at
:math:`m \vee 1 = 1` for Algorithms 3-4), with unseen actions competing in the
argmax.  Ties in every argmax are broken uniformly at random by the generator
of ``seed``.

Examples
--------
>>> from rltheory.envs.hard_instances.lcb import thm3_bandit_fixed_gap
>>> from rltheory.envs.offline_sampling import sample_bandit
>>> inst = thm3_bandit_fixed_gap(6.0, 0.25)
>>> data = sample_bandit(inst, N=200, n_datasets=1000, seed=0)
>>> arms = lcb_bandit(data.counts, data.reward_sum, seed=1, delta=1 / 200)
>>> float(inst.gaps[arms].mean()) < 0.25                  # mean suboptimality over the datasets
True
"""

from .bandits import empirical_best, lcb_bandit, most_played
from .baselines import bc_policy, uniform_policy
from .contextual import lcb_contextual
from .discounted import vi_lcb, vi_lcb_iterations
from .episodic import optimistic_vi_episodic, vi_lcb_episodic
from .exact_risk import two_arm_exact_risk
from .penalty import LITERAL_C, penalty_c

__all__ = ["LITERAL_C", "penalty_c", "lcb_bandit", "lcb_contextual", "empirical_best", "most_played",
           "vi_lcb", "vi_lcb_iterations", "vi_lcb_episodic", "optimistic_vi_episodic", "bc_policy",
           "two_arm_exact_risk", "uniform_policy"]
