"""Project-wide linking after every template and Terraform root is loaded: callers and failure
handling (formats/<format>/callers.py read them, link/callers.py links them), CloudWatch alarms
(formats/<format>/alarms.py, link/alarms.py) and database endpoints in environment variables
(formats/<format>/databases.py, link/databases.py; LL401). Called once from
``engine.build_project``."""

from __future__ import annotations

from ..formats.cloudformation import databases as cfn_databases
from ..formats.terraform import databases as tf_databases
from ..link import databases
from .model import Project


def crosslink(project: Project, templates: list, roots: list) -> None:
    """``templates``: cloudformation.Template per template; ``roots``: terraform.Root per root."""
    from ..formats.cloudformation import alarms as cfn_alarms
    from ..formats.cloudformation import callers as cfn_callers
    from ..formats.terraform import alarms as tf_alarms
    from ..formats.terraform import callers as tf_callers
    from ..link import callers
    from ..link.alarms import link_alarms

    for t in templates:
        functions = [f for f in project.functions if f.kind in ("sam", "cloudformation") and f.root == t.path]
        callers.link(cfn_callers.read(t), functions, project)
        databases.attach(functions, cfn_databases.read(t))
        project.alarms.extend(link_alarms(cfn_alarms.read(t), functions))
    for root in roots:
        functions = [f for f in project.functions if f.kind.startswith("terraform") and f.root == root.dir]
        callers.link(tf_callers.read(root), functions, project)
        databases.attach(functions, tf_databases.read(root))
        project.alarms.extend(link_alarms(tf_alarms.read(root), functions))
