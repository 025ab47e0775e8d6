"""A multi-repository sweep built from the real-shaped projects of the test suite: each project
(SAM, CloudFormation, Terraform, with handlers) becomes one repository directory."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def project_dirs() -> list[Path]:
    candidates = [REPO / "examples" / "sam-app", REPO / "examples" / "terraform"]
    candidates += sorted(p for p in (REPO / "tests" / "fixtures" / "projects").rglob("*") if p.is_dir())
    out = []
    for path in candidates:
        has_config = any(path.glob("*.tf")) or any(path.glob("template.*")) or any(path.glob("*.yaml"))
        if has_config and path not in out and not any(parent in out for parent in path.parents):
            out.append(path)
    return out


# The parity fixtures are one application written four times, with the same FunctionNames: as
# separate repositories of one sweep they would refer to each other's functions by name (a
# single run links those across repositories; per-repository shards cannot). A real sweep's
# repositories are independent, so take one format of each.
INDEPENDENT = ("examples/sam-app", "examples/terraform", "projects/cost", "projects/parity/sam", "projects/parity-ops/terraform",
               "projects/parity-scaling/cfn-json", "projects/snapstart-sam")


def build_sweep(target: Path, independent: bool = True) -> list[str]:
    """Copy projects under ``target`` as ``repo-NN-name`` (``independent``: only projects that do
    not refer to each other); returns the directory names."""
    names = []
    sources = project_dirs()
    if independent:
        sources = [p for p in sources if p.as_posix().endswith(INDEPENDENT)]
    for i, source in enumerate(sources):
        name = f"repo-{i:02d}-{source.name}"
        shutil.copytree(source, target / name)
        names.append(name)
    return names
