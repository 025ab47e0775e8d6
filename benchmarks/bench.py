#!/usr/bin/env python3
"""lambdalint benchmarks: start-up, handler throughput, template throughput.

Standard library only. Run it with the interpreter lambdalint is installed in::

    python benchmarks/bench.py                    # everything (a few minutes)
    python benchmarks/bench.py --quick            # smaller corpora, fewer runs
    python benchmarks/bench.py --only startup     # or handlers / templates / new-formats (repeatable)
    python benchmarks/bench.py --json out.json    # also write every sample as JSON
    python benchmarks/bench.py --keep /tmp/corpus # keep the generated corpora there
    python benchmarks/bench.py --profile          # add cProfile top functions per corpus

Figures are MEDIANS (and min) over repeated runs. Speed is only measured here, never asserted
in the test suite: shared machines are too noisy for that. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import dataclasses
import gc
import io
import json
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

SEED = 20240611
pc = time.perf_counter

TARGETS_MS = {"version": 100, "handler": 150, "sam": 250}
TARGET_HANDLER_FILES_PER_S = 200

# Modules a command must not import (the start-up contract of cli.py / the parsers).
FORBIDDEN = {
    "handler": ("libcst", "tree_sitter", "sarif_om", "yaml"),
    "sam": ("libcst", "tree_sitter", "sarif_om"),
    "tf": ("libcst", "sarif_om", "yaml"),
    "sam-sarif": ("libcst", "tree_sitter"),
}


class BenchError(RuntimeError):
    pass


# =========================================================================== small utilities


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def summary(xs):
    return {"median": med(xs), "min": min(xs) if xs else None, "max": max(xs) if xs else None, "runs": len(xs), "samples": [round(x, 6) for x in xs]}


def ms(seconds):
    if seconds is None or seconds != seconds:
        return "-"
    return f"{seconds * 1000:.1f}" if seconds < 1 else f"{seconds * 1000:.0f}"


def print_table(title, headers, rows, note=None):
    rows = [[str(c) for c in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells))

    print()
    print(title)
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    if note:
        print(note)
    sys.stdout.flush()


def fmt_load(load):
    return "/".join(f"{x:.2f}" for x in load) if load else "n/a"


def run_checked(cmd, cwd=None, env=None, ok=(0, 1), capture=False):
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode not in ok:
        raise BenchError(f"command failed (exit {proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stderr.decode(errors='replace')[-2000:]}")
    return proc


def time_cmd(cmd, runs, warmups, cwd=None, env=None, env_factory=None):
    """Wall time of whole processes. ``env_factory`` (called per run) gives each run its own env."""
    times = []
    for i in range(warmups + runs):
        e = env_factory() if env_factory else env
        t0 = pc()
        run_checked(cmd, cwd=cwd, env=e)
        dt = pc() - t0
        if i >= warmups:
            times.append(dt)
    return times


def lambdalint_commands():
    """The console script next to sys.executable, and ``sys.executable -m lambdalint``."""
    exe = Path(sys.executable)
    script = exe.parent / ("lambdalint.exe" if os.name == "nt" else "lambdalint")
    module = [sys.executable, "-m", "lambdalint"]
    return ([str(script)] if script.exists() else None), module


def git_commit(repo):
    try:
        out = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, timeout=10)
        return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "") if out.returncode == 0 else None
    except Exception:  # noqa: BLE001
        return None


# =========================================================================== fixtures for start-up

SMALL_HANDLER = '''\
"""Orders API: the small handler the start-up benchmark checks."""
import json
import logging
import os

import boto3

logger = logging.getLogger(__name__)
TABLE_NAME = os.environ.get("TABLE_NAME", "orders")
dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table(TABLE_NAME)
_sns = None


def get_sns():
    global _sns
    if _sns is None:
        _sns = boto3.client("sns")
    return _sns


def response(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def notify(order):
    events = boto3.client("events")  # per invocation: LL101 fires, so reporting is exercised
    events.put_events(Entries=[{"Source": "orders", "DetailType": "created", "Detail": json.dumps(order)}])
    get_sns().publish(TopicArn=os.environ["TOPIC_ARN"], Message=json.dumps(order))


def lambda_handler(event, context):
    order_id = (event.get("pathParameters") or {}).get("id")
    if not order_id:
        return response(400, {"error": "missing id"})
    item = table.get_item(Key={"pk": order_id}).get("Item")
    if item is None:
        return response(404, {"error": "not found"})
    notify(item)
    return response(200, item)
'''

SMALL_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: Orders service (start-up benchmark fixture)
Parameters:
  Stage:
    Type: String
    Default: dev
  Memory:
    Type: Number
    Default: 512
Globals:
  Function:
    Runtime: python3.12
    CodeUri: src/
    Timeout: 10
    Environment:
      Variables:
        TABLE_NAME: !Ref OrdersTable
        STAGE: !Ref Stage
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
  GetOrderFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.lambda_handler
      MemorySize: !Ref Memory
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 2
      Events:
        Api:
          Type: Api
          Properties:
            Path: /orders/{id}
            Method: get
  ListOrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.lambda_handler
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 1
  MissingFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.nope
      MemorySize: 256
Outputs:
  Api:
    Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/"
"""

SMALL_TF = """\
variable "stage" {
  type    = string
  default = "dev"
}

variable "memory" {
  type    = number
  default = 512
}

locals {
  prefix = "${var.stage}-orders"
}

data "archive_file" "app" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/app.zip"
}

resource "aws_lambda_function" "get_order" {
  function_name    = "${local.prefix}-get"
  role             = "arn:aws:iam::123456789012:role/lambda"
  runtime          = "python3.12"
  handler          = "app.lambda_handler"
  filename         = data.archive_file.app.output_path
  source_code_hash = data.archive_file.app.output_base64sha256
  memory_size      = var.memory
  timeout          = 10
  publish          = false

  environment {
    variables = {
      TABLE_NAME = "orders"
    }
  }
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.get_order.function_name
  function_version = aws_lambda_function.get_order.version
}

resource "aws_lambda_provisioned_concurrency_config" "get_order" {
  function_name                     = aws_lambda_function.get_order.function_name
  provisioned_concurrent_executions = 2
  qualifier                         = aws_lambda_alias.live.name
}

module "reports" {
  source        = "terraform-aws-modules/lambda/aws"
  version       = "~> 7.0"
  function_name = "${local.prefix}-reports"
  handler       = "app.lambda_handler"
  runtime       = "python3.12"
  source_path   = "${path.module}/src"
}
"""


def write_startup_fixtures(base: Path) -> dict:
    """Each fixture is its own repository (an empty ``.git`` marks the root): when every path
    given is a file, lambdalint reads the rest of the enclosing repository for context, and
    the fixtures must not pick up whatever repository the bench happens to run in."""
    base.mkdir(parents=True, exist_ok=True)
    (base / "handler" / ".git").mkdir(parents=True, exist_ok=True)
    (base / "handler" / "app.py").write_text(SMALL_HANDLER)
    for name, text, fname in (("sam", SMALL_SAM, "template.yaml"), ("tf", SMALL_TF, "main.tf")):
        (base / name / "src").mkdir(parents=True, exist_ok=True)
        (base / name / ".git").mkdir(exist_ok=True)
        (base / name / fname).write_text(text)
        (base / name / "src" / "app.py").write_text(SMALL_HANDLER)
    # pre-commit shape: one changed handler in a repository that also holds templates and .tf roots
    pre = base / "precommit"
    (pre / ".git").mkdir(parents=True, exist_ok=True)
    (pre / "app.py").write_text(SMALL_HANDLER)
    generate_templates(pre / "stacks", 10, SEED)
    generate_terraform(pre / "infra", 10, SEED)
    return {
        "precommit": (pre, ["check", "app.py"]),
        "handler": (base / "handler", ["check", "app.py"]),
        "sam": (base / "sam", ["check", "template.yaml", "src"]),
        "tf": (base / "tf", ["check", "main.tf", "src"]),
        "sam-sarif": (base / "sam", ["check", "--format", "sarif", "template.yaml", "src"]),
    }


# =========================================================================== start-up


def parse_importtime(stderr: str):
    """[(module, self_us, cumulative_us, depth)] from ``-X importtime`` output."""
    out = []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:"):].split("|")
        if len(parts) != 3:
            continue
        try:
            self_us, cum_us = int(parts[0]), int(parts[1])
        except ValueError:
            continue  # the header line
        raw = parts[2].rstrip("\n")
        name = raw.strip()
        depth = max(0, (len(raw) - len(raw.lstrip(" ")) - 1) // 2)
        out.append((name, self_us, cum_us, depth))
    return out


IMPORT_SNIPPET = "import sys; from lambdalint.cli import main; sys.argv[0] = 'lambdalint'; main()"


def import_profile(cwd: Path, args: list[str], runs: int):
    """Median self/cumulative import time per module over ``runs`` processes (as the console script runs)."""
    per_mod = defaultdict(lambda: ([], []))
    depth_of = {}
    totals = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", IMPORT_SNIPPET, *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode not in (0, 1):
            raise BenchError(f"-X importtime run failed: {proc.stderr[-2000:]}")
        rows = parse_importtime(proc.stderr)
        totals.append(sum(c for _, _, c, d in rows if d == 0))
        for name, s, c, d in rows:
            per_mod[name][0].append(s)
            per_mod[name][1].append(c)
            depth_of.setdefault(name, d)
    modules = {n: {"self_us": med(v[0]), "cumulative_us": med(v[1]), "depth": depth_of[n]} for n, v in per_mod.items()}
    return {"total_us": med(totals), "modules": modules}


def bench_startup(args, cmds, work: Path, results: dict):
    script, module = cmds
    runs, warmups = (5, 1) if args.quick else (args.runs, 2)
    fixtures = write_startup_fixtures(work / "startup")
    base_env = dict(os.environ)
    base_env.pop("LAMBDALINT_CACHE_DIR", None)
    cold_root = work / "cold-caches"
    cold_root.mkdir(parents=True, exist_ok=True)
    counter = [0]

    def cold_env():
        counter[0] += 1
        d = cold_root / f"c{counter[0]}"
        d.mkdir()
        return {**base_env, "LAMBDALINT_CACHE_DIR": str(d)}

    cases = [
        ("python -c pass (baseline)", "baseline", None, None, None),
        ("lambdalint --version", "version", work, ["--version"], None),
        ("check 1 small handler", "handler", *fixtures["handler"], None),
        ("check SAM template + handler dir", "sam", *fixtures["sam"], None),
        ("check .tf + handler (warm grammar cache)", "tf", *fixtures["tf"], None),
        ("check .tf + handler (COLD cache)", "tf-cold", *fixtures["tf"], cold_env),
        ("check --format sarif SAM project", "sam-sarif", *fixtures["sam-sarif"], None),
        ("check 1 handler in repo w/ 10 tpl + 10 .tf", "precommit", *fixtures["precommit"], None),
    ]
    out = {}
    rows = []
    print(f"\n[startup] {runs} runs after {warmups} warm-ups per command ...", flush=True)
    for label, key, cwd, cli_args, factory in cases:
        entry = {}
        for variant, prefix in (("script", script), ("module", module)):
            if prefix is None:
                continue
            if key == "baseline":
                if variant == "module":
                    continue
                cmd = [sys.executable, "-c", "pass"]
            else:
                cmd = [*prefix, *cli_args]
            times = time_cmd(cmd, runs, warmups, cwd=cwd, env=base_env, env_factory=factory)
            entry[variant] = summary(times)
            entry[variant]["cmd"] = " ".join(cmd)
        out[key] = entry
        target = TARGETS_MS.get(key)
        s, m = entry.get("script"), entry.get("module")
        main = s or m
        verdict = "" if target is None else ("OK" if main["median"] * 1000 < target else "MISS")
        rows.append([label, ms(s["median"]) if s else "-", ms(s["min"]) if s else "-", ms(m["median"]) if m else "-", ms(m["min"]) if m else "-", f"< {target}" if target else "", verdict])
    shutil.rmtree(cold_root, ignore_errors=True)
    print_table(
        "START-UP: whole-process wall time, ms (script = console script next to sys.executable; -m = python -m lambdalint)",
        ["command", "script med", "script min", "-m med", "-m min", "target", ""],
        rows,
    )

    # ---- import profile
    iruns = 3 if args.quick else 5
    imports = {}
    for key in ("handler", "sam", "tf", "sam-sarif"):
        cwd, cli_args = fixtures[key]
        imports[key] = import_profile(cwd, cli_args, iruns)
    h = imports["handler"]
    top = sorted(h["modules"].items(), key=lambda kv: -kv[1]["cumulative_us"])[:10]
    print_table(
        f"IMPORTS: `lambdalint check app.py` (-X importtime, median of {iruns}); total import time {h['total_us'] / 1000:.1f} ms",
        ["module (indent = nesting)", "cumulative ms", "self ms"],
        [["  " * v["depth"] + n, f"{v['cumulative_us'] / 1000:.1f}", f"{v['self_us'] / 1000:.1f}"] for n, v in top],
    )
    rows = []
    for key, bad in FORBIDDEN.items():
        mods = imports[key]["modules"]
        tops = sorted({n.split(".")[0] for n in mods})
        found = [b for b in bad if b in tops]
        rows.append([key, f"{imports[key]['total_us'] / 1000:.1f}", len(mods), ", ".join(bad), "OK" if not found else "FAIL: " + ", ".join(found)])
    print_table("IMPORT CONTRACT: modules that must not be imported", ["check of", "import ms", "modules", "forbidden", "result"], rows)
    results["startup"] = {
        "runs": runs,
        "warmups": warmups,
        "commands": out,
        "targets_ms": TARGETS_MS,
        "imports": {k: {"total_us": v["total_us"], "top10_cumulative": [[n, m["cumulative_us"], m["self_us"], m["depth"]] for n, m in sorted(v["modules"].items(), key=lambda kv: -kv[1]["cumulative_us"])[:10]], "forbidden_found": [b for b in FORBIDDEN[k] if b in {n.split(".")[0] for n in v["modules"]}]} for k, v in imports.items()},
    }


# the generated corpora (handlers, templates, Terraform) live in corpora.py
from corpora import corpus_density, generate_handlers, generate_serverless, generate_templates, generate_terraform, generate_terraform_modules  # noqa: E402


# =========================================================================== throughput: CLI


def cli_throughput(prefix, corpus: Path, nfiles: int, runs: int, jobs_list=(1, 2)):
    out = {}
    for jobs in jobs_list:
        cmd = [*prefix, "check", ".", "--format", "json", "-o", os.devnull, "--jobs", str(jobs)]
        times = time_cmd(cmd, runs, 0, cwd=corpus)
        s = summary(times)
        s["files_per_s_median"] = nfiles / s["median"]
        s["files_per_s_best"] = nfiles / s["min"]
        out[f"jobs{jobs}"] = s
    return out


def determinism(prefix, corpus: Path, work: Path, tag: str):
    outs = []
    for jobs in (1, 2):
        target = work / f"determinism-{tag}-j{jobs}.json"
        run_checked([*prefix, "check", ".", "--format", "json", "-o", str(target), "--jobs", str(jobs)], cwd=corpus)
        outs.append(target.read_bytes())
    same = outs[0] == outs[1]
    detail = ""
    if not same:
        a, b = outs[0].decode().splitlines(), outs[1].decode().splitlines()
        for n, (x, y) in enumerate(zip(a, b), 1):
            if x != y:
                detail = f"first difference at line {n}: {x.strip()[:80]!r} vs {y.strip()[:80]!r}"
                break
        else:
            detail = f"lengths differ: {len(a)} vs {len(b)} lines"
    report = json.loads(outs[0])
    return {"identical": same, "detail": detail, "bytes": len(outs[0]), "summary": report.get("summary", {}), "notices": len(report.get("notices", []))}


# =========================================================================== throughput: in process


def lambdalint_api():
    from lambdalint import engine
    from lambdalint import suppress as suppress_mod
    from lambdalint.config import load_settings
    from lambdalint.rules.registry import load_rules

    rules = load_rules()
    settings = load_settings(None, rules)
    enabled = engine.select_rules(settings, rules)
    return engine, suppress_mod, rules, settings, enabled


def stage_breakdown(files):
    """Per-file parse stages, each step timed alone, summed over the corpus (seconds). A file that
    does not parse (LL001 material) counts the time up to the step that fails."""
    from lambdalint.analysis.facts import collect_facts
    from lambdalint.discover import PYTHON, TEMPLATE, TERRAFORM
    from lambdalint.documents.cfn_yaml import load_template
    from lambdalint.documents.hcl import parse_terraform

    try:  # revisions before the new input formats (issue 14) have no JSON Terraform reader
        from lambdalint.documents.terraform_json import parse_terraform_json
    except ImportError:
        parse_terraform_json = None
    from lambdalint.documents.source import decode, python_encoding, read_bytes
    from lambdalint.suppress_comments import scan

    acc = defaultdict(float)

    def step(key, fn, *a, **k):
        t0 = pc()
        try:
            return fn(*a, **k)
        finally:
            acc[key] += pc() - t0

    # serverless.yml goes through the same YAML loader as templates; other kinds are not timed
    prefix = {PYTHON: "py", TEMPLATE: "tpl", TERRAFORM: "tf", "serverless": "sls"}
    for f in files:
        p = prefix.get(f.kind)
        if p is None:
            continue
        try:
            data, _ = step("read", read_bytes, f.path, f.rel)
            if f.kind == PYTHON:
                text, _ = step("py decode", lambda d: decode(d, f.rel, python_encoding(d)), data)
                tree = step("py ast.parse", ast.parse, text, filename=f.rel)
                step("py facts (collect_facts)", collect_facts, f.rel, tree)
            else:
                text, _ = step(f"{p} decode", decode, data, f.rel)
                if f.kind == TEMPLATE:
                    step("tpl load_template (YAML/JSON)", load_template, text)
                elif p == "sls":
                    step("sls load_template (YAML)", load_template, text)
                elif f.rel.endswith(".json") and parse_terraform_json:
                    step("tf parse_terraform_json (.tf.json)", parse_terraform_json, text)
                else:
                    step("tf parse_terraform (HCL)", parse_terraform, text)
            step(f"{p} comment scan", scan, text)
        except Exception:  # noqa: BLE001 - SyntaxError, LoadError: the engine reports these as LL001
            pass
    return acc


def engine_breakdown(corpus: Path):
    """One in-process ``engine.run`` split into stages by wrapping the engine's own functions."""
    engine, suppress_mod, rules, settings, enabled = lambdalint_api()
    from lambdalint.report import render

    acc = defaultdict(float)
    per_rule = defaultdict(float)
    patched = []
    gc_during_run = []  # is the cyclic GC on while the engine parses? (the engine may turn it off)

    def wrap(mod, attr, key):
        orig = getattr(mod, attr, None)
        if orig is None:  # renamed upstream: its time lands in "other"
            return

        def timed(*a, **k):
            gc_during_run.append(gc.isenabled())
            t0 = pc()
            try:
                return orig(*a, **k)
            finally:
                acc[key] += pc() - t0

        setattr(mod, attr, timed)
        patched.append((mod, attr, orig))

    def timed_check(rule_id, check):
        def run(ctx):
            t0 = pc()
            try:
                return list(check(ctx))
            finally:
                per_rule[rule_id] += pc() - t0

        return run

    timed_rules = {rid: (dataclasses.replace(r, check=timed_check(rid, r.check)) if r.check else r) for rid, r in rules.items()}
    wrap(engine, "discover", "discover")
    # every parse goes through the pool (parse_all and the unit-by-unit directory run alike);
    # wrapping parse_all instead missed the directory run and put its parsing under "other"
    from lambdalint.workers import ParsePool

    wrap(ParsePool, "_submit", "parse (ParsePool)")
    wrap(ParsePool, "_collect", "parse (ParsePool)")
    wrap(engine, "build_project", "model (build_project)")
    wrap(suppress_mod, "apply_suppressions", "suppressions")
    try:
        t0 = pc()
        result = engine.run(["."], settings, timed_rules, enabled, jobs=1, root=corpus)
        total = pc() - t0
    finally:
        for mod, attr, orig in reversed(patched):
            setattr(mod, attr, orig)
    acc["rules"] = sum(per_rule.values())
    acc["other (LL001, sort, dedupe)"] = total - sum(acc.values())
    t0 = pc()
    render("json", result)
    acc_report = pc() - t0
    return total, dict(acc), dict(per_rule), acc_report, len(result.files), len(result.findings), any(gc_during_run)


def inprocess(corpus: Path, repeats: int, profile: bool):
    from lambdalint.discover import discover

    cwd = os.getcwd()
    os.chdir(corpus)  # the CLI scans "." from the corpus root; do the same
    try:
        files, _ = discover(["."], corpus)
        # warm the lazily loaded parsers (YAML kit, tree-sitter grammar) before timing
        stage_breakdown(files[:3] + [f for f in files if f.kind != "python"][:2])
        stages, engines = [], []
        for _ in range(repeats):
            engines.append(engine_breakdown(corpus))
            # time the parse steps under the same collector setting as the engine's run
            gc.collect()
            if not engines[-1][6]:
                gc.disable()
            try:
                stages.append(stage_breakdown(files))
            finally:
                gc.enable()
        # diagnostic: the same run with the cyclic GC off (how much of the run is collector work),
        # unless the engine already turns the collector off itself
        nogc = None
        if engines[0][6]:
            gc.collect()
            gc.disable()
            try:
                nogc = engine_breakdown(corpus)[0]
            finally:
                gc.enable()
        prof_text = None
        if profile:
            engine, _, rules, settings, enabled = lambdalint_api()
            prof = cProfile.Profile()
            prof.enable()
            engine.run(["."], settings, rules, enabled, jobs=1, root=corpus)
            prof.disable()
            buf = io.StringIO()
            ps = pstats.Stats(prof, stream=buf)
            ps.sort_stats("tottime").print_stats(15)
            ps.sort_stats("cumulative").print_stats(25)
            prof_text = buf.getvalue()
    finally:
        os.chdir(cwd)
    stage_med = {k: med([s[k] for s in stages]) for k in stages[0]}
    totals = [e[0] for e in engines]
    eng_med = {k: med([e[1][k] for e in engines]) for k in engines[0][1]}
    rule_med = {k: med([e[2][k] for e in engines]) for k in engines[0][2]}
    report_med = med([e[3] for e in engines])
    return {
        "files": len(files),
        "kinds": dict(Counter(f.kind for f in files)),
        "stages_s": stage_med,
        "engine_total_s": summary(totals),
        "engine_stages_s": eng_med,
        "rules_s": rule_med,
        "render_json_s": report_med,
        "engine_total_gc_disabled_s": nogc,
        "findings": engines[0][5],
        "profile": prof_text,
    }


def print_inprocess(title, ip, count_kind, count):
    n = ip["files"]
    rows = []
    for k, v in ip["stages_s"].items():
        rows.append([k, f"{v:.3f}", f"{v / n * 1e6:.0f}", f"{v / count * 1e3:.2f}"])
    total = ip["engine_total_s"]["median"]
    for k, v in ip["engine_stages_s"].items():
        rows.append([f"run: {k}", f"{v:.3f}", f"{v / n * 1e6:.0f}", f"{v / count * 1e3:.2f}", f"{v / total * 100:.0f}%"])
    ranked = sorted(ip["rules_s"].items(), key=lambda kv: -kv[1])
    for k, v in ranked[:5]:  # the five slowest rules; all of them are in the JSON
        rows.append([f"      rule {k}", f"{v:.4f}", f"{v / n * 1e6:.1f}", f"{v / count * 1e3:.3f}", f"{v / total * 100:.1f}%"])
    if len(ranked) > 5:
        rest = sum(v for _, v in ranked[5:])
        rows.append([f"      {len(ranked) - 5} other rules", f"{rest:.4f}", f"{rest / n * 1e6:.1f}", f"{rest / count * 1e3:.3f}", f"{rest / total * 100:.1f}%"])
    rows.append(["run: TOTAL engine.run (median)", f"{total:.3f}", f"{total / n * 1e6:.0f}", f"{total / count * 1e3:.2f}", "100%"])
    nogc = ip["engine_total_gc_disabled_s"]
    if nogc is None:
        rows.append(["(engine.run turns the cyclic GC off itself)", "", "", "", ""])
    else:
        rows.append(["diagnostic: engine.run with gc disabled", f"{nogc:.3f}", f"{nogc / n * 1e6:.0f}", f"{nogc / count * 1e3:.2f}", f"{nogc / total * 100:.0f}%"])
    rows.append(["render json (not in run)", f"{ip['render_json_s']:.3f}", f"{ip['render_json_s'] / n * 1e6:.0f}", f"{ip['render_json_s'] / count * 1e3:.2f}"])
    for r in rows:
        r += [""] * (5 - len(r))
    print_table(
        f"{title}: in-process breakdown, {n} files scanned ({', '.join(f'{v} {k}' for k, v in sorted(ip['kinds'].items()))}), {ip['findings']} findings; "
        f"in-process {count / total:.0f} {count_kind}/s",
        ["stage (seconds summed over corpus, median of repeats)", "s", "us/file", f"ms/{count_kind[:-1] if count_kind.endswith('s') else count_kind}", "% of run"],
        rows,
        note="stage rows above 'run:' time each parser step alone (GC on/off as in the engine's run); 'run:' rows split one engine.run (jobs=1) by wrapping its functions.",
    )


def print_cli(title, cli, count_kind, count, det, note=""):
    rows = []
    for key, s in cli.items():
        rows.append([key, f"{s['median']:.2f}", f"{s['min']:.2f}", f"{count / s['median']:.0f}", f"{count / s['min']:.0f}", s["runs"]])
    print_table(
        f"{title}: `lambdalint check . --format json -o /dev/null --jobs N` over {count} {count_kind}{note}",
        ["jobs", "wall s med", "wall s min", f"{count_kind}/s med", f"{count_kind}/s best", "runs"],
        rows,
        note=f"determinism (--jobs 1 vs --jobs 2 JSON byte-identical): {'OK' if det['identical'] else 'DIFF ' + det['detail']}; "
        f"findings by rule: {det['summary'].get('by_rule')}; notices: {det['notices']}",
    )


def bench_handlers(args, prefix, work: Path, results: dict):
    count = args.handlers or (400 if args.quick else 2000)
    runs = 2 if args.quick else args.cli_runs
    corpus = work / "handlers"
    if corpus.exists():
        shutil.rmtree(corpus)
    t0 = pc()
    meta = generate_handlers(corpus, count, SEED, args.corpus)
    meta.update(profile=args.corpus, **corpus_density(sorted(corpus.rglob("*.py"))[::10]))
    print(f"\n[handlers] generated {count} modules, profile '{args.corpus}' ({meta['lines_min']}-{meta['lines_max']} lines, median {meta['lines_median']:.0f}, {meta['lines_total']} total) in {pc() - t0:.1f}s -> {corpus}", flush=True)
    print(
        f"[handlers] density (every 10th module; medians): {meta['nodes_per_line']:.2f} AST nodes/line, {meta['comment_share']:.0%} comment lines, "
        f"{meta['blank_share']:.0%} blank, {meta['lines_per_function']:.0f} lines/function; 125 public handlers of 100-400 lines: 4.13, 7%, 16%, 59 (benchmarks/README.md)",
        flush=True,
    )
    det = determinism(prefix, corpus, work, "handlers")
    cli = cli_throughput(prefix, corpus, count, runs)
    print_cli("HANDLERS", cli, "files", count, det)
    ip = inprocess(corpus, args.repeats or (1 if args.quick else 3), args.profile)
    print_inprocess("HANDLERS", ip, "files", count)
    best1 = count / cli["jobs1"]["median"]
    print(f"target >= {TARGET_HANDLER_FILES_PER_S} handler files/s on one core: CLI --jobs 1 {best1:.0f}/s -> {'OK' if best1 >= TARGET_HANDLER_FILES_PER_S else 'MISS'}")
    if ip["profile"]:
        print("\n[handlers] cProfile of one in-process engine.run (jobs=1):\n" + ip["profile"])
    results["handlers"] = {"corpus": meta, "cli": cli, "determinism": det, "inprocess": ip, "target_files_per_s": TARGET_HANDLER_FILES_PER_S}


def bench_templates(args, prefix, work: Path, results: dict):
    ntpl = args.templates or (150 if args.quick else 1000)
    ntf = args.tf or (150 if args.quick else 1000)
    runs = 2 if args.quick else args.cli_runs
    out = results.setdefault("templates", {})  # filled as each corpus finishes
    for kind, gen, count, label in (("cfn", generate_templates, ntpl, "templates"), ("terraform", generate_terraform, ntf, "tf files")):
        corpus = work / kind
        if corpus.exists():
            shutil.rmtree(corpus)
        t0 = pc()
        meta = gen(corpus, count, SEED)
        print(f"\n[{kind}] generated {meta} in {pc() - t0:.1f}s -> {corpus}", flush=True)
        det = determinism(prefix, corpus, work, kind)
        cli = cli_throughput(prefix, corpus, count, runs)
        print_cli(kind.upper(), cli, label, count, det, note=f" (+ {meta['handler_files']} small handlers.py files they point at)")
        # Terraform parsing is slow (~0.1 s a file): one in-process repeat unless asked for more
        ip = inprocess(corpus, args.repeats or (1 if args.quick or kind == "terraform" else 2), args.profile)
        print_inprocess(kind.upper(), ip, label, count)
        if ip["profile"]:
            print(f"\n[{kind}] cProfile of one in-process engine.run (jobs=1):\n" + ip["profile"])
        out[kind] = {"corpus": meta, "cli": cli, "determinism": det, "inprocess": ip}


def bench_new_formats(args, prefix, work: Path, results: dict):
    """Serverless Framework services and Terraform roots whose functions come from a local module
    (the inputs of issue 14), timed like the template corpora."""
    nsls = args.sls or (100 if args.quick else 500)
    nmod = args.tf_modules or (100 if args.quick else 500)
    runs = 2 if args.quick else args.cli_runs
    out = results.setdefault("new_formats", {})
    for kind, gen, count, label in (("serverless", generate_serverless, nsls, "services"), ("tf-modules", generate_terraform_modules, nmod, "roots")):
        corpus = work / kind
        if corpus.exists():
            shutil.rmtree(corpus)
        t0 = pc()
        meta = gen(corpus, count, SEED)
        print(f"\n[{kind}] generated {meta} in {pc() - t0:.1f}s -> {corpus}", flush=True)
        det = determinism(prefix, corpus, work, kind)
        cli = cli_throughput(prefix, corpus, count, runs)
        print_cli(kind.upper(), cli, label, count, det, note=f" ({meta['functions']} functions, + {meta['handler_files']} small handlers.py files)")
        ip = inprocess(corpus, args.repeats or 1, args.profile)
        print_inprocess(kind.upper(), ip, label, count)
        if ip["profile"]:
            print(f"\n[{kind}] cProfile of one in-process engine.run (jobs=1):\n" + ip["profile"])
        out[kind] = {"corpus": meta, "cli": cli, "determinism": det, "inprocess": ip}


# =========================================================================== summary


def print_summary(results):
    rows = []
    st = results.get("startup")
    if st:
        c = st["commands"]
        for key, label in (("baseline", "python -c pass"), ("version", "--version"), ("handler", "check 1 handler"), ("sam", "check SAM + handler"), ("tf", "check .tf + handler, warm cache"), ("tf-cold", "check .tf + handler, cold cache"), ("sam-sarif", "check SAM --format sarif"), ("precommit", "check 1 handler, repo w/ 10 tpl + 10 .tf")):
            if key not in c:
                continue
            s = c[key].get("script") or c[key].get("module")
            t = TARGETS_MS.get(key)
            rows.append([f"start-up: {label}", f"{ms(s['median'])} ms", f"{ms(s['min'])} ms", f"< {t} ms" if t else "", ("OK" if s["median"] * 1000 < t else "MISS") if t else ""])
        bad = {k: v["forbidden_found"] for k, v in st["imports"].items() if v["forbidden_found"]}
        rows.append(["start-up: forbidden imports", "none" if not bad else str(bad), "", "none", "OK" if not bad else "FAIL"])
    corpora = []
    if "handlers" in results:
        corpora.append(("handler files", results["handlers"], TARGET_HANDLER_FILES_PER_S))
    for kind, label in (("cfn", "templates"), ("terraform", ".tf files")):
        if kind in results.get("templates", {}):
            corpora.append((label, results["templates"][kind], None))
    for kind, label in (("serverless", "serverless services"), ("tf-modules", "module roots")):
        if kind in results.get("new_formats", {}):
            corpora.append((label, results["new_formats"][kind], None))
    for label, r, target in corpora:
        n = r["corpus"].get("files") or r["corpus"].get("templates") or r["corpus"].get("tf_files") or r["corpus"].get("services") or r["corpus"].get("roots")
        for jobs in ("jobs1", "jobs2"):
            s = r["cli"][jobs]
            rate = n / s["median"]
            verdict = ("OK" if rate >= target else "MISS") if target and jobs == "jobs1" else ""
            rows.append([f"{label}/s, CLI --{jobs[:4]} {jobs[4:]}", f"{rate:.0f}", f"{n / s['min']:.0f}", f">= {target}" if target and jobs == "jobs1" else "", verdict])
        ip = r["inprocess"]
        rows.append([f"{label}/s, in-process engine.run", f"{n / ip['engine_total_s']['median']:.0f}", f"{n / ip['engine_total_s']['min']:.0f}", "", ""])
        rows.append([f"{label}: determinism j1 vs j2", "OK" if r["determinism"]["identical"] else "DIFF", "", "", ""])
    print_table("SUMMARY (median, best = min time)", ["figure", "median", "best", "target", ""], rows)


# =========================================================================== main


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small corpora and few runs (a smoke test of the bench, not numbers to quote)")
    ap.add_argument("--only", action="append", choices=["startup", "handlers", "templates", "new-formats"], help="run only this section (repeatable)")
    ap.add_argument("--json", metavar="FILE", help="also write all results (with raw samples) as JSON")
    ap.add_argument("--keep", metavar="DIR", help="generate corpora in DIR and keep them (default: a temp dir, removed at the end)")
    ap.add_argument("--profile", action="store_true", help="print cProfile top functions of one in-process run per corpus")
    ap.add_argument("--runs", type=int, default=15, help="start-up runs per command (default 15, after 2 warm-ups)")
    ap.add_argument("--cli-runs", type=int, default=3, help="runs per throughput command (default 3)")
    ap.add_argument("--repeats", type=int, default=None, help="in-process breakdown repeats (default: 3 handlers, 2 templates, 1 terraform; 1 with --quick)")
    ap.add_argument("--handlers", type=int, default=None, help="handler modules to generate (default 2000; 400 with --quick)")
    ap.add_argument("--corpus", choices=("real", "dense"), default="real", help="handler corpus profile: 'real' (default) has the docstrings and comments of public handlers; 'dense' is the first corpus, without them")
    ap.add_argument("--templates", type=int, default=None, help="SAM/CFN templates to generate (default 1000; 150 with --quick)")
    ap.add_argument("--tf", type=int, default=None, help="Terraform roots (one .tf each) to generate (default 1000; 150 with --quick)")
    ap.add_argument("--sls", type=int, default=None, help="Serverless Framework services to generate for new-formats (default 500; 100 with --quick)")
    ap.add_argument("--tf-modules", type=int, default=None, help="Terraform roots calling a local module to generate for new-formats (default 500; 100 with --quick)")
    args = ap.parse_args(argv)
    sections = args.only or ["startup", "handlers", "templates", "new-formats"]

    try:
        import lambdalint
    except ImportError:
        sys.exit(f"lambdalint is not importable from {sys.executable}; run this with the interpreter it is installed in")
    script, module = lambdalint_commands()
    prefix = script or module
    repo = Path(__file__).resolve().parent.parent
    meta = {
        "lambdalint": lambdalint.__version__,
        "lambdalint_path": str(Path(lambdalint.__file__).parent),
        "commit": git_commit(repo),
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "quick": args.quick,
        "seed": SEED,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "loadavg_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
    print(f"lambdalint {meta['lambdalint']} ({meta['commit']}) on Python {meta['python']}, {meta['platform']}, {meta['cpus']} CPUs{' [QUICK]' if args.quick else ''}")
    print(f"console script: {script[0] if script else '(none: using -m)'}; load average {fmt_load(meta['loadavg_start'])} (other load makes every figure slower)")
    if args.keep:
        work = Path(args.keep).resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="lambdalint-bench-"))
    results = {"meta": meta}
    t0 = pc()
    errors = results.setdefault("errors", {})
    try:
        for name, fn, extra in (("startup", bench_startup, (script, module)), ("handlers", bench_handlers, prefix), ("templates", bench_templates, prefix), ("new-formats", bench_new_formats, prefix)):
            if name not in sections:
                continue
            try:
                fn(args, extra, work, results)
            except KeyboardInterrupt:
                raise
            except Exception as exc:  # noqa: BLE001 - report, keep the other sections' figures
                import traceback

                errors[name] = f"{type(exc).__name__}: {exc}"
                print(f"\n!! section {name} FAILED: {type(exc).__name__}: {exc}")
                traceback.print_exc()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print_summary(results)
    meta["elapsed_s"] = round(pc() - t0, 1)
    meta["loadavg_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"\ndone in {meta['elapsed_s']}s; load average at start {fmt_load(meta['loadavg_start'])}, at end {fmt_load(meta['loadavg_end'])}" + (f"; corpora kept in {work}" if args.keep else ""))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str) + "\n")
        print(f"wrote {args.json}")
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
