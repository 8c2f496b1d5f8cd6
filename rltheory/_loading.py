"""Loading user Python files (claim files, proof-check files) by path, the way pytest finds tests."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from typing import Sequence

from ._errors import ValidationError


def _folder_entries(folder: Path) -> list[Path]:
    """Files and packages below ``folder``: a sub-folder with ``__init__.py`` is one entry (a package)."""
    out: list[Path] = []
    for f in sorted(folder.iterdir()):
        if f.name.startswith(("_", ".")) or f.name == "__pycache__":
            continue
        if f.is_dir():
            out.extend([f] if (f / "__init__.py").is_file() else _folder_entries(f))
        elif f.suffix == ".py":
            out.append(f)
    return out


def python_files(paths: Sequence[str | Path], what: str) -> list[Path]:
    """The ``*.py`` files in ``paths`` (files, or folders searched recursively); names starting
    with ``_`` are skipped.  A folder holding ``__init__.py`` is a *package*: it is returned as
    one entry, and :func:`load_file` imports it with all its modules (so its files may import
    each other with relative imports: ``from .tasks import run``).  A missing path is a
    :class:`ValidationError` naming it."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir() and (p / "__init__.py").is_file():
            out.append(p)
        elif p.is_dir():
            out.extend(_folder_entries(p))
        elif p.is_file() and p.suffix == ".py":
            out.append(p)
        else:
            raise ValidationError(f"{what} path {str(p)!r} does not exist or is not a .py file or folder "
                                  f"(rule: give {what} files or folders that hold them)")
    return out


def _content_hash(path: Path) -> str:
    """8 hex digits of SHA-1 over the path and the bytes of the file (every ``.py`` of a package folder)."""
    h = hashlib.sha1(str(path).encode())
    files = [path] if path.is_file() else sorted(path.glob("*.py"))
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:8]


def load_file(path: str | Path, namespace: str):
    """Import ``path`` once per content, as the private module ``<namespace>_<stem>_<hash of path and bytes>``.

    A file edited since it was loaded is loaded again under a new name, so the
    code that runs is always the code on disk (whose fingerprint keys the results).

    ``path`` is a ``.py`` file or a package folder (holding ``__init__.py``);
    a package is imported with every module in it (``name.<stem>``), so that
    its files can import each other relatively.  A file that fails to import
    leaves nothing behind in ``sys.modules``.
    """
    path = Path(path).resolve()
    name = f"{namespace}_{path.stem if path.is_file() else path.name}_{_content_hash(path)}"
    if name in sys.modules:
        return sys.modules[name]
    if path.is_dir():
        spec = importlib.util.spec_from_file_location(name, path / "__init__.py",
                                                      submodule_search_locations=[str(path)])
    else:
        spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        if path.is_dir():
            for f in sorted(path.glob("*.py")):
                if f.name != "__init__.py":
                    importlib.import_module(f"{name}.{f.stem}")
    except Exception:
        for k in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[k]
        raise
    return module


def package_modules(module) -> list:
    """``module`` and, for a package loaded by :func:`load_file`, its modules, in name order."""
    name = module.__name__
    subs = sorted(k for k in sys.modules if k.startswith(name + "."))
    return [module] + [sys.modules[k] for k in subs]


def functions_named(module, prefix: str) -> list:
    """Functions defined in ``module`` (not imported into it) whose names start with ``prefix``, by name."""
    return [fn for nm, fn in sorted(vars(module).items())
            if nm.startswith(prefix) and callable(fn) and getattr(fn, "__module__", None) == module.__name__]
