"""LL101 client-in-handler: an AWS SDK client built on every invocation."""

from ..analysis import catalog
from ..analysis.scope import display_call, per_invocation
from .base import Rule, RuleContext, python

DOCS = """\
## What it does
Finds AWS SDK clients, resources and sessions (`boto3.client`, `boto3.resource`,
`boto3.Session` and `.client()` on it, botocore's `create_client`, aioboto3) that are
constructed in *handler scope*: inside the handler, or in any function of the same module the
handler calls on each invocation (including Powertools route functions and methods of objects
the handler uses). Import aliases (`import boto3 as b`, `from boto3 import client`) are followed.

Creation that happens once per execution environment is not reported: module level, class
bodies, functions only called at import, `functools.lru_cache`/`cache` factories, and lazy
initialisation behind a check (`if _client is None:`, `if name not in _clients:`).

## Why is this bad?
Building a client loads service models, resolves credentials and endpoints, and sets up a new
connection pool; the TLS handshake is then paid again on the first call. Done per invocation,
that is tens of milliseconds of CPU on every request (far more at 128 MB, where a function has
a sliver of a vCPU), and no connection is ever reused across warm invocations. Clients created
at init are built once per environment, during the init phase, which also gets a CPU boost.

## Example
```python
import boto3

def lambda_handler(event, context):
    s3 = boto3.client("s3")
    return s3.get_object(Bucket=event["bucket"], Key=event["key"])["ContentLength"]
```

## Use instead
```python
import boto3

s3 = boto3.client("s3")  # once per execution environment

def lambda_handler(event, context):
    return s3.get_object(Bucket=event["bucket"], Key=event["key"])["ContentLength"]
```
When the client must be created lazily, or its region or service comes from the event, keep it
in a module-level cache that is checked first:
```python
_clients = {}

def client_for(region):
    if region not in _clients:
        _clients[region] = boto3.client("ssm", region_name=region)
    return _clients[region]
```
Note that `_clients.setdefault("s3", boto3.client("s3"))` still builds a client on every call:
the argument is evaluated before `setdefault` looks at the cache.

## Fix safety
`--fix` moves the construction to module level when every input is the same for the life of
the execution environment: literals, module-level names no function rebinds, `os.environ` /
`os.getenv` reads and a botocore `Config` of those. The constant goes after the imports and the
names it reads, an identical existing module-level client is reused, and only the call is
replaced (`s3 = boto3.client("s3")` becomes `s3 = S3_CLIENT`), so comments and the rest of the
code stay as they are. The fix is safe: boto3 clients are meant to be shared, environment
variables do not change while an environment lives, and Lambda always sets the region.

No fix is offered (and `--fix` says why) when an input comes from the event, the context or
another per-invocation value, when the callee itself is a local object, when the client is
used as a context manager, and for aioboto3/aiobotocore (their clients belong to a running
event loop). The client is then built at import rather than on first use: an import-time
failure (for example a missing environment variable) now fails the init phase instead of the
first request.

## References
- [Best practices for working with AWS Lambda functions](https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html)
- [Boto3: clients are generally thread safe and meant to be reused](https://boto3.amazonaws.com/v1/documentation/api/latest/guide/clients.html)
"""


_THUMBNAILS = '''\
"""Thumbnail handler."""
import os

import boto3
from botocore.config import Config

BUCKET = os.environ["BUCKET"]
RETRIES = Config(retries={"max_attempts": 3})


def lambda_handler(event, context):
    # one client per request (slow)
    s3 = boto3.client(
        "s3",
        config=RETRIES,  # keep retries low
    )
    table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
    s3.put_object(Bucket=BUCKET, Key=event["key"], Body=b"")
    return table.name
'''
_THUMBNAILS_FIXED = '''\
"""Thumbnail handler."""
import os

import boto3
from botocore.config import Config

DYNAMODB_RESOURCE = boto3.resource("dynamodb")

BUCKET = os.environ["BUCKET"]
RETRIES = Config(retries={"max_attempts": 3})
S3_CLIENT = boto3.client(
    "s3",
    config=RETRIES,  # keep retries low
)


def lambda_handler(event, context):
    # one client per request (slow)
    s3 = S3_CLIENT
    table = DYNAMODB_RESOURCE.Table(os.environ["TABLE"])
    s3.put_object(Bucket=BUCKET, Key=event["key"], Body=b"")
    return table.name
'''


def check(ctx: RuleContext):
    clients = catalog.CLIENTS | set(ctx.settings.extra_clients)
    for hit in per_invocation(ctx.project.code_targets, lambda use: use.qualname in clients):
        made = hit.use.qualname.rsplit(".", 1)[-1]
        noun = "session" if made.endswith(("Session", "get_session")) else ("resource" if made == "resource" else "client")
        yield ctx.finding(
            f"`{display_call(hit.use)}` creates an AWS SDK {noun} on every invocation (via {hit.via}); "
            + (
                "its service or region varies, so keep the clients in a module-level dict keyed by them and reuse them across invocations"
                if hit.use.varying
                else "create it once at module level and reuse it across invocations"
            ),
            hit.location,
            related=[hit.handler_related()],
            subject=hit.subject,
        )


RULE = Rule(
    id="LL101",
    name="client-in-handler",
    level="warning",
    summary="An AWS SDK client, resource or session is created on every invocation",
    docs=DOCS,
    check=check,
    must_fire=(
        python(
            "import boto3\n\ndef lambda_handler(event, context):\n    s3 = boto3.client('s3')\n    return s3.list_buckets()\n",
            "client in the handler",
            fixed="import boto3\n\nS3_CLIENT = boto3.client('s3')\n\ndef lambda_handler(event, context):\n    s3 = S3_CLIENT\n    return s3.list_buckets()\n",
        ),
        python(
            "from boto3 import client as make\n\ndef load(key):\n    return make('s3').get_object(Bucket='b', Key=key)\n\ndef handler(event, context):\n    return load(event['key'])\n",
            "aliased import, in a helper the handler calls",
            fixed="from boto3 import client as make\n\nS3_CLIENT = make('s3')\n\ndef load(key):\n    return S3_CLIENT.get_object(Bucket='b', Key=key)\n\ndef handler(event, context):\n    return load(event['key'])\n",
        ),
        python(_THUMBNAILS, "clients built from module constants and a Config, comments kept", fixed=_THUMBNAILS_FIXED),
        python(
            "import boto3\n\ndef lambda_handler(event, context):\n    session = boto3.Session()\n    return session.client('sqs').send_message(QueueUrl='q', MessageBody='x')\n",
            "session and client per call",
            fixed=(
                "import boto3\n\nAWS_SESSION = boto3.Session()\nSQS_CLIENT = AWS_SESSION.client('sqs')\n\n"
                "def lambda_handler(event, context):\n    session = AWS_SESSION\n    return SQS_CLIENT.send_message(QueueUrl='q', MessageBody='x')\n"
            ),
        ),
        python("import boto3\n_clients = {}\n\ndef client(name):\n    return _clients.setdefault(name, boto3.client(name))\n\ndef lambda_handler(event, context):\n    return client('s3').list_buckets()\n", "setdefault evaluates its argument every time"),
    ),
    must_not_fire=(
        python("import boto3\ns3 = boto3.client('s3')\n\ndef lambda_handler(event, context):\n    return s3.list_buckets()\n", "module-level client"),
        python("import boto3\n_s3 = None\n\ndef get_s3():\n    global _s3\n    if _s3 is None:\n        _s3 = boto3.client('s3')\n    return _s3\n\ndef lambda_handler(event, context):\n    return get_s3().list_buckets()\n", "lazy init"),
        python("import functools\nimport boto3\n\n@functools.lru_cache(maxsize=None)\ndef ddb():\n    return boto3.resource('dynamodb')\n\ndef lambda_handler(event, context):\n    return ddb().Table('t').get_item(Key={'pk': 1})\n", "lru_cache factory"),
        python("import boto3\n_clients = {}\n\ndef client(name):\n    if name not in _clients:\n        _clients[name] = boto3.client(name)\n    return _clients[name]\n\ndef lambda_handler(event, context):\n    return client('s3').list_buckets()\n", "checked dict cache"),
        python("import boto3\n\ndef make_clients():\n    return boto3.client('s3')\n\nS3 = make_clients()\n\ndef lambda_handler(event, context):\n    return S3.list_buckets()\n", "factory only called at init"),
        python("import boto3\n\ndef lambda_handler(event, context):\n    return 1\n\nif __name__ == '__main__':\n    print(boto3.client('s3').list_buckets())\n", "__main__ block"),
        python("import boto3\n\ndef upload(path):\n    boto3.client('s3').upload_file(path, 'b', 'k')\n", "not a handler module"),
    ),
    tags=("performance", "latency"),
)
