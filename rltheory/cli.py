"""The ``rltheory`` command.

::

    rltheory list     [PATH ...] [--claims GLOB]
    rltheory verify   --scale quick|paper [--claims GLOB] [--workers N] [--backend local|dask]
                      [--address ADDR] [--out DIR] [--seed N] [PATH ...]
    rltheory figures  [--scale quick|paper] [--out DIR] [--figdir paper_figs] [PATH ...]
    rltheory report   [--out DIR] [--format text|latex] [PATH ...]
    rltheory fingerprint [--out DIR]
    rltheory proofs   [--latex] [PATH ...]
    rltheory bench    [--quick] [NAME ...]

``PATH`` arguments are claim files or folders (default ``experiments/``),
found the way pytest finds tests.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

from . import __version__
from ._errors import ValidationError


def _add_common(p, scale_default=None):
    p.add_argument("paths", nargs="*", metavar="PATH", help="claim files or folders (default: experiments/)")
    p.add_argument("--claims", action="append", metavar="GLOB",
                   help="only claims whose id matches this glob (repeatable), e.g. 'lcb*'")
    if scale_default is not None:
        p.add_argument("--scale", choices=("quick", "paper"), default=scale_default,
                       help="sweep scale: quick (minutes on 2 cores) or paper")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="rltheory", description="Check RL theorems against the machine.")
    ap.add_argument("--version", action="version", version=f"rltheory {__version__}")
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")

    p = sub.add_parser("list", help="list claims with their source and fidelity")
    _add_common(p)

    for name, hlp in (("verify", "run the sweeps and print a verdict per claim"),
                      ("figures", "run (or resume) the sweeps and write figures into paper_figs/")):
        p = sub.add_parser(name, help=hlp)
        _add_common(p, scale_default="quick")
        p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
        p.add_argument("--backend", choices=("local", "dask"), default="local")
        p.add_argument("--address", default=None, help="dask scheduler address (default: a LocalCluster)")
        p.add_argument("--out", default="rltheory-out", help="output folder (results store, reports)")
        p.add_argument("--seed", type=int, default=0, help="root seed of the sweep")
        p.add_argument("--allow-mixed-versions", action="store_true",
                       help="reuse a results folder written by another rltheory version")
        p.add_argument("--no-progress", action="store_true", help="no progress bar")
        if name == "verify":
            p.add_argument("--fail-on", choices=("never", "violated", "inconclusive"), default="never",
                           help="exit 1 when a verdict is violated (or also inconclusive or vacuous)")
        else:
            p.add_argument("--figdir", default="paper_figs", help="where figures go (default paper_figs/)")

    p = sub.add_parser("report", help="re-read a results folder and rewrite the report (no recomputation)")
    _add_common(p)
    p.add_argument("--out", default="rltheory-out")
    p.add_argument("--allow-mixed-versions", action="store_true")
    p.add_argument("--format", choices=("text", "latex"), default="text",
                   help="text: print the table and rewrite report.md/json; latex: also write report.tex")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")

    p = sub.add_parser("fingerprint", help="print a digest of every claim's results in a results folder "
                       "(equal digests = bit-identical numbers, whatever code version or machine)")
    p.add_argument("--out", default="rltheory-out")

    p = sub.add_parser("proofs", help="run the proof-step checks in proofs_check/")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--latex", action="store_true", help="print statements as LaTeX (default: plain text)")

    p = sub.add_parser("bench", help="run the speed benchmarks in benchmarks/")
    p.add_argument("names", nargs="*", metavar="NAME", help="benchmark names, e.g. solvers ucbvi")
    p.add_argument("--quick", action="store_true", help="smaller sizes")
    p.add_argument("--dir", default=None, help="folder of bench_*.py files (default: benchmarks/ of the "
                   "current directory, else the one shipped with rltheory)")
    return ap


def _claims(args):
    from .claims import discover, select
    return select(discover(args.paths or None), args.claims)


def cmd_list(args) -> int:
    claims = _claims(args)
    w = max([len(c.id) for c in claims] + [5])
    print(f"{'claim'.ljust(w)}  {'check':9}  {'fidelity':13}  source")
    for c in claims:
        print(f"{c.id.ljust(w)}  {c.check.kind:9}  {c.fidelity:13}  {c.source.cite()}")
        print(f"{''.ljust(w)}  {c.statement}")
        alts = "; ".join(f"{a.name} ({a.role})" for a in c.alternatives)
        print(f"{''.ljust(w)}  alternatives on the same instances: {alts}")
    print(f"\n{len(claims)} claims")
    return 0


def _verify(args, figures=True):
    from .claims.engine import verify
    return verify(_claims(args), scale=args.scale, out=args.out, backend=args.backend,
                  workers=args.workers, address=args.address, root_seed=args.seed,
                  allow_mixed_versions=args.allow_mixed_versions, progress=not args.no_progress,
                  figures=figures)


def cmd_verify(args) -> int:
    from .claims.report import table
    res = _verify(args)
    print(table(res.verdicts))
    print(f"\nreport: {res.report_json}  {res.report_md}")
    statuses = {v.status for v in res.verdicts}
    if args.fail_on == "violated" and "violated" in statuses:
        return 1
    if args.fail_on == "inconclusive" and statuses & {"violated", "inconclusive", "vacuous"}:
        return 1
    return 0


def cmd_figures(args) -> int:
    from .claims.registry import figure_functions
    from .claims.report import write_combined_figures, write_figure_index, write_figures
    res = _verify(args, figures=False)
    figs = write_figures(res.verdicts, Path(args.figdir))
    figs += write_combined_figures(res.verdicts, Path(args.figdir), figure_functions(args.paths or None))
    idx = write_figure_index(Path(args.figdir))
    for f in figs:
        print(f)
    print(f"index: {idx}")
    return 0


def cmd_report(args) -> int:
    from .claims.engine import verify
    from .claims.report import table
    out = Path(args.out)
    meta_path = out / "run.json"
    if not meta_path.exists():
        raise ValidationError(f"{meta_path} not found (rule: `rltheory report` re-reads a folder written "
                              "by `rltheory verify`)")
    meta = json.loads(meta_path.read_text())
    from .claims import discover, select
    claims = select(discover(args.paths or None), args.claims or meta["claims"])
    res = verify(claims, scale=meta["scale"], out=out, root_seed=meta["root_seed"],
                 allow_mixed_versions=args.allow_mixed_versions, recompute=False,
                 progress=not args.no_progress)
    print(table(res.verdicts))
    if args.format == "latex":
        from .claims.report import latex_table
        from .runner.store import atomic_write_bytes
        tex = out / "report.tex"
        atomic_write_bytes(tex, latex_table(res.verdicts).encode())
        print(f"LaTeX table: {tex}")
    print(f"\nreport: {res.report_json}  {res.report_md}")
    return 0


def cmd_fingerprint(args) -> int:
    from .runner import ResultStore
    root = Path(args.out) / "results"
    if not root.is_dir():
        raise ValidationError(f"{root} is not a results folder (rule: give the --out of a `rltheory verify` run)")
    store = ResultStore(root, allow_mixed_versions=True, clean_temp=False)
    total = hashlib.sha256()
    for cid in store.claims():
        d = store.content_digest(cid)
        if d is None:
            continue
        total.update(f"{cid}:{d}".encode())
        print(f"{d[:16]}  {cid}")
    print(f"{total.hexdigest()[:16]}  (all claims)")
    return 0


def cmd_proofs(args) -> int:
    from .plain_math import plain_math
    from .proofs import run_checks
    results = run_checks(args.paths or None)
    failed = 0
    for paper, step in results:
        mark = "holds" if step.holds else "FAILS"
        failed += not step.holds
        print(f"[{mark}] {paper}.{step.name} ({step.method}) — {step.source}")
        print(f"        {step.statement if args.latex else plain_math(step.statement)}")
        if step.detail and not step.holds:
            print("        " + step.detail.replace("\n", "\n        "))
    print(f"\n{len(results) - failed} of {len(results)} proof steps hold")
    return 1 if failed else 0


def cmd_bench(args) -> int:
    from ._paths import default_folder
    folder = Path(args.dir) if args.dir else default_folder("benchmarks")
    files = sorted(folder.glob("bench_*.py"))
    if args.names:
        want = {f"bench_{n}.py" if not n.startswith("bench_") else f"{n}.py".replace(".py.py", ".py")
                for n in args.names}
        missing = want - {f.name for f in files}
        if missing:
            raise ValidationError(f"unknown benchmark(s) {sorted(missing)} (rule: one of "
                                  f"{[f.stem[6:] for f in files]})")
        files = [f for f in files if f.name in want]
    if not files:
        raise ValidationError(f"no benchmarks found in {folder}/ (rule: files named bench_*.py)")
    rc = 0
    for f in files:
        print(f"== {f.stem} ==", flush=True)
        spec = importlib.util.spec_from_file_location(f"rltheory_bench_{f.stem}", f)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        res = mod.main(["--quick"] if args.quick else [])
        rc |= res if isinstance(res, int) else 0   # an int return is an exit status
    return rc


def main(argv=None) -> int:
    ap = _parser()
    args = ap.parse_args(argv)
    if args.cmd is None:
        ap.print_help()
        return 0
    handler = {"list": cmd_list, "verify": cmd_verify, "figures": cmd_figures, "report": cmd_report,
               "fingerprint": cmd_fingerprint, "proofs": cmd_proofs, "bench": cmd_bench}[args.cmd]
    try:
        return handler(args)
    except ValidationError as exc:
        print(f"rltheory {args.cmd}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\nrltheory {args.cmd}: interrupted; finished tasks are kept in the results store and a "
              "rerun computes only the rest", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
