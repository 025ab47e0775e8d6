"""Suggested configuration for rules whose fix needs a decision only the author can make (how
much memory, what cap, which queue, how far to scale): display-only fixes, never applied, shown
by ``--show-fixes``, JSON and SARIF as an edit at the place the setting belongs.

The snippets are inserted like ``config_text``'s fixes (a line indented like its neighbours, a
value replaced where it is written); values the author must choose carry a comment saying so.
"""

from __future__ import annotations

import re

from .config_text import (
    _is_json,
    _line,
    _line_edit,
    _line_starts,
    _newline,
    _subject,
    _tf_attribute,
    _tf_block,
    _tf_indent,
    _tf_insert,
    _yaml_insert,
    _yaml_resource,
)
from .model import DISPLAY_ONLY, Declined, Edit, Fix

_JSON = "JSON templates are not edited"


def snippet_memory(finding, text: str):
    """LL302: an explicit memory size, a starting point to measure from."""
    note = "a starting point: measure with AWS Lambda Power Tuning"
    return _function_setting(finding, text, "MemorySize: 1024", "memory_size = 1024", note, "Set the memory size explicitly (1024 MB to start, then measure)")


def snippet_reserved(finding, text: str):
    """LL401: a reserved-concurrency cap; the number is a placeholder, at least the warm pool."""
    path, address = _subject(finding)
    if path.endswith(".tf"):
        amounts = re.findall(r"^[ \t]*provisioned_concurrent_executions[ \t]*=[ \t]*(\d+)", text, re.M)
    else:
        resource = _yaml_resource(text, address)
        body = "\n".join(_line(text, n) for n in range(resource.properties_line, resource.end_line + 1)) if resource else ""
        amounts = re.findall(r"^[ \t]*ProvisionedConcurrentExecutions[ \t]*:[ \t]*(\d+)", body, re.M)
    cap = max([10] + [int(a) for a in amounts])
    note = "placeholder: what the downstreams can absorb"
    return _function_setting(
        finding, text, f"ReservedConcurrentExecutions: {cap}", f"reserved_concurrent_executions = {cap}", note,
        "Cap the function's concurrency (choose the number: what its downstreams can absorb)",
    )


def snippet_timeout(finding, text: str):
    """LL304: the function's own timeout lowered to what the API Gateway integration waits. The
    function's setting is edited even when the value comes from SAM Globals, a parameter or a
    variable: those may be shared with functions no gateway waits for."""
    match = re.search(r"to at most (\d+) ", finding.message)
    if not match:
        return Declined("the gateway's limit is not known")
    seconds = match.group(1)
    description = f"Lower the function's timeout to {seconds} s and move longer work to an asynchronous path"
    path, address = _subject(finding)
    if path.endswith(".tf"):
        block = _tf_block(text, address)
        if block is None or not address.startswith(("aws_lambda_function.", "module.")):
            return Declined(f"`{address}` is not defined in this file")
        current = _tf_attribute(text, block, "timeout")
        if current is None:
            return _display(finding, _tf_insert(text, block, [f"timeout = {seconds}"], at_end=address.startswith("module.")), description)
        return _display(finding, [Edit(current[0], current[0] + len(current[1]), seconds)], description)
    if _is_json(path, text):
        return Declined(_JSON)
    resource = _yaml_resource(text, address)
    if resource is None:
        return Declined("the function's Properties were not found as a plain YAML block")
    current = _yaml_property(text, resource, "Timeout")
    if current is None:
        return _display(finding, _yaml_insert(text, resource, [f"Timeout: {seconds}"]), description)
    return _display(finding, [Edit(current[0], current[0] + len(current[1]), seconds)], description)


def snippet_target_utilization(finding, text: str):
    """LL203: the target-tracking target value set to 0.7."""
    line = _line(text, finding.location.line)
    match = re.search(r"(?:TargetValue\s*:|target_value\s*=)\s*['\"]?(\d+(?:\.\d+)?)", line)
    if not match:
        return Declined("the target value is not written as a number on this line")
    edits = _line_edit(text, finding.location.line, match.start(1), match.end(1), "0.7")
    return Fix(finding.location.path, tuple(edits), DISPLAY_ONLY, "Aim the target-tracking policy at 0.7 utilization")


def snippet_on_failure(finding, text: str):
    """LL404: an on-failure destination (an SQS queue the author names and creates)."""
    path, address = _subject(finding)
    queue = _slug(address.rpartition(".")[2] or address) + "-failures"
    description = f"Send events that still fail after retries to an SQS queue (create `{queue}`, or name yours)"
    if path.endswith(".tf"):
        block = _tf_block(text, address)
        if block is None:
            return Declined(f"`{address}` is not defined in this file")
        arn = f'"arn:aws:sqs:REGION:ACCOUNT_ID:{queue}" # placeholder: your queue\'s ARN'
        if address.startswith("module."):
            return _display(finding, _tf_insert(text, block, ["create_async_event_config = true", f"destination_on_failure    = {arn}"], at_end=True), description)
        if not address.startswith("aws_lambda_function."):
            return Declined("only aws_lambda_function resources and module inputs get a snippet")
        indent = _tf_indent(text, block) or "  "
        name = address.partition(".")[2]
        lines = [
            f'resource "aws_lambda_function_event_invoke_config" "{name}" {{',
            f"{indent}function_name = aws_lambda_function.{name}.function_name",
            f"{indent}destination_config {{",
            f"{indent * 2}on_failure {{",
            f"{indent * 3}destination = {arn}",
            f"{indent * 2}}}",
            f"{indent}}}",
            "}",
        ]
        return _display(finding, _tf_after_block(text, block, lines), description)
    if _is_json(path, text):
        return Declined(_JSON)
    resource = _yaml_resource(text, address)
    if resource is None:
        return Declined("the function's Properties were not found as a plain YAML block")
    destination = f"!Sub arn:aws:sqs:${{AWS::Region}}:${{AWS::AccountId}}:{queue}"
    if resource.type == "AWS::Serverless::Function":
        step = _step(resource)
        lines = ["EventInvokeConfig:", f"{step}DestinationConfig:", f"{step * 2}OnFailure:", f"{step * 3}Type: SQS", f"{step * 3}Destination: {destination}"]
        return _display(finding, _yaml_insert(text, resource, lines), description)
    if resource.type == "AWS::Lambda::Function":
        step = _step(resource)
        lines = [
            f"{address}EventInvokeConfig:",
            f"{step}Type: AWS::Lambda::EventInvokeConfig",
            f"{step}Properties:",
            f"{step * 2}FunctionName: !Ref {address}",
            f"{step * 2}Qualifier: $LATEST",
            f"{step * 2}DestinationConfig:",
            f"{step * 3}OnFailure:",
            f"{step * 4}Destination: {destination}",
        ]
        return _display(finding, _yaml_after_resource(text, resource, lines), description)
    return Declined(f"no snippet for resource type {resource.type or 'unknown'}")


def snippet_autoscaling(finding, text: str):
    """LL202: an Application Auto Scaling target on the alias and a target-tracking policy on
    provisioned-concurrency utilization (floor: today's amount, ceiling: twice it)."""
    amount = re.search(r"provisioned concurrency (\d+) on", finding.message)
    if not amount:
        return Declined("the provisioned amount is not a number")
    low, high = int(amount.group(1)), 2 * int(amount.group(1))
    description = f"Let Application Auto Scaling manage the warm pool (target tracking at 0.7, {low} to {high}: choose the floor and ceiling)"
    path, address = _subject(finding)
    if path.endswith(".tf"):
        if not address.startswith("aws_lambda_provisioned_concurrency_config."):
            return Declined("only aws_lambda_provisioned_concurrency_config resources get a snippet")
        block = _tf_block(text, address)
        function = _tf_attribute(text, block, "function_name") if block else None
        qualifier = _tf_attribute(text, block, "qualifier") if block else None
        if not (function and qualifier):
            return Declined("the configuration's function_name and qualifier are not written in its block")
        repeated = next((name for name in ("count", "for_each") if _tf_attribute(text, block, name)), None)
        if repeated:
            return Declined(f"the configuration uses {repeated}: the scalable target needs the same {repeated} and index")
        name = address.partition(".")[2]
        indent = _tf_indent(text, block) or "  "
        i2, i3 = indent * 2, indent * 3
        lines = [
            f'resource "aws_appautoscaling_target" "{name}" {{',
            f'{indent}service_namespace  = "lambda"',
            f'{indent}scalable_dimension = "lambda:function:ProvisionedConcurrency"',
            f'{indent}resource_id        = "function:{_interpolated(function[1])}:{_interpolated(qualifier[1])}"',
            f"{indent}min_capacity       = {low} # choose: the off-peak floor",
            f"{indent}max_capacity       = {high} # choose: the peak",
            "}",
            "",
            f'resource "aws_appautoscaling_policy" "{name}" {{',
            f'{indent}name               = "{_slug(name)}-pc-utilization"',
            f'{indent}policy_type        = "TargetTrackingScaling"',
            f"{indent}service_namespace  = aws_appautoscaling_target.{name}.service_namespace",
            f"{indent}scalable_dimension = aws_appautoscaling_target.{name}.scalable_dimension",
            f"{indent}resource_id        = aws_appautoscaling_target.{name}.resource_id",
            "",
            f"{indent}target_tracking_scaling_policy_configuration {{",
            f"{i2}target_value = 0.7",
            f"{i2}predefined_metric_specification {{",
            f'{i3}predefined_metric_type = "LambdaProvisionedConcurrencyUtilization"',
            f"{i2}}}",
            f"{indent}}}",
            "}",
        ]
        return _display(finding, _tf_after_block(text, block, lines), description)
    if _is_json(path, text):
        return Declined(_JSON)
    resource = _yaml_resource(text, address)
    if resource is None or resource.type != "AWS::Serverless::Function":
        return Declined("only SAM functions get a snippet; add an AWS::ApplicationAutoScaling::ScalableTarget on the alias")
    written = re.compile(r"^[ \t]+AutoPublishAlias[ \t]*:[ \t]*([A-Za-z0-9_-]+)[ \t]*(#.*)?$", re.M)
    globals_ = re.search(r"^Globals[ \t]*:.*?(?=^\S)", text + "\nEnd:", re.M | re.S)  # up to the next top-level key
    alias = written.search(_resource_text(text, resource)) or (written.search(globals_.group(0)) if globals_ else None)
    if not alias:
        return Declined("the alias is not written as a plain AutoPublishAlias value")
    step = _step(resource)
    lines = [
        f"{address}ScalableTarget:",
        f"{step}Type: AWS::ApplicationAutoScaling::ScalableTarget",
        f"{step}Properties:",
        f"{step * 2}ServiceNamespace: lambda",
        f"{step * 2}ScalableDimension: lambda:function:ProvisionedConcurrency",
        f"{step * 2}ResourceId: !Sub function:${{{address}}}:{alias.group(1)}",
        f"{step * 2}MinCapacity: {low} # choose: the off-peak floor",
        f"{step * 2}MaxCapacity: {high} # choose: the peak",
        f"{address}Utilization:",
        f"{step}Type: AWS::ApplicationAutoScaling::ScalingPolicy",
        f"{step}Properties:",
        f"{step * 2}PolicyName: {_slug(address)}-pc-utilization",
        f"{step * 2}PolicyType: TargetTrackingScaling",
        f"{step * 2}ScalingTargetId: !Ref {address}ScalableTarget",
        f"{step * 2}TargetTrackingScalingPolicyConfiguration:",
        f"{step * 3}TargetValue: 0.7",
        f"{step * 3}PredefinedMetricSpecification:",
        f"{step * 4}PredefinedMetricType: LambdaProvisionedConcurrencyUtilization",
    ]
    return _display(finding, _yaml_after_resource(text, resource, lines), description)


# ------------------------------------------------------------------ helpers


def _display(finding, edits, description: str):
    if isinstance(edits, Declined):
        return edits
    return Fix(finding.location.path, tuple(edits), DISPLAY_ONLY, description)


def _function_setting(finding, text: str, yaml_line: str, hcl_line: str, note: str, description: str):
    """One setting of the function: a property after ``Properties:`` or an HCL attribute at the
    top of the resource (the end of a module block, whose ``source`` stays first)."""
    path, address = _subject(finding)
    if path.endswith(".tf"):
        if not address.startswith(("aws_lambda_function.", "module.")):
            return Declined("only aws_lambda_function resources and module inputs get a snippet")
        block = _tf_block(text, address)
        if block is None:
            return Declined(f"`{address}` is not defined in this file")
        return _display(finding, _tf_insert(text, block, [f"{hcl_line} # {note}"], at_end=address.startswith("module.")), description)
    if _is_json(path, text):
        return Declined(_JSON)
    resource = _yaml_resource(text, address)
    if resource is None or resource.type not in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
        return Declined("the function's Properties were not found as a plain YAML block")
    return _display(finding, _yaml_insert(text, resource, [f"{yaml_line} # {note}"]), description)


def _yaml_property(text: str, resource, key: str) -> tuple[int, str] | None:
    """(offset of the value, value text) of one of the resource's own ``key: value`` lines."""
    starts = _line_starts(text)
    pattern = re.compile(rf"^{re.escape(resource.child_indent)}{re.escape(key)}[ \t]*:[ \t]*(?P<value>[^#\s][^#]*?)[ \t]*(#.*)?$")
    for number in range(resource.properties_line + 1, resource.end_line + 1):
        found = pattern.match(_line(text, number))
        if found:
            return starts[number - 1] + found.start("value"), found.group("value")
    return None


def _step(resource) -> str:
    """One level of the template's indentation (Properties' children sit two levels in)."""
    return " " * max(1, len(resource.child_indent) // 3)


def _resource_text(text: str, resource) -> str:
    return "\n".join(_line(text, n) for n in range(resource.properties_line, resource.end_line + 1))


def _yaml_after_resource(text: str, resource, lines: list[str]) -> list[Edit]:
    """New resources after the last non-blank line of ``resource``, at its key's indentation."""
    starts = _line_starts(text)
    key_indent = resource.child_indent[: len(resource.child_indent) - 2 * len(_step(resource))]
    last = resource.properties_line
    for number in range(resource.properties_line + 1, resource.end_line + 1):
        line = _line(text, number)
        if line.strip() and len(line) - len(line.lstrip(" ")) > len(key_indent):
            last = number  # the resource's own lines (a comment at the next key's depth is the next key's)
    nl = _newline(text)
    offset = starts[last] if last < len(starts) else len(text)
    prefix = nl if offset == len(text) and not text.endswith(("\n", "\r")) else ""
    return [Edit(offset, offset, prefix + "".join((key_indent + line if line else "") + nl for line in lines))]


def _tf_after_block(text: str, block: tuple[int, int], lines: list[str]) -> list[Edit]:
    """New top-level blocks after the line of ``block``'s closing brace, a blank line between."""
    nl = _newline(text)
    line_end = text.find("\n", block[1])
    at = line_end + 1 if line_end != -1 else len(text)
    prefix = nl if line_end == -1 else ""
    return [Edit(at, at, prefix + nl + "".join(line + nl for line in lines))]


def _interpolated(value: str) -> str:
    """An HCL expression as part of a string template: a plain string's content, else ``${...}``."""
    value = value.strip()
    if re.fullmatch(r'"[^"$\\]*"', value):
        return value[1:-1]
    if re.fullmatch(r'"\$\{[^"]*\}"', value):
        return value[1:-1]
    return "${" + value + "}"


def _slug(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).replace("_", "-").lower()
