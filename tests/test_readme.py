"""The README's library example runs as printed."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_ten_line_example_runs_as_printed(tmp_path):
    text = README.read_text()
    section = text[text.index("## In ten lines"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len([ln for ln in code.splitlines() if ln.strip()]) <= 10
    f = tmp_path / "example.py"
    f.write_text(code)
    r = subprocess.run([sys.executable, str(f)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("V*(mu0) = ") and lines[1].startswith("regret after 2000 episodes: ")
    regret = float(lines[1].rsplit(" ", 1)[1])
    assert 0 < regret < 2000 * float(lines[0].split("= ")[1])
