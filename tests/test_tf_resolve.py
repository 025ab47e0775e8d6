"""formats/terraform/resolve.py: what a Terraform root's values stand for, typed and located.

The behaviour through whole projects is covered by the rule and parity tests; these pin the
resolver's own contract (Literal / Reference / Unknown, with the expression's location), as
tests/test_cfn_resolve.py does for templates."""

from __future__ import annotations

from lambdalint.documents.nodes import Expr
from lambdalint.documents.terraform import parse_tf
from lambdalint.findings import Location
from lambdalint.formats.terraform.resolve import Literal, Reference, Root, SymbolicParts, Unknown, group_roots
from lambdalint.formats.values import UNKNOWN_PART

from .helpers import line_of, lines

MAIN_TF = """\
variable "stage" {
  default = "prod"
}
variable "memory" {
  default = 512
}
variable "bucket" {}
variable "enabled" {
  default = false
}
locals {
  name  = "orders-${var.stage}"
  names = ["a", var.bucket, aws_sqs_queue.dlq.arn]
  loop  = local.loop
}
resource "aws_sqs_queue" "dlq" {
  name = "${local.name}-dlq"
}
resource "aws_lambda_function" "orders" {
  function_name = local.name
  memory_size   = var.memory
  timeout       = var.stage == "prod" ? 10 : 20
  role          = aws_sqs_queue.dlq.arn
  description   = var.bucket
  layers        = ["x", var.bucket]
  tags          = { Name = var.stage, Owner = var.bucket }
  handler       = local.loop
  publish       = "true"
  image_uri     = join("", aws_ecr_repository.x[*].repository_url)
}
resource "aws_lambda_alias" "live" {
  count            = var.enabled ? 1 : 0
  name             = "live"
  function_name    = aws_lambda_function.orders.function_name
  function_version = aws_lambda_function.orders.version
}
resource "aws_lambda_alias" "maybe" {
  count         = length(var.bucket)
  name          = "maybe"
  function_name = aws_lambda_function.orders.function_name
}
"""
TFVARS = 'memory = 1024\n'


def _root(tmp_path, tfvars: bool = False) -> Root:
    (tmp_path / "main.tf").write_text(MAIN_TF)
    docs = [parse_tf(str(tmp_path / "main.tf"), "main.tf")[0]]
    if tfvars:
        (tmp_path / "terraform.tfvars").write_text(TFVARS)
        docs.append(parse_tf(str(tmp_path / "terraform.tfvars"), "terraform.tfvars")[0])
    roots = group_roots(docs)
    assert len(roots) == 1
    return roots[0]


def _attr(root: Root, rtype: str, name: str, key: str):
    return root.resources[(rtype, name)][1].attr(key)


def _value(root: Root, key: str):
    attr = _attr(root, "aws_lambda_function", "orders", key)
    return root.value(attr.value, Location("main.tf", attr.line, attr.column))


def test_literals_through_variables_locals_templates_and_conditions(tmp_path):
    root = _root(tmp_path)
    name = _value(root, "function_name")
    assert name == Literal("orders-prod", Location("main.tf", line_of(MAIN_TF, "  function_name = local.name"), 3))
    assert _value(root, "memory_size").value == 512
    assert _value(root, "timeout").value == 10  # var.stage == "prod" with the default
    assert root.literal(_attr(root, "aws_sqs_queue", "dlq", "name").value) == "orders-prod-dlq"
    assert root.flag(_attr(root, "aws_lambda_function", "orders", "publish").value) is True


def test_tfvars_override_defaults(tmp_path):
    root = _root(tmp_path, tfvars=True)
    assert _value(root, "memory_size").value == 1024


def test_a_resource_is_a_reference_and_a_variable_without_default_is_unknown(tmp_path):
    root = _root(tmp_path)
    role = _value(root, "role")
    assert isinstance(role, Reference) and (role.address, role.attribute) == ("aws_sqs_queue.dlq", "arn")
    assert role.source == "aws_sqs_queue.dlq.arn"
    description = _value(root, "description")
    assert isinstance(description, Unknown) and description.source == "var.bucket"
    handler = _value(root, "handler")  # defined in terms of itself: ends as unknown
    assert isinstance(handler, Unknown) and handler.source == "local.loop"
    # the count idiom: join("", x[*].attr) names the resource
    image = _value(root, "image_uri")
    assert isinstance(image, Reference) and image.address == "aws_ecr_repository.x"
    setting = root.setting("main.tf", _attr(root, "aws_lambda_function", "orders", "role"), None, role.location)
    assert not setting.known and setting.source == "aws_sqs_queue.dlq.arn"


def test_lists_and_maps_keep_their_unresolved_pieces_typed(tmp_path):
    root = _root(tmp_path)
    layers = _value(root, "layers")
    assert isinstance(layers, Literal) and layers.value[0] == "x"
    assert isinstance(layers.value[1], Unknown) and layers.value[1].source == "var.bucket"
    tags = _value(root, "tags")
    assert tags.value["Name"] == "prod" and isinstance(tags.value["Owner"], Unknown)
    # pieces written in place keep their expression; pieces of a named list, their path in it
    names = root.value(root.locals["names"], Location("main.tf", 1, 1))
    assert names.value[0] == "a" and names.value[1].source == "var.bucket"
    assert isinstance(names.value[2], Reference) and names.value[2].address == "aws_sqs_queue.dlq"
    named = root.value(Expr("local.names"), Location("main.tf", 1, 1))
    assert [str(p) for p in named.value[1:]] == ["local.names[1]", "local.names[2]"]
    assert root.literal(_attr(root, "aws_lambda_function", "orders", "layers").value) is None
    assert root.literal(_attr(root, "aws_lambda_function", "orders", "tags").value) is None


def test_count_on_known_values_drops_the_block_and_unknown_count_may_not_exist(tmp_path):
    root = _root(tmp_path)
    assert ("aws_lambda_alias", "live") not in root.resources  # var.enabled defaults to false
    maybe = root.resources[("aws_lambda_alias", "maybe")][1]
    assert root.may_not_exist(maybe) and not root.creates_nothing(maybe)
    assert not root.may_not_exist(root.resources[("aws_lambda_function", "orders")][1])


def test_symbolic_parts_name_references_through_the_token_hook(tmp_path):
    root = _root(tmp_path)

    class FunctionNames(SymbolicParts):
        def token(self, ref, depth):
            return ("fn", ref.address) if ref.type == "aws_lambda_function" and ref.attribute == "function_name" else UNKNOWN_PART

    alias = root.resources[("aws_lambda_alias", "maybe")][1]
    assert FunctionNames(root).parts(alias.attr("function_name").value) == [("fn", "aws_lambda_function.orders")]
    assert SymbolicParts(root).parts(alias.attr("function_name").value) == [UNKNOWN_PART]
    dlq_name = root.resources[("aws_sqs_queue", "dlq")][1].attr("name").value
    assert SymbolicParts(root).parts(dlq_name) == ["", "orders-prod", "-dlq"]


CONDITIONAL_ROOT = """\
variable "large" {
  default = true
}
variable "size" {}
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "orders.zip"
  memory_size   = var.large ? 20480 : 1024
}
resource "aws_lambda_function" "reports" {
  function_name = "reports"
  role          = "arn:aws:iam::123456789012:role/reports"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "reports.zip"
  memory_size   = var.size == "large" ? 20480 : 1024
}
"""


def test_a_root_is_checked_with_the_branch_its_defaults_choose(tmp_path):
    files = {"main.tf": CONDITIONAL_ROOT}
    # orders' condition holds with the default: over the limit; reports' depends on a variable
    # without default, so it is unknown and never a reason to warn
    assert lines(tmp_path, files, "LL305") == [("main.tf", line_of(CONDITIONAL_ROOT, "memory_size   = var.large"))]
