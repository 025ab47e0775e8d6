"""An AWS CDK cloud assembly (``cdk.out``, what ``cdk synth`` writes): which of its files are ours.

``manifest.json`` lists the artifacts; each ``aws:cloudformation:stack`` names its template
(``properties.templateFile``), and a ``cdk:cloud-assembly`` artifact (a CDK Stage) names a nested
assembly directory with a manifest of its own. A template's nested stacks and its functions'
code are assets, found through ``"aws:asset:path"`` in its resource metadata: nested stack
templates are checked like stack templates, and the code files of each unbundled asset folder are
read as handler code (installed dependencies left out). Everything else in ``cdk.out`` (tree.json,
asset manifests, assets nobody references) is not ours.

Only text is read here: the app is never run, and nothing outside the assembly is touched.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 2 * 1024 * 1024  # a manifest lists artifacts; a bigger one is not a manifest
MAX_DEPTH = 8  # Stages inside Stages: deeper is a loop or a hostile manifest
MAX_ASSET_FILES = 2000  # code files read from one asset folder (a bundled dependency tree is skipped before that)
# Python handler code is read from an asset when no source file matches it; other languages are
# only matched to their source (a Node.js asset is usually one esbuild bundle: not source)
PYTHON_SUFFIXES = (".py",)
CODE_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".ts")
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024  # as discover's file size limit: a bigger template is skipped there too
# folders a packaged function carries that hold no handler source
_NOT_SOURCE_DIRS = frozenset({"node_modules", "__pycache__", "bin", ".git", "tests", "test"})


@dataclass
class Assembly:
    """The files of one cloud assembly that lambdalint reads (absolute paths, sorted) and the
    problems found on the way, as (absolute path, line, message)."""

    templates: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    problems: list[tuple[str, int, str]] = field(default_factory=list)


def is_assembly(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, MANIFEST))


def read_assembly(directory: str) -> Assembly:
    """The stack templates, nested stack templates and asset code files of the assembly in
    ``directory`` (which holds a manifest.json). Never raises for bad input."""
    out = Assembly()
    templates: set[str] = set()
    seen_manifests: set[str] = set()
    root = os.path.abspath(directory)
    pending = [(root, 0)]
    while pending:
        folder, depth = pending.pop()
        if os.path.realpath(folder) in seen_manifests:
            continue  # a Stage folder linked back to one already read
        seen_manifests.add(os.path.realpath(folder))
        manifest_path = os.path.join(folder, MANIFEST)
        artifacts = _artifacts(manifest_path, out.problems)
        for name in sorted(artifacts):
            artifact = artifacts[name]
            if not isinstance(artifact, dict):
                continue
            props = artifact.get("properties")
            props = props if isinstance(props, dict) else {}
            kind = artifact.get("type")
            if kind == "aws:cloudformation:stack":
                template = _inside(folder, props.get("templateFile"))
                if template is None:
                    out.problems.append((manifest_path, 1, f"stack {name!r}: templateFile is missing or points outside the assembly"))
                elif not os.path.isfile(template):
                    out.problems.append((manifest_path, 1, f"stack {name!r}: template {props.get('templateFile')} does not exist (run cdk synth again)"))
                else:
                    templates.add(template)
            elif kind == "cdk:cloud-assembly":  # a Stage: an assembly of its own in a subfolder
                nested = _inside(folder, props.get("directoryName"))
                if nested is not None and depth < MAX_DEPTH and os.path.isfile(os.path.join(nested, MANIFEST)):
                    pending.append((nested, depth + 1))
    # follow each template's assets: nested stack templates (which have assets of their own)
    # and the code folders of its functions
    assets: set[str] = set()
    queue = sorted(templates)
    while queue:
        template = queue.pop()
        for asset in asset_paths(template):
            # a Stage's stacks name the assets of the root assembly they share: ../asset.<hash>
            target = _inside(os.path.dirname(template), asset, within=root)
            if target is None:
                continue
            if asset.endswith(".json") and os.path.isfile(target):
                if target not in templates:
                    templates.add(target)
                    queue.append(target)
            elif os.path.isdir(target):
                assets.add(target)
    out.templates = sorted(templates)
    for asset in sorted(assets):
        out.code.extend(asset_code_files(asset, PYTHON_SUFFIXES))
    return out


def _artifacts(manifest_path: str, problems: list) -> dict:
    try:
        size = os.path.getsize(manifest_path)
        if size > MAX_MANIFEST_BYTES:
            problems.append((manifest_path, 1, f"manifest.json is {size // 1024} KiB, over the {MAX_MANIFEST_BYTES // 1024} KiB limit: the assembly is not read"))
            return {}
        with open(manifest_path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append((manifest_path, 1, f"cannot read manifest.json: {exc}"))
        return {}
    except json.JSONDecodeError as exc:
        problems.append((manifest_path, exc.lineno, f"manifest.json is not valid JSON ({exc.msg}): the assembly is not read"))
        return {}
    except RecursionError:
        problems.append((manifest_path, 1, "manifest.json nests too deeply: the assembly is not read"))
        return {}
    artifacts = data.get("artifacts") if isinstance(data, dict) else None
    if not isinstance(artifacts, dict):
        problems.append((manifest_path, 1, "manifest.json has no artifacts map: the assembly is not read"))
        return {}
    return artifacts


def _inside(folder: str, name, within: str | None = None) -> str | None:
    """``folder/name`` when ``name`` is a relative path that stays inside ``within`` (default:
    ``folder``), symlinks resolved."""
    if not isinstance(name, str) or not name or os.path.isabs(name) or "\0" in name:
        return None
    bound = os.path.normpath(within or folder)
    path = os.path.normpath(os.path.join(folder, name))
    if not path.startswith(bound + os.sep):
        return None
    # a symlink in the assembly (asset.x -> /usr/lib/python3) must not lead the scan outside it
    real = os.path.realpath(path)
    return path if real.startswith(os.path.realpath(bound) + os.sep) else None


def asset_paths(template: str) -> list[str]:
    """The assets a template's resources name in their metadata that lambdalint reads: nested
    stack templates (``aws:asset:property: TemplateURL``) and function code folders (``Code``);
    layer contents and other assets are not handler code. A template that does not parse names
    none (the parse stage reports it as LL001)."""
    try:
        with open(template, "rb") as handle:
            data = json.loads(handle.read(MAX_TEMPLATE_BYTES + 1)[:MAX_TEMPLATE_BYTES].decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return []
    resources = data.get("Resources") if isinstance(data, dict) else None
    out: set[str] = set()
    for resource in resources.values() if isinstance(resources, dict) else ():
        meta = resource.get("Metadata") if isinstance(resource, dict) else None
        if not isinstance(meta, dict):
            continue
        path, prop = meta.get("aws:asset:path"), meta.get("aws:asset:property")
        if isinstance(path, str) and prop in ("Code", "TemplateURL"):
            out.add(path)
    return sorted(out)


def in_assembly(rel: str) -> bool:
    """Whether a scanned path lies in a cloud assembly (``cdk.out/...``)."""
    return "cdk.out" in rel.split("/")[:-1]


def asset_code_files(asset: str, suffixes: tuple[str, ...] = CODE_SUFFIXES) -> list[str]:
    """The handler source files of one asset folder: every code file except installed
    dependencies (``pip install -t`` puts packages beside the handler, each named by a
    ``*.dist-info`` record) and minified bundles' companions."""
    dependencies = _installed_packages(asset)
    out: list[str] = []
    for current, dirs, files in os.walk(asset):
        rel = os.path.relpath(current, asset)
        top = rel.split(os.sep)[0] if rel != "." else ""
        keep = []
        for d in sorted(dirs):
            if d in _NOT_SOURCE_DIRS or d.endswith((".dist-info", ".egg-info", ".data")) or d.startswith("."):
                continue
            if rel == "." and d in dependencies:
                continue
            keep.append(d)
        dirs[:] = keep
        if top in dependencies:
            continue
        for name in sorted(files):
            if rel == "." and name.endswith(".py") and name[:-3] in dependencies:
                continue  # a single-module dependency (six.py, typing_extensions.py)
            if name.endswith(suffixes) and not name.endswith((".d.ts", ".min.js")):
                out.append(os.path.join(current, name))
                if len(out) >= MAX_ASSET_FILES:
                    return sorted(out)
    return sorted(out)


def _installed_packages(asset: str) -> set[str]:
    """Top-level names installed into the asset folder, from each ``*.dist-info/RECORD`` (or
    ``top_level.txt``)."""
    names: set[str] = set()
    try:
        entries = sorted(os.listdir(asset))
    except OSError:
        return names
    for entry in entries:
        if not entry.endswith((".dist-info", ".egg-info")):
            continue
        for listing in ("RECORD", "top_level.txt", "installed-files.txt"):
            try:
                with open(os.path.join(asset, entry, listing), encoding="utf-8", errors="replace") as handle:
                    for line in handle:
                        first = line.split(",", 1)[0].strip().replace("\\", "/").split("/", 1)[0]
                        if first and not first.endswith((".dist-info", ".egg-info")) and first not in ("..", "."):
                            names.add(first[:-3] if first.endswith(".py") else first)
            except OSError:
                continue
    return names
