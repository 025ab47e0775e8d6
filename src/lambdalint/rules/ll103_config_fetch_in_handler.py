"""LL103 config-fetch-in-handler: SSM / Secrets Manager / AppConfig read on every invocation."""

from ..analysis import catalog
from ..analysis.scope import per_invocation
from .base import Example, Rule, RuleContext, python

DOCS = """\
## What it does
Finds uncached configuration and secret reads in handler scope (across the modules of the code
package, as LL101 describes): SSM `get_parameter`,
`get_parameters` and `get_parameters_by_path`, Secrets Manager `get_secret_value`, AppConfig
`get_latest_configuration`, called on a boto3 client of that service. A read inside a lazy-init
guard, an `lru_cache` factory or a checked dict cache counts as cached. Powertools'
`parameters.get_parameter` / `get_secret` cache by default and are never reported.

## Why is this bad?
Each read is a network round trip (tens of milliseconds) added to every request, and these
APIs have account-level rate limits: at high concurrency, per-invocation reads get throttled
and the function fails for a reason unrelated to its own work.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
or read the value once at init, or cache it in a module-level variable with an expiry.

## Node.js, TypeScript and Java
Node.js: `new GetParameterCommand(...)`, `GetParametersCommand`, `GetParametersByPathCommand`,
`GetSecretValueCommand` and `GetLatestConfigurationCommand` sent from handler scope, and
`getParameter`/`getSecretValue` on SDK v2 (or v3 aggregated) clients. Java: `getParameter(s)`
and `getParametersByPath` on an `SsmClient`, `getSecretValue` on a `SecretsManagerClient`,
and their SDK v1 equivalents. Powertools for TypeScript (`@aws-lambda-powertools/parameters`)
caches and is not reported.

## Fix safety
With `--unsafe-fixes`, `--fix` turns a read whose client and arguments are the same for the
life of the execution environment into a module-level getter that keeps the response and
fetches again only when the copy is older than `CONFIG_TTL_SECONDS` (300 seconds, written into
the module to tune); the call becomes a call of the getter, and every identical read shares it.
It is unsafe because freshness changes: a parameter updated or a secret rotated in the meantime
is seen up to five minutes later. In a module that already uses Powertools, a read on a default
client (`boto3.client("ssm")`, nothing else) indexed the usual way
(`["Parameter"]["Value"]`, `["SecretString"]`) becomes `parameters.get_parameter(...)` /
`parameters.get_secret(...)` with `max_age=300` instead. A read whose name comes from the
invocation gets no fix (keep a dict keyed by the name instead).

## References
- [Powertools for AWS Lambda: Parameters](https://docs.powertools.aws.dev/lambda/python/latest/utilities/parameters/)
- [AWS Parameters and Secrets Lambda Extension](https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html)
"""

_UNIQUE_METHODS = frozenset({"get_secret_value", "batch_get_secret_value", "get_parameters_by_path", "get_latest_configuration"})


def is_config_fetch(use) -> bool:
    receiver, _, method = use.qualname.rpartition(".")
    if "aws_lambda_powertools" in receiver or not receiver.endswith("()"):
        return False
    if not (receiver.startswith(("boto3.", "aioboto3.", "botocore.")) and receiver[:-2] in catalog.CLIENTS):
        return False
    if use.service:
        return method in catalog.CONFIG_FETCHES.get(use.service, ())
    return method in _UNIQUE_METHODS  # unknown service: only names no other client uses


def check(ctx: RuleContext):
    for hit in per_invocation(ctx.project.code_targets, is_config_fetch):
        method = hit.use.qualname.rpartition(".")[2]
        service = f"{hit.use.service} " if hit.use.service else ""
        yield ctx.finding(
            f"`{service}{method}`{hit.elsewhere} is called on every invocation without caching (via {hit.via}); "
            "read it once at init, cache it with an expiry, or use Powertools parameters (cached by default)",
            hit.location,
            related=hit.related(),
            subject=hit.subject,
        )
    if ctx.project.script_targets or ctx.project.java_targets:
        from ..analysis.js_java_scope import per_invocation as js_java_per_invocation

        for hit in js_java_per_invocation(ctx.project, "config-fetch"):
            cache = (
                "read it once at module scope (top-level await), cache it in a module-level variable with an expiry, or use Powertools parameters (cached by default)"
                if hit.language == "javascript"
                else "read it once in a static initialiser or the constructor, or cache it in a field with an expiry"
            )
            yield ctx.finding(
                f"`{hit.use.name}`{hit.elsewhere} reads configuration on every invocation without caching (via {hit.via}); {cache}",
                hit.location,
                related=hit.related(),
                subject=hit.subject,
            )


_NODE_PER_CALL = """\
import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";

const ssm = new SSMClient({});

export const handler = async (event) => {
  const { Parameter } = await ssm.send(new GetParameterCommand({ Name: "/orders/url" }));  // expect: LL103
  return Parameter.Value;
};
"""
_NODE_CACHED = """\
import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";

const ssm = new SSMClient({});
let url;

export const handler = async (event) => {
  if (url === undefined) {
    url = (await ssm.send(new GetParameterCommand({ Name: "/orders/url" }))).Parameter.Value;
  }
  return url;
};
"""
_NODE_POWERTOOLS = """\
import { getParameter } from "@aws-lambda-powertools/parameters/ssm";

export const handler = async (event) => getParameter("/orders/url", { maxAge: 300 });
"""
_JAVA_PER_CALL = """\
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

public class Keys implements RequestHandler<String, String> {
    private static final SecretsManagerClient SECRETS = SecretsManagerClient.create();

    public String handleRequest(String event, Context context) {
        return SECRETS.getSecretValue(r -> r.secretId("orders/api-key")).secretString();  // expect: LL103
    }
}
"""


RULE = Rule(
    id="LL103",
    name="config-fetch-in-handler",
    level="warning",
    summary="SSM, Secrets Manager or AppConfig is read on every invocation without caching",
    docs=DOCS,
    check=check,
    must_fire=(
        Example({"index.mjs": _NODE_PER_CALL}, "Node.js GetParameterCommand per invocation"),
        Example({"src/main/java/example/Keys.java": _JAVA_PER_CALL}, "Java getSecretValue per invocation"),
        python("import boto3\nfrom crhelper import CfnResource\n\nhelper = CfnResource()\nsecrets = boto3.client('secretsmanager')\n\n@helper.create\ndef create(event, _):\n    return secrets.get_secret_value(SecretId=event['ResourceProperties']['Secret'])  # expect: LL103\n\ndef lambda_handler(event, context):\n    helper(event, context)\n", "in a crhelper callback the handler dispatches to"),
        python(
            "import boto3\nssm = boto3.client('ssm')\n\ndef lambda_handler(event, context):\n    return ssm.get_parameter(Name='/x')['Parameter']['Value']  # expect: LL103\n",
            "module-level ssm client, per-call read", docs=True,
            fixed=(
                "import time\nimport boto3\nssm = boto3.client('ssm')\n\n"
                "CONFIG_TTL_SECONDS = 300  # how stale a cached parameter or secret may get\n"
                "_x_parameter = None\n_x_parameter_fetched_at = 0.0\n\n\n"
                "def get_x_parameter():\n"
                '    """Read once per execution environment, again when the copy is older than CONFIG_TTL_SECONDS."""\n'
                "    global _x_parameter, _x_parameter_fetched_at\n"
                "    if _x_parameter is None or time.monotonic() - _x_parameter_fetched_at > CONFIG_TTL_SECONDS:\n"
                "        _x_parameter = ssm.get_parameter(Name='/x')\n"
                "        _x_parameter_fetched_at = time.monotonic()\n"
                "    return _x_parameter\n\n\n"
                "def lambda_handler(event, context):\n    return get_x_parameter()['Parameter']['Value']  # expect: LL103\n"
            ),
            unsafe_fix=True,
        ),
        python(
            "import boto3\nssm = boto3.client('ssm')\n\ndef lambda_handler(event, context):\n    return ssm.get_parameter(Name=event['name'])  # expect: LL103\n",
            "parameter name from the event: no fix",
        ),
        python(
            "import boto3\nfrom aws_lambda_powertools import Logger\n\nlogger = Logger()\nssm = boto3.client('ssm')\n\n\n"
            "def lambda_handler(event, context):\n    # the key is encrypted\n"
            "    key = ssm.get_parameter(Name='/orders/key', WithDecryption=True)['Parameter']['Value']  # expect: LL103\n    return key\n",
            "a project on Powertools gets its parameters utility",
            fixed=(
                "import boto3\nfrom aws_lambda_powertools.utilities import parameters\nfrom aws_lambda_powertools import Logger\n\nlogger = Logger()\nssm = boto3.client('ssm')\n\n\n"
                "def lambda_handler(event, context):\n    # the key is encrypted\n"
                "    key = parameters.get_parameter('/orders/key', decrypt=True, max_age=300)  # expect: LL103\n    return key\n"
            ),
            unsafe_fix=True,
        ),
        python("import boto3\nsecrets = boto3.client('secretsmanager')\n\ndef password():\n    return secrets.get_secret_value(SecretId='db')['SecretString']  # expect: LL103\n\ndef handler(event, context):\n    return password()\n", "secret read in a helper"),
    ),
    must_not_fire=(
        Example({"index.mjs": _NODE_CACHED}, "Node.js value cached in a module variable"),
        Example({"index.mjs": _NODE_POWERTOOLS}, "Powertools for TypeScript parameters"),
        python("from aws_lambda_powertools.utilities import parameters\n\ndef lambda_handler(event, context):\n    return parameters.get_parameter('/x')\n", "Powertools caches", docs=True),
        python("import boto3\nssm = boto3.client('ssm')\nURL = ssm.get_parameter(Name='/x')['Parameter']['Value']\n\ndef lambda_handler(event, context):\n    return URL\n", "read at init"),
        python("import boto3\nssm = boto3.client('ssm')\n_cache = {}\n\ndef param(name):\n    if name not in _cache:\n        _cache[name] = ssm.get_parameter(Name=name)['Parameter']['Value']\n    return _cache[name]\n\ndef lambda_handler(event, context):\n    return param('/x')\n", "dict cache"),
        python("import functools\nimport boto3\nsecrets = boto3.client('secretsmanager')\n\n@functools.lru_cache\ndef password():\n    return secrets.get_secret_value(SecretId='db')['SecretString']\n\ndef lambda_handler(event, context):\n    return password()\n", "lru_cache"),
    ),
    tags=("performance", "latency", "reliability"),
    default_reason="an uncached fetch per invocation adds a network round trip and risks API throttling",
)
