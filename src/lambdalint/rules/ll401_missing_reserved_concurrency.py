"""LL401 missing-reserved-concurrency: a function (especially a database-facing one) has no reservation."""

from __future__ import annotations

from ..analysis.catalog import DATABASE_PREFIXES
from ..findings import Location, Related
from .base import Example, Option, Rule, RuleContext, sam, unmarked

DOCS = """\
## What it does
Reports functions that set no reserved concurrency (`ReservedConcurrentExecutions`,
`reserved_concurrent_executions`, the module's `reserved_concurrent_executions`; Terraform's
`-1` means none). It is a warning for functions that talk to a relational database — the linked
handler uses a database driver (psycopg, PyMySQL, mysql-connector, pg8000, SQLAlchemy, …), an
environment variable points at an RDS instance, cluster or RDS Proxy (or holds a database URL),
or a VPC-attached function has database settings in its environment — and for functions with
provisioned concurrency. For every other function it is a note. A value that cannot be resolved
counts as set.

In the default set (no `--select`) only database-facing and provisioned functions are checked;
`--select ALL`, `--extend-select LL401` or a configured `reserved-concurrency` mode checks
every function.

## Why is this bad?
Without a reservation a function scales until the account's regional limit: one burst of events
can open hundreds of database connections (each environment holds its own) and exhaust
`max_connections`, and a runaway function can starve every other function of the account of
concurrency. A reservation caps the function (protecting what it calls) and guarantees it that
slice of the pool. Provisioned concurrency is a pre-warmed part of the concurrency a function
may use, so a function worth keeping warm is also worth capping and guaranteeing.

## Example
<!-- example -->

## Use instead
Size the reservation from what the downstream can take (connections per environment × the
reservation must stay under the database's limit, or go through RDS Proxy):
<!-- use-instead -->

## Fix safety
Display-only: `--fix` never applies it. The suggestion adds `ReservedConcurrentExecutions`
(`reserved_concurrent_executions`) with a placeholder marked as such: 10, or the largest
provisioned-concurrency amount in the resource (Terraform: in the file) so the cap never falls
below the warm pool. The right number is what the database or downstream API can absorb, and a
cap too low throttles real traffic, so it is yours to choose. JSON templates get the advice in
the message only.

## References
- [Configuring reserved concurrency](https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html)
- [Using Amazon RDS Proxy with Lambda](https://docs.aws.amazon.com/lambda/latest/dg/configuration-database.html)
"""


def database_evidence(function, project) -> list[tuple[Location, str]]:
    """(location, description) of why a function counts as database-facing."""
    out: list[tuple[Location, str]] = []
    module = project.python_modules.get(function.handler_module or "")
    facts = getattr(module, "facts", None)
    if facts is not None:
        uses = list(facts.init_uses) + [u for f in facts.functions.values() for u in f.uses]
        for use in sorted(uses, key=lambda u: (u.line, u.column)):
            if use.qualname.startswith(DATABASE_PREFIXES):
                out.append((Location(module.path, use.line, use.column), f"the handler module calls {use.qualname}"))
                break
    out.extend(function.db_endpoints)
    return out


_NOTE = "placeholder: what the downstreams can absorb"


def check(ctx: RuleContext):

    mode = ctx.options.get("reserved-concurrency", "db-facing")
    if mode == "off":
        return
    # in the default set (not selected, no mode configured) only the functions where a missing
    # cap does damage whatever the organisation: database-facing and provisioned ones
    every_function = ctx.selected or "reserved-concurrency" in ctx.settings.rule_options.get(ctx.rule.id, {})
    for function in ctx.project.functions:
        reserved = function.reserved_concurrency
        if not reserved.is_absent:
            continue
        name = function.reserved_concurrency.prop
        evidence = database_evidence(function, ctx.project)
        related = [Related(loc, why) for loc, why in evidence]
        pcs = [pc for pc in function.provisioned if not (pc.amount.is_set and pc.amount.value == 0) and not pc.may_not_exist]
        related += [Related(pc.location, "provisioned concurrency is configured here") for pc in pcs]
        if evidence:
            why = f"it talks to a relational database ({evidence[0][1]}), and without a cap a burst can exhaust the database's connections"
            level = None
        elif pcs:
            why = "it has provisioned concurrency, so it is worth capping and guaranteeing its slice of the account pool"
            level = None
        else:
            if not every_function:
                continue
            why = "without a cap one burst can use the whole account's concurrency and throttle other functions"
            level = None if mode == "all" else "note"
        yield ctx.finding(
            f"{function.label} sets no reserved concurrency ({name}): {why}; set {name} to what its downstreams can absorb",
            reserved.location,
            related=related,
            subject=function.address,
            level=level,
        )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:  # expect: LL401
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 1024
{extra}      Environment:
        Variables:
          DB_HOST: orders.proxy-abc123.eu-west-1.rds.amazonaws.com
"""

_SAM_PC = """\
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 25
"""

_TF = """\
resource "aws_lambda_function" "orders" {{  # expect: LL401
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
  memory_size   = 1024
{extra}}}
"""

RULE = Rule(
    id="LL401",
    name="missing-reserved-concurrency",
    level="warning",
    summary="The function sets no reserved concurrency (a warning when it talks to a database or has provisioned concurrency)",
    docs=DOCS,
    check=check,
    must_fire=(
        Example(
            {"template.yaml": _SAM.format(extra="")},
            "SAM function with an RDS Proxy endpoint",
            fixed={"template.yaml": _SAM.format(extra="").replace("    Properties:\n", f"    Properties:\n      ReservedConcurrentExecutions: 10 # {_NOTE}\n")},
            display_only_fix=True,
        ),
        Example(
            {"main.tf": _TF.format(extra="")},
            "Terraform function without a reservation (note)",
            fixed={"main.tf": _TF.format(extra="").replace("{  # expect: LL401\n", f"{{  # expect: LL401\n  reserved_concurrent_executions = 10 # {_NOTE}\n", 1)},
            display_only_fix=True,
        ),
        Example(
            {"template.yaml": _SAM.format(extra=_SAM_PC)},
            "SAM function with provisioned concurrency: the placeholder covers the warm pool",
            fixed={"template.yaml": _SAM.format(extra=_SAM_PC).replace("    Properties:\n", f"    Properties:\n      ReservedConcurrentExecutions: 25 # {_NOTE}\n")},
            display_only_fix=True,
        ),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(extra="      ReservedConcurrentExecutions: 50\n"), "SAM with a reservation"),
        Example({"main.tf": unmarked(_TF).format(extra='  reserved_concurrent_executions = var.reserved\n}\n\nvariable "reserved" {\n  type = number\n')}, "Terraform reservation from a variable without default"),
    ),
    options=(
        Option("reserved-concurrency", "db-facing", "\"db-facing\": warn for database-facing and provisioned functions, note for the rest; \"all\": warn for every function; \"off\": never report", ("db-facing", "all", "off")),
    ),
    tags=("concurrency", "reliability"),
    default_reason="by default only database-facing and provisioned functions (a burst exhausts the database's connections); select it to check every function",
)
