"""Discovering claims in Python files, the way pytest discovers tests.

A claim file is any ``*.py`` file (not starting with ``_``) under the paths
given (default: ``experiments/``, found by :func:`rltheory._paths.default_folder`:
the current directory's, else the one shipped with rltheory); a folder holding
``__init__.py`` is a claim *package* (``experiments/lcb/`` with its tasks,
claims and figures apart), imported whole, its modules able to import each
other relatively.  Its claims are
the module-level :class:`~rltheory.claims.Claim` objects and the items of a
module-level ``CLAIMS`` list; nothing registers itself by import side effect.
Files are loaded under a private module name and registered with cloudpickle
*by value*, so their task functions run on process-pool and Dask workers that
cannot import them by name.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Iterable, Sequence

from .._errors import ValidationError
from .._loading import functions_named, package_modules, python_files
from .._paths import default_folder
from .._loading import load_file as _load
from ..runner import register_module_by_value
from .claim import Claim

DEFAULT_PATH = "experiments"


def load_file(path: Path):
    """Import a claim file under a private, path-derived module name, picklable by value."""
    module = _load(path, "rltheory_claims")
    register_module_by_value(module)
    return module


def claims_in_module(module) -> list[Claim]:
    """Module-level claims and ``CLAIMS`` items of ``module`` (and of its modules, for a package)."""
    found: list[Claim] = []
    for mod in package_modules(module):
        cands = [v for v in vars(mod).values() if isinstance(v, Claim)]
        for c in getattr(mod, "CLAIMS", []) or []:
            if not isinstance(c, Claim):
                raise ValidationError(f"{mod.__file__}: CLAIMS holds {type(c).__name__} "
                                      "(rule: only Claim objects)")
            cands.append(c)
        found.extend(c for c in cands if all(c is not f for f in found))
    return found


def modules(paths: Sequence[str | Path] | None = None) -> list:
    """The claim files in ``paths`` (default ``experiments/``), loaded."""
    return [load_file(f) for f in python_files(list(paths) if paths else [default_folder(DEFAULT_PATH)],
                                               "claim")]


def figure_functions(paths: Sequence[str | Path] | None = None) -> list:
    """Module-level ``figure_*`` functions of the claim files.

    Each takes ``{claim_id: Verdict}`` and returns a list of
    ``(name, matplotlib Figure, title, subject)``; it returns ``[]`` when a
    claim it draws was not run.  Used by ``rltheory figures`` for figures that
    combine several claims.
    """
    return [fn for pkg in modules(paths) for mod in package_modules(pkg) for fn in functions_named(mod, "figure_")]


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
