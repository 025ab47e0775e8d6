"""A Serverless Framework service's records: the service written as the CloudFormation the
Framework generates (template.py), read by the CloudFormation readers concern by concern, then
given the Framework's own defaults and wording.

Same ``DocumentRecords`` as every format, so no rule and no linker knows about the Framework.
"""

from __future__ import annotations

from typing import Callable

from ...project.model import Function, Phrases, absent, name_properties, present
from ...records import DocumentRecords
from ..cloudformation import records as cfn_records
from ..cloudformation.resolve import Template
from .resolve import Service
from .template import DEFAULT_MEMORY, DEFAULT_TIMEOUT, to_template

# function field -> the key a user writes in serverless.yml (for messages and fixes)
PROPERTIES = {
    "memory": "memorySize",
    "timeout": "timeout",
    "runtime": "runtime",
    "handler": "handler",
    "reserved_concurrency": "reservedConcurrency",
    "tracing": "tracing",
    "snapstart": "snapStart",
    "ephemeral_storage": "ephemeralStorageSize",
    "environment": "environment",
    "package_type": "image",
    "file_systems": "fileSystemConfig",
}

PHRASES = Phrases(
    root_noun="service",
    assign="{prop}: {value}",
    publish_for_provisioned="set provisionedConcurrency on the function: the Framework publishes a version and a `provisioned` alias for it",
    publish_for_snapstart="keep versionFunctions on (the default) and invoke the function through an alias or version",
    failure_destination="add destinations.onFailure (or onError) to the function",
    secret_storage="keep it in Secrets Manager or SSM and pass its ARN or name (resolve it in code, not with ${ssm:...} into the environment)",
    private_url="set url.authorizer: aws_iam and sign requests (or front it with CloudFront origin access control)",
    batch_failure_reporting="set functionResponseType: ReportBatchItemFailures on the sqs event",
    stream_failure_destination="add destinations.onFailure to the stream event",
    autoscaling="add concurrencyAutoscaling to the function (serverless-provisioned-concurrency-autoscaling plugin) or an Application Auto Scaling target on its provisioned alias in resources",
)


def read(service: Service, exists: Callable[[str], bool]) -> DocumentRecords:
    """Every record of one service file; a concern whose reader fails is named in ``failed``."""
    resolved = service.resolved()
    if not is_aws(resolved):
        return DocumentRecords(service.path)  # Google, Azure, OpenWhisk...: no Lambda functions
    template = Template(to_template(resolved, service.path))
    records = cfn_records.read(template, exists)
    versions_off = _versions_off(resolved)
    records.functions = [_framework(r, versions_off) if isinstance(r, Function) else r for r in records.functions]
    return records


def _framework(function: Function, versions_off: bool) -> Function:
    """A function as the Framework deploys it: its defaults, its own publishing, its wording."""
    function.kind = "serverless"
    if function.memory.is_absent:
        function.memory = absent(DEFAULT_MEMORY, function.memory.location)
    if function.timeout.is_absent:
        function.timeout = absent(DEFAULT_TIMEOUT, function.timeout.location)
    if not function.publishes_versions.known or not function.publishes_versions.value:
        # versionFunctions (true unless turned off) publishes a version on every deploy
        function.publishes_versions = absent(not versions_off, function.location) if not versions_off else present(False, function.location)
    name_properties(function, PROPERTIES)
    function.phrases = PHRASES
    return function


def is_aws(resolved) -> bool:
    """The service deploys to AWS: ``provider.name: aws`` (or a provider that does not say)."""
    provider = resolved.get("provider")
    name = provider.get("name") if provider is not None and provider.is_map else None
    return name is None or not isinstance(name.value, str) or name.value.strip().lower() == "aws"


def _versions_off(resolved) -> bool:
    provider = resolved.get("provider")
    flag = provider.get("versionFunctions") if provider is not None and provider.is_map else None
    return flag is not None and flag.value is False

