"""Where the project's own claim files, proof checks and benchmarks are found by default.

``rltheory verify``, ``list``, ``proofs`` and ``bench`` without paths look, in order, in

1. ``./<name>`` of the current directory (a user's own ``experiments/``, as pytest finds tests);
2. ``<name>`` beside the installed package (a source checkout or an editable install);
3. ``<prefix>/share/rltheory/<name>``, where a regular ``pip install`` puts the copies shipped
   with the distribution (``[tool.setuptools.data-files]`` in ``pyproject.toml``).

Explicit paths given on the command line are always used as they are.
"""

from __future__ import annotations

import site
import sys
from pathlib import Path

from ._errors import ValidationError

FOLDERS = ("experiments", "proofs_check", "benchmarks")


def candidates(name: str) -> list[Path]:
    """The places searched for the folder ``name``, in order."""
    import rltheory
    here = Path(rltheory.__file__).resolve().parent.parent
    prefixes = [Path(sys.prefix), Path(site.getuserbase())]
    return [Path.cwd() / name, here / name] + [p / "share" / "rltheory" / name for p in prefixes]


def default_folder(name: str) -> Path:
    """The first existing folder ``name`` among :func:`candidates`; an error naming them all otherwise."""
    if name not in FOLDERS:
        raise ValidationError(f"folder {name!r} (rule: one of {FOLDERS})")
    places = candidates(name)
    for p in places:
        if p.is_dir() and any(p.glob("*.py")) or (p / "__init__.py").is_file():
            return p
    listed = ", ".join(str(p) for p in places)
    raise ValidationError(f"no {name}/ folder found (looked in {listed}) "
                          f"(rule: give paths explicitly, or reinstall rltheory, which ships its {name}/)")
