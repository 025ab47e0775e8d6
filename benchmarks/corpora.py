"""Generated corpora for bench.py: realistic handler modules, SAM/CloudFormation templates and
Terraform roots. Everything comes from a seeded ``random.Random``: the same seed gives the same
corpus, so figures from two revisions are comparable.

Standard library only; imported by bench.py (and density.py through it).
"""

from __future__ import annotations

import ast
import json
import random
import re
import statistics
from collections import Counter
from pathlib import Path


def med(xs):
    return statistics.median(xs) if xs else float("nan")


# =========================================================================== handler corpus

ENTITIES = ["order", "customer", "invoice", "payment", "shipment", "product", "user", "session", "report", "ticket", "booking", "refund", "subscription", "device", "message", "document", "asset", "account", "profile", "coupon", "review", "inventory", "quote", "claim"]
SERVICES = ["s3", "sqs", "sns", "dynamodb", "secretsmanager", "ssm", "kinesis", "events", "stepfunctions", "lambda", "ses", "rekognition", "textract", "athena", "firehose", "cloudwatch", "kms", "sts"]


class HandlerGen:
    """One realistic handler module. Everything comes from ``rng``: same seed, same corpus."""

    def __init__(self, rng: random.Random, index: int, profile: str = "real"):
        self.rng = rng
        self.profile = profile
        self.index = index
        self.used: set[str] = set()
        self.entity = rng.choice(ENTITIES)
        self.ent2 = rng.choice(ENTITIES)
        self.boto = rng.random() < 0.92
        self.pg = rng.random() < 0.3
        self.http = rng.random() < 0.4
        self.powertools = rng.random() < 0.35
        self.conditions = self.boto and rng.random() < 0.5
        self.calls: list[str] = []  # statements the handler may run (the call graph)

    def name(self, base: str) -> str:
        n, k = base, 2
        while n in self.used:
            n, k = f"{base}_{k}", k + 1
        self.used.add(n)
        return n

    # -------------------------------------------------------------- fixed parts
    def header(self):
        e = self.entity
        r = self.rng
        lines = ['"""' + f"{e.capitalize()} service: {r.choice(['API handlers', 'queue consumer', 'scheduled jobs', 'event processor', 'webhook receiver'])}.", ""]
        lines += [f"Owns the {e} table and publishes {self.ent2} events. Deployed as one Lambda", "function per route; see template.yaml.", '"""', ""]
        return lines

    def imports(self):
        r = self.rng
        std = ["import base64", "import hashlib", "import json", "import logging", "import os", "import re", "import time", "import uuid"]
        std += r.sample(["import functools", "import decimal", "import random", "import urllib.parse", "import itertools", "import contextlib"], 3)
        if "import functools" not in std:
            std.append("import functools")
        std.append("from dataclasses import dataclass, field")
        std.append("from datetime import datetime, timezone")
        std.append("from typing import Any, Dict, List, Optional")
        third = []
        if self.boto:
            third.append(r.choice(["import boto3", "import boto3", "import boto3 as boto3"]))
            third.append("from botocore.config import Config")
            third.append("from botocore.exceptions import ClientError")
            if self.conditions:
                third.append("from boto3.dynamodb.conditions import Attr, Key")
        if self.pg:
            third += ["import psycopg2", "import psycopg2.extras"]
        if self.http:
            third.append("import requests")
        if self.powertools:
            third += ["from aws_lambda_powertools import Logger, Tracer", "from aws_lambda_powertools.event_handler import APIGatewayRestResolver", "from aws_lambda_powertools.utilities.typing import LambdaContext"]
        return sorted(set(std)) + [""] + sorted(set(third)) + ["", ""]

    def module_level(self):
        r, e = self.rng, self.entity
        lines = []
        if self.powertools:
            lines += ['logger = Logger(service="%s")' % e, "tracer = Tracer()", "app = APIGatewayRestResolver()"]
        else:
            lines += ["logger = logging.getLogger(__name__)", 'logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))']
        lines += [
            f'TABLE_NAME = os.environ.get("TABLE_NAME", "{e}s-table")',
            f'BUCKET = os.environ.get("BUCKET_NAME", "{e}-artifacts")',
            f'MAX_ITEMS = int(os.environ.get("MAX_ITEMS", "{r.choice([25, 50, 100, 200])}"))',
            f'DB_SECRET = os.environ.get("DB_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:{e}")',
            f'PARTNER_URL = os.environ.get("PARTNER_URL", "https://api.example.com/{e}s")',
        ]
        if self.boto:
            lines += [
                f'_config = Config(retries={{"max_attempts": {r.randint(2, 5)}, "mode": "standard"}}, connect_timeout={r.randint(1, 3)}, read_timeout={r.randint(3, 10)})',
                's3 = boto3.client("s3", config=_config)',
                'dynamodb = boto3.resource("dynamodb")',
                "table = dynamodb.Table(TABLE_NAME)",
            ]
            for svc in r.sample(["sqs", "sns", "ssm", "kinesis", "firehose"], r.randint(0, 2)):
                lines.append(f'{svc} = boto3.client("{svc}")')
            if r.random() < 0.3:
                lines += ["session = boto3.session.Session()", f'{self.name("secrets")} = session.client("secretsmanager")']
        return lines + ["", ""]

    def handler(self):
        r, e = self.rng, self.entity
        name = r.choice(["lambda_handler", "handler", "main_handler", f"{e}_handler", "lambda_handler"])
        calls = list(self.calls)
        r.shuffle(calls)
        calls = calls[: r.randint(2, 6)]
        lines = []
        if self.powertools:
            lines += ["@logger.inject_lambda_context", "@tracer.capture_lambda_handler", f"def {name}(event: dict, context: LambdaContext) -> dict:", '    """Powertools entry point: routes are registered on ``app``."""', "    payload = dict(event)"]
            for c in calls[:2]:
                lines.append("    " + c)
            lines.append("    return app.resolve(event, context)")
            return lines + [""]
        kind = r.choice(["api", "sqs", "s3", "schedule"])
        lines += [f"def {name}(event, context):", f'    """Entry point ({kind})."""']
        lines.append('    logger.info("request %s", getattr(context, "aws_request_id", "-"))')
        if kind == "sqs":
            lines += ["    failures = []", '    for record in event.get("Records", []):', "        try:", '            payload = json.loads(record["body"])']
            for c in calls:
                lines.append("            " + c)
            lines += ["        except (KeyError, ValueError):", '            logger.exception("bad record %s", record.get("messageId"))', '            failures.append({"itemIdentifier": record.get("messageId")})', '    return {"batchItemFailures": failures}']
        elif kind == "s3":
            lines += ["    keys = [", '        r["s3"]["object"]["key"]', '        for r in event.get("Records", [])', '        if r.get("eventName", "").startswith("ObjectCreated")', "    ]", "    payload = {\"keys\": keys}", "    for key in keys:"]
            for c in calls:
                lines.append("        " + c)
            lines += ['    return {"processed": len(keys)}']
        else:
            lines += ['    payload = event.get("detail") or json.loads(event.get("body") or "{}")', "    try:"]
            for c in calls:
                lines.append("        " + c)
            lines += ["    except ValueError as exc:", '        return {"statusCode": 400, "body": json.dumps({"error": str(exc)})}', '    return {"statusCode": 200, "body": json.dumps(payload, default=str)}']
        lines.append("")
        if r.random() < 0.2:
            lines += ["", 'if __name__ == "__main__":', f'    print({name}({{"body": "{{}}"}}, None))', ""]
        return lines

    # -------------------------------------------------------------- optional chunks
    def chunks(self):
        out = [self.c_parse_body, self.c_validate, self.c_summarize, self.c_fingerprint, self.c_timestamp, self.c_retry, self.c_slug, self.c_constants, self.c_dataclass, self.c_match, self.c_batches]
        if self.boto:
            out += [self.c_lazy_global, self.c_dict_cache, self.c_lru_secret, self.c_repository, self.c_list_keys, self.c_per_invocation, self.c_ssm_params, self.c_publish]
        if self.pg:
            out += [self.c_pg_lazy, self.c_pg_direct]
        if self.http:
            out += [self.c_http_lazy, self.c_http_direct]
        if self.powertools:
            out += [self.c_route, self.c_route, self.c_route]
        return out

    def c_parse_body(self):
        f = self.name(f"parse_{self.entity}_body")
        self.calls.append(f"payload = {f}({{'body': json.dumps(payload)}})")
        return [f"def {f}(event):", '    body = event.get("body") or "{}"', '    if event.get("isBase64Encoded"):', '        body = base64.b64decode(body).decode("utf-8")', "    try:", "        return json.loads(body)", "    except json.JSONDecodeError:", '        logger.warning("invalid JSON body")', "        return {}"]

    def c_validate(self):
        e = self.entity
        const = self.name(f"REQUIRED_{e.upper()}_FIELDS")
        f = self.name(f"validate_{e}")
        fields = self.rng.sample(["id", "status", "created_at", "owner", "amount", "currency", "region", "email", "sku"], 4)
        self.calls.append(f"payload = {f}(payload)")
        return [f"{const} = {tuple(fields)!r}", "", "", f"def {f}(payload: Dict[str, Any]) -> Dict[str, Any]:", f'    """Reject {e} payloads without the required fields."""', f"    missing = [name for name in {const} if name not in payload]", "    if missing:", "        raise ValueError(f\"missing fields: {', '.join(missing)}\")", "    return {k: v for k, v in payload.items() if v is not None}"]

    def c_summarize(self):
        f = self.name(f"summarize_{self.entity}s")
        self.calls.append(f"summary = {f}(payload.get('items', []))")
        return [f"def {f}(records):", "    totals = {}", "    for record in records:", '        key = record.get("status", "unknown")', "        totals[key] = totals.get(key, 0) + 1", "    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))", '    return {"count": sum(totals.values()), "by_status": dict(ordered), "top": [k for k, _ in ordered[:3]]}']

    def c_fingerprint(self):
        f = self.name(f"{self.entity}_fingerprint")
        self.calls.append(f"digest = {f}(payload)")
        return [f"def {f}(payload):", '    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)', '    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]']

    def c_timestamp(self):
        f = self.name(f"{self.entity}_timestamp")
        self.calls.append(f"stamp = {f}()")
        return [f"def {f}(value: Optional[float] = None) -> str:", "    moment = datetime.fromtimestamp(value, tz=timezone.utc) if value else datetime.now(timezone.utc)", '    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")']

    def c_retry(self):
        f = self.name("with_retries")
        return [f"def {f}(fn, attempts=3, delay=0.2):", "    last = None", "    for attempt in range(attempts):", "        try:", "            return fn()", "        except Exception as exc:  # noqa: BLE001", "            last = exc", '            logger.warning("attempt %d failed: %s", attempt + 1, exc)', "            time.sleep(delay * (2 ** attempt))", "    raise last"]

    def c_slug(self):
        c = self.name("_SLUG")
        f = self.name("slugify")
        self.calls.append(f"slug = {f}(str(payload.get('name', '')))")
        return [f'{c} = re.compile(r"[^a-z0-9]+")', "", "", f"def {f}(text: str) -> str:", f'    return {c}.sub("-", text.lower()).strip("-")']

    def c_constants(self):
        c = self.name(f"{self.entity.upper()}_STATUS_CODES")
        states = self.rng.sample(["new", "pending", "active", "paid", "shipped", "cancelled", "failed", "archived", "refunded"], self.rng.randint(3, 7))
        return [f"{c} = {{"] + [f'    "{s}": {i},' for i, s in enumerate(states)] + ["}"]

    def c_dataclass(self):
        e = self.entity
        cls = self.name(e.capitalize() + "Record")
        self.calls.append(f"record = {cls}.from_item(payload)")
        return [
            "@dataclass",
            f"class {cls}:",
            f'    """One {e} row."""',
            "",
            f"    {e}_id: str",
            '    status: str = "new"',
            "    amount: float = 0.0",
            "    tags: List[str] = field(default_factory=list)",
            "",
            "    def to_item(self) -> Dict[str, Any]:",
            f'        return {{"pk": f"{e.upper()}#{{self.{e}_id}}", "status": self.status, "amount": str(self.amount), "tags": list(self.tags)}}',
            "",
            "    @classmethod",
            f'    def from_item(cls, item: Dict[str, Any]) -> "{cls}":',
            f'        return cls({e}_id=str(item.get("pk", "#")).split("#", 1)[-1], status=item.get("status", "new"), amount=float(item.get("amount", 0)), tags=[t for t in item.get("tags", []) if t])',
        ]

    def c_match(self):
        f = self.name("event_kind")
        self.calls.append(f"kind = {f}(payload)")
        return [f"def {f}(event):", '    match event.get("source"):', '        case "aws.events":', '            return "schedule"', '        case "aws.s3" | "aws.sqs":', '            return event["source"].split(".", 1)[1]', "        case _:", '            return "api"']

    def c_batches(self):
        f = self.name("batched")
        return [f"def {f}(items, size=25):", '    """Split ``items`` into lists of at most ``size``."""', "    batch = []", "    for item in items:", "        batch.append(item)", "        if len(batch) == size:", "            yield batch", "            batch = []", "    if batch:", "        yield batch"]

    def c_lazy_global(self):
        svc = self.rng.choice(SERVICES)
        var = self.name(f"_{svc}_client")
        f = self.name(f"get_{svc}_client")
        self.calls.append(f"{f}()")
        return [f"{var} = None", "", "", f"def {f}():", f"    global {var}", f"    if {var} is None:", f'        {var} = boto3.client("{svc}", config=_config)', f"    return {var}"]

    def c_dict_cache(self):
        var = self.name("_clients")
        f = self.name("client_for")
        svc = self.rng.choice(SERVICES)
        self.calls.append(f'{f}("{svc}")')
        return [f"{var}: Dict[str, Any] = {{}}", "", "", f"def {f}(service: str):", f"    if service not in {var}:", f"        {var}[service] = boto3.client(service)", f"    return {var}[service]"]

    def c_lru_secret(self):
        f = self.name("get_secret")
        self.calls.append(f"creds = {f}(DB_SECRET)")
        return ["@functools.lru_cache(maxsize=None)", f"def {f}(secret_id: str) -> Dict[str, Any]:", '    manager = boto3.client("secretsmanager")', '    value = manager.get_secret_value(SecretId=secret_id)["SecretString"]', "    return json.loads(value)"]

    def c_repository(self):
        e = self.entity
        cls = self.name(e.capitalize() + "Repository")
        inst = self.name("repo")
        self.calls.append(f"item = {inst}.get(str(payload.get('id')))")
        self.calls.append(f"items = {inst}.query('{e.upper()}#', limit=MAX_ITEMS)")
        query = ['        kwargs = {"KeyConditionExpression": Key("pk").begins_with(prefix), "Limit": limit}'] if self.conditions else ['        kwargs = {"KeyConditionExpression": "begins_with(pk, :p)", "ExpressionAttributeValues": {":p": prefix}, "Limit": limit}']
        return [
            f"class {cls}:",
            f'    """DynamoDB access for {e}s."""',
            "",
            "    def __init__(self, table_name: str = TABLE_NAME):",
            "        self.table_name = table_name",
            "        self._table = None",
            "",
            "    @property",
            "    def table(self):",
            "        if self._table is None:",
            '            self._table = boto3.resource("dynamodb").Table(self.table_name)',
            "        return self._table",
            "",
            "    def get(self, key: str) -> Optional[Dict[str, Any]]:",
            "        try:",
            '            return self.table.get_item(Key={"pk": key}).get("Item")',
            "        except ClientError as exc:",
            '            logger.error("get_item failed: %s", exc.response["Error"]["Code"])',
            "            raise",
            "",
            "    def query(self, prefix: str, limit: int = 50) -> List[Dict[str, Any]]:",
            "        items: List[Dict[str, Any]] = []",
            *query,
            "        while True:",
            "            resp = self.table.query(**kwargs)",
            '            items.extend(resp.get("Items", []))',
            '            if "LastEvaluatedKey" not in resp or len(items) >= limit:',
            "                break",
            '            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]',
            "        return items[:limit]",
            "",
            "    def put_many(self, records) -> int:",
            "        with self.table.batch_writer() as batch:",
            "            for record in records:",
            "                batch.put_item(Item=record)",
            "        return len(records)",
            "",
            "",
            f"{inst} = {cls}()",
        ]

    def c_list_keys(self):
        f = self.name(f"list_{self.entity}_keys")
        self.calls.append(f"keys = {f}('{self.entity}s/')")
        return [f"def {f}(prefix: str) -> List[str]:", "    keys: List[str] = []", "    token = None", "    while True:", '        kwargs = {"Bucket": BUCKET, "Prefix": prefix}', "        if token:", '            kwargs["ContinuationToken"] = token', "        resp = s3.list_objects_v2(**kwargs)", '        keys.extend(obj["Key"] for obj in resp.get("Contents", []))', '        if not resp.get("IsTruncated"):', "            break", '        token = resp.get("NextContinuationToken")', "    return keys"]

    def c_per_invocation(self):
        # The mistake LL101 exists for: a client built on every call. Some are suppressed inline.
        svc = self.rng.choice(SERVICES)
        f = self.name(f"send_to_{svc}")
        self.calls.append(f"{f}(payload)")
        suppress = "  # lambdalint: ignore[LL101] -- rarely called admin path" if self.rng.random() < 0.15 else ""
        return [f"def {f}(payload):", f'    client = boto3.client("{svc}"){suppress}', '    logger.debug("sending %s", payload)', "    return client.meta.service_model.service_name, len(json.dumps(payload, default=str))"]

    def c_ssm_params(self):
        var = self.name("_params")
        f = self.name("get_parameter")
        self.calls.append(f'{f}("/{self.entity}/config")')
        return [f"{var}: Dict[str, str] = {{}}", "", "", f"def {f}(name: str) -> str:", f"    cached = {var}.get(name)", "    if cached is not None:", "        return cached", '    value = boto3.client("ssm").get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]', f"    {var}[name] = value", "    return value"]

    def c_publish(self):
        f = self.name(f"publish_{self.ent2}_event")
        self.calls.append(f"{f}(payload)")
        return [f"def {f}(detail: Dict[str, Any]) -> None:", "    entry = {", f'        "Source": "{self.entity}.service",', f'        "DetailType": "{self.ent2}.changed",', '        "Detail": json.dumps(detail, default=str),', '        "EventBusName": os.environ.get("EVENT_BUS", "default"),', "    }", "    s3.put_object(Bucket=BUCKET, Key=f\"events/{uuid.uuid4()}.json\", Body=json.dumps(entry).encode())"]

    def c_pg_lazy(self):
        var = self.name("_conn")
        f = self.name("get_connection")
        self.calls.append(f"conn = {f}()")
        return [f"{var} = None", "", "", f"def {f}():", f"    global {var}", f"    if {var} is None or {var}.closed:", '        dsn = os.environ.get("DATABASE_URL", "postgresql://app@localhost/app")', f"        {var} = psycopg2.connect(dsn, connect_timeout=5)", f"        {var}.autocommit = True", f"    return {var}"]

    def c_pg_direct(self):
        f = self.name(f"query_{self.entity}s")
        self.calls.append(f"rows = {f}(MAX_ITEMS)")
        return [f"def {f}(limit: int):", '    conn = psycopg2.connect(os.environ["DATABASE_URL"])', "    try:", "        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:", f'            cur.execute("SELECT id, status FROM {self.entity}s ORDER BY created_at DESC LIMIT %s", (limit,))', '            return [dict(row, id=str(row["id"])) for row in cur.fetchall()]', "    finally:", "        conn.close()"]

    def c_http_lazy(self):
        var = self.name("_http")
        f = self.name("http_session")
        g = self.name("call_partner")
        self.calls.append(f"reply = {g}('/sync', payload)")
        return [f"{var} = None", "", "", f"def {f}():", f"    global {var}", f"    if {var} is None:", f"        {var} = requests.Session()", f'        {var}.headers.update({{"User-Agent": "{self.entity}-svc/1.0"}})', f"    return {var}", "", "", f"def {g}(path: str, payload: Dict[str, Any]) -> Dict[str, Any]:", "    url = f\"{PARTNER_URL}/{path.lstrip('/')}\"", f"    resp = {f}().post(url, json=payload, timeout=(2, 10))", "    if resp.status_code >= 500:", '        raise RuntimeError(f"partner error {resp.status_code}")', "    return resp.json()"]

    def c_http_direct(self):
        f = self.name("fetch_remote")
        self.calls.append(f"remote = {f}(PARTNER_URL)")
        return [f"def {f}(url: str):", "    session = requests.Session()", "    resp = session.get(url, timeout=5)", "    resp.raise_for_status()", "    return resp.json()"]

    def c_route(self):
        e = self.rng.choice(ENTITIES)
        method = self.rng.choice(["get", "post", "put", "delete"])
        f = self.name(f"{method}_{e}")
        body = self.calls[-1] if self.calls and self.rng.random() < 0.7 else "payload = {}"
        return [f'@app.{method}("/{e}s/<{e}_id>")', "@tracer.capture_method", f"def {f}({e}_id: str):", f'    payload = {{"id": {e}_id, "query": app.current_event.query_string_parameters or {{}}}}', f"    {body}", f'    logger.append_keys({e}_id={e}_id)', '    return {"id": ' + f"{e}_id" + ', "ok": True}']

    # -------------------------------------------------------------- assembly
    def finish(self, chunk: list[str]) -> list[str]:
        return humanize(chunk, self.rng) if self.profile == "real" else chunk

    def build(self) -> str:
        r = self.rng
        target = r.randint(110, 400)
        head = self.header() + self.imports() + self.module_level()
        body: list[str] = []
        generators = self.chunks()
        for _ in range(200):
            chunk = self.finish(r.choice(generators)())
            projected = len(head) + len(body) + len(chunk) + 2 + 30  # 30: room for the handler
            if projected <= target:
                body += chunk + ["", ""]
            elif len(head) + len(body) + 30 >= target - 8:
                break
        tail = self.finish(self.handler())
        fillers = [self.c_constants, self.c_timestamp, self.c_fingerprint, self.c_slug]
        while len(head) + len(body) + len(tail) < 104:  # modules are 100-400 lines
            body += self.finish(r.choice(fillers)()) + ["", ""]
        lines = head + body + tail
        text = "\n".join(lines).rstrip("\n") + "\n"
        return text


# Comment lines of the kind people write above a statement (the "real" corpus profile).
COMMENTS = [
    "Fetch the item before touching anything else",
    "Normalise the payload so downstream code sees one shape",
    "TODO: paginate once the table grows",
    "The SDK retries throttling errors itself; do not loop here",
    "Keep this cheap: it runs on every invocation",
    "Missing keys are a client error, not a retry",
    "See the runbook before changing the retry budget",
    "Batch writes in chunks of 25 (the DynamoDB limit)",
    "Log enough to correlate with the request id",
    "Defensive: older producers send the body as a string",
    "Strip secrets before logging",
    "Return early for health checks",
    "FIXME: move to a shared helper",
    "Convert Decimals for json.dumps",
    "Partner API is flaky: short timeout, caller retries",
]
DOC_LINES = ["Args:", "    event: the Lambda event as delivered by the trigger.", "    payload: the decoded request body.", "Returns:", "    A JSON-serialisable dict.", "Raises:", "    ValueError: when required fields are missing."]


def humanize(lines: list[str], rng: random.Random) -> list[str]:
    """The "real" profile: add what people write around code and the dense generator leaves
    out: multi-line docstrings on functions and comment lines above statements, at the rates
    measured on public handlers (see benchmarks/README.md, "Corpus calibration")."""
    out: list[str] = []
    in_string = False
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if line.count('"""') % 2:
            in_string = not in_string
        top_def = not indent and stripped.startswith(("def ", "class ", "@")) and not (out and out[-1].startswith("@"))
        if not in_string and stripped and not stripped.startswith(("#", "@", ")", "]", "}", "else", "elif", "except", "finally", "case")) and indent and rng.random() < 0.2:
            prev = out[-1].rstrip() if out else ""
            if not prev.endswith("\\"):
                out.append(f"{indent}# {rng.choice(COMMENTS)}")
        elif not in_string and top_def and rng.random() < 0.4:
            out.append(f"# {rng.choice(COMMENTS)}")
        out.append(line)
        if not in_string and stripped.startswith(("def ", "async def ")) and line.rstrip().endswith(":"):
            nxt = lines[i + 1].lstrip() if i + 1 < len(lines) else ""
            if not nxt.startswith('"""') and rng.random() < 0.75:
                body = indent + "    "
                out.append(f'{body}"""{rng.choice(["Handle", "Build", "Look up", "Validate", "Send", "Load"])} one {rng.choice(ENTITIES)} {rng.choice(["request", "record", "batch", "item"])}.')
                out.append("")
                out.extend(body + d for d in rng.sample(DOC_LINES[:5], rng.randint(2, 5)))
                out.append(f'{body}"""')
    return out


def generate_handlers(root: Path, count: int, seed: int, profile: str = "real") -> dict:
    """``profile``: "real" (default) adds docstrings and comments at the rates of public handlers;
    "dense" is the first version of this corpus, with neither (about 45 % more syntax per line)."""
    rng = random.Random(seed)
    names = ["app", "handler", "main", "api", "worker", "consumer", "processor", "jobs", "webhook", "service"]
    sizes = []
    for i in range(count):
        gen = HandlerGen(rng, i, profile)
        text = gen.build()
        if i < 200:  # every template shape is exercised early: make sure it is valid Python
            ast.parse(text)
        service = f"svc_{i // 20:03d}_{gen.entity}"
        path = root / service / f"{names[i % len(names)]}_{i:05d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        sizes.append(text.count("\n"))
    return {"files": count, "lines_min": min(sizes), "lines_median": med(sizes), "lines_max": max(sizes), "lines_total": sum(sizes)}


def corpus_density(paths) -> dict:
    """Median syntax density of Python modules: what the parser's cost follows (see benchmarks/README.md)."""
    nodes, comments, blanks, per_function = [], [], [], []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        lines = text.split("\n")
        count = len(lines)
        walked = list(ast.walk(tree))
        nodes.append(len(walked) / count)
        comments.append(sum(1 for line in lines if line.lstrip().startswith("#")) / count)
        blanks.append(sum(1 for line in lines if not line.strip()) / count)
        per_function.append(count / max(1, sum(1 for n in walked if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))))
    return {"nodes_per_line": med(nodes), "comment_share": med(comments), "blank_share": med(blanks), "lines_per_function": med(per_function), "density_sample": len(nodes)}


# =========================================================================== template corpus


class Fn:
    """A CloudFormation intrinsic, emitted in short form in YAML and long form in JSON."""

    def __init__(self, name, value):
        self.name, self.value = name, value


class Anchor:
    def __init__(self, name, value):
        self.name, self.value = name, value


class Alias:
    def __init__(self, anchor: Anchor):
        self.anchor = anchor


def Ref(x):
    return Fn("Ref", x)


def GetAtt(x):
    return Fn("GetAtt", x)


def Sub(x):
    return Fn("Sub", x)


_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./:-]*")
_YAML_SPECIAL = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}


def yaml_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if _PLAIN.fullmatch(s) and s.lower() not in _YAML_SPECIAL and not s.endswith(":"):
        return s
    return json.dumps(s)


def yaml_flow(v):
    if isinstance(v, Fn):
        return yaml_fn(v)
    if isinstance(v, list):
        return "[" + ", ".join(yaml_flow(i) for i in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {yaml_flow(i)}" for k, i in v.items()) + "}"
    return yaml_scalar(v)


def yaml_fn(f: Fn):
    if f.name in ("Ref", "GetAtt"):
        return f"!{f.name} {f.value}"
    if f.name == "Sub" and isinstance(f.value, str):
        return "!Sub " + json.dumps(f.value)
    return f"!{f.name} {yaml_flow(f.value)}"


def emit_yaml(obj, indent=0, out=None):
    out = [] if out is None else out
    sp = " " * indent
    for k, v in obj.items():
        if isinstance(v, Anchor):
            out.append(f"{sp}{k}: &{v.name}")
            emit_yaml(v.value, indent + 2, out)
        elif isinstance(v, Alias):
            out.append(f"{sp}{k}: *{v.anchor.name}")
        elif isinstance(v, Fn):
            out.append(f"{sp}{k}: {yaml_fn(v)}")
        elif isinstance(v, dict):
            if not v:
                out.append(f"{sp}{k}: {{}}")
            else:
                out.append(f"{sp}{k}:")
                emit_yaml(v, indent + 2, out)
        elif isinstance(v, list):
            if not v:
                out.append(f"{sp}{k}: []")
                continue
            out.append(f"{sp}{k}:")
            for item in v:
                if isinstance(item, dict) and item and not isinstance(item, Fn):
                    sub = emit_yaml(item, indent + 4, [])
                    sub[0] = f"{sp}  - " + sub[0][indent + 4:]
                    out.extend(sub)
                else:
                    out.append(f"{sp}  - {yaml_flow(item)}")
        elif isinstance(v, str) and "\n" in v:
            out.append(f"{sp}{k}: |")
            out.extend(f"{sp}  {line}" for line in v.splitlines())
        else:
            out.append(f"{sp}{k}: {yaml_scalar(v)}")
    return out


def to_json_value(v):
    if isinstance(v, Anchor):
        return to_json_value(v.value)
    if isinstance(v, Alias):
        return to_json_value(v.anchor.value)
    if isinstance(v, Fn):
        if v.name == "Ref":
            return {"Ref": v.value}
        if v.name == "GetAtt":
            return {"Fn::GetAtt": v.value.split(".", 1)}
        return {f"Fn::{v.name}": to_json_value(v.value)}
    if isinstance(v, dict):
        return {k: to_json_value(i) for k, i in v.items()}
    if isinstance(v, list):
        return [to_json_value(i) for i in v]
    return v


def camel(s):
    return "".join(p.capitalize() for p in s.split("_"))


def handler_module_text(handlers: list[str]) -> str:
    lines = ['"""Small handlers the templates point at."""', "import json", "import os", ""]
    for h in handlers:
        lines += ["", f"def {h}(event, context):", '    return {"statusCode": 200, "body": json.dumps({"stage": os.environ.get("STAGE")})}', ""]
    return "\n".join(lines)


def gen_template(rng: random.Random, i: int):
    """One SAM/CFN template as a structure with Fn/Anchor/Alias values, plus its handler names."""
    entities = rng.sample(ENTITIES, rng.randint(3, min(15, len(ENTITIES))))
    sam = rng.random() < 0.85
    tpl = {"AWSTemplateFormatVersion": "2010-09-09"}
    if sam:
        tpl["Transform"] = "AWS::Serverless-2016-10-31"
    tpl["Description"] = f"Stack {i}: {', '.join(entities[:3])} services"
    params = {
        "Stage": {"Type": "String", "Default": rng.choice(["dev", "staging", "prod"]), "AllowedValues": ["dev", "staging", "prod"]},
        "MemorySize": {"Type": "Number", "Default": rng.choice([256, 512, 1024, 1769])},
        "LogRetentionDays": {"Type": "Number", "Default": 14},
        "ProvisionedConcurrency": {"Type": "Number", "Default": rng.randint(1, 5)},
        "AlertEmail": {"Type": "String"},
    }
    tpl["Parameters"] = params
    tpl["Mappings"] = {"StageConfig": {s: {"Timeout": t, "Memory": m} for s, t, m in (("dev", 10, 256), ("staging", 15, 512), ("prod", 30, 1024))}}
    tpl["Conditions"] = {"IsProd": Fn("Equals", [Ref("Stage"), "prod"])}
    shared_tags = Anchor("common_tags", {"Service": entities[0], "Stage": Ref("Stage"), "CostCenter": f"cc-{rng.randint(100, 999)}"}) if rng.random() < 0.4 else None
    global_memory = rng.random() < 0.6
    if sam:
        g = {"Runtime": rng.choice(["python3.11", "python3.12", "python3.13"]), "Timeout": rng.choice([10, 15, 30]), "CodeUri": "src/", "Tracing": "Active", "Environment": {"Variables": {"STAGE": Ref("Stage"), "TABLE_NAME": Ref("MainTable"), "LOG_LEVEL": "INFO", "POWERTOOLS_SERVICE_NAME": entities[0]}}}
        if global_memory:
            g["MemorySize"] = Ref("MemorySize")
        if rng.random() < 0.3:
            g["Architectures"] = ["arm64"]
        tpl["Globals"] = {"Function": g, "Api": {"TracingEnabled": True, "Cors": {"AllowOrigin": "'*'"}}}
    res = {
        "MainTable": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain", "Properties": {"BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}], "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"}}},
        "WorkQueue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 180, "RedrivePolicy": {"deadLetterTargetArn": GetAtt("DeadLetterQueue.Arn"), "maxReceiveCount": 5}}},
        "DeadLetterQueue": {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": 1209600}},
        "AlertsTopic": {"Type": "AWS::SNS::Topic", "Properties": {"Subscription": [{"Protocol": "email", "Endpoint": Ref("AlertEmail")}]}},
    }
    handlers = []
    outputs = {}
    anchored = False
    for e in entities:
        lid = camel(e) + "Function"
        h = f"{e}_handler"
        handlers.append(h)
        handler = f"handlers.{h}" if rng.random() > 0.02 else f"handlers.{e}_missing"
        if sam and rng.random() < 0.85:
            props = {"Handler": handler, "Description": f"{e} API"}
            if not global_memory and rng.random() < 0.7:
                props["MemorySize"] = rng.choice([256, 512, 1024, Fn("FindInMap", ["StageConfig", Ref("Stage"), "Memory"])])
            if rng.random() < 0.4:
                props["Timeout"] = rng.choice([5, 20, 60])
            alias = rng.random() < 0.5
            if alias:
                props["AutoPublishAlias"] = rng.choice(["live", "Ref"])
                if props["AutoPublishAlias"] == "Ref":
                    props["AutoPublishAlias"] = Ref("Stage")
            if rng.random() < 0.3:
                props["ProvisionedConcurrencyConfig"] = {"ProvisionedConcurrentExecutions": Ref("ProvisionedConcurrency")}
            if rng.random() < 0.2:
                props["SnapStart"] = {"ApplyOn": "PublishedVersions"}
            props["Policies"] = [{"DynamoDBCrudPolicy": {"TableName": Ref("MainTable")}}, {"SQSSendMessagePolicy": {"QueueName": GetAtt("WorkQueue.QueueName")}}]
            if rng.random() < 0.5:
                props["Events"] = {"Api": {"Type": "Api", "Properties": {"Path": f"/{e}s/{{id}}", "Method": rng.choice(["get", "post", "put"])}}}
            else:
                props["Events"] = {"Queue": {"Type": "SQS", "Properties": {"Queue": GetAtt("WorkQueue.Arn"), "BatchSize": rng.choice([1, 10, 25]), "FunctionResponseTypes": ["ReportBatchItemFailures"]}}}
            props["Environment"] = {"Variables": {"ENTITY": e, "QUEUE_URL": Ref("WorkQueue"), "TOPIC_ARN": Ref("AlertsTopic")}}
            if shared_tags is not None:  # YAML anchor on the first SAM function, aliases after it
                props["Tags"] = Alias(shared_tags) if anchored else shared_tags
                anchored = True
            res[lid] = {"Type": "AWS::Serverless::Function", "Properties": props}
        else:
            role = f"{camel(e)}Role"
            res[role] = {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]}, "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]}}
            props = {"Handler": handler, "Runtime": "python3.12", "Code": "src/", "Role": GetAtt(f"{role}.Arn"), "Timeout": 30, "TracingConfig": {"Mode": "Active"}, "Environment": {"Variables": {"STAGE": Ref("Stage"), "TABLE_NAME": Ref("MainTable")}}}
            if rng.random() < 0.6:
                props["MemorySize"] = Ref("MemorySize")
            res[lid] = {"Type": "AWS::Lambda::Function", "Properties": props}
            res[f"{camel(e)}Version"] = {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": Ref(lid)}}
            alias_props = {"FunctionName": Ref(lid), "Name": "live", "FunctionVersion": GetAtt(f"{camel(e)}Version.Version") if rng.random() < 0.8 else "$LATEST"}
            if rng.random() < 0.6:
                alias_props["ProvisionedConcurrencyConfig"] = {"ProvisionedConcurrentExecutions": Ref("ProvisionedConcurrency")}
            res[f"{camel(e)}Alias"] = {"Type": "AWS::Lambda::Alias", "Properties": alias_props}
        res[f"{camel(e)}LogGroup"] = {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": Sub(f"/aws/lambda/${{{lid}}}"), "RetentionInDays": Ref("LogRetentionDays")}}
        res[f"{camel(e)}ErrorsAlarm"] = {"Type": "AWS::CloudWatch::Alarm", "Condition": "IsProd", "Properties": {"Namespace": "AWS/Lambda", "MetricName": "Errors", "Dimensions": [{"Name": "FunctionName", "Value": Ref(lid)}], "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold", "AlarmActions": [Ref("AlertsTopic")]}}
        outputs[f"{camel(e)}Arn"] = {"Description": f"{e} function", "Value": GetAtt(f"{lid}.Arn"), "Export": {"Name": Sub(f"${{AWS::StackName}}-{e}-arn")}}
    tpl["Resources"] = res
    if sam and rng.random() < 0.7:
        outputs["ApiUrl"] = {"Value": Sub("https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/")}
    tpl["Outputs"] = outputs
    return tpl, handlers


def generate_templates(root: Path, count: int, seed: int) -> dict:
    rng = random.Random(seed + 1)
    names_yaml = ["template.yaml", "template.yml", "stack.cfn.yaml", "cloudformation.yaml", "service-template.yaml", "infra.yaml"]
    names_json = ["template.json", "stack.cfn.json", "cloudformation.json"]
    counts = Counter()
    functions = 0
    lines = []
    for i in range(count):
        tpl, handlers = gen_template(rng, i)
        d = root / f"app_{i:05d}"
        (d / "src").mkdir(parents=True, exist_ok=True)
        if rng.random() < 0.3:
            name = rng.choice(names_json)
            text = json.dumps(to_json_value(tpl), indent=rng.choice([2, 4])) + "\n"
            counts["json"] += 1
        else:
            name = rng.choice(names_yaml)
            text = "\n".join(emit_yaml(tpl)) + "\n"
            counts["yaml"] += 1
        (d / name).write_text(text)
        (d / "src" / "handlers.py").write_text(handler_module_text(handlers))
        functions += len(handlers)
        lines.append(text.count("\n"))
    return {"templates": count, "yaml": counts["yaml"], "json": counts["json"], "functions": functions, "handler_files": count, "lines_median": med(lines), "lines_max": max(lines)}


def gen_tf(rng: random.Random, i: int):
    entities = rng.sample(ENTITIES, rng.randint(2, 8))
    stage = rng.choice(["dev", "staging", "prod"])
    out = [
        "terraform {",
        '  required_version = ">= 1.5"',
        "  required_providers {",
        "    aws = {",
        '      source  = "hashicorp/aws"',
        '      version = "~> 5.0"',
        "    }",
        "  }",
        "}",
        "",
        'provider "aws" {',
        "  region = var.region",
        "}",
        "",
        'variable "region" {',
        "  type    = string",
        f'  default = "{rng.choice(["eu-west-1", "us-east-1", "ap-southeast-2"])}"',
        "}",
        "",
        'variable "stage" {',
        "  type        = string",
        '  description = "Deployment stage"',
        f'  default     = "{stage}"',
        "}",
        "",
        'variable "memory_size" {',
        "  type    = number",
        f"  default = {rng.choice([256, 512, 1024])}",
        "}",
        "",
        'variable "provisioned" {',
        "  type    = number",
        f"  default = {rng.randint(1, 4)}",
        "}",
        "",
        'variable "log_retention" {',
        "  type    = number",
        "}",
        "",
        "locals {",
        f'  name_prefix = "${{var.stage}}-{entities[0]}"',
        "  common_tags = {",
        f'    Service = "{entities[0]}"',
        "    Stage   = var.stage",
        '    Owner   = "platform"',
        "  }",
        "}",
        "",
        'data "archive_file" "app" {',
        '  type        = "zip"',
        '  source_dir  = "${path.module}/src"',
        '  output_path = "${path.module}/build/app.zip"',
        "}",
        "",
        'resource "aws_iam_role" "lambda" {',
        '  name = "${local.name_prefix}-lambda"',
        "  assume_role_policy = jsonencode({",
        '    Version = "2012-10-17"',
        "    Statement = [{",
        '      Effect    = "Allow"',
        '      Principal = { Service = "lambda.amazonaws.com" }',
        '      Action    = "sts:AssumeRole"',
        "    }]",
        "  })",
        "  tags = local.common_tags",
        "}",
        "",
        'resource "aws_iam_role_policy" "lambda" {',
        "  role   = aws_iam_role.lambda.id",
        "  policy = <<-EOT",
        "    {",
        '      "Version": "2012-10-17",',
        '      "Statement": [',
        '        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], "Resource": "${aws_dynamodb_table.main.arn}"}',
        "      ]",
        "    }",
        "  EOT",
        "}",
        "",
        'resource "aws_dynamodb_table" "main" {',
        '  name         = "${local.name_prefix}-table"',
        '  billing_mode = "PAY_PER_REQUEST"',
        '  hash_key     = "pk"',
        "",
        "  attribute {",
        '    name = "pk"',
        '    type = "S"',
        "  }",
        "}",
        "",
    ]
    handlers = []
    for e in entities:
        h = f"{e}_handler"
        handlers.append(h)
        if rng.random() < 0.25:
            pc = rng.random() < 0.4
            out += [
                f'module "{e}_lambda" {{',
                '  source  = "terraform-aws-modules/lambda/aws"',
                '  version = "~> 7.0"',
                "",
                f'  function_name = "${{local.name_prefix}}-{e}"',
                f'  handler       = "handlers.{h}"',
                '  runtime       = "python3.12"',
                '  source_path   = "${path.module}/src"',
                f"  timeout       = {rng.choice([10, 30, 60])}",
            ]
            if rng.random() < 0.7:
                out.append(f"  memory_size   = {rng.choice([512, 1024, 'var.memory_size'])}")
            if pc:
                out += [f"  publish       = {rng.choice(['true', 'true', 'false'])}", "  provisioned_concurrent_executions = var.provisioned"]
            out += [
                '  tracing_mode  = "Active"',
                "",
                "  environment_variables = {",
                "    STAGE      = var.stage",
                "    TABLE_NAME = aws_dynamodb_table.main.name",
                "  }",
                "",
                "  attach_policy_statements = true",
                "  policy_statements = {",
                "    dynamodb = {",
                '      effect    = "Allow"',
                '      actions   = ["dynamodb:GetItem", "dynamodb:Query"]',
                "      resources = [aws_dynamodb_table.main.arn]",
                "    }",
                "  }",
                "  tags = local.common_tags",
                "}",
                "",
            ]
            continue
        publish = rng.random() < 0.7
        out += [
            f'resource "aws_lambda_function" "{e}" {{',
            f'  function_name    = "${{local.name_prefix}}-{e}"',
            "  role             = aws_iam_role.lambda.arn",
            f'  runtime          = "{rng.choice(["python3.11", "python3.12"])}"',
            f'  handler          = "handlers.{h}"',
            "  filename         = data.archive_file.app.output_path",
            "  source_code_hash = data.archive_file.app.output_base64sha256",
        ]
        if rng.random() < 0.75:
            out.append(f"  memory_size      = {rng.choice(['var.memory_size', '512', '1024'])}")
        out += [f"  timeout          = {rng.choice([3, 10, 30, 900])}", f"  publish          = {'true' if publish else 'false'}"]
        if rng.random() < 0.3:
            out.append("  reserved_concurrent_executions = 10")
        out += [
            "",
            "  environment {",
            "    variables = {",
            "      STAGE      = var.stage",
            "      TABLE_NAME = aws_dynamodb_table.main.name",
            f'      ENTITY     = "{e}"',
            "    }",
            "  }",
            "",
            "  tracing_config {",
            '    mode = "Active"',
            "  }",
        ]
        if rng.random() < 0.2:
            out += ["", "  snap_start {", '    apply_on = "PublishedVersions"', "  }"]
        out += ["", "  tags = merge(local.common_tags, { Function = " + json.dumps(e) + " })", "}", ""]
        alias = rng.random() < 0.6
        if alias:
            out += [
                f'resource "aws_lambda_alias" "{e}_live" {{',
                '  name             = "live"',
                f"  function_name    = aws_lambda_function.{e}.function_name",
                f"  function_version = {rng.choice([f'aws_lambda_function.{e}.version'] * 4 + [json.dumps('$LATEST')])}",
                "}",
                "",
            ]
        if rng.random() < 0.5:
            qualifier = f"aws_lambda_alias.{e}_live.name" if alias else rng.choice([f"aws_lambda_function.{e}.version", '"$LATEST"'])
            out += [
                f'resource "aws_lambda_provisioned_concurrency_config" "{e}" {{',
                f"  function_name                     = aws_lambda_function.{e}.function_name",
                "  provisioned_concurrent_executions = var.provisioned",
                f"  qualifier                         = {qualifier}",
                "}",
                "",
            ]
        out += [
            f'resource "aws_cloudwatch_log_group" "{e}" {{',
            f'  name              = "/aws/lambda/${{aws_lambda_function.{e}.function_name}}"',
            "  retention_in_days = var.log_retention",
            "}",
            "",
            f'output "{e}_arn" {{',
            f"  value = aws_lambda_function.{e}.arn",
            "}",
            "",
        ]
    if rng.random() < 0.3:
        out += [
            'resource "aws_cloudwatch_metric_alarm" "errors" {',
            '  for_each            = toset(["errors", "throttles"])',
            '  alarm_name          = "${local.name_prefix}-${each.key}"',
            '  comparison_operator = "GreaterThanThreshold"',
            "  evaluation_periods  = 1",
            "  threshold           = var.stage == \"prod\" ? 0 : 5",
            '  metric_name         = title(each.key)',
            '  namespace           = "AWS/Lambda"',
            "  period              = 60",
            '  statistic           = "Sum"',
            "}",
            "",
        ]
    return "\n".join(out), handlers


def write_projects(root: Path, count: int, rng: random.Random, folder: str, config: str, generate, extra=None) -> tuple[int, list[int]]:
    """``count`` project folders ``<folder>_NNNNN`` under ``root``, each with the configuration
    ``generate(rng, i)`` writes as ``config`` and its handlers in ``src/handlers.py``; ``extra(d)``
    adds what a corpus needs besides (called after ``generate``, so the rng sequence is fixed).
    Returns (functions, configuration line counts)."""
    functions = 0
    lines = []
    for i in range(count):
        d = root / f"{folder}_{i:05d}"
        (d / "src").mkdir(parents=True, exist_ok=True)
        text, handlers = generate(rng, i)
        (d / config).write_text(text)
        if extra is not None:
            extra(d)
        (d / "src" / "handlers.py").write_text(handler_module_text(handlers))
        functions += len(handlers)
        lines.append(text.count("\n"))
    return functions, lines


def generate_terraform(root: Path, count: int, seed: int) -> dict:
    functions, lines = write_projects(root, count, random.Random(seed + 2), "stack", "main.tf", gen_tf)
    return {"tf_files": count, "roots": count, "functions": functions, "handler_files": count, "lines_median": med(lines), "lines_max": max(lines)}


# =========================================================================== Serverless Framework services

SLS_RUNTIMES = ["python3.11", "python3.12", "python3.13"]


def gen_serverless(rng: random.Random, i: int):
    """One serverless.yml (v3 or v4 syntax) as text, plus its handler names (all in src/handlers.py)."""
    entities = rng.sample(ENTITIES, rng.randint(2, 8))
    v4 = rng.random() < 0.4
    plugins = [p for p, share in (("serverless-python-requirements", 0.6), ("serverless-provisioned-concurrency-autoscaling", 0.15), ("serverless-iam-roles-per-function", 0.2)) if rng.random() < share]
    out = [f"# Service {i}: {', '.join(entities[:3])}", f"service: svc-{i:05d}-{entities[0]}", f'frameworkVersion: "{4 if v4 else 3}"', ""]
    if plugins:
        out += ["plugins:"] + [f"  - {p}" for p in plugins] + [""]
    out += ["custom:", "  stage: ${opt:stage, 'dev'}", "  memory:", "    dev: 512", f"    prod: {rng.choice([1024, 1769, 2048])}", f"  queueBatch: {rng.choice([1, 10, 25])}", ""]
    out += ["provider:", "  name: aws", f"  runtime: {rng.choice(SLS_RUNTIMES)}", "  stage: ${self:custom.stage}", "  region: ${opt:region, 'eu-west-1'}"]
    if rng.random() < 0.5:
        out.append(f"  memorySize: {rng.choice([256, 512, 1024])}")
    if rng.random() < 0.7:
        out.append(f"  timeout: {rng.choice([6, 10, 29, 30])}")
    if rng.random() < 0.4:
        out.append("  architecture: arm64")
    if rng.random() < 0.5:
        out += ["  tracing:", "    lambda: true"]
    out += ["  environment:", "    STAGE: ${sls:stage}", f"    TABLE_NAME: {entities[0]}-${{sls:stage}}", "    LOG_LEVEL: ${env:LOG_LEVEL, 'INFO'}"]
    if rng.random() < 0.3:
        out.append(f"    API_KEY: ${{ssm:/svc-{i}/api-key}}")
    statements = ["      - Effect: Allow", "        Action:", "          - dynamodb:GetItem", "          - dynamodb:PutItem", f"        Resource: arn:aws:dynamodb:*:*:table/{entities[0]}-${{sls:stage}}", "      - Effect: Allow", "        Action: sqs:SendMessage", "        Resource: !GetAtt WorkQueue.Arn"]
    if v4 or rng.random() < 0.5:
        out += ["  iam:", "    role:", "      statements:"] + ["  " + s for s in statements]
    else:
        out += ["  iamRoleStatements:"] + [s[2:] for s in statements]
    out += ["", "functions:"]
    handlers = []
    for e in entities:
        h = f"{e}_handler"
        handlers.append(h)
        out += [f"  {e}:", f"    handler: src/handlers.{h}"]
        if rng.random() < 0.4:
            out.append(rng.choice(["    memorySize: ${self:custom.memory.${sls:stage}, 512}", "    memorySize: 1024", "    memorySize: 128", "    memorySize: ${ssm:/svc/memory}"]))
        if rng.random() < 0.4:
            out.append(f"    timeout: {rng.choice([5, 20, 60, 900])}")
        if rng.random() < 0.3:
            out.append(f"    reservedConcurrency: {rng.randint(1, 50)}")
        if rng.random() < 0.2:
            out.append(f"    provisionedConcurrency: {rng.randint(1, 5)}")
        if rng.random() < 0.1:
            out.append("    snapStart: true")
        if rng.random() < 0.2:
            out += ["    environment:", f"      ENTITY: {e}", f"      {e.upper()}_SECRET: ${{ssm:/svc/{e}}}"]
        kind = rng.choice(["http", "httpApi", "sqs", "stream", "schedule", "sns", "none"])
        if kind == "http":
            out += ["    events:", "      - http:", f"          path: {e}s/{{id}}", f"          method: {rng.choice(['get', 'post', 'put'])}"]
        elif kind == "httpApi":
            out += ["    events:", "      - httpApi:", f"          path: /{e}s", "          method: get"]
        elif kind == "sqs":
            out += ["    events:", "      - sqs:", "          arn: !GetAtt WorkQueue.Arn", "          batchSize: ${self:custom.queueBatch}"]
            if rng.random() < 0.5:
                out.append("          functionResponseType: ReportBatchItemFailures")
        elif kind == "stream":
            out += ["    events:", "      - stream:", "          type: dynamodb", "          arn: !GetAtt MainTable.StreamArn", f"          batchSize: {rng.choice([10, 100])}"]
            if rng.random() < 0.5:
                out += ["          destinations:", "            onFailure: !GetAtt DeadLetterQueue.Arn"]
        elif kind == "schedule":
            out += ["    events:", f"      - schedule: rate({rng.randint(1, 60)} minutes)"]
        elif kind == "sns":
            out += ["    events:", f"      - sns: {e}-events"]
    out += [
        "",
        "resources:",
        "  Resources:",
        "    MainTable:",
        "      Type: AWS::DynamoDB::Table",
        "      Properties:",
        "        BillingMode: PAY_PER_REQUEST",
        f"        TableName: {entities[0]}-${{sls:stage}}",
        "        AttributeDefinitions:",
        "          - AttributeName: pk",
        "            AttributeType: S",
        "        KeySchema:",
        "          - AttributeName: pk",
        "            KeyType: HASH",
        "        StreamSpecification:",
        "          StreamViewType: NEW_AND_OLD_IMAGES",
        "    WorkQueue:",
        "      Type: AWS::SQS::Queue",
        "      Properties:",
        f"        VisibilityTimeout: {rng.choice([30, 60, 180])}",
        "        RedrivePolicy:",
        "          deadLetterTargetArn: !GetAtt DeadLetterQueue.Arn",
        "          maxReceiveCount: 5",
        "    DeadLetterQueue:",
        "      Type: AWS::SQS::Queue",
        "",
    ]
    return "\n".join(out), handlers


def generate_serverless(root: Path, count: int, seed: int) -> dict:
    functions, lines = write_projects(root, count, random.Random(seed + 3), "service", "serverless.yml", gen_serverless)
    return {"services": count, "functions": functions, "handler_files": count, "lines_median": med(lines), "lines_max": max(lines)}


# =========================================================================== Terraform roots calling a local module

# The module every root calls: a function, optionally an alias with provisioned concurrency and
# a function URL, the way teams wrap aws_lambda_function. Written as HCL or as .tf.json.
TF_MODULE_HCL = """\
variable "name" {
  type = string
}

variable "source_dir" {
  type = string
}

variable "role_arn" {
  type = string
}

variable "memory_size" {
  type    = number
  default = null
}

variable "timeout" {
  type    = number
  default = 10
}

variable "environment" {
  type    = map(string)
  default = {}
}

variable "provisioned_concurrency" {
  type    = number
  default = 0
}

variable "public_url" {
  type    = bool
  default = false
}

data "archive_file" "this" {
  type        = "zip"
  source_dir  = var.source_dir
  output_path = "${path.module}/build/${var.name}.zip"
}

resource "aws_lambda_function" "this" {
  function_name    = var.name
  role             = var.role_arn
  runtime          = "python3.12"
  handler          = "handlers.${var.name}_handler"
  filename         = data.archive_file.this.output_path
  source_code_hash = data.archive_file.this.output_base64sha256
  memory_size      = var.memory_size
  timeout          = var.timeout
  publish          = var.provisioned_concurrency > 0

  environment {
    variables = var.environment
  }
}

resource "aws_lambda_alias" "live" {
  count            = var.provisioned_concurrency > 0 ? 1 : 0
  name             = "live"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}

resource "aws_lambda_provisioned_concurrency_config" "live" {
  count                             = var.provisioned_concurrency > 0 ? 1 : 0
  function_name                     = aws_lambda_alias.live[0].function_name
  qualifier                         = aws_lambda_alias.live[0].name
  provisioned_concurrent_executions = var.provisioned_concurrency
}

resource "aws_lambda_function_url" "this" {
  count              = var.public_url ? 1 : 0
  function_name      = aws_lambda_function.this.function_name
  authorization_type = "NONE"
}

output "arn" {
  value = aws_lambda_function.this.arn
}
"""

TF_MODULE_JSON = {
    "variable": {
        "name": {"type": "string"},
        "source_dir": {"type": "string"},
        "role_arn": {"type": "string"},
        "memory_size": {"type": "number", "default": None},
        "timeout": {"type": "number", "default": 10},
        "environment": {"type": "map(string)", "default": {}},
        "provisioned_concurrency": {"type": "number", "default": 0},
        "public_url": {"type": "bool", "default": False},
    },
    "data": {"archive_file": {"this": {"type": "zip", "source_dir": "${var.source_dir}", "output_path": "${path.module}/build/${var.name}.zip"}}},
    "resource": {
        "aws_lambda_function": {
            "this": {
                "function_name": "${var.name}",
                "role": "${var.role_arn}",
                "runtime": "python3.12",
                "handler": "handlers.${var.name}_handler",
                "filename": "${data.archive_file.this.output_path}",
                "memory_size": "${var.memory_size}",
                "timeout": "${var.timeout}",
                "publish": "${var.provisioned_concurrency > 0}",
                "environment": {"variables": "${var.environment}"},
            }
        },
        "aws_lambda_alias": {"live": {"count": "${var.provisioned_concurrency > 0 ? 1 : 0}", "name": "live", "function_name": "${aws_lambda_function.this.function_name}", "function_version": "${aws_lambda_function.this.version}"}},
        "aws_lambda_provisioned_concurrency_config": {"live": {"count": "${var.provisioned_concurrency > 0 ? 1 : 0}", "function_name": "${aws_lambda_alias.live[0].function_name}", "qualifier": "${aws_lambda_alias.live[0].name}", "provisioned_concurrent_executions": "${var.provisioned_concurrency}"}},
        "aws_lambda_function_url": {"this": {"count": "${var.public_url ? 1 : 0}", "function_name": "${aws_lambda_function.this.function_name}", "authorization_type": "NONE"}},
    },
    "output": {"arn": {"value": "${aws_lambda_function.this.arn}"}},
}


def gen_tf_module_root(rng: random.Random, i: int):
    """One Terraform root calling ./modules/fn once per function (some through for_each), plus its handler names."""
    entities = rng.sample(ENTITIES, rng.randint(2, 8))
    out = [
        f"# Root {i}: functions from a local module",
        'variable "stage" {',
        "  type    = string",
        f'  default = "{rng.choice(["dev", "staging", "prod"])}"',
        "}",
        "",
        'variable "memory_size" {',
        "  type    = number",
        f"  default = {rng.choice([256, 512, 1024])}",
        "}",
        "",
        "locals {",
        f'  prefix = "svc{i}-${{var.stage}}"',
        "  common_env = {",
        "    STAGE     = var.stage",
        '    LOG_LEVEL = "INFO"',
        "  }",
        "}",
        "",
        'resource "aws_iam_role" "lambda" {',
        '  name = "${local.prefix}-lambda"',
        "  assume_role_policy = jsonencode({",
        '    Version   = "2012-10-17"',
        '    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]',
        "  })",
        "}",
    ]
    handlers = []
    fanout = entities[-2:] if len(entities) > 3 and rng.random() < 0.3 else []
    for e in entities:
        if e in fanout:
            continue
        handlers.append(f"{e}_handler")
        out += ["", f'module "{e}" {{', '  source      = "./modules/fn"', f'  name        = "{e}"', '  source_dir  = "${path.module}/src"', "  role_arn    = aws_iam_role.lambda.arn"]
        memory = rng.choice(["var.memory_size", "1024", "128", None])
        if memory:
            out.append(f"  memory_size = {memory}")
        if rng.random() < 0.4:
            out.append(f"  timeout     = {rng.choice([5, 30, 120, 900])}")
        if rng.random() < 0.3:
            out.append(f"  provisioned_concurrency = {rng.randint(1, 5)}")
        if rng.random() < 0.1:
            out.append("  public_url  = true")
        env = "local.common_env" if rng.random() < 0.7 else f'merge(local.common_env, {{ {e.upper()}_TOKEN = "tok-{rng.randint(1000, 9999)}" }})'
        out += [f"  environment = {env}", "}"]
    if fanout:
        handlers += [f"{e}_handler" for e in fanout]
        names = ", ".join(f'"{e}"' for e in fanout)
        out += ["", 'module "workers" {', f"  for_each    = toset([{names}])", '  source      = "./modules/fn"', "  name        = each.key", '  source_dir  = "${path.module}/src"', "  role_arn    = aws_iam_role.lambda.arn", "  memory_size = var.memory_size", "  environment = local.common_env", "}"]
    return "\n".join(out) + "\n", handlers


def generate_terraform_modules(root: Path, count: int, seed: int) -> dict:
    rng = random.Random(seed + 4)
    json_modules = 0

    def module(d: Path) -> None:
        nonlocal json_modules
        (d / "modules" / "fn").mkdir(parents=True, exist_ok=True)
        if rng.random() < 0.2:  # Terraform JSON syntax, as generated by tools
            (d / "modules" / "fn" / "main.tf.json").write_text(json.dumps(TF_MODULE_JSON, indent=2) + "\n")
            json_modules += 1
        else:
            (d / "modules" / "fn" / "main.tf").write_text(TF_MODULE_HCL)

    functions, lines = write_projects(root, count, rng, "root", "main.tf", gen_tf_module_root, module)
    return {"roots": count, "module_files": count, "json_modules": json_modules, "functions": functions, "handler_files": count, "lines_median": med(lines), "lines_max": max(lines)}
