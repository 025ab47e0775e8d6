"""Terraform parsing through the real python-hcl2 (no mocks)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from lambdalint.documents import hcl
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
    # python-hcl2 renders 1e3 as "${1e3}"; it is still a number.
    assert value_of("1e3") == 1000.0


def test_bools():
    assert value_of("true") is True
    assert value_of("false") is False


def test_null():
    assert value_of("null") is None


def test_plain_string_is_unquoted():
    # python-hcl2 itself keeps the quotes: '"orders"'.
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
    # "${var.x}" is var.x (type preserved), python-hcl2 renders it '"${var.x}"'.
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


# --------------------------------------------------------------------------- private positions


def test_span_reads_python_hcl2_positions():
    # Guards the one private python-hcl2 access: if an upgrade moves it this fails first.
    import hcl2.api
    from hcl2.query.body import DocumentView

    doc = DocumentView(hcl2.api.transform(hcl._parser().parse('r "t" {\n  x = 1\n}\n' + "\n")))
    (block,) = doc.blocks()
    assert block.block_type == "r" and block.labels == ["r", "t"]
    assert hcl._span(block) == (1, 1, 3, 2)
    (attr,) = block.attributes()
    assert attr.name == "x"
    assert hcl._span(attr) == (2, 3, 2, 8)


def test_span_missing_positions_is_a_clear_error():
    import hcl2

    with pytest.raises(RuntimeError, match=f"python-hcl2 {hcl2.__version__}.*_meta"):
        hcl._span(types.SimpleNamespace(raw=object()))


# --------------------------------------------------------------------------- grammar cache

_CHILD = """
import json, os, sys
import hcl2.parser
from lambdalint.documents.hcl import parse_terraform
blocks = parse_terraform('b {\\n  x = 1\\n}\\n')
print(json.dumps({
    "value": blocks[0].attributes["x"].value,
    "hcl2_parser_builds": hcl2.parser.parser.cache_info().misses,
    "files": sorted(os.listdir(os.environ["LAMBDALINT_CACHE_DIR"]))
             if os.path.isdir(os.environ["LAMBDALINT_CACHE_DIR"]) else None,
}))
"""


def _run_child(cache_dir: Path) -> dict:
    import json

    env = dict(os.environ, LAMBDALINT_CACHE_DIR=str(cache_dir))
    out = subprocess.run(
        [sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(out.stdout)


def test_grammar_cache_written_to_lambdalint_cache_dir(tmp_path):
    import hcl2
    import lark

    cache_dir = tmp_path / "cache"
    result = _run_child(cache_dir)
    py = f"py{sys.version_info[0]}{sys.version_info[1]}"
    assert result == {
        "value": 1,
        "hcl2_parser_builds": 0,  # python-hcl2's own (site-packages cached) parser is never built
        "files": [f"hcl2-{hcl2.__version__}-lark-{lark.__version__}-{py}.bin"],
    }
    cached = cache_dir / result["files"][0]
    stamp = cached.stat().st_mtime_ns
    # A second run loads the file rather than rebuilding (and rewriting) it.
    assert _run_child(cache_dir)["value"] == 1
    assert cached.stat().st_mtime_ns == stamp


def test_unusable_cache_dir_still_parses(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = _run_child(blocker / "cache")  # mkdir fails: a file is in the way
    assert result["value"] == 1 and result["files"] is None


def test_cache_dir_resolution(monkeypatch, tmp_path):
    monkeypatch.setenv("LAMBDALINT_CACHE_DIR", str(tmp_path / "x"))
    assert hcl._cache_dir() == tmp_path / "x"
    monkeypatch.delenv("LAMBDALINT_CACHE_DIR")
    if sys.platform == "win32":
        monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
        assert hcl._cache_dir() == tmp_path / "lambdalint" / "cache"
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        assert hcl._cache_dir() == tmp_path / "lambdalint"
        monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
        monkeypatch.setenv("HOME", str(tmp_path))
        assert hcl._cache_dir() == tmp_path / ".cache" / "lambdalint"
