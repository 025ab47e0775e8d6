"""A Serverless Framework service, written as the CloudFormation the Framework would generate for
it, so the CloudFormation readers read it (one set of readers, no second copy of each table).

Every node keeps the position it has in ``serverless.yml``: a finding about ``memorySize`` lands
on that key, one about an unset setting on the function's key. What the Framework does by itself
is written out here:

- one function per ``functions:`` entry (logical ID: the function's key, so messages name it as
  the user does), the provider's settings as defaults, code from the service directory (or the
  ``package.artifact`` / ``image`` given);
- ``provisionedConcurrency`` on the ``provisioned`` alias the Framework publishes;
- one shared execution role ``IamRoleLambdaExecution`` holding ``provider.iam.role.statements``
  (v3/v4) or ``provider.iamRoleStatements`` (v2), unless a role is given by name or ARN
  (serverless-iam-roles-per-function: a function's own ``iamRoleStatements`` get their own role);
- ``events`` as the matching SAM events (http = REST API, httpApi = HTTP API, sqs, stream, s3,
  sns, schedule, eventBridge, cloudwatchLog, iot, kafka / msk, activemq / rabbitmq),
  ``destinations.onFailure`` / ``onError``, ``url``;
- ``concurrencyAutoscaling`` (serverless-provisioned-concurrency-autoscaling) as a scalable
  target and a target-tracking policy on the ``provisioned`` alias;
- ``resources.Resources`` as written, with the Framework's generated logical IDs
  (``<Name>LambdaFunction``, ``<Name>ProvConcLambdaAlias``) pointed at the function.
"""

from __future__ import annotations

import re
from typing import Any

from ...documents.nodes import Node
from ...documents.templates import TemplateDocument
from .resolve import is_unresolved, unresolved_node

DEFAULT_MEMORY = 1024  # MB, the Framework's default (not Lambda's 128)
DEFAULT_TIMEOUT = 6  # seconds, the Framework's default (not Lambda's 3)
PROVISIONED_ALIAS = "provisioned"  # the alias the Framework puts provisioned concurrency on
SHARED_ROLE = "IamRoleLambdaExecution"

# serverless event type -> SAM event type
EVENTS = {
    "http": "Api",
    "httpApi": "HttpApi",
    "sqs": "SQS",
    "s3": "S3",
    "sns": "SNS",
    "schedule": "Schedule",
    "eventBridge": "EventBridgeRule",
    "cloudwatchEvent": "EventBridgeRule",
    "cloudwatchLog": "CloudWatchLogs",
    "iot": "IoTRule",
    "msk": "MSK",
    "kafka": "SelfManagedKafka",
    "activemq": "MQ",
    "rabbitmq": "MQ",
}


def normalized_name(key: str) -> str:
    """The Framework's name for a function in generated logical IDs (``get-user`` -> ``GetDashuser``)."""
    name = key[:1].upper() + key[1:]
    return name.replace("-", "Dash").replace("_", "Underscore")


def to_template(service: Node, path: str) -> TemplateDocument:
    """The CloudFormation / SAM resources the Framework would deploy for ``service`` (resolved)."""
    provider = _map(service.get("provider"))
    functions = _functions(service.get("functions"))
    resources: dict[str, Node] = {}
    generated: dict[str, str] = {}  # generated logical ID -> what it stands for here
    role = _provider_role(provider, resources)
    names = _service_names(service, provider)
    plugins = plugin_names(service)
    for key, fn in functions.items():
        if not fn.is_map:
            continue
        n = normalized_name(key)
        generated[f"{n}LambdaFunction"] = key
        generated[f"{n}ProvConcLambdaAlias"] = f"{key}.Alias"
        resources[key] = _at(fn, {"Type": _s("AWS::Serverless::Function", fn), "Properties": _function(key, fn, provider, role, names, resources, plugins)})
        _autoscaling(key, fn, resources)
        if "serverless-plugin-aws-alerts" in plugins:
            _alerts(key, fn, service, provider, resources)
    _raw_resources(service, resources, generated)
    root = _at(service, {"Resources": _at(service, resources)})
    return TemplateDocument(path, root, ())


# ---------------------------------------------------------------------- functions
def _functions(node: Node | None) -> dict[str, Node]:
    """``functions:`` as one map. The Framework also takes a list of maps, merged in order
    (``- ${file(./orders.yml)}`` per group of functions)."""
    if node is not None and isinstance(node.value, list):
        merged: dict[str, Node] = {}
        for item in node.value:
            merged.update(_map(item))
        return merged
    return _map(node)


def _function(key: str, fn: Node, provider: dict, role: Node | None, names: tuple[Any, Any], resources: dict, plugins: frozenset) -> Node:
    props: dict[str, Node] = {}

    def pick(name: str, provider_name: str | None = None) -> Node | None:
        own = fn.get(name)
        return own if own is not None else provider.get(provider_name or name)

    for sls_name, cfn_name in (("runtime", "Runtime"), ("handler", "Handler"), ("memorySize", "MemorySize"), ("timeout", "Timeout")):
        node = pick(sls_name) if sls_name != "handler" else fn.get("handler")
        if node is not None:
            props[cfn_name] = node
    handler = fn.get("handler")
    if handler is not None and handler.value == "wsgi_handler.handler" and "serverless-wsgi" in plugins:
        # serverless-wsgi writes wsgi_handler.py into the package: no file of the project
        props["Handler"] = unresolved_node("wsgi_handler.handler (written by serverless-wsgi when packaging)", handler)
    if fn.get("reservedConcurrency") is not None:
        props["ReservedConcurrentExecutions"] = fn.get("reservedConcurrency")
    arch = pick("architecture")
    if arch is not None:
        props["Architectures"] = arch if is_unresolved(arch) else _like(arch, [arch])
    storage = fn.get("ephemeralStorageSize")
    if storage is not None:
        props["EphemeralStorage"] = _like(storage, {"Size": storage})
    _code(fn, provider, props)
    tracing = fn.get("tracing")
    if tracing is None:
        tracing = _map(provider.get("tracing")).get("lambda")
    if tracing is not None:
        props["Tracing"] = _tracing(tracing)
    snap = fn.get("snapStart")
    if snap is not None:
        props["SnapStart"] = snap if is_unresolved(snap) else _like(snap, {"ApplyOn": _like(snap, "PublishedVersions" if snap.value is True else "None")})
    env = _environment(provider.get("environment"), fn.get("environment"))
    if env is not None:
        props["Environment"] = env
    pc = fn.get("provisionedConcurrency")
    if pc is not None:
        props["AutoPublishAlias"] = _like(pc, PROVISIONED_ALIAS)
        props["ProvisionedConcurrencyConfig"] = _like(pc, {"ProvisionedConcurrentExecutions": pc})
    name = fn.get("name")
    if name is not None:
        props["FunctionName"] = name
    elif all(isinstance(part, str) for part in names):
        props["FunctionName"] = _s(f"{names[0]}-{names[1]}-{key}", fn)  # the Framework's own naming
    own_role = fn.get("role")
    if own_role is not None:
        props["Role"] = _role_value(own_role)
    elif fn.get("iamRoleStatements") is not None:  # serverless-iam-roles-per-function
        role_id = f"{normalized_name(key)}IamRoleLambdaExecution"
        resources[role_id] = _role_resource(fn, fn.get("iamRoleStatements"), None)
        props["Role"] = _s_map(fn, {"Fn::GetAtt": _like(fn, [_s(role_id, fn), _s("Arn", fn)])})
    elif role is not None:
        props["Role"] = role
    _failure_handling(fn, props)
    url = fn.get("url")
    if url is not None and url.value not in (False, None):
        auth = _map(url).get("authorizer")
        props["FunctionUrlConfig"] = _like(url, {"AuthType": _like(auth if auth is not None else url, "AWS_IAM" if auth is not None and auth.value == "aws_iam" else "NONE")} if not is_unresolved(auth) else {"AuthType": auth})
    events = _events(fn.get("events"))
    if events:
        props["Events"] = _like(fn.get("events"), events)
    return _at(fn, props)


def _code(fn: Node, provider: dict, props: dict) -> None:
    """Where the code is: the service directory, a prebuilt ``package.artifact``, or an ``image``."""
    image = fn.get("image")
    if image is not None:
        props["PackageType"] = _like(image, "Image")
        return
    artifact = _map(fn.get("package")).get("artifact") or _map(provider.get("package")).get("artifact")
    handler = fn.get("handler")
    if artifact is not None:
        props["CodeUri"] = artifact
    elif handler is not None:
        props["CodeUri"] = _like(handler, ".")  # relative to serverless.yml, like the Framework's package


def _tracing(node: Node) -> Node:
    if node.value is True:
        return _like(node, "Active")
    if node.value is False:
        return _like(node, "PassThrough")
    return node


def _environment(provider_env: Node | None, own: Node | None) -> Node | None:
    """``provider.environment`` merged under the function's own (the function wins a name)."""
    if provider_env is None and own is None:
        return None
    at = own if own is not None else provider_env
    for part in (provider_env, own):
        if part is not None and not part.is_map and part.value is not None:
            return _like(at, {"Variables": part})  # an expression: unknown as a whole
    merged = {**_map(provider_env), **_map(own)}
    return _like(at, {"Variables": _like(at, merged)})


def _failure_handling(fn: Node, props: dict) -> None:
    on_error = fn.get("onError")
    if on_error is not None:
        props["DeadLetterQueue"] = _like(on_error, {"Type": _like(on_error, "SNS"), "TargetArn": on_error})
    destinations = fn.get("destinations")
    on_failure = _map(destinations).get("onFailure")
    if on_failure is None and destinations is not None and not destinations.is_map and destinations.value is not None:
        props["EventInvokeConfig"] = destinations  # an expression: unknown
        return
    if on_failure is not None:
        target = _map(on_failure).get("arn") if on_failure.is_map else on_failure
        config = {"OnFailure": _like(on_failure, {"Type": _like(on_failure, "Lambda"), "Destination": target if target is not None else on_failure})}
        props["EventInvokeConfig"] = _like(destinations, {"DestinationConfig": _like(destinations, config)})


def _events(events: Node | None) -> dict[str, Node]:
    out: dict[str, Node] = {}
    if events is None or not isinstance(events.value, list):
        return out
    for index, item in enumerate(events.value):
        if not item.is_map or len(item.value) != 1:
            continue
        (etype, config), = item.value.items()
        sam_type = EVENTS.get(etype)
        if etype == "stream":
            sam_type, properties = _stream(config)
        elif sam_type is None:
            continue
        elif etype == "sqs":
            properties = _queue(config)
        elif etype in ("http", "httpApi"):
            properties = {}  # the Framework sets no integration timeout: API Gateway's default
        else:
            properties = {}
        where = config
        out[f"{etype}{index + 1}"] = _like(where, {"Type": _like(where, sam_type), "Properties": _like(where, properties)})
    return out


_QUEUE_FIELDS = {"batchSize": "BatchSize", "maximumBatchingWindow": "MaximumBatchingWindowInSeconds", "maximumRetryAttempts": "MaximumRetryAttempts", "maximumRecordAgeInSeconds": "MaximumRecordAgeInSeconds"}


def _batching(config: Node) -> dict[str, Node]:
    props = {cfn: config.get(sls) for sls, cfn in _QUEUE_FIELDS.items() if config.get(sls) is not None}
    response = config.get("functionResponseType")
    if response is not None:
        props["FunctionResponseTypes"] = response if is_unresolved(response) else _like(response, [response])
    return props


def _queue(config: Node) -> dict[str, Node]:
    if not config.is_map:
        return {"Queue": config}
    props = _batching(config)
    if config.get("arn") is not None:
        props["Queue"] = config.get("arn")
    return props


def _stream(config: Node) -> tuple[str, dict[str, Node]]:
    """A ``stream`` event: Kinesis or DynamoDB (its ``type``, else what its ARN says)."""
    arn = config.get("arn") if config.is_map else config
    kind = _map(config).get("type")
    kind = kind.value if kind is not None and isinstance(kind.value, str) else _stream_kind(arn)
    props = _batching(config) if config.is_map else {}
    if arn is not None:
        props["Stream"] = arn
    on_failure = _map(_map(config).get("destinations")).get("onFailure")
    if on_failure is not None:
        target = _map(on_failure).get("arn") if on_failure.is_map else on_failure
        props["DestinationConfig"] = _like(on_failure, {"OnFailure": _like(on_failure, {"Destination": target if target is not None else on_failure})})
    return ("DynamoDB" if kind == "dynamodb" else "Kinesis"), props


def _stream_kind(arn: Node | None) -> str:
    if arn is None:
        return "kinesis"
    text = str(arn.plain())
    return "dynamodb" if ":dynamodb:" in text or "StreamArn" in text or "LatestStreamArn" in text else "kinesis"


# ---------------------------------------------------------------------- roles
def _provider_role(provider: dict, resources: dict) -> Node | None:
    """The role every function runs with unless it names its own: a role given by name or ARN
    (``provider.iam.role: arn:...`` / ``provider.role``), else the Framework's shared role."""
    iam = provider.get("iam")
    role = _map(iam).get("role")
    given = provider.get("role")
    if given is None and role is not None and not role.is_map:
        given = role
    if given is not None:
        return _role_value(given)
    statements = _map(role).get("statements") or provider.get("iamRoleStatements")
    managed = _map(role).get("managedPolicies") or provider.get("iamManagedPolicies")
    at = provider.get("iam") or provider.get("iamRoleStatements") or next(iter(provider.values()), None)
    if at is None:
        return None
    resources[SHARED_ROLE] = _role_resource(at, statements, managed)
    return _s_map(at, {"Fn::GetAtt": _like(at, [_s(SHARED_ROLE, at), _s("Arn", at)])})


def _role_resource(at: Node, statements: Node | None, managed: Node | None) -> Node:
    props: dict[str, Node] = {}
    if statements is not None:
        document = _like(statements, {"Version": _like(statements, "2012-10-17"), "Statement": statements})
        props["Policies"] = _like(statements, [_like(statements, {"PolicyName": _like(statements, "serverless"), "PolicyDocument": document})])
    if managed is not None:
        props["ManagedPolicyArns"] = managed
    return _at(at, {"Type": _s("AWS::IAM::Role", at), "Properties": _at(at, props)})


def _role_value(node: Node) -> Node:
    """A role given as a logical ID of ``resources`` (``role: MyRole``) is a reference to it; an
    ARN, a name or an expression stays as written."""
    if isinstance(node.value, str) and not node.value.startswith("arn:") and re.fullmatch(r"[A-Za-z0-9]+", node.value):
        return _s_map(node, {"Fn::GetAtt": _like(node, [_like(node, node.value), _like(node, "Arn")])})
    return node


# ---------------------------------------------------------------------- plugins
def _autoscaling(key: str, fn: Node, resources: dict) -> None:
    """serverless-provisioned-concurrency-autoscaling: ``concurrencyAutoscaling: true`` or a map
    (``enabled``, ``minimum``, ``maximum``, ``usage``) scales the ``provisioned`` alias."""
    config = fn.get("concurrencyAutoscaling")
    if config is None or config.value in (False, None):
        return
    settings = _map(config)
    enabled = settings.get("enabled")
    if enabled is not None and enabled.value is False:
        return
    n = normalized_name(key)
    resource_id = _like(config, {"Fn::Join": _like(config, [_like(config, ":"), _like(config, [_like(config, "function"), _like(config, {"Ref": _like(config, key)}), _like(config, PROVISIONED_ALIAS)])])})
    target = {
        "ResourceId": resource_id,
        "ScalableDimension": _like(config, "lambda:function:ProvisionedConcurrency"),
        "ServiceNamespace": _like(config, "lambda"),
        "MinCapacity": settings.get("minimum") or fn.get("provisionedConcurrency") or _like(config, 1),
        "MaxCapacity": settings.get("maximum") or _like(config, 10),
    }
    resources[f"{n}ProvConcAutoScalingTarget"] = _at(config, {"Type": _s("AWS::ApplicationAutoScaling::ScalableTarget", config), "Properties": _at(config, target)})
    usage = settings.get("usage") or _like(config, 0.75)
    policy = {
        "PolicyType": _like(config, "TargetTrackingScaling"),
        "ScalingTargetId": _like(config, {"Ref": _like(config, f"{n}ProvConcAutoScalingTarget")}),
        "TargetTrackingScalingPolicyConfiguration": _like(config, {
            "TargetValue": usage,
            "PredefinedMetricSpecification": _like(config, {"PredefinedMetricType": _like(config, "LambdaProvisionedConcurrencyUtilization")}),
        }),
    }
    resources[f"{n}ProvConcAutoScalingPolicy"] = _at(config, {"Type": _s("AWS::ApplicationAutoScaling::ScalingPolicy", config), "Properties": _at(config, policy)})


# serverless-plugin-aws-alerts: its built-in alarm names -> the AWS/Lambda metric each watches
ALERT_METRICS = {"functionErrors": "Errors", "functionThrottles": "Throttles", "functionInvocations": "Invocations", "functionDuration": "Duration"}


def _alerts(key: str, fn: Node, service: Node, provider: dict, resources: dict) -> None:
    """serverless-plugin-aws-alerts: ``custom.alerts.alarms`` (every function) and a function's
    own ``alarms`` become CloudWatch alarms on the function's metrics, for the stages it is on
    for (``custom.alerts.stages``; a stage we cannot read counts as on)."""
    config = _map(_map(service.get("custom")).get("alerts"))
    stages = config.get("stages")
    stage = provider.get("stage")
    stage = stage.value if stage is not None and isinstance(stage.value, str) else ("dev" if stage is None else None)
    if stages is not None and isinstance(stages.value, list) and stage is not None and stage not in [i.value for i in stages.value]:
        return
    definitions = _map(config.get("definitions"))
    items = [i for part in (config.get("alarms"), fn.get("alarms")) if part is not None and isinstance(part.value, list) for i in part.value]
    for index, item in enumerate(items):
        name = item.value if isinstance(item.value, str) else None
        metric = _map(item).get("metric") or _map(definitions.get(name or "")).get("metric")
        namespace = _map(item).get("namespace") or _map(definitions.get(name or "")).get("namespace") or _like(item, "AWS/Lambda")
        if metric is None and name in ALERT_METRICS:
            metric = _like(item, ALERT_METRICS[name])
        if metric is None:
            continue
        dimension = _like(item, {"Name": _like(item, "FunctionName"), "Value": _like(item, {"Ref": _like(item, key)})})
        props = {"Namespace": namespace, "MetricName": metric, "Dimensions": _like(item, [dimension])}
        resources[f"{normalized_name(key)}Alert{index + 1}"] = _at(item, {"Type": _s("AWS::CloudWatch::Alarm", item), "Properties": _at(item, props)})


# ---------------------------------------------------------------------- resources:
def _raw_resources(service: Node, resources: dict, generated: dict[str, str]) -> None:
    """``resources.Resources`` (or a list of such maps) as written, references to generated
    logical IDs pointed at what they stand for here."""
    section = service.get("resources")
    parts = section.value if section is not None and isinstance(section.value, list) else [section]
    for part in parts:
        raw = _map(_map(part).get("Resources"))
        for logical_id, node in raw.items():
            if logical_id not in resources and node.is_map:
                resources[logical_id] = _rewrite(node, generated, 0)


def _rewrite(node: Node, generated: dict[str, str], depth: int) -> Node:
    value = node.value
    if depth > 64:
        return node
    if isinstance(value, dict):
        if len(value) == 1:
            (fn, arg), = value.items()
            if fn == "Ref" and isinstance(arg.value, str) and arg.value in generated:
                return _like(node, {"Ref": _like(arg, generated[arg.value])})
            if fn == "Fn::GetAtt" and isinstance(arg.value, list) and arg.value and isinstance(arg.value[0].value, str) and arg.value[0].value in generated:
                return _like(node, {"Fn::GetAtt": _like(arg, [_like(arg.value[0], generated[arg.value[0].value].split(".")[0]), *arg.value[1:]])})
            if fn == "Fn::Sub":
                return _like(node, {"Fn::Sub": _rewrite_sub(arg, generated)})
        return _like(node, {k: _rewrite(v, generated, depth + 1) for k, v in value.items()})
    if isinstance(value, list):
        return _like(node, [_rewrite(v, generated, depth + 1) for v in value])
    return node


def _rewrite_sub(arg: Node, generated: dict[str, str]) -> Node:
    def sub(m: re.Match) -> str:
        name, attr = m.group(1), m.group(2) or ""
        return "${" + (generated[name].split(".")[0] if name in generated else name) + attr + "}"

    if isinstance(arg.value, str):
        return _like(arg, re.sub(r"\$\{([A-Za-z0-9]+)(\.[A-Za-z]+)?\}", sub, arg.value))
    if isinstance(arg.value, list) and arg.value and isinstance(arg.value[0].value, str):
        return _like(arg, [_rewrite_sub(arg.value[0], generated), *arg.value[1:]])
    return arg


# ---------------------------------------------------------------------- helpers
def _service_names(service: Node, provider: dict) -> tuple[Any, Any]:
    """(service name, stage) as far as they are literal; the Framework names a function
    ``<service>-<stage>-<key>``."""
    name = service.get("service")
    if name is not None and name.is_map:
        name = name.get("name")  # v1 wrote service: {name: ...}
    stage = provider.get("stage")
    return (name.value if name is not None else None), (stage.value if stage is not None else "dev")


def plugin_names(service: Node) -> frozenset:
    """The plugins a service loads: ``plugins: [a, b]`` or ``plugins: {modules: [a, b]}``."""
    plugins = service.get("plugins")
    if plugins is not None and plugins.is_map:
        plugins = plugins.get("modules")
    items = plugins.value if plugins is not None and isinstance(plugins.value, list) else []
    return frozenset(i.value for i in items if isinstance(i.value, str))


def _map(node: Node | None) -> dict[str, Node]:
    return node.value if node is not None and isinstance(node.value, dict) and not is_unresolved(node) else {}


def _like(at: Node, value: Any) -> Node:
    return Node(value, at.line, at.column, at.end_line, at.end_column, at.key_line, at.key_column)


def _at(at: Node, value: Any) -> Node:
    return _like(at, value)


def _s(text: str, at: Node) -> Node:
    return Node(text, at.line, at.column, at.end_line, at.end_column)


def _s_map(at: Node, value: dict) -> Node:
    return _like(at, value)
