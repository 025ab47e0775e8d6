"""formats/cloudformation/resolve.py: what a template's values stand for, typed and located.

The behaviour through whole projects is covered by the rule and parity tests; these pin the
resolver's own contract (Literal / Reference / Unknown, with the expression's location)."""

from __future__ import annotations

from lambdalint.documents.templates import parse_template
from lambdalint.formats.cloudformation.resolve import Literal, Reference, SymbolicParts, Template, Unknown
from lambdalint.formats.values import UNKNOWN_PART

from .helpers import SAM_HEAD, line_of, lines

TEMPLATE = SAM_HEAD + """\
Parameters:
  Stage:
    Type: String
    Default: prod
  Memory:
    Type: Number
    Default: 512
  Bucket:
    Type: String
  Loop:
    Type: String
    Default: !Sub "${Loop}-x"
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsProdAndOn: !And [!Condition IsProd, !Equals [true, "true"]]
  HasBucket: !Not [!Equals [!Ref Bucket, ""]]
  Loops: !Not [!Condition Loops]
Mappings:
  Sizes:
    prod:
      Memory: 2048
Globals:
  Function:
    Timeout: 30
    Runtime: python3.12
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      FunctionName: !Sub "orders-${Stage}"
      MemorySize: !FindInMap [Sizes, !Ref Stage, Memory]
      Description: !Join ["-", [orders, !Ref Stage]]
      Role: !GetAtt Queue.Arn
      Tags:
        Name: !Ref Stage
        Owner: !Ref Bucket
      Layers: [!Ref Bucket]
      Timeout: !If [IsProd, 10, 20]
      MemoryLimit: !If [IsProdAndOn, !Ref Memory, 128]
      Bucket: !If [HasBucket, !Ref Bucket, none]
      Cycle: !If [Loops, a, b]
      Gone: !If [IsProd, !Ref AWS::NoValue, 1]
      DeadLetterQueue:
        Type: SQS
        TargetArn: !Ref Queue
      Self: !Ref Loop
      Region: !Sub "${AWS::Region}"
"""


def _template(tmp_path) -> Template:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    doc, failure = parse_template(str(tmp_path / "template.yaml"), "template.yaml", named=True)
    assert failure is None and doc is not None
    return Template(doc)


def _value(t: Template, key: str):
    return t.value(t.properties("Orders").get(key))


def test_literals_through_parameters_mappings_sub_and_join(tmp_path):
    t = _template(tmp_path)
    name = _value(t, "FunctionName")
    assert isinstance(name, Literal) and name.value == "orders-prod"
    assert name.location.path == "template.yaml" and name.location.line == line_of(TEMPLATE, "FunctionName:")
    assert _value(t, "MemorySize") == Literal(2048, _value(t, "MemorySize").location)
    assert _value(t, "Description").value == "orders-prod"
    setting = t.setting(t.properties("Orders").get("MemorySize"), 128, name.location, as_int=True)
    assert setting.is_set and setting.value == 2048


def test_a_resource_is_a_reference_and_a_parameter_without_default_is_unknown(tmp_path):
    t = _template(tmp_path)
    role = _value(t, "Role")
    assert isinstance(role, Reference) and (role.target, role.attribute) == ("Queue", "Arn")
    dlq = t.reference(t.properties("Orders").get("DeadLetterQueue").get("TargetArn"))
    assert (dlq.target, dlq.attribute) == ("Queue", None)
    layers = _value(t, "Layers")
    assert isinstance(layers, Unknown) and layers.source == "list with unresolved items"
    assert _value(t, "Region") == Unknown("Fn::Sub", _value(t, "Region").location)
    assert _value(t, "Self").source == "Fn::Sub"  # the default refers to itself: its Sub fails
    # a reference is no literal: the setting is unknown, with the expression for messages
    setting = t.setting(t.properties("Orders").get("Role"), None, role.location)
    assert not setting.known and setting.source == "Fn::GetAtt"


def test_if_on_a_condition_the_defaults_decide(tmp_path):
    t = _template(tmp_path)
    assert _value(t, "Timeout").value == 10
    assert _value(t, "MemoryLimit").value == 512
    assert t.condition("IsProd") is True and t.condition("IsProdAndOn") is True


def test_if_on_a_deploy_time_condition_is_unknown(tmp_path):
    t = _template(tmp_path)
    for key in ("Bucket", "Cycle", "Gone"):  # a parameter without default, a cycle, a removed property
        value = _value(t, key)
        assert isinstance(value, Unknown) and value.source == "Fn::If", key
        assert value.location.line == line_of(TEMPLATE, f"      {key}: !If")
    assert t.condition("HasBucket") is None and t.condition("Missing") is None


def test_a_map_keeps_its_unresolved_pieces_typed(tmp_path):
    t = _template(tmp_path)
    tags = _value(t, "Tags")
    assert isinstance(tags, Literal) and tags.value["Name"] == "prod"
    owner = tags.value["Owner"]
    assert isinstance(owner, Unknown) and not isinstance(owner, str) and owner.source == "Ref Bucket"


def test_sam_globals_are_located_in_globals(tmp_path):
    t = _template(tmp_path)
    runtime = t.function_prop("Orders", "Runtime")
    assert t.literal(runtime) == "python3.12" and t.loc(runtime).line == line_of(TEMPLATE, "    Runtime: python3.12")
    assert t.literal(t.function_prop("Orders", "Handler")) == "app.handler"
    assert t.literal(t.function_prop("Queue", "Timeout")) is None  # Globals apply to SAM functions only


def test_symbolic_parts_keep_function_tokens(tmp_path):
    t = _template(tmp_path)
    node = t.properties("Orders").get("FunctionName")
    assert SymbolicParts(t).parts(node) == ["orders-", "prod", ""]
    assert SymbolicParts(t).ref("Bucket") == UNKNOWN_PART
    assert SymbolicParts(t).ref("Orders") == ("fn", "Orders")


CONDITIONAL_APP = SAM_HEAD + """\
Parameters:
  Stage:
    Type: String
    Default: prod
  Size:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsLarge: !Equals [!Ref Size, large]
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      MemorySize: !If [IsProd, 20480, 1024]
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      MemorySize: !If [IsLarge, 20480, 1024]
"""


def test_a_project_is_checked_with_the_branch_its_defaults_choose(tmp_path):
    files = {"template.yaml": CONDITIONAL_APP, "src/app.py": "def handler(event, context):\n    return {}\n"}
    # Orders' condition holds with the defaults: 20480 MB is over the limit; Reports' depends
    # on a parameter without default, so it is unknown and never a reason to warn
    assert lines(tmp_path, files, "LL305") == [("template.yaml", line_of(CONDITIONAL_APP, "MemorySize: !If [IsProd"))]
