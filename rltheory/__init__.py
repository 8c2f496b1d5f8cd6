"""rltheory: check reinforcement-learning theorems against the machine.

Exact solvers, instance generators (including the hard instances of
lower-bound proofs), faithful algorithm implementations, and *claims*: a
paper's bound turned into an experiment, a metric and a statistical check
with a verdict.  See README.md and the notation page in ``rltheory.notation``.

The main names are importable from the top level (loaded on first use, so
``import rltheory`` stays light)::

    import rltheory as rl
    mdp = rl.random_tabular(S=5, A=2, H=4, seed=0)
    sol = rl.backward_induction(mdp)          # sol.value = V*_0(mu0)
    run = rl.ucbvi(mdp, 2000, seed=1, bonus_scale=0.01)
    run.cumulative_regret[-1]                 # exact expected regret over 2000 episodes
"""

from importlib import import_module

from ._errors import ValidationError

__version__ = "0.1.0"

#: Top-level name -> the subpackage that defines it.
_LAZY = {
    **{n: "rltheory.models" for n in ("TabularMDP", "LinearMixtureMDP", "LinearMDP", "MarkovGame")},
    **{n: "rltheory.solvers" for n in (
        "backward_induction", "policy_evaluation", "expected_return", "occupancy", "return_variance",
        "value_iteration", "policy_iteration", "lp_solve", "discounted_policy_evaluation",
        "coverability",
        "optimality_gaps", "min_positive_gap", "concentrability", "zero_sum_nash", "markov_cce")},
    **{n: "rltheory.envs" for n in (
        "random_tabular", "riverswim", "chain", "combination_lock", "sample_trajectories",
        "random_linear_mixture", "random_linear_mdp", "random_markov_game")},
    **{n: "rltheory.algorithms" for n in (
        "glow", "h2o", "hyglow",
        "ucbvi", "greedy", "explore_then_commit", "uniform_random", "LearnerRun", "hf_ucrl_rfe",
        "independent_hedge", "lcb_bandit", "lcb_contextual", "vi_lcb", "vi_lcb_episodic", "bc_policy")},
    **{n: "rltheory.models" for n in ("LatentMDP",)},
    **{n: "rltheory.solvers" for n in ("lmdp_optimal_value", "lmdp_policy_value")},
    **{n: "rltheory.models" for n in ("POMDP",)},
    **{n: "rltheory.solvers" for n in ("pomdp_optimal_value", "revealing_constant")},
    **{n: "rltheory.envs" for n in ("tabular_as_linear", "two_branch_instance")},
    **{n: "rltheory.solvers" for n in ("oracle_design", "policy_table")},
    **{n: "rltheory.models" for n in ("AdversarialMDP",)},
    **{n: "rltheory.solvers" for n in ("best_fixed_policy", "pseudo_regret")},
    **{n: "rltheory.envs" for n in ("layered_one_hot", "random_linear_adversarial", "delayed_reward_trap")},
    **{n: "rltheory.algorithms" for n in ("logbarrier_distribution",)},
    **{n: "rltheory.stats" for n in ("slope_ci", "bootstrap_ci", "iqm")},
    **{n: "rltheory.claims" for n in ("Claim", "Alternative", "Experiment", "Scale", "Bound", "Source",
                                       "RateCheck", "ExplicitCheck", "IdentityCheck")},
}

__all__ = ["ValidationError", "__version__", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rltheory' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
