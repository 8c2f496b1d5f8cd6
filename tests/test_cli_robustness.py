"""The command under a user's mistakes and faults: clear one-line errors, exit codes, no stale results."""

import json
import re
import textwrap
from pathlib import Path

import pytest

from rltheory.claims import VERDICTS
from rltheory.claims.engine import out_folder_lock
from rltheory.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"

IDENTITY_FILE = textwrap.dedent('''
    import numpy as np
    from rltheory.claims import Alternative, Claim, Experiment, IdentityCheck, Scale, Source

    SRC = Source("Identities for testing", theorem="Lemma 1")
    VALUE = {value}

    def task(config, seed):
        if config.get("fail") and config["i"] % 2:
            raise RuntimeError(f"deliberate failure for i={{config['i']}}")
        if config.get("interrupt"):
            raise KeyboardInterrupt
        return {{"x": VALUE if config["solver"] == "exact" else VALUE + 1.0}}

    same = Claim(id="{cid}", statement="x equals 1191.", source=SRC, fidelity="verified", metric="x",
                 experiment=Experiment(task, {{"quick": Scale({{"i": [0, 1]}}, {{"solver": "exact"{extra}}}),
                                              "paper": Scale({{"i": [0, 1]}}, {{"solver": "exact"{extra}}})}},
                                       learner=("solver",)),
                 check=IdentityCheck(target=1191.0, tol=1e-9),
                 alternatives=[Alternative("off by one", {{"solver": "shifted"}}, role="fails")])
''')


def _write(folder: Path, value=1191.0, cid="ident.x", extra="", name="ident.py") -> Path:
    folder.mkdir(exist_ok=True)
    f = folder / name
    f.write_text(IDENTITY_FILE.format(value=value, cid=cid, extra=extra))
    return f


def _verify(*args):
    return main(["verify", "--scale", "quick", "--no-progress", *map(str, args)])


def _claim(out: Path, cid: str) -> dict:
    rep = json.loads((out / "report.json").read_text())
    return next(c for c in rep["claims"] if c["id"] == cid)


def test_a_changed_task_function_is_recomputed_not_reused(tmp_path):
    out = tmp_path / "out"
    f = _write(tmp_path / "c", value=11.9)
    assert _verify("--out", out, f) == 0
    assert _claim(out, "ident.x")["figure"]["estimate"] == pytest.approx(1191 - 11.9)
    _write(tmp_path / "c", value=1191.0)                  # the task function changes
    assert _verify("--out", out, f) == 0
    c = _claim(out, "ident.x")
    assert c["verdict"] == "consistent" and c["figure"]["estimate"] == 0.0


def test_report_names_stale_results_instead_of_reusing_them(tmp_path, capsys):
    out = tmp_path / "out"
    f = _write(tmp_path / "c", value=11.9)
    assert _verify("--out", out, f) == 0
    _write(tmp_path / "c", value=1191.0)
    assert main(["report", "--out", str(out), "--no-progress", str(f)]) == 2
    err = capsys.readouterr().err
    assert "produced by other code" in err and "ident.x" in err and "Traceback" not in err


def test_a_second_run_on_a_busy_out_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    f = _write(tmp_path / "c")
    with out_folder_lock(out):
        assert _verify("--out", out, f) == 2
    err = capsys.readouterr().err
    assert "is in use by another rltheory run" in err and f"pid" in err
    assert _verify("--out", out, f) == 0                 # the lock is released with its holder


def test_the_report_names_claims_of_other_runs_on_the_same_folder(tmp_path):
    out = tmp_path / "out"
    a = _write(tmp_path / "a", cid="ident.a")
    b = _write(tmp_path / "b", cid="ident.b")
    assert _verify("--out", out, a) == 0
    assert _verify("--out", out, b) == 0
    rep = json.loads((out / "report.json").read_text())
    assert rep["covers"] == ["ident.b"] and rep["store_also_holds"] == ["ident.a"]
    assert "ident.a" in (out / "report.md").read_text()


@pytest.mark.parametrize("bad", ["file", "unwritable"])
def test_a_bad_out_is_one_clear_line(tmp_path, capsys, bad):
    f = _write(tmp_path / "c")
    if bad == "file":
        out = tmp_path / "a_file"
        out.write_text("x")
        want = "is a file"
    else:
        out = Path("/proc/rltheory-cannot-write/out")
        want = "cannot be written"
    assert _verify("--out", out, f) == 2
    err = capsys.readouterr().err
    assert want in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_negative_seed_is_refused(tmp_path, capsys):
    f = _write(tmp_path / "c")
    assert _verify("--out", tmp_path / "o", "--seed", "-5", f) == 2
    err = capsys.readouterr().err
    assert "--seed -5" in err and "Traceback" not in err


def test_failing_tasks_are_reported_once_each_with_claim_config_and_last_line(tmp_path, capsys):
    f = _write(tmp_path / "c", extra=', "fail": True')
    assert main(["verify", "--scale", "quick", "--out", str(tmp_path / "o"), str(f)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if "deliberate failure" in ln]
    assert len(lines) == 10                                # 2 arms x 5 seeds at i = 1, once each
    assert all("ident.x" in ln and '"i":1' in ln and "RuntimeError" in ln for ln in lines)


def test_ctrl_c_exits_130_with_one_line(tmp_path, capsys):
    f = _write(tmp_path / "c", extra=', "interrupt": True')
    assert _verify("--out", tmp_path / "o", f) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err


def test_the_readme_claim_template_runs_as_printed(tmp_path, capsys):
    text = README.read_text()
    section = text[text.index("### Writing your own claim"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    f = tmp_path / "coin.py"
    f.write_text(code)
    out = tmp_path / "out"
    assert main(["verify", "--scale", "quick", "--out", str(out), "--no-progress", str(f)]) == 0
    c = _claim(out, "coin.hoeffding")
    # Hoeffding's inequality holds, and one flip is no estimator: the known truth of this claim
    assert c["verdict"] == "consistent" and c["alternatives"][0]["verdict"] == "violated"
    assert c["verdict"] in VERDICTS


def test_the_verdict_table_fits_120_columns(tmp_path, capsys):
    f = _write(tmp_path / "c")
    assert _verify("--out", tmp_path / "o", f) == 0
    printed = capsys.readouterr().out
    assert max(len(ln) for ln in printed.splitlines() if not ln.startswith("report:")) <= 120


def test_report_md_escapes_pipes_and_latex_table(tmp_path, capsys):
    f = _write(tmp_path / "c")
    out = tmp_path / "o"
    assert _verify("--out", out, f) == 0
    md = (out / "report.md").read_text()
    table_rows = [ln for ln in md.splitlines() if ln.startswith("| `ident.x`")]
    assert table_rows and all(ln.count(" | ") == 4 for ln in table_rows)
    assert main(["report", "--out", str(out), "--format", "latex", "--no-progress", str(f)]) == 0
    tex = (out / "report.tex").read_text()
    assert "\\begin{tabular}" in tex and "ident.x".replace("_", "\\_") in tex and "$\\le$" in tex


def test_fingerprint_is_the_same_for_the_same_numbers_and_changes_with_them(tmp_path, capsys):
    f = _write(tmp_path / "c", value=1191.0)
    for out in ("o1", "o2"):
        assert _verify("--out", tmp_path / out, f) == 0
    capsys.readouterr()
    digests = []
    for out in ("o1", "o2"):
        assert main(["fingerprint", "--out", str(tmp_path / out)]) == 0
        digests.append(capsys.readouterr().out)
    assert digests[0] == digests[1] and "ident.x" in digests[0]
    f2 = _write(tmp_path / "d", value=11.9)
    assert _verify("--out", tmp_path / "o3", f2) == 0
    capsys.readouterr()
    assert main(["fingerprint", "--out", str(tmp_path / "o3")]) == 0
    assert capsys.readouterr().out != digests[0]
