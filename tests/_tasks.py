"""Task functions used by the runner and store tests (cheap, seeded, deterministic)."""

from __future__ import annotations

import os
import time

import numba
import numpy as np


def gaussian_curve(config, seed):
    """Running mean of ``n`` standard normals at steps 1, 2, 4, ... plus two scalars."""
    rng = np.random.default_rng(seed)
    n = int(config["n"])
    x = rng.standard_normal(n) * config.get("scale", 1.0)
    steps = np.unique(np.geomspace(1, n, num=8).astype(np.int64))
    running = np.cumsum(x) / np.arange(1, n + 1)
    return {
        "running_mean": (steps, running[steps - 1]),
        "final_mean": float(running[-1]),
        "max_abs": float(np.max(np.abs(x))),
    }


@numba.njit(cache=False)
def _random_walk_hits(rng, n_steps, level):
    """Steps until a +-1 random walk driven by ``rng`` first reaches ``|level|`` (or n_steps)."""
    pos = 0
    for t in range(n_steps):
        if rng.random() < 0.5:
            pos += 1
        else:
            pos -= 1
        if pos >= level or pos <= -level:
            return t + 1
    return n_steps


def numba_walk(config, seed):
    """Hitting times of random walks simulated in an ``@njit`` function with a Generator."""
    rng = np.random.default_rng(seed)
    reps = int(config["reps"])
    hits = np.empty(reps, dtype=np.float64)
    for i in range(reps):
        hits[i] = _random_walk_hits(rng, 10_000, int(config["level"]))
    return {"mean_hit": float(hits.mean()), "hits": (np.arange(reps), hits)}


def sleepy(config, seed):
    """Sleep ``config['sleep']`` seconds, then return one seeded uniform."""
    time.sleep(config["sleep"])
    return {"u": float(np.random.default_rng(seed).random())}


def failing(config, seed):
    """Raise for odd ``config['i']``; return a scalar otherwise."""
    if config["i"] % 2:
        raise RuntimeError(f"deliberate failure for i={config['i']}")
    return {"x": float(config["i"])}


def nan_metric(config, seed):
    """Return a curve with a NaN in it."""
    return {"curve": (np.array([0, 1, 2]), np.array([0.0, np.nan, 1.0]))}


def thread_env(config, seed):
    """Report the thread limits the worker runs under."""
    return {
        "numba_threads": float(numba.get_num_threads()),
        "omp_env": float(os.environ.get("OMP_NUM_THREADS", "-1")),
        "numba_env": float(os.environ.get("NUMBA_NUM_THREADS", "-1")),
    }
