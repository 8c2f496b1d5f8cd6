r"""A claim: a paper's bound, the experiment that measures it, and the check that decides it.

A :class:`Claim` bundles

1. its **source** and **statement** in words, and how faithful the algorithm
   behind it is to the paper (``fidelity``: ``verified``, ``partly`` or
   ``reconstructed``, as the specifications mark them);
2. an :class:`Experiment`: a task function ``run(config, seed_sequence) ->
   {metric: scalar | (steps, values)}`` and a sweep per scale (``quick`` for
   CI on 2 cores, ``paper`` for what a figure in the paper would need);
3. the **metric** the check reads and the **check** (rate, explicit or
   identity, see :mod:`rltheory.claims.checks`);
4. a :class:`NegativeControl`: a deliberately wrong variant (config overrides
   and/or another task function) that the same check must report as
   ``violated``; otherwise the claim's verdict is ``inconclusive (check lacks
   power)``, never ``consistent``.

Claims are plain objects declared in Python files under ``experiments/``; the
registry (:mod:`rltheory.claims.registry`) finds them the way pytest finds
tests.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .._errors import ValidationError
from ..bounds import FIDELITY, Bound, Source
from ..runner.tasks import Task, TaskFn

SCALES = ("quick", "paper")
_ID_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


@dataclass(frozen=True)
class Scale:
    """A sweep at one scale: the cartesian product of ``grid`` on top of ``fixed``, times ``seeds``.

    Parameters
    ----------
    grid : mapping str -> sequence
        Swept parameters; every combination is one config.
    fixed : mapping str -> value
        Parameters shared by every config.
    seeds : int
        Number of seeds (independent runs) per config.
    """

    grid: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    fixed: Mapping[str, Any] = field(default_factory=dict)
    seeds: int = 5

    def __post_init__(self):
        if int(self.seeds) < 1:
            raise ValidationError(f"Scale.seeds = {self.seeds} (rule: at least 1 seed)")
        overlap = set(self.grid) & set(self.fixed)
        if overlap:
            raise ValidationError(f"Scale: parameters {sorted(overlap)} are both swept and fixed "
                                  "(rule: a parameter is either in grid or in fixed)")
        for k, v in self.grid.items():
            if isinstance(v, (str, bytes)) or len(v) == 0:
                raise ValidationError(f"Scale.grid[{k!r}] = {v!r} (rule: a non-empty list of values)")

    def configs(self, overrides: Mapping[str, Any] | None = None) -> list[dict]:
        """Every config of the sweep, in grid order, with ``overrides`` applied last."""
        keys = list(self.grid)
        out = []
        for combo in itertools.product(*(list(self.grid[k]) for k in keys)):
            cfg = dict(self.fixed)
            cfg.update(zip(keys, combo))
            if overrides:
                cfg.update(overrides)
            out.append(cfg)
        return out


@dataclass(frozen=True)
class Experiment:
    """An instance family, a task function and its sweeps.

    Parameters
    ----------
    run : callable
        ``run(config: dict, seed: numpy.random.SeedSequence) -> {metric: value | (steps, values)}``.
        Must be deterministic given ``(config, seed)`` and importable/picklable.
    scales : mapping {"quick", "paper"} -> Scale
    instance : str
        The instance family in words (shown in reports).
    """

    run: TaskFn
    scales: Mapping[str, Scale]
    instance: str = ""

    def __post_init__(self):
        missing = [s for s in SCALES if s not in self.scales]
        if missing:
            raise ValidationError(f"Experiment.scales lacks {missing} (rule: give both 'quick' and 'paper')")

    def scale(self, name: str) -> Scale:
        if name not in self.scales:
            raise ValidationError(f"scale {name!r} (rule: one of {sorted(self.scales)})")
        return self.scales[name]


@dataclass(frozen=True)
class NegativeControl:
    """A deliberately wrong variant that the claim's check must report as ``violated``.

    Parameters
    ----------
    description : str
        What is wrong on purpose (a non-pessimistic learner, a bonus with the
        wrong H dependence, a mis-specified instance, ...).
    overrides : mapping
        Merged into every config of the claim's sweep.
    run : callable, optional
        Another task function (default: the claim's).
    scales : mapping, optional
        Another sweep (default: the claim's).
    """

    description: str
    overrides: Mapping[str, Any] = field(default_factory=dict)
    run: TaskFn | None = None
    scales: Mapping[str, Scale] | None = None


@dataclass(frozen=True)
class Claim:
    """A checkable statement of a paper.

    Parameters
    ----------
    id : str
        Unique id, conventionally ``<paper>.<what>`` (``ucbvi.regret_rate_K``).
    statement : str
        The statement in words, as a reader would quote it.
    source : Source
    fidelity : {"verified", "partly", "reconstructed"}
        How faithful the algorithm (and the constants) behind the claim are to
        the paper, as the specification marks them.
    experiment : Experiment
    metric : str
        Name of the metric the check reads.
    check : RateCheck | ExplicitCheck | IdentityCheck
    control : NegativeControl
    bound : Bound, optional
        The theorem's bound (required by rate checks, and by explicit checks
        that use its formula).
    fidelity_note : str
        What exactly is reconstructed or scaled (penalty scales, oracles, ...).
    version : str
        Algorithm version; bump it when the task function changes so stored
        results are recomputed.
    figure : str
        Figure kind for :mod:`rltheory.plot`: ``"loglog"`` (metric against the
        checked parameter) or ``"curve"`` (learning curves against episodes).
    units : str
        Units of the metric, shown on figure axes (e.g. ``"return units"``).
    """

    id: str
    statement: str
    source: Source
    fidelity: str
    experiment: Experiment
    metric: str
    check: Any
    control: NegativeControl
    bound: Bound | None = None
    fidelity_note: str = ""
    version: str = "1"
    figure: str = "loglog"
    units: str = ""
    tags: tuple[str, ...] = ()

    def __post_init__(self):
        if not _ID_RE.match(self.id):
            raise ValidationError(f"Claim.id = {self.id!r} (rule: letters, digits, '_', '.', '-')")
        if self.fidelity not in FIDELITY:
            raise ValidationError(f"claim {self.id}: fidelity = {self.fidelity!r} (rule: one of {FIDELITY})")
        if not isinstance(self.control, NegativeControl):
            raise ValidationError(f"claim {self.id}: control must be a NegativeControl "
                                  "(rule: every claim ships a negative control)")
        if self.figure not in ("loglog", "curve"):
            raise ValidationError(f"claim {self.id}: figure = {self.figure!r} (rule: 'loglog' or 'curve')")
        self.check.validate(self)

    @property
    def paper(self) -> str:
        return self.source.paper

    def arm_scale(self, arm: str, scale: str) -> Scale:
        """The sweep of ``arm`` (``"claim"`` or ``"control"``) at ``scale``."""
        if arm == "control" and self.control.scales is not None:
            return self.control.scales[scale]
        return self.experiment.scale(scale)

    def arm_run(self, arm: str) -> TaskFn:
        if arm == "control" and self.control.run is not None:
            return self.control.run
        return self.experiment.run

    def tasks(self, scale: str, root_seed: int = 0) -> list[Task]:
        """All tasks of the claim and of its negative control at ``scale``."""
        out = []
        for arm in ("claim", "control"):
            sc = self.arm_scale(arm, scale)
            overrides = self.control.overrides if arm == "control" else None
            fn = self.arm_run(arm)
            for cfg in sc.configs(overrides):
                for seed in range(int(sc.seeds)):
                    out.append(Task.make(self.id, arm, cfg, seed, root_seed=root_seed,
                                         version=self.version, fn=fn))
        return out
