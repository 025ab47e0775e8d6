"""The format-neutral model: SAM, CloudFormation and Terraform all become these records.

Every configurable field is a :class:`Setting`: *present* (a value read from a file, with its
location), *absent* (the platform default, located at the resource so "unset" can still be
reported on the right line) or *unknown* (an expression we could not resolve statically).
Rules never flag unknown values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..findings import Location

PRESENT, ABSENT, UNKNOWN = "present", "absent", "unknown"


@dataclass(frozen=True)
class Setting:
    value: Any
    location: Location
    state: str = PRESENT
    source: str = ""  # the expression behind an unknown value, for messages
    # the property as written in the function's own format ("MemorySize", "memory_size",
    # "tracing_mode"), so messages and fixes name it without asking which format it came from
    prop: str = ""

    @property
    def known(self) -> bool:
        return self.state != UNKNOWN

    @property
    def is_set(self) -> bool:
        return self.state == PRESENT

    @property
    def is_absent(self) -> bool:
        return self.state == ABSENT


@dataclass(frozen=True)
class Phrases:
    """How advice is worded in one format's own terms: what to add or set, and how a setting is
    written. Each format's reader fills a table of these (formats/cloudformation/functions.py,
    formats/terraform/functions.py) and hands one to every record it builds, so rules phrase their fixes by
    asking the record, never by checking which format it came from."""

    root_noun: str  # what a deployment unit is called: "stack", "Terraform root"
    assign: str  # a setting as written, with {prop} and {value}: "{prop}: {value}"
    publish_for_provisioned: str  # LL201: how to put provisioned concurrency on a published version
    publish_for_snapstart: str  # LL212: how to publish versions and invoke them
    failure_destination: str  # LL404: how to add an on-failure destination or a DLQ
    secret_storage: str  # LL501: where a secret goes instead of a literal
    private_url: str  # LL503: how to make a function URL require signed requests
    batch_failure_reporting: str  # LL406: how to turn on partial batch responses on an SQS source
    stream_failure_destination: str  # LL407: how to give a stream source an on-failure destination
    # LL202: how to put Application Auto Scaling on provisioned concurrency
    autoscaling: str = "add a scalable target (lambda:function:ProvisionedConcurrency) with a scheduled action or a target-tracking policy on LambdaProvisionedConcurrencyUtilization"

    def written(self, prop: str, value: str) -> str:
        """``prop`` set to ``value`` as this format writes it (``PackageType: Image``)."""
        return self.assign.format(prop=prop, value=value)

    def root_label(self, root: str) -> str:
        return f"{self.root_noun} {root or '.'}"


# for records built by hand (tests, tools): advice that names no format's syntax
GENERIC_PHRASES = Phrases(
    root_noun="project",
    assign="{prop} {value}",
    publish_for_provisioned="publish a version and point provisioned concurrency at it or at an alias",
    publish_for_snapstart="publish a version and invoke it through an alias",
    failure_destination="add an on-failure destination or a dead-letter queue",
    secret_storage="keep it in Secrets Manager and pass the secret's ARN instead",
    private_url="require IAM authentication and sign requests (or front it with CloudFront origin access control)",
    batch_failure_reporting="turn on ReportBatchItemFailures for the event source",
    stream_failure_destination="add an on-failure destination to the event source",
)


@dataclass(frozen=True)
class Reference:
    """A value that is another declared resource's attribute (``!GetAtt Queue.Arn``,
    ``aws_sqs_queue.dlq.arn``): its text is known only at deploy time, but it is certainly set."""

    target: str  # as written: "Queue.Arn", "aws_sqs_queue.dlq.arn"

    def __str__(self) -> str:
        return self.target


def present(value: Any, location: Location) -> Setting:
    return Setting(value, location, PRESENT)


def absent(default: Any, location: Location) -> Setting:
    return Setting(default, location, ABSENT)


def unknown(location: Location, source: str = "") -> Setting:
    return Setting(None, location, UNKNOWN, source)


ALIAS, VERSION, LATEST, UNKNOWN_QUALIFIER = "alias", "version", "latest", "unknown"


@dataclass(frozen=True)
class Qualifier:
    """Which alias or version of a function something names: an alias, a version, ``$LATEST``, or
    unknown (an expression we could not resolve: it may be any of them). Made by formats/arn.py
    (from text) and the format loaders (from resources); compared with :meth:`may_be`.
    """

    kind: str  # ALIAS | VERSION | LATEST | UNKNOWN_QUALIFIER
    location: Location
    name: str = ""  # the alias name or version number Lambda knows; "" = known only by its resource
    resource: str = ""  # address of the version resource, or of the function whose published version it is
    published: bool = False  # a version: the one the function publishes (Terraform ``.version``)
    # how messages name the declaring resource instead of the name ("aws_lambda_alias.live",
    # "Version1"), or the name is unknown and this is all we have
    label: str = ""
    source: str = ""  # unknown: the expression behind it, for messages

    @classmethod
    def alias(cls, location: Location, name: str = "", label: str = "") -> "Qualifier":
        return cls(ALIAS, location, name=name, label=label)

    @classmethod
    def named_alias(cls, name: Setting, source: str = "") -> "Qualifier":
        """The alias an alias-name setting (``AutoPublishAlias``, an alias's ``Name`` / ``name``)
        names: unknown when the name is an expression."""
        if name.is_set and isinstance(name.value, (str, int)) and not isinstance(name.value, bool):
            return cls.alias(name.location, name=str(name.value))
        return cls.unknown(name.location, source or name.source)

    @classmethod
    def version(cls, location: Location, number: str = "", resource: str = "", label: str = "", published: bool = False) -> "Qualifier":
        return cls(VERSION, location, name=number, resource=resource, label=label, published=published)

    @classmethod
    def latest(cls, location: Location) -> "Qualifier":
        return cls(LATEST, location, name="$LATEST")

    @classmethod
    def unknown(cls, location: Location, source: str = "") -> "Qualifier":
        return cls(UNKNOWN_QUALIFIER, location, source=source)

    @property
    def known(self) -> bool:
        return self.kind != UNKNOWN_QUALIFIER

    @property
    def is_latest(self) -> bool:
        return self.kind == LATEST

    def may_be(self, other: "Qualifier") -> bool:
        """Whether both may name the same alias or version (unknown may be anything)."""
        if not self.known or not other.known:
            return True
        if self.kind != other.kind:
            return False
        if self.kind == ALIAS:
            return not self.name or not other.name or self.name == other.name
        if self.kind == VERSION:
            if self.name or other.name:
                return True  # a version number against a version resource: cannot tell
            return self.resource == other.resource
        return True

    @property
    def text(self) -> str | None:
        """How reports print it (the JSON ``functions`` array, the HTML report); None when unknown."""
        if self.kind == ALIAS:
            return self.name or self.label
        if self.kind == VERSION:
            if self.name:
                return self.name
            return "version" if self.published else f"version:{self.label}"
        return self.name if self.known else None

    def describe(self) -> str:
        """"alias live", "version 3", "the published version" ... for messages."""
        if self.kind == ALIAS:
            return self.label or f"alias {self.name}"
        if self.kind == VERSION:
            if self.name:
                return f"version {self.name}"
            return "the published version" if self.published else f"the version published by {self.label}"
        if self.kind == LATEST:
            return "$LATEST"
        return f"qualifier {self.source or 'unresolved'}"


@dataclass
class ProvisionedConcurrency:
    """Provisioned concurrency on one qualifier (alias, version or ``$LATEST``) of a function."""

    amount: Setting  # int
    qualifier: Qualifier
    location: Location  # the resource/block/property that configures it
    address: str  # e.g. "Resources/LiveAlias" or "aws_lambda_provisioned_concurrency_config.live"
    # why the qualifier is $LATEST when it is, for the message
    qualifier_note: str = ""
    # Application Auto Scaling targets that scale (or may scale) this qualifier, filled by
    # link/scaling.py (link.scaling.Autoscaler; empty = none found in the project)
    autoscaling: list = field(default_factory=list)
    # behind a count / for_each we cannot resolve: it may not exist, so it is no reason to warn
    may_not_exist: bool = False


@dataclass
class Caller:
    """Something that invokes a function. The subclasses below carry what only their kind has;
    a plain Caller is a notification (S3, SNS, EventBridge, schedule, Logs, IoT).

    ``kind``: "api" | "function-url" | "esm" | "sns" | "s3" | "eventbridge" | "permission" | ...
    ``invocation``: "sync" | "async" | "stream" | "queue".
    ``qualifier``: the alias/version it invokes (None = unqualified or ``$LATEST`` / not applicable).
    ``timeout_ms``: how long the caller waits (e.g. an API integration timeout), absent = default.
    """

    kind: str
    invocation: str
    qualifier: Qualifier | None
    location: Location  # where the caller is declared (event/resource/block first line)
    address: str  # e.g. "Resources/Orders/Events/Get" or "aws_apigatewayv2_integration.orders"
    timeout_ms: Setting | None = None


@dataclass
class ApiCaller(Caller):
    """An API Gateway integration or SAM Api / HttpApi event."""

    api: str = "unknown"  # "rest" | "http" | "websocket" | "unknown"


@dataclass
class PermissionCaller(Caller):
    """A resource-based permission (``AWS::Lambda::Permission``, ``aws_lambda_permission``,
    module ``allowed_triggers``) for a service principal."""

    principal: str = ""  # e.g. "s3.amazonaws.com"


@dataclass
class UrlCaller(Caller):
    """A function URL of this function (see also :class:`FunctionUrl`)."""

    auth_type: Setting | None = None


@dataclass
class EventSourceCaller(Caller):
    """An event source mapping: Lambda polls a queue or stream and invokes with batches.

    Each Setting is absent when not written (the service default applies), unknown when it is an
    expression; None only for hand-built callers (treat as unknown).
    """

    source: str | None = None  # "sqs" | "kinesis" | "dynamodb" | "kafka" | "mq" | "docdb" | None
    batch_size: Setting | None = None  # int; absent = the source's default (10 for SQS)
    batching_window: Setting | None = None  # seconds; absent = 0
    response_types: Setting | None = None  # list, e.g. ["ReportBatchItemFailures"]; absent = []
    on_failure: Setting | None = None  # on-failure destination ARN (streams, Kafka); absent = none
    retry_attempts: Setting | None = None  # int; absent / -1 = retry until the record expires
    max_record_age: Setting | None = None  # seconds; absent / -1 = the stream's retention


@dataclass
class FunctionUrl:
    """A Lambda function URL, recorded whether or not its function is in the scanned code (a URL
    on a function another stack deploys is public all the same)."""

    auth_type: Setting  # "NONE" | "AWS_IAM"
    location: Location  # the URL resource / block / FunctionUrlConfig
    address: str
    function: "Function | None"  # None: declared elsewhere (a literal ARN, another root)
    target: str  # the function as written, for messages when ``function`` is None
    may_not_exist: bool = False  # behind a count / for_each we cannot resolve
    phrases: Phrases = GENERIC_PHRASES  # the declaring format's wording, for advice


@dataclass
class EventSource:
    """An event source mapping, recorded whether or not its function is in the scanned code (a
    mapping's batching and failure settings are wrong or right whoever deploys the function)."""

    mapping: EventSourceCaller
    function: "Function | None"  # None: declared elsewhere (a literal name or ARN, another root)
    target: str  # the function as written, for messages when ``function`` is None
    may_not_exist: bool = False  # behind a count / for_each we cannot resolve
    phrases: Phrases = GENERIC_PHRASES  # the declaring format's wording, for advice

    @property
    def label(self) -> str:
        return self.function.label if self.function is not None else f"the function {self.target}"


@dataclass
class Function:
    """One Lambda function, whatever format declared it."""

    address: str  # "Resources/OrdersFunction", "aws_lambda_function.orders", "module.orders"
    name: str  # logical ID / resource name / module name
    kind: str  # "sam" | "cloudformation" | "cdk" | "serverless" | "terraform" | "terraform-module"
    location: Location  # the resource's first line
    root: str  # the stack (template path) or Terraform root (directory) it belongs to
    runtime: Setting
    memory: Setting  # MB
    timeout: Setting  # seconds
    handler: Setting  # "app.lambda_handler"
    code_dir: Setting  # POSIX path relative to the scan root, or unknown (S3, image, expression)
    package_type: Setting  # "Zip" | "Image"
    snapstart: Setting  # "PublishedVersions" | "None"
    reserved_concurrency: Setting  # int; absent = no reservation
    tracing: Setting  # "Active" | "PassThrough"
    publishes_versions: Setting  # bool
    environment: Setting  # dict[str, Any]
    provisioned: list[ProvisionedConcurrency] = field(default_factory=list)
    # Python module and function this function runs, filled by the linker
    handler_module: str | None = None  # POSIX path relative to the scan root
    handler_function: str | None = None
    # (location, description) of CPU-heavy work the linked handler does per invocation (LL301)
    cpu_evidence: list = field(default_factory=list)
    # filled by every loader (None only for hand-built Functions: treat as unknown)
    ephemeral_storage: Setting | None = None  # /tmp size in MB; absent = 512
    architectures: Setting | None = None  # list, e.g. ["arm64"]; absent = ["x86_64"] (prices differ)
    file_systems: Setting | None = None  # list of EFS mounts (ARN values or expressions); absent = []
    # everything that invokes this function (API integrations, event sources, ...), see Caller
    callers: list[Caller] = field(default_factory=list)
    # security facts, filled by link/security.py (LL5xx)
    environment_entries: list = field(default_factory=list)  # records.security.EnvVar: each variable, at its key's line
    execution_role: Setting | None = None  # value: records.security.ExecutionRole; unknown when the role is outside the project
    # failure handling and naming, filled by link/callers.py (None = not analysed: treat as unknown)
    dead_letter: Setting | None = None  # DLQ target (DeadLetterConfig / dead_letter_config); absent = none
    failure_destinations: list = field(default_factory=list)  # records.callers.FailureDestination (on-failure targets)
    physical_name: Setting | None = None  # FunctionName / function_name, for references by literal name
    db_endpoints: list = field(default_factory=list)  # (Location, description): database endpoints in env vars (link/databases.py)
    phrases: Phrases = GENERIC_PHRASES  # the declaring format's wording, for advice (set by its loader)
    # the construct that declares it, when a tool generated the template (CDK: "ShopStack/OrdersFn")
    construct: str = ""

    @property
    def label(self) -> str:
        """How messages name the function: its logical ID in a template, its address in
        Terraform (``aws_lambda_function.this``, ``module.api``): a bare label such as
        ``this`` says nothing; the construct path in a synthesized CDK template, where the
        logical ID carries a hash the user never wrote."""
        if self.construct:
            return self.construct
        if self.kind.startswith("terraform"):
            return self.address.split("#", 1)[-1]
        return self.name

    @property
    def is_python(self) -> bool:
        return self.runtime.known and isinstance(self.runtime.value, str) and self.runtime.value.startswith("python")

    @property
    def is_node(self) -> bool:
        return self.runtime.known and isinstance(self.runtime.value, str) and self.runtime.value.startswith("nodejs")

    @property
    def is_java(self) -> bool:
        return self.runtime.known and isinstance(self.runtime.value, str) and self.runtime.value.startswith("java")


@dataclass
class Project:
    functions: list[Function] = field(default_factory=list)
    # every parsed python module by path, and every template/Terraform document path
    python_modules: dict[str, Any] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)  # every scanned file (relative POSIX paths)
    root_dir: str = ""  # absolute scan root on disk
    load_failures: list = field(default_factory=list)  # ParseFailure: documents a loader could not read
    code_targets: list[Any] = field(default_factory=list)  # link.code.CodeTarget, filled by the linker
    # JavaScript/TypeScript documents by path, Java programs (one per source root), and their
    # handlers (link.scripts.ScriptTarget / JavaTarget), filled by link/scripts.py
    script_modules: dict[str, Any] = field(default_factory=dict)
    java_programs: list[Any] = field(default_factory=list)
    script_targets: list[Any] = field(default_factory=list)
    java_targets: list[Any] = field(default_factory=list)
    # every Application Auto Scaling target/policy/scheduled action on Lambda provisioned
    # concurrency (link.scaling.Autoscaler), filled by link/scaling.py
    autoscaling: list[Any] = field(default_factory=list)
    alarms: list[Any] = field(default_factory=list)  # link.alarms.LinkedAlarm, every CloudWatch alarm in the project
    function_urls: list[FunctionUrl] = field(default_factory=list)  # every function URL (link/callers.py)
    event_sources: list[EventSource] = field(default_factory=list)  # every event source mapping (link/callers.py)
    # (stack template path or Terraform root dir, Location) of callers whose target function is unresolvable
    unresolved_callers: list[Any] = field(default_factory=list)

    def exists_on_disk(self, rel: str) -> bool:
        import os

        return os.path.exists(os.path.join(self.root_dir, rel))


def name_properties(function: Function, names: dict[str, str]) -> None:
    """Record on each of ``function``'s settings the property it was read from (``names``:
    field -> property as written)."""
    for field_name, prop in names.items():
        setting = getattr(function, field_name)
        if setting is not None:
            setattr(function, field_name, replace(setting, prop=prop))
