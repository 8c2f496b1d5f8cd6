"""Tasks of a sweep: (claim, arm, config, seed), their keys and their random streams.

A sweep is a list of :class:`Task`.  Each task derives its random stream from
one root :class:`numpy.random.SeedSequence`:
``SeedSequence(root_seed, spawn_key=(crc32(stream_id or claim_id), crc32(stream_json), seed))``
with ``stream_json`` the config without its learner settings,
so a task's randomness depends only on what it is (never on the order of the
sweep, the number of workers or the backend), and adding configurations to a
sweep leaves the streams of the others unchanged.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from .._errors import ValidationError

#: A task function: ``fn(config, seed_sequence) -> {metric: scalar | (steps, values)}``.
TaskFn = Callable[[dict, np.random.SeedSequence], Mapping[str, Any]]

#: Arms of a claim's tasks: the claim's own runs, and ``alt:<name>`` for each alternative
#: (``"control"`` is accepted for plain sweeps).
ARMS = ("claim", "control")
ALT_PREFIX = "alt:"


def _jsonable(x):
    if isinstance(x, Mapping):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (str, int, float, bool)) or x is None:
        return x
    raise ValidationError(f"config value {x!r} of type {type(x).__name__} "
                          "(rule: configs hold JSON values: numbers, strings, booleans, lists, dicts)")


def canonical_json(config: Mapping) -> str:
    """Canonical JSON of a config (sorted keys, no whitespace): what hashes and seeds use."""
    return json.dumps(_jsonable(config), sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Task:
    """One run: a claim's arm (``"claim"`` or its negative ``"control"``) at one config and seed.

    Attributes
    ----------
    claim_id : str
    arm : {"claim", "control"}
    config_json : str
        Canonical JSON of the configuration (see :func:`canonical_json`).
    seed : int
        Seed index ``0 .. n_seeds - 1``.
    root_seed : int
        Entropy of the sweep's root ``SeedSequence``.
    version : str
        The algorithm version of the claim; part of the key, so results of an
        older algorithm are never mistaken for the current one's.
    fn : callable
        The task function (not part of the key or equality).
    learner_keys : tuple of str
        Config keys that are learner settings: left out of the random stream, so
        that arms differing only in learner settings draw the same instances
        and the same random numbers (common random numbers).
    stream_id : str
        Name the random stream derives from instead of ``claim_id`` (claims of
        one family, e.g. one claim per constant scale, then meet the same
        instances); ``""`` means ``claim_id``.
    """

    claim_id: str
    arm: str
    config_json: str
    seed: int
    root_seed: int = 0
    version: str = "1"
    fn: TaskFn | None = field(default=None, compare=False, repr=False)
    learner_keys: tuple[str, ...] = ()
    stream_id: str = ""

    @classmethod
    def make(cls, claim_id: str, arm: str, config: Mapping, seed: int, root_seed: int = 0,
             version: str = "1", fn: TaskFn | None = None, learner_keys=(), stream_id: str = "") -> "Task":
        if not (arm in ARMS or (isinstance(arm, str) and arm.startswith(ALT_PREFIX) and len(arm) > 4)):
            raise ValidationError(f"arm = {arm!r} (rule: one of {ARMS} or '{ALT_PREFIX}<name>')")
        return cls(claim_id, arm, canonical_json(config), int(seed), int(root_seed), str(version), fn,
                   tuple(sorted(str(k) for k in learner_keys)), str(stream_id))

    @property
    def stream_json(self) -> str:
        """Canonical JSON of the config without the learner settings: what the random stream depends on."""
        if not self.learner_keys:
            return self.config_json
        return canonical_json({k: v for k, v in self.config.items() if k not in self.learner_keys})

    @property
    def config(self) -> dict:
        return json.loads(self.config_json)

    @property
    def config_hash(self) -> str:
        """16 hex digits of SHA-256 of the canonical config JSON."""
        return hashlib.sha256(self.config_json.encode()).hexdigest()[:16]

    @property
    def key(self) -> str:
        """Results-store key: a hash of claim id, arm, config, seed, root seed and version."""
        payload = [self.claim_id, self.arm, self.config_json, self.seed, self.root_seed, self.version]
        if self.learner_keys:
            payload.append(list(self.learner_keys))
        payload = json.dumps(payload)
        return hashlib.sha256(payload.encode()).hexdigest()[:24]

    def seed_sequence(self) -> np.random.SeedSequence:
        """The task's own ``SeedSequence`` (see the module docstring)."""
        return np.random.SeedSequence(
            self.root_seed,
            spawn_key=(zlib.crc32((self.stream_id or self.claim_id).encode()),
                       zlib.crc32(self.stream_json.encode()),
                       self.seed))
