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
4. its :class:`Alternative` s: what a reader would run instead (the learners
   the paper says fail or are weaker, a learner that does not learn; for a
   claim about instances, instances the statement does not cover), run on the
   claim's own instance family, sweep and seeds and put through the same
   check.  ``consistent`` needs the claim to pass and an alternative to come
   out ``violated``; when every alternative passes too the verdict is
   ``vacuous`` (:mod:`rltheory.claims.verdict`).

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
from ..bounds import Bound, Source
from ..fidelity import FIDELITY
from ..runner.fingerprint import code_fingerprint
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
    learner : sequence of str
        The config keys that are *learner settings* (algorithm, bonus, penalty
        scale, ...).  Everything else in a config describes the instance family
        and the sweep; alternatives of a learner claim may change only these keys,
        and the random stream of a task does not depend on them.
    """

    run: TaskFn
    scales: Mapping[str, Scale]
    instance: str = ""
    learner: Sequence[str] = ()

    def __post_init__(self):
        missing = [s for s in SCALES if s not in self.scales]
        if missing:
            raise ValidationError(f"Experiment.scales lacks {missing} (rule: give both 'quick' and 'paper')")
        if isinstance(self.learner, str):
            raise ValidationError(f"Experiment.learner = {self.learner!r} (rule: a sequence of config keys)")
        object.__setattr__(self, "learner", tuple(self.learner))

    def scale(self, name: str) -> Scale:
        if name not in self.scales:
            raise ValidationError(f"scale {name!r} (rule: one of {sorted(self.scales)})")
        return self.scales[name]


#: Roles of an alternative: the paper says it fails, the paper says it is weaker, it does not learn,
#: or (claims about instances) an instance the statement does not cover.
ALTERNATIVE_ROLES = ("fails", "weaker", "null", "uncovered")
#: Kinds of claim: about a learner (alternatives change learner settings only) or about instances
#: (alternatives are instances the statement does not cover).
CLAIM_KINDS = ("learner", "instance")
#: Fewest seeds a claim's sweep may run (the slope intervals are calibrated for 5 to 32 seeds).
MIN_SEEDS = 5


@dataclass(frozen=True)
class Alternative:
    """What a reader would run instead, on the claim's own instance family, sweep and seeds.

    A claim is ``consistent`` only when its own check passes and at least one
    alternative, put through the *same* check, comes out ``violated``; when every
    alternative passes too, the verdict is ``vacuous`` (the instance fixes the
    rate).  See :mod:`rltheory.claims.verdict`.

    Parameters
    ----------
    name : str
        Short name shown in tables (``"greedy"``, ``"behaviour cloning"``, ``"uniform"``).
    overrides : mapping
        Merged into every config of the claim's sweep.  For a claim of kind
        ``"learner"`` every key must be one of the experiment's learner settings
        (:attr:`Experiment.learner`); the instance part, the sweep and the seeds
        stay the claim's.  For a claim of kind ``"instance"`` the overrides name
        an instance the statement does not cover.
    description : str
        What the alternative is and why a reader would try it.
    role : {"fails", "weaker", "null", "uncovered"}
        ``"fails"``: the paper says it fails; ``"weaker"``: the paper says it
        has a worse rate; ``"null"``: it does not learn; ``"uncovered"``: an
        instance outside the statement (instance claims).
    """

    name: str
    overrides: Mapping[str, Any]
    description: str = ""
    role: str = "weaker"

    def __post_init__(self):
        if (not isinstance(self.name, str) or not self.name.strip() or len(self.name) > 60
                or any(not c.isprintable() for c in self.name)):
            raise ValidationError(f"Alternative.name = {self.name!r} (rule: a printable name of 1 to 60 "
                                  "characters, shown in tables)")
        if self.role not in ALTERNATIVE_ROLES:
            raise ValidationError(f"alternative {self.name!r}: role = {self.role!r} "
                                  f"(rule: one of {ALTERNATIVE_ROLES})")
        if not self.overrides:
            raise ValidationError(f"alternative {self.name!r}: no overrides (rule: an alternative "
                                  "changes at least one setting of the claim's runs)")
        object.__setattr__(self, "overrides", dict(self.overrides))

    @property
    def arm(self) -> str:
        """The arm name of its tasks in the results store: ``alt:<name>``."""
        return f"alt:{self.name}"


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
        the paper, as the specification marks them; a claim whose run scales a
        confidence radius or substitutes an oracle is ``reconstructed``.
    experiment : Experiment
    metric : str
        Name of the metric the check reads.
    check : RateCheck | ExplicitCheck | IdentityCheck
    alternatives : sequence of Alternative
        At least one; run on the claim's own instances, sweep and seeds and put
        through the same check (see :class:`Alternative`).
    kind : {"learner", "instance"}
        ``"learner"``: a statement about what a learner achieves; its
        alternatives may change only learner settings.  ``"instance"``: a
        statement about instances (an exact divergence between a hard pair);
        its alternatives are instances the statement does not cover.
    bound : Bound, optional
        The theorem's bound (required by rate checks, and by explicit checks
        that use its formula).
    fidelity_note : str
        What exactly is reconstructed or scaled (penalty scales, oracles, ...).
    version : str
        Algorithm version, recorded with every result; results are also keyed
        by a fingerprint of the code behind the task function, so a changed
        task function or library is recomputed whether or not this is bumped.
    figure : str
        Figure kind for :mod:`rltheory.plot`: ``"loglog"`` (metric against the
        checked parameter) or ``"curve"`` (learning curves against episodes).
    units : str
        Units of the metric, shown on figure axes (e.g. ``"return units"``).
    family : str
        Claims of one family (the same statement at several constant scales)
        draw their random streams from the family name instead of their id, so
        they meet the same instances and draws; ``""``: the claim's own id.
    """

    id: str
    statement: str
    source: Source
    fidelity: str
    experiment: Experiment
    metric: str
    check: Any
    alternatives: Sequence[Alternative]
    kind: str = "learner"
    bound: Bound | None = None
    fidelity_note: str = ""
    version: str = "1"
    figure: str = "loglog"
    units: str = ""
    tags: tuple[str, ...] = ()
    family: str = ""

    def __post_init__(self):
        if not _ID_RE.match(self.id):
            raise ValidationError(f"Claim.id = {self.id!r} (rule: letters, digits, '_', '.', '-')")
        if self.fidelity not in FIDELITY:
            raise ValidationError(f"claim {self.id}: fidelity = {self.fidelity!r} (rule: one of {FIDELITY})")
        if self.kind not in CLAIM_KINDS:
            raise ValidationError(f"claim {self.id}: kind = {self.kind!r} (rule: one of {CLAIM_KINDS})")
        alts = tuple(self.alternatives) if not isinstance(self.alternatives, Alternative) else (self.alternatives,)
        object.__setattr__(self, "alternatives", alts)
        if not alts or not all(isinstance(a, Alternative) for a in alts):
            raise ValidationError(f"claim {self.id}: alternatives = {self.alternatives!r} (rule: at least one "
                                  "Alternative; a verdict is evidence only if a weaker learner can fail the check)")
        names = [a.name for a in alts]
        if len(set(names)) != len(names):
            raise ValidationError(f"claim {self.id}: alternative names {names} (rule: unique names)")
        learner = set(self.experiment.learner)
        for a in alts:
            if self.kind == "learner":
                bad = sorted(set(a.overrides) - learner)
                if bad:
                    raise ValidationError(
                        f"claim {self.id}: alternative {a.name!r} overrides {bad}, which are not learner "
                        f"settings (rule: an alternative of a learner claim changes only the learner settings "
                        f"{sorted(learner)} and runs on the claim's own instances, sweep and seeds)")
            elif not set(a.overrides) - learner:
                raise ValidationError(
                    f"claim {self.id}: alternative {a.name!r} of an instance claim changes only learner "
                    f"settings {sorted(a.overrides)} (rule: an instance claim's alternatives are instances the "
                    "statement does not cover)")
        for name in SCALES:
            sc = self.experiment.scale(name)
            if int(sc.seeds) < MIN_SEEDS:
                raise ValidationError(f"claim {self.id}: scale {name!r} runs {sc.seeds} seeds "
                                      f"(rule: at least {MIN_SEEDS} seeds per config)")
            base = sc.configs()[0]
            for a in alts:
                if all(k in base and base[k] == v for k, v in a.overrides.items()):
                    raise ValidationError(f"claim {self.id}: alternative {a.name!r} changes nothing at scale "
                                          f"{name!r} (rule: an alternative differs from the claim's runs)")
        if self.figure not in ("loglog", "curve"):
            raise ValidationError(f"claim {self.id}: figure = {self.figure!r} (rule: 'loglog' or 'curve')")
        self.check.validate(self)

    @property
    def paper(self) -> str:
        return self.source.paper

    @property
    def arms(self) -> tuple[str, ...]:
        """``("claim", "alt:<name>", ...)``: the arms of the claim's tasks."""
        return ("claim",) + tuple(a.arm for a in self.alternatives)

    def alternative(self, arm: str) -> Alternative:
        """The alternative whose arm is ``arm``."""
        for a in self.alternatives:
            if a.arm == arm:
                return a
        raise ValidationError(f"claim {self.id} has no arm {arm!r} (rule: one of {self.arms})")

    def tasks(self, scale: str, root_seed: int = 0) -> list[Task]:
        """All tasks of the claim and of its alternatives at ``scale``.

        Every arm runs the claim's task function on the claim's sweep and seeds;
        an alternative's configs differ only by its overrides.  The random
        stream of a task depends on the claim, the *instance part* of its
        config (everything but the learner settings) and the seed, so the
        claim and its alternatives meet the same instances and the same draws
        (common random numbers).  Task keys carry the claim's ``version`` and a
        fingerprint of the code behind the task function
        (:func:`rltheory.runner.fingerprint.code_fingerprint`), so results of
        older code are never reused.
        """
        sc = self.experiment.scale(scale)
        learner = tuple(sorted(self.experiment.learner))
        version = f"{self.version}+{code_fingerprint(self.experiment.run)}"
        out = []
        for arm, overrides in [("claim", None)] + [(a.arm, a.overrides) for a in self.alternatives]:
            for cfg in sc.configs(overrides):
                for seed in range(int(sc.seeds)):
                    out.append(Task.make(self.id, arm, cfg, seed, root_seed=root_seed,
                                         version=version, fn=self.experiment.run, learner_keys=learner,
                                         stream_id=self.family))
        return out
