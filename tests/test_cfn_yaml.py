"""Tests for the CloudFormation/SAM template loader (real PyYAML, no mocks)."""

from __future__ import annotations

import json
import random
import time

import pytest
import yaml

from lambdalint.documents import cfn_yaml
from lambdalint.documents.cfn_yaml import is_template, load_template, looks_like_template
from lambdalint.documents.nodes import LoadError, Node

HAS_C = getattr(yaml, "CSafeLoader", None) is not None


@pytest.fixture(params=["c", "python"])
def loader(request, monkeypatch):
    """Run a test with libyaml and again with PyYAML's pure-Python loader."""
    kit = cfn_yaml._kit()
    if request.param == "c":
        if not HAS_C:
            pytest.skip("PyYAML built without libyaml")
    else:
        monkeypatch.setattr(kit, "c_loader", None)
    return request.param


SAM = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: Orders service

Globals:
  Function:
    Runtime: python3.12
    Timeout: 10

Parameters:
  Stage:
    Type: String
    AllowedValues: [dev, prod]

Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST

  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      MemorySize: 512
      Environment:
        Variables:
          TABLE: !Ref OrdersTable
          TABLE_ARN: !GetAtt OrdersTable.Arn
          STAGE: !Sub "${Stage}-orders"
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref OrdersTable
      InlineCode: |
        def handler(event, context):
            # not a YAML comment
            return 1

      # a trailing comment
  Queue:
    Type: AWS::SQS::Queue

Outputs:
  FunctionArn:
    Value: !GetAtt OrdersFunction.Arn
"""


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def col_of(text: str, needle: str) -> int:
    line = text.splitlines()[line_of(text, needle) - 1]
    return line.index(needle) + 1


def fn(root: Node) -> Node:
    return root.get("Resources").get("OrdersFunction").get("Properties")


# ----------------------------------------------------------------------------- positions


def test_positions_in_sam_template(loader):
    root = load_template(SAM)
    props = fn(root)
    memory = props.get("MemorySize")
    assert memory.value == 512
    assert memory.key_line == line_of(SAM, "MemorySize:")
    assert memory.key_column == col_of(SAM, "MemorySize")
    assert (memory.line, memory.column) == (line_of(SAM, "MemorySize:"), col_of(SAM, "512"))
    assert (memory.end_line, memory.end_column) == (memory.line, memory.column + 3)

    function = root.get("Resources").get("OrdersFunction")
    assert function.key_line == line_of(SAM, "OrdersFunction:")
    assert function.line == line_of(SAM, "Type: AWS::Serverless::Function")
    typ = function.get("Type")
    assert typ.value == "AWS::Serverless::Function"
    assert typ.column == col_of(SAM, "AWS::Serverless::Function")
    assert root.get("Parameters").get("Stage").get("AllowedValues").value[1].value == "prod"
    assert root.line == 1 and root.column == 1 and root.key_line == 0


def test_block_collection_and_block_scalar_ends(loader):
    root = load_template(SAM)
    props = fn(root)
    code = props.get("InlineCode")
    last = line_of(SAM, "return 1")
    # ends after "return 1", not at the blank/comment lines that follow
    assert (code.end_line, code.end_column) == (last, len(SAM.splitlines()[last - 1]) + 1)
    assert "# not a YAML comment" in code.value
    assert (props.end_line, props.end_column) == (code.end_line, code.end_column)
    table = root.get("Resources").get("OrdersTable")
    bill = line_of(SAM, "PAY_PER_REQUEST")
    assert (table.end_line, table.end_column) == (bill, len(SAM.splitlines()[bill - 1]) + 1)
    flow = root.get("Parameters").get("Stage").get("AllowedValues")
    assert flow.end_column == len(SAM.splitlines()[flow.line - 1]) + 1  # just past "]"


def test_sequence_items_have_no_key_position():
    root = load_template("A:\n  - x\n  - {k: v}\n")
    items = root.get("A").value
    assert [(i.line, i.column, i.key_line) for i in items] == [(2, 5, 0), (3, 5, 0)]
    assert items[1].get("k").key_line == 3 and items[1].get("k").key_column == 6


# ----------------------------------------------------------------------------- intrinsics


@pytest.mark.parametrize("tag,long", sorted(cfn_yaml._INTRINSICS.items()))
def test_every_short_form_tag(tag, long, loader):
    root = load_template(f"A: {tag} some.thing\nB: {tag} [x, 1]\n")
    a, b = root.get("A"), root.get("B")
    assert list(a.value) == [long]
    if long == "Fn::GetAtt":
        assert a.plain() == {long: ["some", "thing"]}
    else:
        assert a.plain() == {long: "some.thing"}
    assert b.plain() == {long: ["x", 1]}
    # wrapper and wrapped value carry the tagged node's span; the key stays with the parent
    assert (a.line, a.column, a.end_line, a.end_column) == (1, 4, 1, 4 + len(f"{tag} some.thing"))
    inner = a.value[long]
    assert (inner.line, inner.column, inner.end_line, inner.end_column) == (a.line, a.column, a.end_line, a.end_column)
    assert (a.key_line, a.key_column) == (1, 1)
    assert (b.value[long].end_line, b.value[long].end_column) == (2, 4 + len(f"{tag} [x, 1]"))


def test_tagged_scalars_stay_text():
    root = load_template("A: !Ref 5\nB: !Base64 true\nC: !GetAZs ''\nD: !Ref\n")
    assert root.plain() == {"A": {"Ref": "5"}, "B": {"Fn::Base64": "true"}, "C": {"Fn::GetAZs": ""}, "D": {"Ref": ""}}


def test_getatt_forms():
    root = load_template("A: !GetAtt Res.Outputs.Arn\nB: !GetAtt [Res, Arn]\nC: !GetAtt Res\n")
    assert root.get("A").plain() == {"Fn::GetAtt": ["Res", "Outputs.Arn"]}
    assert root.get("B").plain() == {"Fn::GetAtt": ["Res", "Arn"]}
    assert root.get("C").plain() == {"Fn::GetAtt": ["Res"]}
    parts = root.get("A").value["Fn::GetAtt"].value
    assert all((p.line, p.column) == (1, 4) for p in parts)


def test_nested_sub_list_form():
    text = """\
Value: !Sub
  - "arn:${Partition}:s3:::${Bucket}/${Key}"
  - Bucket: !Ref MyBucket
    Key: !Join
      - "/"
      - [!Ref Prefix, !Select [0, !Split [",", !GetAtt Thing.Names]]]
    Partition: !If [IsChina, aws-cn, !Ref "AWS::Partition"]
"""
    root = load_template(text)
    assert root.get("Value").plain() == {
        "Fn::Sub": [
            "arn:${Partition}:s3:::${Bucket}/${Key}",
            {
                "Bucket": {"Ref": "MyBucket"},
                "Key": {
                    "Fn::Join": [
                        "/",
                        [{"Ref": "Prefix"}, {"Fn::Select": [0, {"Fn::Split": [",", {"Fn::GetAtt": ["Thing", "Names"]}]}]}],
                    ]
                },
                "Partition": {"Fn::If": ["IsChina", "aws-cn", {"Ref": "AWS::Partition"}]},
            },
        ]
    }
    mapping = root.get("Value").value["Fn::Sub"].value[1]
    assert mapping.get("Key").key_line == line_of(text, "Key: !Join")
    assert mapping.get("Partition").line == line_of(text, "Partition:")


def test_long_form_intrinsics_untouched():
    root = load_template('{"A": {"Fn::GetAtt": ["R", "Arn"]}, "B": {"Ref": "X"}}')
    assert root.plain() == {"A": {"Fn::GetAtt": ["R", "Arn"]}, "B": {"Ref": "X"}}


def test_unknown_tags_are_ignored():
    root = load_template("A: !Custom 12\nB: !Custom '12'\nC: !Custom {x: 1}\nD: !Custom [yes]\nE: !!str 5\nF: !!int 0x1F\nG: !!int nope\n")
    assert root.plain() == {"A": 12, "B": "12", "C": {"x": 1}, "D": [True], "E": "5", "F": 31, "G": "nope"}


# ----------------------------------------------------------------------------- scalars and keys


def test_scalar_types_follow_pyyaml(loader):
    text = """\
i: 42
neg: -7
hex: 0x10
under: 1_000
f: 1.5
inf: .inf
e: 1e3
t: true
y: yes
n: no
on: on
null1: ~
null2:
ts: 2024-01-02
ts2: 2001-12-14t21:59:43.10-05:00
q: "true"
sq: '42'
ver: 3.10
date_like: "2024-01-02"
"""
    root = load_template(text)
    v = root.plain()
    assert v["i"] == 42 and v["neg"] == -7 and v["hex"] == 16 and v["under"] == 1000
    assert v["f"] == 1.5 and v["inf"] == float("inf")
    assert v["e"] == "1e3"  # YAML 1.1 floats need a dot
    assert v["t"] is True and v["y"] is True and v["n"] is False
    assert v["true"] is True  # the key `on` is itself a YAML 1.1 bool
    assert v["null1"] is None and v["null2"] is None
    assert v["ts"] == "2024-01-02" and isinstance(v["ts2"], str)
    assert v["q"] == "true" and v["sq"] == "42" and v["date_like"] == "2024-01-02"
    assert v["ver"] == 3.1
    assert type(v["i"]) is int and type(v["t"]) is bool


def test_non_string_keys():
    root = load_template("1: a\ntrue: b\n~: c\n1.5: d\n'2': e\n")
    assert list(root.value) == ["1", "true", "null", "1.5", "2"]
    assert root.get("true").key_line == 2


def test_complex_key_is_an_error():
    with pytest.raises(LoadError) as err:
        load_template("? [a, b]\n: c\n")
    assert err.value.line == 1


def test_resources_null_loads():
    root = load_template("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n")
    assert root.get("Resources").value is None
    assert root.get("Resources").key_line == 2
    assert is_template(root)


def test_plain_matches_safe_load_for_untagged_yaml():
    text = SAM.replace("!Ref ", "").replace("!GetAtt ", "").replace("!Sub ", "")
    assert load_template(text).plain() == yaml.safe_load(text)


# ----------------------------------------------------------------------------- duplicates, anchors, merges


def test_duplicate_key_error(loader):
    text = "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: {}\n    Type: AWS::SQS::Queue\n"
    with pytest.raises(LoadError) as err:
        load_template(text)
    assert err.value.reason == "duplicate key 'Type' (first at line 3)"
    assert (err.value.line, err.value.column) == (5, 5)


def test_duplicate_key_in_flow_mapping():
    with pytest.raises(LoadError) as err:
        load_template('{"a": 1,\n "b": 2,\n "a": 3}')
    assert (err.value.line, err.value.column) == (3, 2)
    assert "first at line 1" in err.value.reason


def test_aliases_are_copied_with_their_own_key_position():
    text = "Env: &env\n  A: 1\nF1: *env\nF2: *env\n"
    root = load_template(text)
    f1, f2 = root.get("F1"), root.get("F2")
    assert f1.plain() == f2.plain() == {"A": 1}
    assert f1 is not f2 and f1.get("A") is not f2.get("A")
    assert (f1.key_line, f2.key_line) == (3, 4)
    assert f1.line == 1  # an alias carries its anchor's span


def test_merge_keys_like_pyyaml():
    text = """\
base: &base
  Runtime: python3.12
  Timeout: 3
other: &other
  Timeout: 9
  Layers: [a]
fn:
  <<: [*base, *other]
  Timeout: 30
"""
    root = load_template(text)
    assert root.get("fn").plain() == {"Runtime": "python3.12", "Timeout": 30, "Layers": ["a"]}
    assert root.plain() == yaml.safe_load(text)
    assert root.get("fn").get("Timeout").key_line == 9


def test_bad_merge_value():
    with pytest.raises(LoadError) as err:
        load_template("a:\n  <<: 5\n")
    assert err.value.line == 2


def billion_laughs(levels: int = 9) -> str:
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*lol{i - 1}"] * 9)
        lines.append(f"lol{i}: &lol{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly(loader):
    start = time.perf_counter()
    with pytest.raises(LoadError) as err:
        load_template(billion_laughs())
    elapsed = time.perf_counter() - start
    assert "alias expansion exceeds" in err.value.reason
    assert err.value.line > 1
    assert elapsed < 1.0


def test_merge_bomb_is_refused():
    lines = ["m0: &m0 {k0: 0}"]
    for i in range(1, 2000):
        lines.append(f"m{i}: &m{i} {{<<: *m{i - 1}, k{i}: {i}}}")
    start = time.perf_counter()
    with pytest.raises(LoadError):
        load_template("\n".join(lines))
    assert time.perf_counter() - start < 2.0


def test_recursive_alias(loader):
    with pytest.raises(LoadError) as err:
        load_template("a: &a [1, *a]\n")
    assert "recursive" in err.value.reason


def test_undefined_alias():
    with pytest.raises(LoadError) as err:
        load_template("a: 1\nb: *nope\n")
    assert "undefined alias" in err.value.reason and err.value.line == 2


# ----------------------------------------------------------------------------- deep nesting


@pytest.mark.parametrize("text", ["[" * 100_000, "{" * 100_000, "[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000, "- " * 100_000 + "x"])
def test_deep_nesting_is_a_load_error(text, loader):
    start = time.perf_counter()
    with pytest.raises(LoadError) as err:
        load_template(text)
    assert time.perf_counter() - start < 2.0
    assert "nest" in err.value.reason


def test_depth_limit_of_the_converter():
    ok = "[" * (cfn_yaml.MAX_DEPTH - 1) + "]" * (cfn_yaml.MAX_DEPTH - 1)
    assert load_template("a: " + ok).get("a").is_map is False
    too_deep = "[" * 300 + "]" * 300
    with pytest.raises(LoadError) as err:
        load_template("a: " + too_deep)
    assert "deeper than" in err.value.reason


# ----------------------------------------------------------------------------- malformed input


def test_malformed_yaml_reports_position(loader):
    text = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: Handler: x\n"
    with pytest.raises(LoadError) as err:
        load_template(text)
    assert "mapping values are not allowed" in err.value.reason
    assert (err.value.line, err.value.column) == (4, 24)


def test_bad_indentation_reports_line():
    text = "Resources:\n  A:\n    Type: X\n   Properties: {}\n"
    with pytest.raises(LoadError) as err:
        load_template(text)
    assert err.value.line == 4


def test_unterminated_quote():
    with pytest.raises(LoadError) as err:
        load_template('a: "open\nb: 1\n')
    assert "end of stream" in err.value.reason and "quoted scalar" in err.value.reason


def test_multiple_documents():
    with pytest.raises(LoadError) as err:
        load_template("a: 1\n---\nb: 2\n")
    assert "single document" in err.value.reason and err.value.line == 2


@pytest.mark.parametrize("text", ["", "   \n\n", "# just a comment\n# another\n", "---\n", "\ufeff"])
def test_empty_document(text):
    with pytest.raises(LoadError) as err:
        load_template(text)
    assert (err.value.reason, err.value.line, err.value.column) == ("empty document", 1, 1)


def test_bom_is_tolerated(loader):
    root = load_template("\ufeffAWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n")
    assert root.get("Resources").key_line == 2
    assert root.get("AWSTemplateFormatVersion").key_column == 1
    assert load_template("\ufeff{\"a\": 1}").plain() == {"a": 1}


def test_binary_garbage_gives_load_error(loader):
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises(LoadError) as err:
        load_template(data.decode("utf-8", errors="replace"))
    assert err.value.line >= 1 and err.value.column >= 1


def test_control_character_position_after_non_ascii(loader):
    with pytest.raises(LoadError) as err:
        load_template("a: é\nbé: x\x01\n")
    assert (err.value.line, err.value.column) == (2, 6)
    assert "#x0001" in err.value.reason


def test_lone_surrogate(loader):
    with pytest.raises(LoadError):
        load_template("a: \ud800\n")


def test_non_str_input_never_escapes():
    with pytest.raises(LoadError):
        load_template(None)  # type: ignore[arg-type]
    assert load_template(b"a: 1\n").plain() == {"a": 1}  # type: ignore[arg-type]


def test_fuzzed_templates_only_raise_load_error():
    rng = random.Random(1234)
    pieces = ["[", "]", "{", "}", ":", "- ", "\n", "\t", "&a ", "*a", "!Ref ", "'", '"', "#", "<<: ", "? ", "|", ">", ",", " ", "\x00", "é"]
    for _ in range(400):
        chars = list(SAM)
        for _ in range(rng.randrange(1, 6)):
            pos = rng.randrange(len(chars))
            if rng.random() < 0.5:
                del chars[pos : pos + rng.randrange(1, 20)]
            else:
                chars.insert(pos, rng.choice(pieces))
        try:
            node = load_template("".join(chars))
        except LoadError as err:
            assert err.line >= 1 and err.column >= 1 and err.reason
        else:
            assert isinstance(node, Node)


# ----------------------------------------------------------------------------- JSON


JSON_TEMPLATE = """\
{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "MemorySize": 256,
        "Timeout": 1.5,
        "Role": {"Fn::GetAtt": ["Role", "Arn"]},
        "Layers": [],
        "Tracing": null,
        "Url": "https:\\/\\/example.com \\u00e9"
      }
    }
  }
}
"""


@pytest.mark.parametrize("indent", ["  ", "\t"])
def test_json_template(indent, loader):
    text = JSON_TEMPLATE.replace("  ", indent)
    root = load_template(text)
    assert root.plain() == json.loads(text)
    props = root.get("Resources").get("Fn").get("Properties")
    memory = props.get("MemorySize")
    assert memory.key_line == line_of(text, '"MemorySize"')
    assert memory.key_column == col_of(text, '"MemorySize"')
    assert (memory.line, memory.column) == (line_of(text, '"MemorySize"'), col_of(text, "256"))
    assert memory.value == 256 and props.get("Timeout").value == 1.5
    assert props.get("Tracing").value is None
    assert props.end_line == line_of(text, '"Url"') + 1
    assert is_template(root)


def test_json_fallback_parser_directly():
    text = JSON_TEMPLATE.replace("  ", "\t")
    root = cfn_yaml._load_json(text)
    assert root.plain() == json.loads(text)
    fn_node = root.get("Resources").get("Fn")
    assert (fn_node.key_line, fn_node.key_column) == (4, 3)
    assert (fn_node.line, fn_node.column) == (4, 9)
    assert (fn_node.end_line, fn_node.end_column) == (14, 4)
    role = fn_node.get("Properties").get("Role")
    assert (role.line, role.end_line) == (9, 9)
    assert role.end_column - role.column == len('{"Fn::GetAtt": ["Role", "Arn"]}')
    assert cfn_yaml._load_json("[1, -2.5e3, true, false, null, {}]").plain() == [1, -2500.0, True, False, None, {}]


@pytest.mark.parametrize(
    "text,line",
    [
        ('{\n\t"a": 1\n\t"b": 2\n}', 3),  # missing comma
        ('{\n\t"a": [1,\n\t"b": 2}', 3),  # "]" never comes
        ('{\n\t"a": 1,\n\t"b": {"c": 1]\n}', 3),
        ('{\n\t"a": 1\n}\n{}', 4),  # extra data
    ],
)
def test_broken_json_with_tabs_reports_line(text, line, loader):
    with pytest.raises(LoadError) as err:
        load_template(text)
    assert err.value.line == line


def test_json_duplicate_key_via_fallback():
    with pytest.raises(LoadError) as err:
        cfn_yaml._load_json('{\n\t"a": 1,\n\t"a": 2\n}')
    assert (err.value.line, err.value.column) == (3, 2)


# ----------------------------------------------------------------------------- template detection


GITHUB_WORKFLOW = """\
name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: aws cloudformation deploy --template-file template.yaml
"""

DOCKER_COMPOSE = """\
services:
  web:
    image: nginx
    ports: ["80:80"]
volumes:
  data: {}
"""

K8S = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: api:1
          resources:
            limits: {memory: 128Mi}
"""

SERVERLESS_FRAMEWORK = """\
service: orders
provider:
  name: aws
resources:
  Resources:
    Table:
      Type: AWS::DynamoDB::Table
"""


def test_looks_like_template_positives():
    assert looks_like_template(SAM)
    assert looks_like_template(JSON_TEMPLATE)
    assert looks_like_template("Transform: AWS::Serverless-2016-10-31\nResources: {}\n")
    assert looks_like_template("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    assert looks_like_template('{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}')


def test_looks_like_template_negatives():
    for text in (GITHUB_WORKFLOW, DOCKER_COMPOSE, K8S, "", "Resources: []\n", "Type: AWS::SQS::Queue\n"):
        assert not looks_like_template(text), text


def test_is_template_positives():
    assert is_template(load_template(SAM))
    assert is_template(load_template("AWSTemplateFormatVersion: '2010-09-09'\n"))
    assert is_template(load_template("Transform: AWS::Serverless-2016-10-31\n"))
    assert is_template(load_template("Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n"))
    assert is_template(load_template("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"))


def test_is_template_negatives():
    for text in (GITHUB_WORKFLOW, DOCKER_COMPOSE, K8S, SERVERLESS_FRAMEWORK, "[1, 2]\n", "hello\n",
                 "Resources:\n  Q:\n    Type: Custom::Thing\n", "Resources: 5\n"):
        assert not is_template(load_template(text)), text
    assert looks_like_template(SERVERLESS_FRAMEWORK)  # the cheap check may say yes; parsing decides
    assert not is_template(None)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- speed


def big_sam(functions: int = 40) -> str:
    out = ["AWSTemplateFormatVersion: '2010-09-09'", "Transform: AWS::Serverless-2016-10-31", "Resources:"]
    for i in range(functions):
        out += [
            f"  Function{i}:",
            "    Type: AWS::Serverless::Function",
            "    Properties:",
            f"      FunctionName: !Sub '${{AWS::StackName}}-fn-{i}'",
            "      Handler: app.handler",
            "      Runtime: python3.12",
            "      MemorySize: 512",
            "      Timeout: 30",
            "      Environment:",
            "        Variables:",
            f"          TABLE: !Ref Table{i}",
            f"          ARN: !GetAtt Table{i}.Arn",
            "      Policies:",
            "        - DynamoDBCrudPolicy:",
            f"            TableName: !Ref Table{i}",
            "      Events:",
            "        Api:",
            "          Type: Api",
            f"          Properties: {{Path: /items/{i}, Method: get}}",
            f"  Table{i}:",
            "    Type: AWS::DynamoDB::Table",
            "    Properties:",
            "      BillingMode: PAY_PER_REQUEST",
            "      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]",
            "      KeySchema:",
            "        - AttributeName: id",
            "          KeyType: HASH",
        ]
    return "\n".join(out) + "\n"


@pytest.mark.skipif(not HAS_C, reason="PyYAML built without libyaml")
def test_thousand_line_template_is_fast():
    text = big_sam(37)
    assert 990 <= text.count("\n") <= 1010
    load_template(text)  # warm up imports
    best = min(_timed(text) for _ in range(5))
    assert best < 0.05, f"{best * 1000:.1f} ms"


def _timed(text: str) -> float:
    start = time.perf_counter()
    load_template(text)
    return time.perf_counter() - start


def test_end_of_block_collection_ending_in_alias():
    text = "a:\n  b: &x [1]\n  c:\n    - 1\n    - *x\n\n# trailing\nd: 1\n"
    root = load_template(text)
    c = root.get("a").get("c")
    assert (c.line, c.column, c.end_line, c.end_column) == (4, 5, 5, 9)
    assert (root.get("a").end_line, root.get("a").end_column) == (5, 9)
    assert c.value[1].plain() == [1]


# --------------------------------------------------------------------------- JSON read as JSON


def test_json_text_is_read_as_json_first(monkeypatch):
    # YAML 1.1 reads an unquoted 1e2 as the string "1e2"; CloudFormation reads JSON as JSON.
    root = load_template('{"Resources": {"F": {"Type": "AWS::Lambda::Function",\n\t"Properties": {"Timeout": 1e2}}}}')
    timeout = root.get("Resources").get("F").get("Properties").get("Timeout")
    assert timeout.value == 100.0 and (timeout.line, timeout.column, timeout.key_line, timeout.key_column) == (2, 28, 2, 17)

    def no_yaml():
        raise AssertionError("the YAML composer must not run on valid JSON")

    monkeypatch.setattr(cfn_yaml, "_kit", no_yaml)
    assert load_template('{"Resources": {}}').plain() == {"Resources": {}}


def test_json_looking_yaml_still_loads():
    # not JSON (unquoted key, trailing comma), but a valid YAML flow mapping
    assert load_template('{"Resources": {"F": {"Type": "AWS::SNS::Topic"}}, Outputs: {},}').plain() == {
        "Resources": {"F": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {},
    }


def test_json_and_yaml_paths_give_the_same_nodes_on_the_parity_templates():
    from pathlib import Path

    for path in sorted(Path(__file__).parent.joinpath("fixtures", "projects").rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert cfn_yaml._load_json(text) == cfn_yaml._Converter(cfn_yaml._kit(), text).run(yaml.compose(text, Loader=yaml.SafeLoader)), path


@pytest.mark.parametrize(
    "text, position",
    [
        ('Resources:\n  Fn:\n    Type: "open\n', (3, 16)),  # quote left open to the end
        ("Resources:\n  Fn: [1, 2\n", (2, 12)),  # flow list never closed
        ("Resources:\n  Fn: [1, 2", (2, 12)),  # no final newline: already on the last line
        ("Resources:\r\n  Fn: {a: 1\r\n", (2, 12)),
    ],
)
def test_error_at_end_of_file_is_on_the_last_line(text, position, loader):
    # PyYAML marks end of input on the empty line after the final newline; no editor has it
    with pytest.raises(LoadError) as err:
        load_template(text)
    assert (err.value.line, err.value.column) == position
