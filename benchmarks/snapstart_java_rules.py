"""LL110 against the test inputs of aws/aws-lambda-snapstart-java-rules (the SpotBugs plugin).

The plugin's own tests (LambdaHandlerInitedWithRandomValueTest) list the bugs it must find in
its example classes, some of them marked "to be fixed" (the plugin misses them), and classes
and fields that must stay quiet. Their code is not part of this repository: check it out
under /tmp and point this script at it.

    git clone https://github.com/aws/aws-lambda-snapstart-java-rules /tmp/snapstart-rules
    python benchmarks/snapstart_java_rules.py /tmp/snapstart-rules [--with-template]

Without ``--with-template`` the handlers are found by convention (RequestHandler, a
java.util.function interface, or a public method taking a Lambda Context) and SnapStart is
declared with config ``snapstart-files``; with it, a SAM template names every class the
plugin's tests treat as a handler, with SnapStart on.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLES = "src/test/java/software/amazon/lambda/snapstart/lambdaexamples"
PACKAGE = "software.amazon.lambda.snapstart.lambdaexamples"
# (file, line): the bugs the plugin's tests expect; "fixed" False = marked "to be fixed"
EXPECTED = {
    ("BadLambda.java", 19): True, ("BadLambda.java", 23): True, ("BadLambda.java", 24): True, ("BadLambda.java", 25): True,
    ("BadLambda.java", 26): True, ("BadLambda.java", 27): True, ("BadLambda.java", 31): True,
    ("LambdaUsingRandom.java", 14): True, ("LambdaUsingRandom.java", 22): True, ("LambdaUsingRandom.java", 24): True,
    ("LambdaUsingRngLib.java", 20): True, ("LambdaUsingRngLib.java", 21): True,
    ("LambdaUsingRngLib.java", 12): False, ("LambdaUsingRngLib.java", 18): False,
    ("LambdaUsingUuid.java", 13): False, ("LambdaUsingUuid.java", 14): False, ("LambdaUsingUuid.java", 16): False,
    ("LambdaUsingUuid.java", 22): False, ("LambdaUsingUuid.java", 23): False,
    ("LambdaUsingTs.java", 24): True, ("LambdaUsingTs.java", 25): True, ("LambdaUsingTs.java", 26): True, ("LambdaUsingTs.java", 27): True,
    ("LambdaUsingTs.java", 29): False,
    ("LooksLikeLambda.java", 11): True, ("LooksLikeStreamLambda.java", 13): True,
    ("LambdaWithCracUsingRng.java", 31): True, ("LambdaWithCracUsingRng.java", 32): True, ("LambdaWithCracUsingRng.java", 33): True,
    ("LambdaWithCracUsingRng.java", 43): True,
    ("LambdaWithToString.java", 11): True,
    ("ParentHandler.java", 6): True, ("SuperParentHandler.java", 6): True,
    ("ImplementsFunctionalInterface.java", 8): True,
    ("LambdaHandlerWithNoInterface.java", 7): True,
    ("MyDependency.java", 6): True,  # DependencyInjection and DependencyInjectionFunctionalInterface
}
# "at least one bug" in this class, marked to be fixed
AT_LEAST_ONE = "LambdaUsingTransitiveRng.java"
# the same root cause as LambdaUsingRngLib.java 12 and 18: RngLib's constructor stores `new Random(0)`
ROOT_CAUSES = {("RngLib.java", 12): {("LambdaUsingRngLib.java", 12), ("LambdaUsingRngLib.java", 18)}}
QUIET_FILES = {"GoodLambda.java", "NonLambda.java"}
# must-not-fire lines: SecureRandom fields, values made after restore or per invocation
QUIET_LINES = {
    ("BadLambda.java", 20), ("LambdaUsingRandom.java", 15), ("LambdaUsingRandom.java", 23), ("LambdaUsingRandom.java", 25),
    ("LambdaWithCracUsingRng.java", 34), ("LambdaWithCracUsingRng.java", 35), ("LambdaWithCracUsingRng.java", 36),
    ("LambdaWithCracUsingRng.java", 37), ("LambdaWithCracUsingRng.java", 38), ("LambdaWithCracUsingRng.java", 44),
    ("LambdaWithCracUsingRng.java", 49), ("LambdaWithCracUsingRng.java", 54), ("LambdaUsingUuid.java", 18),
    ("LambdaUsingTransitiveRng.java", 24), ("LambdaUsingTransitiveRng.java", 58),
}
HANDLERS = [
    "BadLambda", "GoodLambda", "LambdaUsingRandom", "LambdaUsingTransitiveRng", "LambdaUsingRngLib", "LambdaUsingUuid",
    "LambdaUsingTs", "LooksLikeLambda::handlesTheEvent", "LooksLikeStreamLambda::handlesTheEvent", "LambdaWithCracUsingRng",
    "LambdaWithToString", "LambdaWithParentClass", "ImplementsFunctionalInterface::apply", "LambdaHandlerWithNoInterface",
    "DependencyInjection", "DependencyInjectionFunctionalInterface::apply",
]


def template() -> str:
    lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Transform: AWS::Serverless-2016-10-31", "Globals:", "  Function:",
             "    Runtime: java21", "    MemorySize: 2048", "    CodeUri: fn/", "    AutoPublishAlias: live", "    SnapStart:",
             "      ApplyOn: PublishedVersions", "Resources:"]
    for handler in HANDLERS:
        cls, _, method = handler.partition("::")
        lines += [f"  {cls}Fn:", "    Type: AWS::Serverless::Function", "    Properties:", f"      Handler: {PACKAGE}.{cls}::{method or 'handleRequest'}"]
    return "\n".join(lines) + "\n"


def run(checkout: Path, with_template: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        target = work / "fn/src/main/java" / PACKAGE.replace(".", "/")
        shutil.copytree(checkout / EXAMPLES, target)
        if with_template:
            (work / "template.yaml").write_text(template())
        else:
            (work / ".lambdalint.toml").write_text('snapstart-files = ["**/*.java"]\n')
        out = subprocess.run([sys.executable, "-m", "lambdalint", "check", ".", "--select", "LL110", "--format", "json", "--fail-on", "never"], cwd=work, capture_output=True, text=True, check=True)
    found = {(Path(f["path"]).name, f["line"]) for f in json.loads(out.stdout)["findings"]}
    covered = set(found)
    for cause, effects in ROOT_CAUSES.items():
        if cause in found:
            covered |= effects
    expected_fixed = {k for k, fixed in EXPECTED.items() if fixed}
    expected_open = {k for k, fixed in EXPECTED.items() if not fixed}
    return {
        "findings": len(found),
        "plugin_bugs_found": f"{len(expected_fixed & covered)}/{len(expected_fixed)}",
        "to_be_fixed_found": f"{len(expected_open & covered) + any(f[0] == AT_LEAST_ONE for f in found)}/{len(expected_open) + 1}",
        "missed": sorted((expected_fixed | expected_open) - covered),
        "quiet_cases_that_fired": sorted(f for f in found if f[0] in QUIET_FILES or f in QUIET_LINES),
        "other_findings": sorted(f for f in found if f not in EXPECTED and f not in ROOT_CAUSES and f[0] != AT_LEAST_ONE),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path)
    parser.add_argument("--with-template", action="store_true")
    args = parser.parse_args()
    print(json.dumps(run(args.checkout, args.with_template), indent=2))


if __name__ == "__main__":
    main()
