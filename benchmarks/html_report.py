#!/usr/bin/env python3
"""How fast the HTML report of a large sweep opens in a real browser.

Generates a deterministic sweep (default 250 repositories x 20 functions = 5,000 functions:
SAM templates with Python handlers, a share with provisioned concurrency, the usual mistakes
so the report has findings), runs ``lambdalint check --format json`` on each repository (one
CI shard each), ``lambdalint merge --format html``, then opens the page in headless Chromium
over the DevTools protocol several times and reports the median time from navigation start to
the load event (the page has been parsed and its script has run; two animation frames later
it has been painted). Also checks the page loaded with no console error and no request.

    python benchmarks/html_report.py                 # 5,000 functions, 7 page loads
    python benchmarks/html_report.py --repos 50      # smaller
    python benchmarks/html_report.py --keep /tmp/s   # keep the sweep and the report

Needs the test extra (websocket-client) and Chromium (Debian's chromium package). Timing is
measured here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

SEED = 20261206

FUNCTION = """\
  {name}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/{name}/
      MemorySize: {memory}
      Timeout: {timeout}
{extra}"""

HANDLER_GOOD = """\
import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ.get("TABLE", "t"))


def lambda_handler(event, context):
    item = TABLE.get_item(Key={{"id": event["id"]}}).get("Item")
    return {{"statusCode": 200, "body": json.dumps(item or {{}}, default=str)}}
"""

HANDLER_BAD = """\
import json

import boto3


def lambda_handler(event, context):
    s3 = boto3.client("s3")
    body = s3.get_object(Bucket=event["bucket"], Key=event["key"])["Body"].read()
    return {{"statusCode": 200, "body": json.dumps({{"size": len(body), "n": {n}}})}}
"""


def generate(root: Path, repos: int, per_repo: int) -> list[str]:
    rng = random.Random(SEED)
    names = []
    for r in range(repos):
        repo = root / f"repo-{r:04d}"
        functions = []
        for f in range(per_repo):
            name = f"Fn{f:02d}"
            extra = ""
            if rng.random() < 0.15:
                extra += "      AutoPublishAlias: live\n      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: %d\n" % rng.choice([2, 5, 10, 50])
            if rng.random() < 0.3:
                extra += "      Architectures: [arm64]\n"
            if rng.random() < 0.4:
                extra += "      Events:\n        Get:\n          Type: Api\n          Properties:\n            Path: /%s\n            Method: get\n" % name.lower()
            functions.append(FUNCTION.format(name=name, memory=rng.choice([128, 256, 512, 1024, 2048]), timeout=rng.choice([3, 10, 30, 60]), extra=extra))
            handler = HANDLER_BAD if rng.random() < 0.5 else HANDLER_GOOD
            path = repo / "src" / name / "app.py"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(handler.format(n=f), encoding="utf-8")
        header = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: python3.12\n    Handler: app.lambda_handler\nResources:\n'
        (repo / "template.yaml").write_text(header + "".join(functions), encoding="utf-8")
        names.append(repo.name)
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=int, default=250)
    parser.add_argument("--functions", type=int, default=20, help="functions per repository")
    parser.add_argument("--loads", type=int, default=7, help="page loads to time (after one warm-up)")
    parser.add_argument("--keep", type=Path, help="generate the sweep here and keep it")
    args = parser.parse_args()

    from tests.browser import Browser, find_chromium

    chromium = find_chromium()
    if chromium is None:
        print("Chromium not found (apt-get install chromium, or set LAMBDALINT_CHROMIUM)", file=sys.stderr)
        return 2
    root = args.keep or Path(tempfile.mkdtemp(prefix="lambdalint-html-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    lambdalint = [sys.executable, "-m", "lambdalint"]
    env = {**os.environ, "CI": "true"}
    try:
        started = time.perf_counter()
        names = generate(root, args.repos, args.functions)
        print(f"sweep: {len(names)} repositories x {args.functions} functions in {root} ({time.perf_counter() - started:.1f} s)")
        started = time.perf_counter()
        for name in names:
            subprocess.run([*lambdalint, "check", name, "--format", "json", "--fail-on", "never", "-o", f"{name}.json"], cwd=root, check=True, env=env)
        print(f"shards: {len(names)} checks in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        subprocess.run([*lambdalint, "merge", *[f"{n}.json" for n in names], "--format", "json", "-o", "merged.json"], cwd=root, check=True, env=env)
        subprocess.run([*lambdalint, "merge", *[f"{n}.json" for n in names], "--format", "html", "-o", "report.html"], cwd=root, check=True, env=env)
        print(f"merge to JSON and HTML: {time.perf_counter() - started:.1f} s")
        data = json.loads((root / "merged.json").read_text(encoding="utf-8"))
        page = root / "report.html"
        print(f"report: {len(data['functions']):,} functions, {len(data['findings']):,} findings, HTML {page.stat().st_size / 1e6:.1f} MB")
        with Browser(chromium) as browser:
            browser.open(page.as_uri())  # warm-up: the first load also starts the renderer
            samples, shown = [], []
            for _ in range(args.loads):
                load = browser.open(page.as_uri())
                if load.errors or load.requests != [page.as_uri()]:
                    print(f"page problems: errors={load.errors[:3]} requests={load.requests[:3]}", file=sys.stderr)
                    return 1
                samples.append(load.load_ms)
                shown.append(load.shown_ms)
            total = browser.evaluate("document.getElementById('s-findings').textContent.replace(/,/g, '')")
        assert total == str(data["summary"]["findings"]), (total, data["summary"]["findings"])
        print(f"open in Chromium (navigation start to load event), {args.loads} loads: median {statistics.median(samples):.0f} ms, "
              f"min {min(samples):.0f} ms, max {max(samples):.0f} ms")
        print(f"  wall clock, navigate command to two frames painted after load: median {statistics.median(shown):.0f} ms, "
              f"min {min(shown):.0f} ms, max {max(shown):.0f} ms")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
