#!/usr/bin/env python3
"""lambdalint sweep benchmarks on a real corpus: Terraform parsing, whole runs, memory, cold start.

Standard library only. Run it with the interpreter lambdalint is installed in::

    python benchmarks/sweep.py --corpus /tmp/corpus              # every section
    python benchmarks/sweep.py --corpus /tmp/corpus --only memory  # or tf / run / cold (repeatable)
    python benchmarks/sweep.py --corpus /tmp/corpus --before 5261577 --before-python /tmp/old/bin/python
    python benchmarks/sweep.py --corpus /tmp/corpus --json out.json

``--before REV`` times the Terraform parser of an older lambdalint revision (exported from this
git repository into a temp dir) with an interpreter that has that revision's dependencies
(python-hcl2 for revisions before the tree-sitter parser). Figures are MEDIANS (and min) over
repeated runs; never assert them in tests. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHECKED_SUFFIXES = (".tf", ".py", ".yaml", ".yml", ".json", ".template")

# Times parse_terraform over every .tf file of a corpus, in a fresh process (so the "before"
# revision can run with its own interpreter and dependencies). Prints JSON.
_TF_TIMER = r"""
import json, sys, time
from pathlib import Path
from lambdalint.documents.hcl import parse_terraform
from lambdalint.documents.nodes import LoadError
files = sorted(Path(sys.argv[1]).rglob("*.tf"))
texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
repeats = int(sys.argv[2])
t0 = time.perf_counter()
try:
    parse_terraform(texts[0] if texts else "")  # first call: grammar load / cache
except LoadError:
    pass
first = time.perf_counter() - t0
samples, cpu, errors = [], [], 0
for _ in range(repeats):
    errors = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for text in texts:
        try:
            parse_terraform(text)
        except LoadError:
            errors += 1
    samples.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
print(json.dumps({"files": len(texts), "bytes": sum(len(t) for t in texts), "samples": samples, "cpu": cpu, "errors": errors, "first_call": first}))
"""


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def run_json(cmd, env=None, cwd=None) -> dict:
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, check=True)
    return json.loads(out.stdout)


def lambdalint_cmd() -> list[str]:
    return [sys.executable, "-m", "lambdalint"]


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# --------------------------------------------------------------------------- corpus copies


def checked_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in CHECKED_SUFFIXES)


def replicate(corpus: Path, dest: Path, copies: int) -> Path:
    """``copies`` side-by-side copies of the corpus's checkable files (hard links when the
    file system allows: a 10x corpus then costs no disk)."""
    files = checked_files(corpus)
    for i in range(copies):
        for f in files:
            target = dest / f"copy{i}" / f.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(f, target)
            except OSError:
                shutil.copyfile(f, target)
    return dest


# --------------------------------------------------------------------------- sections


def bench_tf(args, results):
    repeats = args.repeats
    rows = []
    now = run_json([sys.executable, "-c", _TF_TIMER, str(args.corpus), str(repeats)], env=dict(os.environ, PYTHONPATH=str(REPO / "src")))
    rows.append(("this tree", now))
    if args.before:
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(["git", "-C", str(REPO), "archive", args.before, "src"], capture_output=True, check=True).stdout
            with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
                tar.extractall(tmp)
            env = dict(os.environ, PYTHONPATH=str(Path(tmp) / "src"))
            before = run_json([args.before_python or sys.executable, "-c", _TF_TIMER, str(args.corpus), str(repeats)], env=env)
        rows.append((f"revision {args.before}", before))
    print(f"\nTerraform parsing: every .tf of {args.corpus} ({now['files']} files, {now['bytes'] / 1e6:.1f} MB), {repeats} repeats in one process")
    print(f"{'parser':<28}{'median s':>10}{'min s':>9}{'CPU s':>8}{'ms/file':>9}{'files/s':>9}{'LL001':>7}{'first call s':>14}")
    for name, r in rows:
        m = med(r["samples"])
        print(f"{name:<28}{m:>10.3f}{min(r['samples']):>9.3f}{med(r['cpu']):>8.3f}{1000 * m / max(r['files'], 1):>9.2f}{r['files'] / m:>9.0f}{r['errors']:>7}{r['first_call']:>14.3f}")
    if len(rows) == 2:
        wall = med(rows[1][1]["samples"]) / med(rows[0][1]["samples"])
        cpu = med(rows[1][1]["cpu"]) / med(rows[0][1]["cpu"])
        print(f"speed-up: {wall:.1f}x wall-clock, {cpu:.1f}x CPU time (CPU time is the steadier figure on a busy machine)")
    results["tf"] = {name: r for name, r in rows}


def timed_run(cmd, env=None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS of the lambdalint process in KiB, exit code)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t0, usage.ru_maxrss, proc.returncode


def bench_run(args, results):
    print(f"\nWhole run: lambdalint check {args.corpus} --format json, {args.runs} runs per row")
    print(f"{'jobs':<6}{'median s':>10}{'min s':>9}{'peak RSS MiB':>14}")
    rows = {}
    for jobs in args.jobs:
        samples = [timed_run([*lambdalint_cmd(), "check", str(args.corpus), "--format", "json", "-o", os.devnull, "--jobs", str(jobs), "--fail-on", "never"]) for _ in range(args.runs)]
        times = [s[0] for s in samples]
        rows[jobs] = {"samples": times, "rss_kib": max(s[1] for s in samples)}
        print(f"{jobs:<6}{med(times):>10.2f}{min(times):>9.2f}{rows[jobs]['rss_kib'] / 1024:>14.0f}")
    results["run"] = rows


def bench_memory(args, results):
    rows = {}
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        for copies in (1, args.copies):
            tree = replicate(args.corpus, Path(tmp) / f"x{copies}", copies)
            nfiles = sum(1 for _ in tree.rglob("*") if _.is_file())
            for jobs in args.jobs:
                samples = [timed_run([*lambdalint_cmd(), "check", str(tree), "--format", "json", "-o", os.devnull, "--jobs", str(jobs), "--fail-on", "never"]) for _ in range(args.mem_runs)]
                rows[(copies, jobs)] = {"files": nfiles, "rss_kib": [s[1] for s in samples], "seconds": [s[0] for s in samples]}
            shutil.rmtree(tree)
    print(f"\nPeak memory (RSS of the lambdalint process; workers not included): corpus x1 and x{args.copies}, {args.mem_runs} run(s) each")
    print(f"{'copies':<8}{'files':>8}{'jobs':>6}{'peak RSS MiB':>14}{'median s':>10}{'vs x1':>8}")
    for (copies, jobs), r in sorted(rows.items()):
        base = med(rows[(1, jobs)]["rss_kib"])
        print(f"{copies:<8}{r['files']:>8}{jobs:>6}{med(r['rss_kib']) / 1024:>14.0f}{med(r['seconds']):>10.2f}{med(r['rss_kib']) / base:>8.2f}")
    results["memory"] = {f"x{c}-jobs{j}": r for (c, j), r in rows.items()}


def bench_cold(args, results):
    """First run on a machine (empty caches) vs the second: what every fresh CI runner pays."""
    roots = sorted({p.parent for p in args.corpus.rglob("*.tf")})
    target = roots[0] if roots else args.corpus
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(dir=args.work) as cache:
            env = dict(os.environ, XDG_CACHE_HOME=cache, LAMBDALINT_CACHE_DIR=cache)
            cmd = [*lambdalint_cmd(), "check", str(target), "--fail-on", "never"]
            cold.append(timed_run(cmd, env)[0])
            warm.append(timed_run(cmd, env)[0])
    print(f"\nFirst run with an empty cache vs second run: lambdalint check {target}, {args.runs} pairs")
    print(f"{'run':<8}{'median s':>10}{'min s':>9}")
    print(f"{'first':<8}{med(cold):>10.3f}{min(cold):>9.3f}")
    print(f"{'second':<8}{med(warm):>10.3f}{min(warm):>9.3f}")
    print(f"ratio first/second: {med(cold) / med(warm):.2f}")
    results["cold"] = {"target": str(target), "first": cold, "second": warm}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True, help="a directory of real projects (see benchmarks/README.md)")
    ap.add_argument("--only", action="append", choices=["tf", "run", "memory", "cold"], help="run only this section (repeatable)")
    ap.add_argument("--before", metavar="REV", help="also time the Terraform parser of this git revision")
    ap.add_argument("--before-python", metavar="PYTHON", help="interpreter with the --before revision's dependencies")
    ap.add_argument("--repeats", type=int, default=5, help="in-process repeats of the Terraform parse (default 5)")
    ap.add_argument("--runs", type=int, default=3, help="runs per whole-run / cold row (default 3)")
    ap.add_argument("--mem-runs", type=int, default=1, help="runs per memory row (default 1)")
    ap.add_argument("--copies", type=int, default=10, help="size of the large sweep, in copies of the corpus (default 10)")
    ap.add_argument("--jobs", type=int, action="append", help="--jobs values for run/memory rows (default 1 and 2)")
    ap.add_argument("--work", type=Path, default=None, help="where to put temporary copies (default: the system temp dir)")
    ap.add_argument("--json", metavar="FILE", help="also write every sample as JSON")
    args = ap.parse_args(argv)
    args.jobs = args.jobs or [1, 2]
    sections = args.only or ["tf", "run", "memory", "cold"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {load()}")
    results: dict = {}
    for name in sections:
        {"tf": bench_tf, "run": bench_run, "memory": bench_memory, "cold": bench_cold}[name](args, results)
    print(f"\nload at the end {load()}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
