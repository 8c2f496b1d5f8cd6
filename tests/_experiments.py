"""Import a module of a claim package under ``experiments/`` for the tests of its task functions.

The claim packages are not importable packages (they are discovered from files), so a test loads
``experiments/<package>/<stem>.py`` as a submodule of a private package whose relative imports work.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"


def load_claim_module(package: str, stem: str):
    """``experiments/<package>/<stem>.py`` as ``<package>_experiments_under_test.<stem>``."""
    name = f"{package}_experiments_under_test"
    if name not in sys.modules:
        folder = EXPERIMENTS / package
        spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return importlib.import_module(f"{name}.{stem}")
