"""Fingerprints of the code behind a task's results.

A result in the store is keyed by what produced it (:attr:`rltheory.runner.Task.key`).
Besides the claim, arm, config and seed, the key carries a *code fingerprint*:
the SHA-256 of

* every ``.py`` file of the installed ``rltheory`` package (the modules a task
  function may run: solvers, kernels, learners, generators), with the package
  version, and
* the source file of the module that defines the task function, or every
  ``.py`` file of its folder when that module belongs to a claim package
  (``experiments/lcb/``).

Editing a task function, a learner or a kernel therefore changes the keys of
the tasks it affects, and a rerun into the same ``--out`` recomputes them
instead of reusing results of the old code.  The fingerprint is conservative:
any change to the library invalidates every stored result.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path
from typing import Callable

__all__ = ["code_fingerprint", "package_fingerprint"]


def _hash_files(files, root: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(str(Path(f).relative_to(root)).encode())
        h.update(b"\0")
        h.update(Path(f).read_bytes())
        h.update(b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """SHA-256 of the ``rltheory`` version and every ``.py`` file of the package (cached per process)."""
    import rltheory
    root = Path(rltheory.__file__).resolve().parent
    files = [f for f in root.rglob("*.py") if "__pycache__" not in f.parts]
    return hashlib.sha256((rltheory.__version__ + _hash_files(files, root)).encode()).hexdigest()


def _module_files(fn: Callable) -> tuple[Path, list[Path]]:
    """The defining module's file, or all ``.py`` files of its folder for a module of a package."""
    mod = sys.modules.get(getattr(fn, "__module__", None) or "")
    path = getattr(mod, "__file__", None)
    if path is None:
        return Path("."), []
    path = Path(path).resolve()
    if "." in mod.__name__ or path.name == "__init__.py":
        folder = path.parent
        return folder, [f for f in folder.glob("*.py")]
    return path.parent, [path]


def code_fingerprint(fn: Callable) -> str:
    """16 hex digits identifying the code behind ``fn``'s results (see the module docstring)."""
    root, files = _module_files(fn)
    local = _hash_files(files, root) if files else getattr(fn, "__qualname__", repr(fn))
    return hashlib.sha256((package_fingerprint() + local).encode()).hexdigest()[:16]
