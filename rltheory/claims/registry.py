"""Discovering claims in Python files, the way pytest discovers tests.

A claim file is any ``*.py`` file (not starting with ``_``) under the paths
given (default: ``experiments/`` of the current directory).  Its claims are
the module-level :class:`~rltheory.claims.Claim` objects and the items of a
module-level ``CLAIMS`` list; nothing registers itself by import side effect.
Files are loaded under a private module name and registered with cloudpickle
*by value*, so their task functions run on process-pool and Dask workers that
cannot import them by name.
"""

from __future__ import annotations

import fnmatch
import hashlib
import importlib.util
import sys
from pathlib import Path
from typing import Iterable, Sequence

from .._errors import ValidationError
from ..runner import register_module_by_value
from .claim import Claim

DEFAULT_PATH = "experiments"


def _files(paths: Sequence[str | Path]) -> list[Path]:
    out = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*.py") if not f.name.startswith("_")
                              and "__pycache__" not in f.parts))
        elif p.is_file() and p.suffix == ".py":
            out.append(p)
        else:
            raise ValidationError(f"claim path {str(p)!r} does not exist or is not a .py file or folder "
                                  "(rule: give claim files or folders that hold them)")
    return out


def load_file(path: Path):
    """Import a claim file under a private, path-derived module name."""
    path = Path(path).resolve()
    name = "rltheory_claims_" + path.stem + "_" + hashlib.sha1(str(path).encode()).hexdigest()[:8]
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
    register_module_by_value(module)
    return module


def claims_in_module(module) -> list[Claim]:
    found = [v for v in vars(module).values() if isinstance(v, Claim)]
    for c in getattr(module, "CLAIMS", []) or []:
        if not isinstance(c, Claim):
            raise ValidationError(f"{module.__file__}: CLAIMS holds {type(c).__name__} "
                                  "(rule: only Claim objects)")
        if all(c is not f for f in found):
            found.append(c)
    return found


def modules(paths: Sequence[str | Path] | None = None) -> list:
    """The claim files in ``paths`` (default ``experiments/``), loaded."""
    return [load_file(f) for f in _files(list(paths) if paths else [DEFAULT_PATH])]


def figure_functions(paths: Sequence[str | Path] | None = None) -> list:
    """Module-level ``figure_*`` functions of the claim files.

    Each takes ``{claim_id: Verdict}`` and returns a list of
    ``(name, matplotlib Figure, title, subject)``; it returns ``[]`` when a
    claim it draws was not run.  Used by ``rltheory figures`` for figures that
    combine several claims.
    """
    out = []
    for mod in modules(paths):
        for nm in sorted(vars(mod)):
            fn = getattr(mod, nm)
            if nm.startswith("figure_") and callable(fn) and getattr(fn, "__module__", None) == mod.__name__:
                out.append(fn)
    return out


def discover(paths: Sequence[str | Path] | None = None) -> list[Claim]:
    """Every claim in ``paths`` (default ``experiments/``), in file order; ids must be unique."""
    claims: list[Claim] = []
    where: dict[str, str] = {}
    for mod in modules(paths):
        f = mod.__file__
        for c in claims_in_module(mod):
            if c.id in where and where[c.id] != str(f):
                raise ValidationError(f"claim id {c.id!r} is declared in {where[c.id]} and in {f} "
                                      "(rule: claim ids are unique)")
            if c.id not in where:
                where[c.id] = str(f)
                claims.append(c)
    return claims


def select(claims: Iterable[Claim], patterns: Sequence[str] | None) -> list[Claim]:
    """Claims whose id matches any glob in ``patterns`` (all when ``patterns`` is empty).

    A pattern that matches no claim is an error naming the pattern and the known ids.
    """
    claims = list(claims)
    if not patterns:
        return claims
    chosen = []
    for pat in patterns:
        hits = [c for c in claims if fnmatch.fnmatchcase(c.id, pat)]
        if not hits:
            known = ", ".join(c.id for c in claims) or "(none)"
            raise ValidationError(f"--claims {pat!r} matches no claim (rule: a glob over claim ids; "
                                  f"known: {known})")
        chosen.extend(c for c in hits if c not in chosen)
    return chosen
