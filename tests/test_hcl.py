"""Terraform parsing through the real tree-sitter-hcl grammar (no mocks)."""

from __future__ import annotations

import textwrap

import pytest

from lambdalint.documents.hcl import parse_terraform
from lambdalint.documents.nodes import Attribute, Block, Expr, HclTemplateString, LoadError

ROOT = textwrap.dedent(
    """\
    terraform {
      required_version = ">= 1.5"
    }

    # Orders service
    variable "memory" {
      type    = number
      default = 1024
    }

    locals {
      name = "${var.env}-orders"
      tags = { Team = "payments", "cost-center" = "42" }
    }

    resource "aws_lambda_function" "orders" {
      function_name = local.name
      runtime       = "python3.12"
      handler       = "app.handler"
      memory_size   = var.memory
      timeout       = 30
      publish       = true
      layers        = [aws_lambda_layer_version.deps.arn, "arn:aws:lambda:us-east-1:123456789012:layer:x:1"]

      snap_start {
        apply_on = "PublishedVersions"
      }

      environment {
        variables = {
          TABLE = aws_dynamodb_table.orders.name
          MODE  = "prod"
        }
      }
    }

    resource "aws_lambda_alias" "live" {
      name             = "live"
      function_name    = aws_lambda_function.orders.function_name
      function_version = aws_lambda_function.orders.version
    }

    resource "aws_lambda_provisioned_concurrency_config" "live" {
      function_name                     = aws_lambda_alias.live.function_name
      provisioned_concurrent_executions = 5
      qualifier                         = aws_lambda_alias.live.name
    }

    module "worker" {
      source  = "terraform-aws-modules/lambda/aws"
      version = "~> 7.0"

      function_name = "worker"
      handler       = "worker.handler"
      runtime       = "python3.13"
      timeout       = null
    }
    """
)


def value_of(expr: str):
    """Value of one attribute written as `x = <expr>` inside a block."""
    (block,) = parse_terraform("b {\n  x = " + expr + "\n}\n")
    return block.attributes["x"].value


# --------------------------------------------------------------------------- realistic root


def test_root_blocks_types_labels_and_positions():
    blocks = parse_terraform(ROOT)
    summary = [(b.type, b.labels, b.line, b.column, b.end_line) for b in blocks]
    assert summary == [
        ("terraform", [], 1, 1, 3),
        ("variable", ["memory"], 6, 1, 9),
        ("locals", [], 11, 1, 14),
        ("resource", ["aws_lambda_function", "orders"], 16, 1, 35),
        ("resource", ["aws_lambda_alias", "live"], 37, 1, 41),
        ("resource", ["aws_lambda_provisioned_concurrency_config", "live"], 43, 1, 47),
        ("module", ["worker"], 49, 1, 57),
    ]


def test_root_lambda_function():
    fn = parse_terraform(ROOT)[3]
    assert list(fn.attributes) == [
        "function_name", "runtime", "handler", "memory_size", "timeout", "publish", "layers"
    ]
    assert fn.attr("function_name") == Attribute("function_name", Expr("local.name"), 17, 3, 17, 29)
    assert fn.attr("runtime") == Attribute("runtime", "python3.12", 18, 3, 18, 31)
    assert fn.attr("memory_size").value == Expr("var.memory")
    assert fn.attr("timeout") == Attribute("timeout", 30, 21, 3, 21, 21)
    assert fn.attr("publish").value is True
    assert fn.attr("layers").value == [
        Expr("aws_lambda_layer_version.deps.arn"),
        "arn:aws:lambda:us-east-1:123456789012:layer:x:1",
    ]

    (snap,) = fn.children("snap_start")
    assert (snap.type, snap.labels, snap.line, snap.column, snap.end_line) == ("snap_start", [], 25, 3, 27)
    assert snap.attr("apply_on") == Attribute("apply_on", "PublishedVersions", 26, 5, 26, 35)

    (env,) = fn.children("environment")
    assert (env.line, env.column, env.end_line) == (29, 3, 34)
    # A multi-line object attribute spans to its closing brace.
    assert env.attr("variables") == Attribute(
        "variables", {"TABLE": Expr("aws_dynamodb_table.orders.name"), "MODE": "prod"}, 30, 5, 33, 6
    )


def test_root_alias_and_provisioned_concurrency():
    blocks = parse_terraform(ROOT)
    alias, pc = blocks[4], blocks[5]
    assert alias.attr("function_version") == Attribute(
        "function_version", Expr("aws_lambda_function.orders.version"), 40, 3, 40, 56
    )
    assert alias.attr("name").value == "live"
    assert pc.attr("provisioned_concurrent_executions") == Attribute(
        "provisioned_concurrent_executions", 5, 45, 3, 45, 40
    )
    assert pc.attr("qualifier").value == Expr("aws_lambda_alias.live.name")


def test_root_module_variable_locals_terraform():
    blocks = parse_terraform(ROOT)
    tf, var, loc, module = blocks[0], blocks[1], blocks[2], blocks[6]
    assert tf.attr("required_version") == Attribute("required_version", ">= 1.5", 2, 3, 2, 30)
    assert var.attr("default") == Attribute("default", 1024, 8, 3, 8, 17)
    assert var.attr("type").value == Expr("number")
    assert loc.attr("name") == Attribute("name", HclTemplateString("${var.env}-orders"), 12, 3, 12, 29)
    assert loc.attr("tags").value == {"Team": "payments", "cost-center": "42"}
    assert module.attr("source") == Attribute("source", "terraform-aws-modules/lambda/aws", 50, 3, 50, 47)
    assert module.attr("version").value == "~> 7.0"
    assert module.attr("function_name") == Attribute("function_name", "worker", 53, 3, 53, 27)
    assert module.attr("timeout").value is None
    assert module.blocks == []


def test_result_is_plain_nodes_dataclasses():
    import pickle

    blocks = parse_terraform(ROOT)
    assert all(type(b) is Block for b in blocks)
    # Parsing can run in worker processes, so results must pickle.
    assert pickle.loads(pickle.dumps(blocks)) == blocks


# --------------------------------------------------------------------------- values


def test_int():
    assert value_of("128") == 128 and type(value_of("128")) is int


def test_negative_int():
    assert value_of("-1") == -1


def test_float():
    assert value_of("3.5") == 3.5


def test_scientific_float():
    # tree-sitter-hcl 1.2 rejects an exponent without a fraction; Terraform accepts it.
    assert value_of("1e3") == 1000.0


def test_bools():
    assert value_of("true") is True
    assert value_of("false") is False


def test_null():
    assert value_of("null") is None


def test_plain_string_is_unquoted():
    assert value_of('"orders"') == "orders"


def test_string_escapes_decoded():
    assert value_of(r'"a\"b\\c\nd\te\u00e9"') == 'a"b\\c\nd\te\u00e9'


def test_escaped_interpolation_is_literal():
    assert value_of('"$${lit} %%{x}"') == "${lit} %{x}"


def test_template_with_interpolation():
    assert value_of('"${var.env}-orders"') == HclTemplateString("${var.env}-orders")


def test_template_with_two_interpolations():
    assert value_of('"${var.a}${var.b}"') == HclTemplateString("${var.a}${var.b}")


def test_template_with_directive():
    assert value_of('"%{ if var.x }yes%{ endif }"') == HclTemplateString("%{ if var.x }yes%{ endif }")


def test_lone_interpolation_is_expression():
    # "${var.x}" is var.x (type preserved).
    assert value_of('"${var.x}"') == Expr("var.x")


def test_variable_reference():
    assert value_of("var.x") == Expr("var.x")


def test_local_reference():
    assert value_of("local.y") == Expr("local.y")


def test_resource_attribute_reference():
    assert value_of("aws_lambda_function.f.version") == Expr("aws_lambda_function.f.version")


def test_function_call():
    assert value_of('lookup(var.m, "k", 1)') == Expr('lookup(var.m, "k", 1)')


def test_conditional():
    assert value_of("var.a ? 1 : 2") == Expr("var.a ? 1 : 2")


def test_parenthesised_expression():
    assert value_of("(var.x)") == Expr("(var.x)")


def test_splat_and_for():
    assert value_of("var.l[*].id") == Expr("var.l[*].id")
    assert value_of("[for s in var.l : upper(s)]") == Expr("[for s in var.l : upper(s)]")


def test_list():
    assert value_of('[1, "a", var.b, [true]]') == [1, "a", Expr("var.b"), [True]]


def test_empty_list_and_object():
    assert value_of("[]") == []
    assert value_of("{}") == {}


def test_object_keys_unquoted_and_values_converted():
    assert value_of('{ a = 1, "b-c" = "x", d = var.c, e = { f = null } }') == {
        "a": 1,
        "b-c": "x",
        "d": Expr("var.c"),
        "e": {"f": None},
    }


def test_object_computed_keys_keep_interpolation_form():
    assert value_of('{ (var.k) = 1, "${var.j}" = 2 }') == {"${(var.k)}": 1, "${var.j}": 2}


def test_multiline_object():
    assert value_of("{\n    A = 1\n    B = \"two\"\n  }") == {"A": 1, "B": "two"}


def test_heredoc():
    assert value_of("<<EOT\nhello ${var.x}\nworld\nEOT") == "hello ${var.x}\nworld\n"


def test_indented_heredoc_strips_common_indent():
    assert value_of("<<-EOT\n    {\n      \"a\": 1\n    }\n    EOT") == '{\n  "a": 1\n}\n'


def test_heredoc_attribute_ends_on_marker_line():
    (block,) = parse_terraform('b {\n  p = <<EOF\n{"a": 1}\nEOF\n  q = 1\n}\n')
    assert block.attr("p") == Attribute("p", '{"a": 1}\n', 2, 3, 4, 4)
    assert block.attr("q").line == 5


def test_jsonencode_is_expression():
    assert value_of('jsonencode({ A = "b" })') == Expr('jsonencode({A = "b"})')


# --------------------------------------------------------------------------- structure details


def test_nested_and_repeated_blocks_keep_order():
    (b,) = parse_terraform('r "t" "n" {\n  d { x = 1 }\n  d { x = 2 }\n  e "l" {\n    f {}\n  }\n}\n')
    assert [c.type for c in b.blocks] == ["d", "d", "e"]
    assert [c.attr("x").value for c in b.children("d")] == [1, 2]
    (e,) = b.children("e")
    assert e.labels == ["l"] and (e.line, e.column, e.end_line) == (4, 3, 6)
    assert e.blocks[0].type == "f" and e.blocks[0].line == 5


def test_empty_file():
    assert parse_terraform("") == []


def test_whitespace_and_comments_only():
    assert parse_terraform("\n\n# a\n// b\n/* c\n d */\n") == []


def test_comments_do_not_shift_positions_or_values():
    text = (
        "# header\n"
        "/* block\n   comment */\n"
        'resource "a" "b" { # trailing\n'
        "  // leading\n"
        "  x = 1 # after\n"
        "  y = [1, # in list\n"
        "    2]\n"
        "}\n"
    )
    (b,) = parse_terraform(text)
    assert (b.line, b.column, b.end_line) == (4, 1, 9)
    assert b.attr("x") == Attribute("x", 1, 6, 3, 6, 8)
    assert b.attr("y").value == [1, 2]
    assert b.attr("y").line == 7


def test_crlf_and_bom():
    (b,) = parse_terraform('\ufeffb {\r\n  x = "v"\r\n}\r\n')
    assert b.attr("x").value == "v"
    assert (b.attr("x").line, b.attr("x").column) == (2, 3)


def test_no_trailing_newline():
    (b,) = parse_terraform("b {\n  x = 1\n}")
    assert b.attr("x").value == 1


# --------------------------------------------------------------------------- errors


def test_broken_file_reports_line_and_column():
    with pytest.raises(LoadError) as info:
        parse_terraform('resource "a" "b" {\n  x = 1\n  y = @\n}\n')
    assert (info.value.line, info.value.column) == (3, 7)
    assert "'@'" in info.value.reason


def test_extra_closing_brace():
    with pytest.raises(LoadError) as info:
        parse_terraform("a {\n  b = 1\n}}\n")
    assert (info.value.line, info.value.column) == (3, 2)


def test_unclosed_block_points_at_end_of_file():
    with pytest.raises(LoadError) as info:
        parse_terraform('resource "a" "b" {\n  x = 1\n')
    assert info.value.line == 3
    assert "end of file" in info.value.reason


def test_unterminated_directive_is_load_error():
    with pytest.raises(LoadError) as info:
        parse_terraform('a {\n  x = "%{ if true }"\n}\n')
    assert info.value.line == 2


@pytest.mark.parametrize("depth", [100, 5000])
@pytest.mark.parametrize(
    "make",
    [
        lambda n: "a {\n  x = " + "[" * n + "]" * n + "\n}\n",
        lambda n: "a {\n  x = " + "{a = " * n + "1" + "}" * n + "\n}\n",
        lambda n: "a {\n  x = " + "(" * n + "1" + ")" * n + "\n}\n",
        lambda n: "b {\n" * n + "}\n" * n,
    ],
    ids=["list", "object", "parens", "blocks"],
)
def test_deep_nesting_never_crashes(make, depth):
    try:
        result = parse_terraform(make(depth))
    except LoadError as exc:
        assert exc.line >= 1 and exc.column >= 1
    else:
        assert isinstance(result, list)


@pytest.mark.parametrize(
    "text",
    ['"', "{", "}", "a = ", "a {", "${", "<<EOT\n", "a { b = <<EOT\nx\n}", "\x00", "a { b = 1e }"],
)
def test_garbage_only_raises_load_error(text):
    try:
        parse_terraform(text)
    except LoadError:
        pass


# --------------------------------------------------------------------------- forms Terraform accepts


def test_heredoc_closing_marker_with_trailing_spaces():
    # Valid for Terraform; python-hcl2 8.x rejected it (a false LL001 on real projects).
    text = 'resource "aws_iam_policy" "p" {\n  policy = <<POLICY\n{"Version": "2012-10-17"}\nPOLICY  \n  name = "p"\n}\n'
    (block,) = parse_terraform(text)
    assert block.attr("policy").value == '{"Version": "2012-10-17"}\n'
    assert (block.attr("policy").line, block.attr("policy").end_line) == (2, 4)
    assert block.attr("name").value == "p"


def test_indented_heredoc_closing_marker_with_trailing_space():
    (block,) = parse_terraform("b {\n  x = <<-EOT\n    a\n      b\n    EOT \n}\n")
    value = block.attr("x").value
    assert value == "a\n  b\n" and value.indent == 4


def test_heredoc_keeps_interpolations_and_directives_as_text():
    text = "b {\n  x = <<EOT\n%{ for s in var.l ~}\n${s}\n%{ endfor ~}\nEOT\n}\n"
    (block,) = parse_terraform(text)
    assert block.attr("x").value == "%{ for s in var.l ~}\n${s}\n%{ endfor ~}\n"


def test_crlf_heredoc():
    (block,) = parse_terraform("b {\r\n  x = <<EOT\r\nline\r\nEOT\r\n}\r\n")
    assert block.attr("x").value == "line\n"


def test_nested_template_directives():
    value = value_of('"%{ for k, v in var.m }%{ if v != null }${k}=${v} %{ else }-%{ endif }%{ endfor }"')
    assert value == HclTemplateString("%{ for k, v in var.m }%{ if v != null }${k}=${v} %{ else }-%{ endif }%{ endfor }")


def test_strip_markers_kept():
    assert value_of('"${~var.a~} x"') == HclTemplateString("${~var.a~} x")


def test_spaces_around_interpolations_are_kept():
    assert value_of('" a ${var.b} c "') == HclTemplateString(" a ${var.b} c ")
    assert value_of('"  padded  "') == "  padded  "


def test_expression_text_is_canonical_whatever_the_layout():
    assert value_of("lookup(\n    var.m, # which map\n    \"k\",\n  )") == Expr('lookup(var.m, "k")')
    assert value_of('var.a?"x":var.c') == Expr('var.a ? "x" : var.c')
    assert value_of("merge(var.a, {\n    x = 1\n    y: \"two\"\n  })") == Expr('merge(var.a, {x = 1, y = "two"})')


def test_for_expressions():
    assert value_of("{ for k, v in var.m : k => v... if v != null }") == Expr("{for k, v in var.m : k => v... if v != null}")
    assert value_of('[for i, s in var.l: "${i}-${s}"]') == Expr('[for i, s in var.l : "${i}-${s}"]')


def test_splats_and_legacy_index():
    assert value_of("aws_instance.a.*.id") == Expr("aws_instance.a.*.id")
    assert value_of("var.a[*].b[0]") == Expr("var.a[*].b[0]")
    assert value_of("aws_mq_broker.b.instances.0.console_url") == Expr("aws_mq_broker.b.instances.0.console_url")


def test_provider_defined_function():
    assert value_of('provider::aws::arn_parse(var.arn).account_id') == Expr('provider::aws::arn_parse(var.arn).account_id')


def test_expanding_function_argument():
    assert value_of("max(var.l...)") == Expr("max(var.l ...)")


def test_negative_numbers():
    assert value_of("-1.5e3") == -1500.0
    assert value_of("-var.x") == Expr("-var.x")


def test_exponent_inside_string_or_name_is_untouched():
    (block,) = parse_terraform('b {\n  x = 1e3\n  y = "1e3 ${var.a}"\n  z = var.a1e3\n}\n')
    assert block.attr("x").value == 1000.0
    assert block.attr("y").value == HclTemplateString("1e3 ${var.a}")
    assert block.attr("z").value == Expr("var.a1e3")


def test_all_three_comment_kinds_anywhere():
    text = (
        "# hash\n"
        "// slashes\n"
        "/* block */ resource \"a\" \"b\" { /* in header */\n"
        "  x = [ /* in list */ 1, // after one\n"
        "    2 # after two\n"
        "  ]\n"
        "  y = { /* c */ k = \"v\" }\n"
        "}\n"
    )
    (block,) = parse_terraform(text)
    assert (block.line, block.column) == (3, 13)
    assert block.attr("x").value == [1, 2]
    assert block.attr("y").value == {"k": "v"}


def test_attribute_ends_where_its_expression_ends():
    # a trailing comment or blank line is not part of the attribute's span
    (block,) = parse_terraform("b {\n  x = var.a && var.b # why\n\n  y = 1\n}\n")
    assert (block.attr("x").end_line, block.attr("x").end_column) == (2, 21)


def test_non_ascii_columns_are_characters():
    (block,) = parse_terraform('b {\n  d = { "é" = 1, k = 2 }\n}\n')
    assert block.attr("d").value.positions == {"é": (2, 9), "k": (2, 18)}


def test_missing_closing_quote_reports_its_line():
    with pytest.raises(LoadError) as info:
        parse_terraform('resource "a" "b" {\n  x = 1\n  y = "open\n  z = 2\n}\n')
    assert (info.value.line, info.value.column) == (3, 7)
    assert "quote" in info.value.reason


def test_string_over_two_lines_is_a_load_error():
    with pytest.raises(LoadError) as info:
        parse_terraform('b {\n  x = "a\nb"\n}\n')
    assert (info.value.line, info.value.column) == (2, 7)


def test_line_breaks_inside_interpolation_are_fine():
    assert value_of('"${join(",",\n    var.l)}-x"') == HclTemplateString('${join(",", var.l)}-x')


def test_unclosed_heredoc_is_a_load_error():
    with pytest.raises(LoadError) as info:
        parse_terraform('resource "a" "b" {\n  x = <<EOT\nno end\n}\n')
    assert info.value.line >= 2


def test_missing_quote_with_more_strings_below_points_at_the_open_string():
    text = (
        'resource "aws_lambda_function" "f" {\n'
        '  function_name = "orders\n'
        '  runtime       = "python3.12"\n'
        '  handler       = "app.handler"\n'
        "}\n"
        'resource "aws_lambda_alias" "live" {\n'
        '  name = "live"\n'
        "}\n"
    )
    with pytest.raises(LoadError) as info:
        parse_terraform(text)
    assert (info.value.line, info.value.column) == (2, 19)
    assert "quote" in info.value.reason
