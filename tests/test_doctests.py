"""The Examples in the key docstrings run as printed."""

import doctest
import importlib

import pytest

MODULES = ["rltheory.models.tabular", "rltheory.solvers.finite_horizon", "rltheory.algorithms.ucbvi",
           "rltheory.stats.slopes", "rltheory.plain_math", "rltheory.envs.generators", "rltheory.solvers.normal_form",
           "rltheory.solvers.divergences", "rltheory.solvers.pomdp", "rltheory.solvers.revealing",
           "rltheory.models.pomdp", "rltheory.envs.hard_instances.pomdp",
           "rltheory.solvers.coverability", "rltheory.envs.coverability", "rltheory.algorithms.glow",
           "rltheory.envs.offline_linear", "rltheory.solvers.experiment_design", "rltheory.algorithms.ftpedel",
           "rltheory.models.adversarial", "rltheory.algorithms.ftrl_logbarrier", "rltheory.envs.adversarial",
           "rltheory.algorithms.adversarial_baselines", "rltheory.bounds.adversarial",
           "rltheory.models.latent", "rltheory.solvers.latent", "rltheory.algorithms.lmdp_hf",
           "rltheory.envs.latent_var_star"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no Examples"
