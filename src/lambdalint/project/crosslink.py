"""Project-wide linking after every template and Terraform root is loaded: callers and failure
handling (project/events.py), CloudWatch alarms (project/alarms.py) and database endpoints in
environment variables (LL401). Called once from ``engine.build_project``."""

from __future__ import annotations

from ..formats.cloudformation import databases as cfn_databases
from ..formats.terraform import databases as tf_databases
from ..link import databases
from .model import Project


def crosslink(project: Project, templates: list, roots: list) -> None:
    """``templates``: cloudformation.Template per template; ``roots``: terraform.Root per root."""
    from . import alarms, events

    for t in templates:
        functions = [f for f in project.functions if f.kind in ("sam", "cloudformation") and f.root == t.path]
        loaded = events.load_template(t, functions)
        project.unresolved_callers.extend((t.path, loc) for loc in loaded.unresolved)
        project.function_urls.extend(loaded.function_urls)
        project.event_sources.extend(loaded.event_sources)
        databases.attach(functions, cfn_databases.read(t))
        project.alarms.extend(alarms.template_alarms(t, functions))
    for root in roots:
        functions = [f for f in project.functions if f.kind.startswith("terraform") and f.root == root.dir]
        loaded = events.load_root(root, functions)
        project.unresolved_callers.extend((root.dir, loc) for loc in loaded.unresolved)
        project.function_urls.extend(loaded.function_urls)
        project.event_sources.extend(loaded.event_sources)
        databases.attach(functions, tf_databases.read(root))
        project.alarms.extend(alarms.root_alarms(root, functions))
