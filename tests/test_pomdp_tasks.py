"""Task functions of experiments/pomdp: deterministic given (config, seed), metrics as documented.

Never asserts a claim's verdict; checks the machinery (determinism, common random numbers across
learner settings, the invariance the revealing-constant instance family relies on).
"""

import numpy as np
import pytest

from rltheory.bounds.pomdp import revealing_closed_form
from rltheory.solvers import pinv_revealing_lower_bound, revealing_constant

from _experiments import load_claim_module


@pytest.fixture(scope="module")
def tasks():
    return load_claim_module("pomdp", "tasks")


def _seed(k=0):
    return np.random.SeedSequence(1234, spawn_key=(k,))


@pytest.mark.parametrize("fn, cfg", [
    ("run_revealing_constant", {"n": 4, "refined": True, "method": "lp"}),
    ("run_testing_samples", {"n": 8, "eps": 0.6, "a": 0.8, "n_mc": 500, "procedure": "test"}),
    ("run_testing_samples", {"n": 8, "eps": 0.6, "a": 0.8, "n_mc": 500, "procedure": "learn"}),
    ("run_lock", {"H": 3, "A": 2, "inv_a": 2.0, "delta": 0.05, "learner": "search"}),
    ("run_reveal_regret", {"k": 3, "eps": 0.8, "a": 0.8, "c_explore": 1.0, "variant": "two_step",
                           "learner": "etc", "T": 200}),
    ("run_tv_bracket", {"H": 3, "N": 2, "collection": "adaptive"}),
])
def test_tasks_are_deterministic(tasks, fn, cfg):
    a = getattr(tasks, fn)(cfg, _seed())
    b = getattr(tasks, fn)(cfg, _seed())
    assert a.keys() == b.keys()
    for k in a:
        va, vb = a[k], b[k]
        if isinstance(va, tuple):
            assert all(np.array_equal(x, y) for x, y in zip(va, vb))
        else:
            assert va == vb


def test_refined_channels_keep_the_closed_form(tasks):
    rng = np.random.default_rng(0)
    for n in (3, 5):
        M = tasks.refined_channel(n, 0.4, 0.7, True, rng)
        assert M.shape == (2 * n, n)
        assert revealing_constant(M) == pytest.approx(revealing_closed_form(n, 0.4), abs=1e-9)
        assert pinv_revealing_lower_bound(M) < revealing_closed_form(n, 0.4) - 1e-3


def test_observation_eps_is_read_from_the_pomdp(tasks):
    assert tasks.observation_eps(8, 0.6, 0.8) == pytest.approx(0.48, abs=1e-12)


def test_learner_error_fraction_matches_monte_carlo(tasks):
    n, e, N = 8, 0.5, 30
    rng = np.random.default_rng(1)
    p = np.tile([(1 + e) / n, (1 - e) / n], n // 2)
    counts = rng.multinomial(N, p, size=200_000)
    plus, minus = counts[:, 0::2], counts[:, 1::2]
    wrong = (plus < minus) + 0.5 * (plus == minus)
    assert tasks.learner_error_fraction(n, e, N) == pytest.approx(wrong.mean(), abs=3e-3)


def test_iid_bracket_holds_and_adaptive_runs_share_the_instance(tasks):
    for N in (1, 3):
        r = tasks.run_tv_bracket({"H": 3, "N": N, "collection": "iid"}, _seed(N))
        assert r["bracket_violation"] <= 1e-12 and r["tv_lower"] <= r["tv"] + 1e-12
    a = tasks.run_tv_bracket({"H": 3, "N": 1, "collection": "adaptive"}, _seed(1))
    b = tasks.run_tv_bracket({"H": 3, "N": 1, "collection": "iid"}, _seed(1))
    assert a["tv"] == pytest.approx(b["tv"], abs=1e-15)        # one episode: nothing to adapt
