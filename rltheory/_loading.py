"""Loading user Python files (claim files, proof-check files) by path, the way pytest finds tests."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from typing import Sequence

from ._errors import ValidationError


def python_files(paths: Sequence[str | Path], what: str) -> list[Path]:
    """The ``*.py`` files in ``paths`` (files, or folders searched recursively); names starting
    with ``_`` are skipped.  A missing path is a :class:`ValidationError` naming it."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*.py") if not f.name.startswith("_")
                              and "__pycache__" not in f.parts))
        elif p.is_file() and p.suffix == ".py":
            out.append(p)
        else:
            raise ValidationError(f"{what} path {str(p)!r} does not exist or is not a .py file or folder "
                                  f"(rule: give {what} files or folders that hold them)")
    return out


def load_file(path: str | Path, namespace: str):
    """Import ``path`` once, under the private module name ``<namespace>_<stem>_<hash of path>``.

    A file that fails to import leaves nothing behind in ``sys.modules``.
    """
    path = Path(path).resolve()
    name = f"{namespace}_{path.stem}_{hashlib.sha1(str(path).encode()).hexdigest()[:8]}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception:
        del sys.modules[name]
        raise
    return module


def functions_named(module, prefix: str) -> list:
    """Functions defined in ``module`` (not imported into it) whose names start with ``prefix``, by name."""
    return [fn for nm, fn in sorted(vars(module).items())
            if nm.startswith(prefix) and callable(fn) and getattr(fn, "__module__", None) == module.__name__]
