"""LL110 snapstart-init-uniqueness: a unique or random value made at init and cloned by SnapStart."""

from ..analysis import catalog
from ..analysis.facts import init_functions
from ..analysis.scope import snapstart_init_modules
from ..findings import Location
from .base import Example, Rule, RuleContext, python, sam, unmarked

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
<!-- example -->

## Use instead
<!-- use-instead -->
or generate the value inside the handler. When a fixed seed is intended, suppress it inline
with `# lambdalint: ignore[LL110]`.

## Java
For a Java handler under SnapStart, the init phase is everything that runs before the snapshot:
static field initialisers and `static {}` blocks, instance field initialisers and constructors
of the handler class, of its superclasses and of the classes of its fields (a dependency
injection container builds them at init), the helpers they call, and `beforeCheckpoint` of
`org.crac.Resource` implementations. A field stored there from `UUID.randomUUID()`,
`new Random()`, `Math.random()`, `ThreadLocalRandom`, a draw from any random generator,
`System.currentTimeMillis()`/`nanoTime()`, `Instant.now()`, `LocalDateTime.now()`,
`clock.instant()`, or a method returning one of these, is reported; so is any value kept in a
`java.util.Random` field that is not a `SecureRandom` (its seed is cloned). `SecureRandom`
itself is restore-safe, and a field assigned again in `afterRestore` is fine:
```java
public class App implements RequestHandler<String, String>, Resource {
    private String instanceId = UUID.randomUUID().toString();

    public App() { Core.getGlobalContext().register(this); }

    @Override public void beforeCheckpoint(Context<? extends Resource> c) {}
    @Override public void afterRestore(Context<? extends Resource> c) { instanceId = UUID.randomUUID().toString(); }
    ...
}
```

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
_UUID_HANDLER = "import uuid\n\nINSTANCE = str(uuid.uuid4())  # expect: LL110\n\ndef lambda_handler(event, context):\n    return INSTANCE\n"


_JAVA_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: orders/
      Handler: example.App::handleRequest
      Runtime: java21
      MemorySize: 2048
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: PublishedVersions
"""
_JAVA_UUID = """\
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.UUID;

public class App implements RequestHandler<String, String> {
    private static final String INSTANCE_ID = UUID.randomUUID().toString();  // expect: LL110

    public String handleRequest(String event, Context context) {
        return INSTANCE_ID;
    }
}
"""


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
    if ctx.project.java_targets:
        yield from _check_java(ctx)


def _check_java(ctx: RuleContext):
    from ..analysis.js_java_scope import java_snapstart_stores, unique_reason

    for path, program, store, known in java_snapstart_stores(ctx.project, ctx.settings.declares_snapstart):
        why = unique_reason(program, store)
        if why is None:
            continue
        owner, _, method = store.routine.rpartition(".")
        field = ".".join(store.field.split(".")[-2:])
        when = "in `beforeCheckpoint`, just before the snapshot" if method == "beforeCheckpoint" else f"while `{owner.rsplit('.', 1)[-1]}` is initialised"
        how = "SnapStart is enabled for this function" if known else "this code registers CRaC hooks (org.crac), so it runs under SnapStart"
        yield ctx.finding(
            f"field `{field}` keeps {why}, made {when}; {how}, so every restored execution environment shares the "
            "same value; create it per invocation, or again in `afterRestore` of an org.crac Resource",
            Location(path, store.line, store.column, store.end_line, store.end_column),
            subject=f"{path}:{field}",
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
        Example({"template.yaml": _JAVA_SAM, "orders/src/main/java/example/App.java": _JAVA_UUID}, "Java static UUID under SnapStart"),
        sam(_SNAP_SAM.format(apply="PublishedVersions"), "SnapStart in the template, uuid at init", docs=True, src__app_py=_UUID_HANDLER),
        python("import random\nfrom snapshot_restore_py import register_before_snapshot\n\nrandom.seed(42)  # expect: LL110\n\ndef lambda_handler(event, context):\n    return random.random()\n", "constant seed still fires"),
        python("import time\nimport snapshot_restore_py\n\nSTARTED = time.time()  # expect: LL110\n\ndef lambda_handler(event, context):\n    return time.time() - STARTED\n", "init timestamp"),
    ),
    must_not_fire=(
        Example({"template.yaml": _JAVA_SAM, "orders/src/main/java/example/App.java": unmarked(_JAVA_UUID).replace("UUID.randomUUID().toString()", "new java.security.SecureRandom().toString()")}, "Java SecureRandom"),
        Example({"template.yaml": _JAVA_SAM.replace("ApplyOn: PublishedVersions", "ApplyOn: None"), "orders/src/main/java/example/App.java": unmarked(_JAVA_UUID)}, "Java without SnapStart"),
        sam(_SNAP_SAM.format(apply="None"), "SnapStart off", src__app_py=unmarked(_UUID_HANDLER)),
        python(unmarked(_UUID_HANDLER), "no SnapStart anywhere"),
        python("import uuid\nfrom snapshot_restore_py import register_after_restore\n\nINSTANCE = str(uuid.uuid4())\n\n@register_after_restore\ndef refresh():\n    global INSTANCE\n    INSTANCE = str(uuid.uuid4())\n\ndef lambda_handler(event, context):\n    return INSTANCE\n", "regenerated after restore", docs=True),
        python("import uuid\nimport snapshot_restore_py\n\ndef lambda_handler(event, context):\n    return str(uuid.uuid4())\n", "generated per invocation"),
    ),
    tags=("snapstart", "correctness", "security"),
    default_reason="under SnapStart the value is cloned into every environment: a correctness bug, not a preference",
)
