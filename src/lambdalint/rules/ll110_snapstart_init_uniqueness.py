"""LL110 snapstart-init-uniqueness: a unique or random value made at init and cloned by SnapStart."""

from ..analysis import catalog
from ..analysis.facts import init_functions
from ..analysis.scope import snapstart_init_modules
from ..findings import Location
from .base import Rule, RuleContext, python, sam

DOCS = """\
## What it does
In a function with SnapStart, finds values that must be unique or fresh per execution
environment but are produced during init and kept: `uuid.uuid1()`/`uuid4()`, anything from
`random` (including `random.seed()` and `random.Random()` instances, constant seeds too),
`secrets`, `os.urandom`, `numpy.random`, and `time.time()` / `datetime.now()` / `utcnow()` /
`today()` stored at module level (or in a class body, or by a function called at import), in
the handler's module or in a package module it imports at module level (its import-time code is
in the snapshot too; a module imported inside a function is not).

SnapStart is known from a linked template (`SnapStart: {ApplyOn: PublishedVersions}`) or
Terraform (`snap_start { apply_on = "PublishedVersions" }`), where the finding is an error,
or inferred from the module importing `snapshot_restore_py`, where it is a warning. A value
regenerated in a `register_after_restore` hook is not reported.

## Why is this bad?
SnapStart runs init once, snapshots the memory, and starts every new execution environment
from that snapshot. Whatever init generated is therefore identical in all of them: the "unique"
instance ID collides, every environment draws the same random sequence (a security problem for
tokens and nonces), and an init timestamp is stale by hours.

## Example
```python
import uuid

INSTANCE_ID = str(uuid.uuid4())

def lambda_handler(event, context):
    return {"instance": INSTANCE_ID}
```

## Use instead
```python
import uuid
from snapshot_restore_py import register_after_restore

INSTANCE_ID = str(uuid.uuid4())

@register_after_restore
def refresh_identity():
    global INSTANCE_ID
    INSTANCE_ID = str(uuid.uuid4())
```
or generate the value inside the handler. When a fixed seed is intended, suppress it inline
with `# lambdalint: ignore[LL110]`.

## References
- [Handling uniqueness with Lambda SnapStart](https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html)
- [Lambda SnapStart runtime hooks for Python](https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-python.html)
"""

_SNAP_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.lambda_handler
      Runtime: python3.12
      MemorySize: 1024
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: {apply}
"""
_UUID_HANDLER = "import uuid\n\nINSTANCE = str(uuid.uuid4())\n\ndef lambda_handler(event, context):\n    return INSTANCE\n"


def is_unique_source(qualname: str) -> bool:
    if qualname in catalog.UNIQUE_EXCEPTIONS:
        return False
    return qualname in catalog.UNIQUE_EXACT or qualname.startswith(catalog.UNIQUE_PREFIXES)


def is_rng(qualname: str) -> bool:
    return qualname.startswith(catalog.UNIQUE_PREFIXES) and qualname not in catalog.UNIQUE_EXCEPTIONS


def check(ctx: RuleContext):
    for module, _targets, known, imported_by in snapstart_init_modules(ctx.project.code_targets, ctx.settings.declares_snapstart):
        facts = module.facts
        hooks = [facts.functions[h] for h in sorted(facts.after_restore_hooks) if h in facts.functions]
        refreshed = set().union(*(h.global_assigns for h in hooks)) if hooks else set()
        reseeded = {u.qualname.split(".")[0] for h in hooks for u in h.uses if is_rng(u.qualname)}
        at_init = [(u, None) for u in facts.init_uses]
        for name in sorted(init_functions(facts) - facts.after_restore_hooks):
            at_init.extend((u, name) for u in facts.functions[name].uses)
        for use, via in at_init:
            if not is_unique_source(use.qualname):
                continue
            kept = use.stored_as is not None or is_rng(use.qualname)
            if not kept or (use.stored_as and use.stored_as in refreshed):
                continue
            if is_rng(use.qualname) and not use.stored_as and use.qualname.split(".")[0] in reseeded:
                continue
            where = f" in `{via}` (called at import)" if via else ""
            if imported_by:
                where += f" of this module, which the handler module {imported_by} imports"
            target = f" stored in `{use.stored_as}`" if use.stored_as else ""
            how = "SnapStart is enabled for this function" if known else "this module uses SnapStart runtime hooks"
            yield ctx.finding(
                f"`{use.qualname}()`{target} runs during init{where}; {how}, so every restored execution environment "
                "shares the same value; generate it per invocation or again in a register_after_restore hook",
                Location(module.path, use.line, use.column, use.end_line, use.end_column),
                subject=f"{module.path}:{use.stored_as or use.qualname}",
                level="error" if known and ctx.level == RULE.level else None,
            )


RULE = Rule(
    id="LL110",
    name="snapstart-init-uniqueness",
    level="warning",
    summary="A unique or random value is created during init and cloned into every SnapStart environment",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SNAP_SAM.format(apply="PublishedVersions"), "SnapStart in the template, uuid at init", src__app_py=_UUID_HANDLER),
        python("import random\nfrom snapshot_restore_py import register_before_snapshot\n\nrandom.seed(42)\n\ndef lambda_handler(event, context):\n    return random.random()\n", "constant seed still fires"),
        python("import time\nimport snapshot_restore_py\n\nSTARTED = time.time()\n\ndef lambda_handler(event, context):\n    return time.time() - STARTED\n", "init timestamp"),
    ),
    must_not_fire=(
        sam(_SNAP_SAM.format(apply="None"), "SnapStart off", src__app_py=_UUID_HANDLER),
        python(_UUID_HANDLER, "no SnapStart anywhere"),
        python("import uuid\nfrom snapshot_restore_py import register_after_restore\n\nINSTANCE = str(uuid.uuid4())\n\n@register_after_restore\ndef refresh():\n    global INSTANCE\n    INSTANCE = str(uuid.uuid4())\n\ndef lambda_handler(event, context):\n    return INSTANCE\n", "regenerated after restore"),
        python("import uuid\nimport snapshot_restore_py\n\ndef lambda_handler(event, context):\n    return str(uuid.uuid4())\n", "generated per invocation"),
    ),
    tags=("snapstart", "correctness", "security"),
)
