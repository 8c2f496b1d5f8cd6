"""The notation page lists every public attribute of the models, solver results and learner runs."""

import dataclasses
import inspect
import re

import pytest

import rltheory.algorithms as A
import rltheory.envs as E
import rltheory.models as M
import rltheory.notation as notation
import rltheory.solvers as S


def _exported_dataclasses():
    """Every dataclass a public package exports: models, solver results, learner runs, instances."""
    found = {}
    for package in (M, S, A, E):
        for name in package.__all__:
            obj = getattr(package, name)
            if inspect.isclass(obj) and dataclasses.is_dataclass(obj):
                found[obj.__name__] = obj
    return [found[n] for n in sorted(found)]


CLASSES = _exported_dataclasses()


def _public(cls) -> set[str]:
    fields = {f.name for f in dataclasses.fields(cls)}
    props = {n for n, v in inspect.getmembers(cls) if isinstance(v, property)}
    return {n for n in fields | props if not n.startswith("_")}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_public_attribute_is_on_the_notation_page(cls):
    doc = notation.__doc__
    start = doc.index(f"``{cls.__name__}``")
    nxt = re.search(r"``[A-Z][A-Za-z]+``:", doc[start + len(cls.__name__) + 5:])
    section = doc[start:start + len(cls.__name__) + 5 + (nxt.start() if nxt else len(doc))]
    missing = sorted(n for n in _public(cls) if f"``{n}``" not in section)
    assert not missing, f"{cls.__name__}: {missing}"
