"""LL101 client-in-handler: an AWS SDK client built on every invocation."""

from ..analysis import catalog
from ..analysis.scope import display_call, per_invocation
from .base import Example, Rule, RuleContext, python, unmarked

DOCS = """\
## What it does
Finds AWS SDK clients, resources and sessions (`boto3.client`, `boto3.resource`,
`boto3.Session` and `.client()` on it, botocore's `create_client`, aioboto3) that are
constructed in *handler scope*: inside the handler, or in any function it calls on each
invocation, in its own module or in another module of the code package (the function's code
directory, and Lambda layers under `layers/*/python`). Calls are followed through project
wrappers (`create_client("s3")`, a class whose `__init__` builds a client), helper modules,
methods of package classes and their base classes, `self.create()` dispatched to a subclass,
class registries (`PROVIDERS[kind](event)`), properties, and the session a package function
returns (`get_session().client("ec2")`), and into functions handed to another call that runs
them (`executor.submit(validate, order)`, `map(fetch, keys)`, `Thread(target=work)`; not
`atexit.register` or a memoizer). Route functions of Powertools resolvers, crhelper,
`cfn_resource_provider`, Chalice, FastAPI/Starlette behind Mangum and Flask behind
serverless-wsgi/awsgi/apig-wsgi are handler scope too. Import aliases (`import boto3 as b`,
`from boto3 import client`) are followed.

When the client is built in another module, the finding is placed on the call in the handler's
module that leads there (an inline suppression goes on that line), names the chain of calls and
points at the construction as a related location. A factory (a function returning what it
builds, or an `__init__`) is reported once per call site that reaches it; anything else once.

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
<!-- example -->

## Use instead
<!-- use-instead -->
The second form is for a client that must be created lazily, or whose region or service comes
from the event: a module-level cache that is checked first.
Note that `_clients.setdefault("s3", boto3.client("s3"))` still builds a client on every call:
the argument is evaluated before `setdefault` looks at the cache.

## Node.js, TypeScript and Java
The same mistake in the other runtimes: SDK v3 clients (`new S3Client({})`,
`DynamoDBDocumentClient.from(...)`) and SDK v2 (`new AWS.S3()`) in a Node.js handler; SDK v2
`S3Client.builder()...build()` / `S3Client.create()` and v1 `AmazonS3ClientBuilder` in a Java
handler method or anything it calls. Keep the client at module scope in JavaScript:
```javascript
import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";

const s3 = new S3Client({}); // once per execution environment

export const handler = async (event) => s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: event.key }));
```
and in a static field (or a field set by the constructor) in Java:
```java
public class App implements RequestHandler<Map<String, String>, String> {
    private static final S3Client S3 = S3Client.create();

    public String handleRequest(Map<String, String> event, Context context) {
        return S3.headObject(b -> b.bucket(event.get("bucket")).key(event.get("key"))).eTag();
    }
}
```
Lazy creation behind `if (!client)`, `client ??= new S3Client({})` or `if (client == null)` on a
module-level variable or field, a factory wrapped in `once()`/`memoize()`, and Java's
`map.computeIfAbsent(key, k -> ...)` count as created once. A JavaScript guard on `this.x`
caches per object: it counts as created once unless the handler builds that object (or the
object holding it) on every invocation, as in `const metrics = new MetricsHelper()` inside the
handler; an object built at module scope, or behind a module-level guard, keeps its cache. In
JavaScript and TypeScript, calls into the local modules the handler imports (`./lib/clients`)
are followed, and so are a module's calls to its own exports (`exports.save()`, `utils.save()`
with `const utils = module.exports`) and methods of objects kept in fields
(`this.clients.getSqs()` with `this.clients = new Clients()`); as for Python, a client built in
another module is reported at the call in the handler's module that leads there, once per
construction, or once per call for a factory (a function returning what it builds, or a
constructor) that the handler's module calls directly. In Java, calls into the other classes of the same source root are followed,
through fields, locals, static calls and interfaces with a single implementation; a client
built in another class's file is reported at the handler file's call that leads there.

## Fix safety
`--fix` moves the construction to module level when every input is the same for the life of
the execution environment: literals, module-level names no function rebinds, `os.environ` /
`os.getenv` reads and a botocore `Config` of those. The constant goes after the imports and the
names it reads, an identical existing module-level client is reused, and only the call is
replaced (`s3 = boto3.client("s3")` becomes `s3 = S3_CLIENT`), so comments and the rest of the
code stay as they are. The fix is safe: boto3 clients are meant to be shared, environment
variables do not change while an environment lives, and Lambda always sets the region.

When the client is built by the project's own wrapper in another module of the package
(`create_client("s3")`, `S3Helper(logger)`), the call moves to module level the same way, but
the fix is **unsafe** (`--unsafe-fixes`): the wrapper's own code then runs once at import rather
than on every call, and a wrapper may keep state that should not outlive one invocation.

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


_NODE_PER_CALL = """\
import { S3Client, ListBucketsCommand } from "@aws-sdk/client-s3";

export const handler = async (event, context) => {
  const s3 = new S3Client({});  // expect: LL101
  return s3.send(new ListBucketsCommand({}));
};
"""
_NODE_LAZY = """\
import { S3Client, ListBucketsCommand } from "@aws-sdk/client-s3";

let s3;

export const handler = async (event, context) => {
  s3 ??= new S3Client({});
  return s3.send(new ListBucketsCommand({}));
};
"""
_JAVA_PER_CALL = """\
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import software.amazon.awssdk.services.s3.S3Client;

public class App implements RequestHandler<String, Integer> {
    public Integer handleRequest(String event, Context context) {
        S3Client s3 = S3Client.builder().build();  // expect: LL101
        return s3.listBuckets().buckets().size();
    }
}
"""
_JAVA_STATIC = unmarked(_JAVA_PER_CALL).replace("public class App implements RequestHandler<String, Integer> {\n", "public class App implements RequestHandler<String, Integer> {\n    private static final S3Client S3 = S3Client.builder().build();\n\n").replace("        S3Client s3 = S3Client.builder().build();\n        return s3.", "        return S3.")
_THUMBNAILS = '''\
"""Thumbnail handler."""
import os

import boto3
from botocore.config import Config

BUCKET = os.environ["BUCKET"]
RETRIES = Config(retries={"max_attempts": 3})


def lambda_handler(event, context):
    # one client per request (slow)
    s3 = boto3.client(  # expect: LL101
        "s3",
        config=RETRIES,  # keep retries low
    )
    table = boto3.resource("dynamodb").Table(os.environ["TABLE"])  # expect: LL101
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
S3_CLIENT = boto3.client(  # expect: LL101
    "s3",
    config=RETRIES,  # keep retries low
)


def lambda_handler(event, context):
    # one client per request (slow)
    s3 = S3_CLIENT
    table = DYNAMODB_RESOURCE.Table(os.environ["TABLE"])  # expect: LL101
    s3.put_object(Bucket=BUCKET, Key=event["key"], Body=b"")
    return table.name
'''


def check(ctx: RuleContext):
    clients = catalog.CLIENTS | set(ctx.settings.extra_clients)
    for hit in per_invocation(ctx.project.code_targets, lambda use: use.qualname in clients):
        made = hit.use.qualname.rsplit(".", 1)[-1]
        noun = "session" if made.endswith(("Session", "get_session")) else ("resource" if made == "resource" else "client")
        yield ctx.finding(
            f"`{display_call(hit.use)}`{hit.elsewhere} creates an AWS SDK {noun} on every invocation (via {hit.via}); "
            + (
                "its service or region varies, so keep the clients in a module-level dict keyed by them and reuse them across invocations"
                if hit.use.varying and not hit.exit
                else "create it once at module level (or cache what the wrapper returns) and reuse it across invocations"
                if hit.exit
                else "create it once at module level and reuse it across invocations"
            ),
            hit.location,
            related=hit.related(),
            subject=hit.subject,
        )
    if ctx.project.script_targets or ctx.project.java_targets:
        from ..analysis.js_java_scope import per_invocation as js_java_per_invocation

        for hit in js_java_per_invocation(ctx.project, "client"):
            yield ctx.finding(
                f"`{hit.use.name}`{hit.elsewhere} creates an AWS SDK client on every invocation (via {hit.via}); "
                + ("its configuration comes from the invocation's input, so keep the clients in a module-level Map keyed by it and reuse them" if hit.use.varying else hit.idiom),
                hit.location,
                related=hit.related(),
                subject=hit.subject,
            )


_NODE_THIS_GUARD = """\
import { S3Client } from "@aws-sdk/client-s3";

class Store {
  client() {
    if (!this.s3) {
      this.s3 = new S3Client({});
    }
    return this.s3;
  }
}

const store = new Store();

export const handler = async (event) => {
  return store.client().send({});
};
"""


RULE = Rule(
    id="LL101",
    name="client-in-handler",
    level="warning",
    summary="An AWS SDK client, resource or session is created on every invocation",
    docs=DOCS,
    check=check,
    must_fire=(
        python(
            "import boto3\n\ndef lambda_handler(event, context):\n    s3 = boto3.client('s3')  # expect: LL101\n    return s3.list_buckets()\n",
            "client in the handler",
            fixed="import boto3\n\nS3_CLIENT = boto3.client('s3')\n\ndef lambda_handler(event, context):\n    s3 = S3_CLIENT  # expect: LL101\n    return s3.list_buckets()\n",
        ),
        python(
            "from boto3 import client as make\n\ndef load(key):\n    return make('s3').get_object(Bucket='b', Key=key)  # expect: LL101\n\ndef handler(event, context):\n    return load(event['key'])\n",
            "aliased import, in a helper the handler calls",
            fixed="from boto3 import client as make\n\nS3_CLIENT = make('s3')\n\ndef load(key):\n    return S3_CLIENT.get_object(Bucket='b', Key=key)  # expect: LL101\n\ndef handler(event, context):\n    return load(event['key'])\n",
        ),
        python(_THUMBNAILS, "clients built from module constants and a Config, comments kept", fixed=_THUMBNAILS_FIXED),
        python(
            "import boto3\n\ndef lambda_handler(event, context):\n    session = boto3.Session()  # expect: LL101\n    return session.client('sqs').send_message(QueueUrl='q', MessageBody='x')  # expect: LL101\n",
            "session and client per call",
            fixed=(
                "import boto3\n\nAWS_SESSION = boto3.Session()\nSQS_CLIENT = AWS_SESSION.client('sqs')\n\n"
                "def lambda_handler(event, context):\n    session = AWS_SESSION  # expect: LL101\n    return SQS_CLIENT.send_message(QueueUrl='q', MessageBody='x')  # expect: LL101\n"
            ),
        ),
        python("import boto3\n_clients = {}\n\ndef client(name):\n    return _clients.setdefault(name, boto3.client(name))  # expect: LL101\n\ndef lambda_handler(event, context):\n    return client('s3').list_buckets()\n", "setdefault evaluates its argument every time"),
        Example({"index.mjs": _NODE_PER_CALL}, "Node.js SDK v3 client in the handler"),
        Example(
            {
                "index.mjs": _NODE_THIS_GUARD.replace("const store = new Store();\n\n", "")
                .replace("  return store.", "  const store = new Store();\n  return store.")
                .replace("this.s3 = new S3Client({});", "this.s3 = new S3Client({}); // expect: LL101")
            },
            "Node.js `this.x` cache on an object the handler builds per invocation",
        ),
        Example({"src/main/java/example/App.java": _JAVA_PER_CALL}, "Java SDK v2 client built in handleRequest"),
        Example(
            {"app.py": "from lib.aws import create_client\n\ndef lambda_handler(event, context):\n    return create_client('s3').list_buckets()  # expect: LL101\n", "lib/__init__.py": "", "lib/aws.py": "import boto3\n\ndef create_client(name):\n    return boto3.client(name)\n"},
            "a wrapper in another module of the package",
            fixed={"app.py": "from lib.aws import create_client\n\nS3_CLIENT = create_client('s3')\n\ndef lambda_handler(event, context):\n    return S3_CLIENT.list_buckets()  # expect: LL101\n"},
            unsafe_fix=True,
        ),
    ),
    must_not_fire=(
        python("import boto3\ns3 = boto3.client('s3')\n\ndef lambda_handler(event, context):\n    return s3.list_buckets()\n", "module-level client", docs=True),
        python("import boto3\n_s3 = None\n\ndef get_s3():\n    global _s3\n    if _s3 is None:\n        _s3 = boto3.client('s3')\n    return _s3\n\ndef lambda_handler(event, context):\n    return get_s3().list_buckets()\n", "lazy init", docs=True),
        python("import functools\nimport boto3\n\n@functools.lru_cache(maxsize=None)\ndef ddb():\n    return boto3.resource('dynamodb')\n\ndef lambda_handler(event, context):\n    return ddb().Table('t').get_item(Key={'pk': 1})\n", "lru_cache factory"),
        python("import boto3\n_clients = {}\n\ndef client(name):\n    if name not in _clients:\n        _clients[name] = boto3.client(name)\n    return _clients[name]\n\ndef lambda_handler(event, context):\n    return client('s3').list_buckets()\n", "checked dict cache"),
        python("import boto3\n\ndef make_clients():\n    return boto3.client('s3')\n\nS3 = make_clients()\n\ndef lambda_handler(event, context):\n    return S3.list_buckets()\n", "factory only called at init"),
        python("import boto3\n\ndef lambda_handler(event, context):\n    return 1\n\nif __name__ == '__main__':\n    print(boto3.client('s3').list_buckets())\n", "__main__ block"),
        python("import boto3\n\ndef upload(path):\n    boto3.client('s3').upload_file(path, 'b', 'k')\n", "not a handler module"),
        Example({"index.mjs": _NODE_LAZY}, "Node.js lazy init with ??="),
        Example({"index.mjs": _NODE_THIS_GUARD}, "Node.js `this.x` cache on a module-level object"),
        Example({"src/main/java/example/App.java": unmarked(_JAVA_STATIC)}, "Java client in a static field"),
        Example({"app.py": "from lib.aws import s3\n\ndef lambda_handler(event, context):\n    return s3().list_buckets()\n", "lib/__init__.py": "", "lib/aws.py": "import boto3\n_s3 = None\n\ndef s3():\n    global _s3\n    if _s3 is None:\n        _s3 = boto3.client('s3')\n    return _s3\n"}, "lazy init in a helper module"),
    ),
    tags=("performance", "latency"),
    default_reason="a client per invocation adds latency to every call; the fix is local and always right",
)
