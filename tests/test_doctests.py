"""The Examples in the key docstrings run as printed."""

import doctest
import importlib

import pytest

MODULES = ["rltheory.models.tabular", "rltheory.solvers.finite_horizon", "rltheory.algorithms.ucbvi",
           "rltheory.stats.slopes", "rltheory.plain_math", "rltheory.envs.generators", "rltheory.solvers.normal_form"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no Examples"
