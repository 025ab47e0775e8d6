"""Splitting a large sweep into units that can be built and checked one at a time.

Checking a tree as one project keeps every parsed document of every repository in memory
until the end. A unit is a directory whose files cannot refer to files outside it, so it can
be built, checked and dropped on its own. Directory D is split into its subdirectories only
when that cannot change what a project sees:

- no template or Terraform file lies directly in D (a template there may point into any
  subdirectory: ``CodeUri: src/``);
- no template or Terraform file of a subdirectory climbs out of it with ``..`` (``CodeUri:
  ../shared``, ``source = "../../modules/x"``); the test reads the text, so it errs towards
  not splitting.

Trees below ``UNIT_FILES`` files are never split: a repository is checked as one project,
exactly as before; only sweeps over many repositories or very large trees are divided.
"""

from __future__ import annotations

import re

from .discover import PYTHON, SourceFile

UNIT_FILES = 500
_CLIMB = re.compile(rb"(?:\.\.[/\\])*\.\.(?![\w.-])|(?:\.\.[/\\])+")


def split_units(files: list[SourceFile]) -> list[list[SourceFile]]:
    """``files`` as units; each unit keeps the files in the order given."""
    return _split(files, 0, {})


def _split(files: list[SourceFile], depth: int, climbs: dict[str, int]) -> list[list[SourceFile]]:
    if len(files) <= UNIT_FILES:
        return [files]
    here: list[SourceFile] = []
    buckets: dict[str, list[SourceFile]] = {}
    for f in files:
        parts = f.rel.split("/")
        if len(parts) <= depth + 1:
            if f.kind != PYTHON:
                return [files]  # a template or .tf file here may use any subdirectory
            here.append(f)
        else:
            buckets.setdefault(parts[depth], []).append(f)
    for bucket in buckets.values():
        for f in bucket:
            if f.kind != PYTHON and _climb(f, climbs) > f.rel.count("/") - depth - 1:
                return [files]  # it reaches outside its subdirectory
    units = [here] if here else []
    for name in sorted(buckets):
        units.extend(_split(buckets[name], depth + 1, climbs))
    return units


def _climb(source: SourceFile, climbs: dict[str, int]) -> int:
    """How many directories up the file's text ever points (``../../x`` is 2)."""
    found = climbs.get(source.rel)
    if found is None:
        try:
            with open(source.path, "rb") as handle:
                data = handle.read()
        except OSError:
            data = b""
        found = max((m.group(0).count(b"..") for m in _CLIMB.finditer(data)), default=0) if b".." in data else 0
        climbs[source.rel] = found
    return found
