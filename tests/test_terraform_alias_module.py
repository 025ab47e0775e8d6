"""The terraform-aws-modules/lambda ``//modules/alias`` submodule, read from its inputs: event
source mappings on the alias (LL406), permissions from ``allowed_triggers`` and the event invoke
config's ``destination_on_failure`` (LL404), for the registry source and a local copy of the
submodule (the module's own examples call ``../../modules/alias``)."""

from __future__ import annotations

import pytest

from .conftest import check_json, write_files
from .helpers import line_of

HANDLER = "def lambda_handler(event, context):\n    return {}\n"

ROOT = """\
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sqs_queue" "dlq" {
  name = "dlq"
}

resource "aws_sns_topic" "events" {
  name = "events"
}

module "sqs_invoices" {
  source  = "terraform-aws-modules/sqs/aws"
  version = "~> 4.0"
  name    = "invoices"
}

module "orders" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "orders"
  handler       = "app.lambda_handler"
  runtime       = "python3.12"
  source_path   = "${path.module}/src/app.py"
  publish       = true
}

module "billing" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "billing"
  handler       = "app.lambda_handler"
  runtime       = "python3.12"
  source_path   = "${path.module}/src/app.py"
  publish       = true
}

module "orders_live" {
  source = "ALIAS_SOURCE"

  name             = "live"
  function_name    = module.orders.lambda_function_name
  function_version = module.orders.lambda_function_version

  event_source_mapping = {
    jobs = {
      event_source_arn = aws_sqs_queue.jobs.arn
    }
    invoices = {
      event_source_arn = module.sqs_invoices.queue_arn
      batch_size       = 5
    }
  }

  allowed_triggers = {
    Events = {
      service    = "sns"
      source_arn = aws_sns_topic.events.arn
    }
  }
}

module "billing_live" {
  source = "ALIAS_SOURCE"

  name          = "live"
  function_name = module.billing.lambda_function_name

  create_async_event_config = true
  destination_on_failure    = aws_sqs_queue.dlq.arn

  event_source_mapping = {
    jobs = {
      event_source_arn        = aws_sqs_queue.jobs.arn
      function_response_types = ["ReportBatchItemFailures"]
    }
    single = {
      event_source_arn = aws_sqs_queue.jobs.arn
      batch_size       = 1
    }
  }

  allowed_triggers = {
    Events = {
      service    = "sns"
      source_arn = aws_sns_topic.events.arn
    }
  }
}

module "vague" {
  source = "ALIAS_SOURCE"
  create = var.create_alias

  name          = "live"
  function_name = "reports"

  event_source_mapping = {
    jobs = {
      event_source_arn = aws_sqs_queue.jobs.arn
    }
  }
}

module "unknown_inputs" {
  source = "ALIAS_SOURCE"

  name          = var.alias_name
  function_name = var.function_name

  event_source_mapping = var.mappings

  allowed_triggers = var.triggers
}

module "sized_by_a_variable" {
  source = "ALIAS_SOURCE"

  name          = "live"
  function_name = "reports"

  event_source_mapping = {
    jobs = {
      event_source_arn        = aws_sqs_queue.jobs.arn
      batch_size              = var.batch_size
      function_response_types = var.response_types
    }
  }
}

module "not_created" {
  source = "ALIAS_SOURCE"
  create = false

  name          = "live"
  function_name = "reports"

  event_source_mapping = {
    jobs = {
      event_source_arn = aws_sqs_queue.jobs.arn
    }
  }
}

variable "create_alias" {}
variable "alias_name" {}
variable "function_name" {}
variable "mappings" {}
variable "triggers" {}
variable "batch_size" {}
variable "response_types" {}
"""

# a copy of the submodule as vendored (trimmed to what tells it apart, and its own resources)
ALIAS_COPY = {
    "modules/alias/variables.tf": "".join(
        f'variable "{name}" {{\n  default = {default}\n}}\n\n'
        for name, default in [
            ("create", "true"),
            ("use_existing_alias", "false"),
            ("refresh_alias", "true"),
            ("create_async_event_config", "false"),
            ("create_version_allowed_triggers", "true"),
            ("create_qualified_alias_allowed_triggers", "true"),
            ("name", '""'),
            ("function_name", '""'),
            ("function_version", '""'),
            ("destination_on_failure", "null"),
            ("allowed_triggers", "{}"),
            ("event_source_mapping", "{}"),
        ]
    ),
    "modules/alias/main.tf": """\
resource "aws_lambda_alias" "no_refresh" {
  count = var.create && !var.use_existing_alias && !var.refresh_alias ? 1 : 0

  name             = var.name
  function_name    = var.function_name
  function_version = var.function_version != "" ? var.function_version : "$LATEST"
}

resource "aws_lambda_alias" "with_refresh" {
  count = var.create && !var.use_existing_alias && var.refresh_alias ? 1 : 0

  name             = var.name
  function_name    = var.function_name
  function_version = var.function_version != "" ? var.function_version : "$LATEST"
}

resource "aws_lambda_event_source_mapping" "this" {
  for_each = { for k, v in var.event_source_mapping : k => v if var.create }

  function_name    = try(aws_lambda_alias.with_refresh[0].arn, aws_lambda_alias.no_refresh[0].arn, "")
  event_source_arn = try(each.value.event_source_arn, null)
  batch_size       = try(each.value.batch_size, null)

  function_response_types = try(each.value.function_response_types, null)
}
""",
    "modules/alias/outputs.tf": 'output "lambda_alias_arn" {\n  value = try(aws_lambda_alias.with_refresh[0].arn, "")\n}\n',
}

SOURCES = {
    "registry": ("terraform-aws-modules/lambda/aws//modules/alias", {}),
    "local copy": ("./modules/alias", ALIAS_COPY),
    # vendored under another name: known by what it declares, not by its path
    "vendored": ("./vendor/lambda-alias", {k.replace("modules/alias", "vendor/lambda-alias"): v for k, v in ALIAS_COPY.items()}),
}


def _project(tmp_path, kind: str) -> str:
    source, extra = SOURCES[kind]
    text = ROOT.replace("ALIAS_SOURCE", source)
    write_files(tmp_path, {"main.tf": text, "src/app.py": HANDLER, **extra})
    return text


def _found(tmp_path, rules: str) -> list[tuple[str, str, int]]:
    return sorted((f["rule"], f["path"], f["line"]) for f in check_json(tmp_path, "--select", rules)["findings"])


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_alias_event_sources_without_batch_failure_reporting_fire_at_their_input(tmp_path, kind):
    text = _project(tmp_path, kind)
    esm = line_of(text, "event_source_mapping = {")  # module.orders_live's
    # two mappings without ReportBatchItemFailures (one from the SQS module's queue_arn), on one line;
    # function_response_types set, batch_size 1, unknown inputs, create = false / unknown: nothing
    assert _found(tmp_path, "LL406") == [("LL406", "main.tf", esm), ("LL406", "main.tf", esm)]


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_alias_allowed_triggers_are_async_callers_of_the_function(tmp_path, kind):
    text = _project(tmp_path, kind)
    # orders: an SNS permission on its alias and no failure destination; billing: the alias's
    # event invoke config sends failures to the DLQ
    assert _found(tmp_path, "LL404") == [("LL404", "main.tf", line_of(text, 'module "orders" {'))]
    finding = next(f for f in check_json(tmp_path, "--select", "LL404")["findings"])
    assert ("main.tf", line_of(text, "allowed_triggers = {")) in {(r["path"], r["line"]) for r in finding["related"]}


def test_a_local_copy_of_the_alias_submodule_is_not_followed(tmp_path):
    _project(tmp_path, "local copy")
    report = check_json(tmp_path, "--select", "ALL")
    assert not [f for f in report["findings"] if f["path"].startswith("modules/")]


def test_a_local_module_that_is_not_the_alias_submodule_is_not_read_from_its_inputs(tmp_path):
    # the folder is called modules/alias, but it is the user's own module: followed, not read as the submodule
    own = {"modules/alias/main.tf": 'variable "event_source_mapping" {}\nvariable "function_name" {}\nvariable "name" {}\n'}
    write_files(tmp_path, {"main.tf": ROOT.replace("ALIAS_SOURCE", "./modules/alias"), "src/app.py": HANDLER, **own})
    assert _found(tmp_path, "LL406") == []
