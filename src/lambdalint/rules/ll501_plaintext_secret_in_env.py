"""LL501 plaintext-secret-in-env: a secret-looking environment variable with a literal value."""

from __future__ import annotations

import re
from typing import Any

from .base import Example, Rule, RuleContext, sam

DOCS = """\
## What it does
Reports environment variables whose name says they hold a secret (a word part such as
`PASSWORD`, `PASSWD`, `PWD`, `SECRET`, `TOKEN`, `API_KEY`/`APIKEY`, `PRIVATE_KEY`,
`ACCESS_KEY`, `SECRET_KEY`, `CLIENT_SECRET`, `CREDENTIALS`, `PASSPHRASE`, `SIGNING_KEY`,
`ENCRYPTION_KEY`, `LICENSE_KEY`; case-insensitive, camelCase understood) and whose value is
written as a literal in the template or Terraform file. The finding is on the variable's line;
the value itself is never printed.

Not reported, because they are references or metadata rather than secrets:
- names that end in (or continue after the secret word with) a metadata word: `SECRET_ARN`,
  `SECRET_NAME`, `DB_SECRET_ID`, `PASSWORD_PARAM`, `TOKEN_PARAMETER`, `API_KEY_PATH`,
  `TOKEN_TABLE`, `TOKEN_TTL`, `PASSWORD_LENGTH`, `TOKEN_URL`, `TOKEN_HEADER`, ...;
- values that are expressions: `!Ref`, `!Sub`, `!GetAtt`, `!If`, any Terraform variable,
  reference, function call or `"${...}"` template (a `!Ref` to a parameter is a reference even
  when the parameter has a default);
- CloudFormation dynamic references (`{{resolve:secretsmanager:...}}`, `{{resolve:ssm:...}}`)
  and placeholders another tool fills in before deployment (`${...}`, `{{...}}`);
- ARNs (`arn:aws:secretsmanager:...`, `arn:aws:ssm:...`), parameter paths (`/app/db/password`),
  names of secrets (`prod/orders/db`, `orders-db-credentials`, `OrdersDbSecret`: words joined by
  `/`, `-`, `_`, `.` or camelCase that include "secret", "credentials" or "creds");
- values that cannot be secrets: empty strings, `true`/`false`/`yes`/`no`, numbers (and digit
  strings of up to six characters), region names, URLs without credentials in them;
- KMS ciphertext (a value starting `AQICAH`/`AQECAH`: encrypted with a KMS key, not plaintext).

Credentials are also recognised by the format of their value, whatever the variable is called:
AWS access key IDs (`AKIA`/`ASIA` and 16 characters), a 40-character AWS secret access key in
an environment that also holds an access key ID, private key blocks (`-----BEGIN ... PRIVATE
KEY-----`), GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), Slack tokens
(`xoxa-`, `xoxb-`, `xoxp-`), Stripe live secret keys (`sk_live_`, `rk_live_`) and Google API keys
(`AIza`). AWS's documented example keys (`AKIAIOSFODNN7EXAMPLE`, `...EXAMPLEKEY`) are samples and
are not reported by format.

Placeholders such as `changeme`, `xxx` or `<your-token>` **are** reported: whatever is written
there gets deployed as the value, and the real secret is meant to be typed into the same place.

## Why is this bad?
A literal in a template ends up in version control, in every copy of the repository, in the
deployment artifacts and in the function's configuration, where anyone allowed to call
`lambda:GetFunctionConfiguration` (or to open the console) reads it in clear text. It cannot be
rotated without a deployment, and it leaks through CI logs and plan output. CWE-798: use of
hard-coded credentials.

## Example
<!-- example -->

## Use instead
Keep the secret in AWS Secrets Manager (or an SSM `SecureString`) and pass a reference:
<!-- use-instead -->
and read it once at init (the AWS Parameters and Secrets Lambda Extension, or Powertools
`parameters.get_secret`, cache it). If it must be an environment variable, use a dynamic
reference, `{{resolve:secretsmanager:orders/db:SecretString:password}}`, or in Terraform a
`sensitive` variable or a `aws_secretsmanager_secret_version` data source.

## References
- [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)
- [Securing Lambda environment variables](https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html)
- [Use AWS Secrets Manager secrets in Lambda functions](https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html)
- [CloudFormation dynamic references](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html)
"""

# single word parts that mean "this holds a secret"
_SECRET_WORDS = {
    "PASSWORD", "PASSWD", "PASSWORDS", "SECRET", "TOKEN", "APIKEY", "APITOKEN", "ACCESSTOKEN", "AUTHTOKEN",
    "PRIVATEKEY", "ACCESSKEY", "SECRETKEY", "CLIENTSECRET", "CREDENTIALS", "CREDENTIAL", "CREDS", "PASSPHRASE",
}
# word parts that mean a secret only after one of these (API_KEY, PRIVATE_KEY, ...)
_KEY_QUALIFIERS = {"API", "PRIVATE", "ACCESS", "SECRET", "SIGNING", "ENCRYPTION", "MASTER", "AUTH", "APP", "LICENSE", "HMAC", "JWT", "SESSION", "SUBSCRIPTION", "CLIENT"}
# word parts that turn the name into metadata about a secret (where it is, how long it lives, ...)
_METADATA_WORDS = {
    "ARN", "ARNS", "NAME", "NAMES", "ID", "IDS", "PARAM", "PARAMS", "PARAMETER", "PARAMETERS", "PATH", "PATHS", "TTL",
    "LENGTH", "LEN", "TABLE", "BUCKET", "URL", "URI", "ENDPOINT", "HOST", "PORT", "HEADER", "TYPE", "EXPIRY", "EXPIRATION",
    "EXPIRES", "EXPIRE", "TIMEOUT", "DURATION", "AGE", "LIFETIME", "VALIDITY", "VERSION", "FIELD", "LOCATION", "FILE",
    "FILENAME", "DIR", "PREFIX", "SUFFIX", "REGION", "ENABLED", "DISABLED", "ENABLE", "REQUIRED", "POLICY", "ALGORITHM",
    "ALG", "ISSUER", "AUDIENCE", "SCOPE", "SCOPES", "SIZE", "COUNT", "LIMIT", "SECONDS", "SEC", "MS", "MILLIS", "MINUTES",
    "HOURS", "DAYS", "FORMAT", "ROLE", "QUEUE", "TOPIC", "INDEX", "ATTRIBUTE", "COLUMN", "STORE", "LEVEL", "MODE", "SSM",
    "KMS", "ALIAS", "KEY_ID", "REF", "REFERENCE", "SOURCE", "PROVIDER", "CACHE", "ROTATION", "STAGE", "DOMAIN", "USER",
    "USERNAME", "EMAIL", "ACCOUNT", "LOCATOR", "MANAGER", "SERVICE", "SECRETS", "TOKENS", "CLAIM", "CLAIMS", "ENV",
    "KEY", "KEYS",  # an unqualified KEY after the secret word: SECRET_STRING_KEY, TOKEN_KEY (a field name)
}
_PLACEHOLDER_BOOLS = {"true", "false", "yes", "no", "on", "off", "enabled", "disabled", "none", "null", "nil", "undefined"}
_REGION = re.compile(r"(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob)-[a-z]+-\d")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?P<rest>.*)", re.S)
_SECRET_QUERY = re.compile(r"[?&](?:token|key|api[_-]?key|apikey|secret|password|pwd|sig|signature|access[_-]?token|auth)=[^&#\s]+", re.I)
_NAME_OF_SECRET = re.compile(r"[a-z0-9]+(?:[-_/.][a-z0-9]+)+")
# words that name a secret *resource* ("orders-db-credentials") far more often than they occur in a value
_SECRETISH_PARTS = {"secret", "secrets", "credential", "credentials", "creds"}


def name_parts(name: str) -> list[str]:
    """``dbPassword`` / ``DB_PASSWORD`` / ``db-password`` -> ["DB", "PASSWORD"]."""
    parts = []
    for chunk in re.split(r"[^A-Za-z0-9]+", name):
        parts += re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", chunk)
    return [p.upper() for p in parts if p]


def secret_name(name: str) -> bool:
    """Whether an environment variable's name says it holds a secret (not metadata about one)."""
    parts = name_parts(name)
    last = -1
    for i, part in enumerate(parts):
        if part in _SECRET_WORDS:
            last = i
        elif part == "KEY" and i > 0 and parts[i - 1] in _KEY_QUALIFIERS:
            last = i
        elif part in ("PWD", "PASS") and i > 0 and i == len(parts) - 1:
            last = i  # DB_PWD, DB_PASS (a bare PWD is the shell's working directory)
    if last < 0:
        return False
    return not any(p in _METADATA_WORDS for p in parts[last + 1:])


def non_secret_value(value: Any) -> str | None:
    """Why a literal value cannot be (or does not hold) a plaintext secret, or None."""
    if value is None or isinstance(value, (bool, int, float)):
        return "not a string"
    text = str(value).strip()
    lower = text.lower()
    if not text:
        return "empty"
    if lower in _PLACEHOLDER_BOOLS:
        return "a boolean"
    if re.fullmatch(r"-?\d+(?:\.\d+)?", text) and len(text) <= 6:
        return "a number"
    if "{{resolve:" in text:
        return "a dynamic reference"
    if "${" in text or re.search(r"\{\{.*\}\}", text) or re.fullmatch(r"\$\(.+\)|#\{.+\}|%[A-Za-z_]+%", text):
        return "a placeholder filled in before deployment"
    if lower.startswith("arn:"):
        return "an ARN"
    if text.startswith(("AQICAH", "AQECAH")):
        return "KMS ciphertext"
    if _REGION.fullmatch(lower):
        return "a region"
    url = _URL.fullmatch(text)
    if url:
        authority = url.group("rest").split("/", 1)[0]
        if ":" in authority.rsplit("@", 1)[0] and "@" in authority or _SECRET_QUERY.search(text):
            return None  # credentials in the URL
        return "a URL without credentials"
    if text.startswith("/") and " " not in text and not text.endswith("="):
        return "a parameter or secret path"
    if _NAME_OF_SECRET.fullmatch(text) and ("/" in text or set(re.split(r"[-_/.]", text)) & _SECRETISH_PARTS):
        return "the name of a secret or parameter"
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", text) and {p.lower() for p in name_parts(text)} & _SECRETISH_PARTS and re.search(r"[a-z][A-Z]|[-_.]", text):
        return "the name of a secret"  # OrdersDbSecret, prod_db_credentials
    return None


# Credentials recognised by the format of their value, whatever the variable is called (`key1`,
# `UPSTREAM_KEY`): their prefixes and lengths are documented by the issuers.
_CREDENTIAL_FORMATS = (
    ("an AWS access key ID", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")),
    ("a GitHub token", re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})")),
    ("a Slack token", re.compile(r"(?<![A-Za-z0-9])xox[abp]-[A-Za-z0-9-]{10,}")),
    ("a Stripe live secret key", re.compile(r"(?<![A-Za-z0-9])[sr]k_live_[A-Za-z0-9]{10,}")),
    ("a Google API key", re.compile(r"(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])")),
)
AWS_KEY_ID = _CREDENTIAL_FORMATS[0][0]
# 40 characters of base64: an AWS secret access key when an access key ID sits in the same
# environment (alone, the shape is too common to mean anything)
_AWS_SECRET_KEY = re.compile(r"[A-Za-z0-9/+]{40}")


def credential_kind(value: Any) -> str | None:
    """What credential a literal value is, by its format; None when it is none we know. AWS's
    documented example keys (AKIAIOSFODNN7EXAMPLE, ...EXAMPLEKEY) are samples, not secrets."""
    if not isinstance(value, str) or "EXAMPLE" in value:
        return None
    for kind, pattern in _CREDENTIAL_FORMATS:
        if pattern.search(value):
            return kind
    return None


def mask(value: Any) -> str:
    return f"{len(str(value))} characters, not shown"


def check(ctx: RuleContext):
    seen: dict = {}  # one finding per variable, even when SAM Globals share it
    for function in ctx.project.functions:
        literals = [e for e in function.environment_entries if e.literal]
        with_key_id = any(credential_kind(e.value) == AWS_KEY_ID for e in literals)
        for entry in literals:
            if secret_name(entry.name) and non_secret_value(entry.value) is None:
                kind = ""  # the name says it
            else:
                kind = credential_kind(entry.value) or ""
                if not kind and with_key_id and isinstance(entry.value, str) and _AWS_SECRET_KEY.fullmatch(entry.value) and "EXAMPLE" not in entry.value:
                    kind = "an AWS secret access key"
                if not kind:
                    continue
            key = (entry.location.path, entry.location.line, entry.location.column)
            seen.setdefault(key, (entry, kind, []))[2].append(function)
    for entry, kind, functions in seen.values():
        first = functions[0]
        where = "SAM Globals (used by " + ", ".join(f.label for f in functions) + ")" if entry.scope == "Globals" else ", ".join(f.label for f in functions)
        what = f"holds {kind}" if kind else "looks like a secret and has a literal value"
        yield ctx.finding(
            f"environment variable {entry.name} of {where} {what} "
            f"({mask(entry.value)}): it is stored in clear text in source control, deployment artifacts and the "
            f"function's configuration; {first.phrases.secret_storage}",
            entry.location,
            subject=f"{first.address}#env:{entry.name}",
        )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
{head}Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      Environment:
        Variables:
{vars}"""

_TF = """\
{head}resource "aws_lambda_function" "orders" {{
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
  environment {{
    variables = {{
{vars}    }}
  }}
}}
"""

RULE = Rule(
    id="LL501",
    name="plaintext-secret-in-env",
    level="error",
    summary="A secret-looking environment variable has a literal value",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM.format(head="", vars="          DB_PASSWORD: s3cr3t-Passw0rd  # expect: LL501\n"), "SAM literal password"),
        sam(_SAM.format(head="", vars="          stripeApiKey: sk_live_51H8xYz  # expect: LL501\n"), "SAM camelCase API key"),
        Example({"main.tf": _TF.format(head="", vars='      SLACK_TOKEN = "xoxb-123-456-abcdef"  # expect: LL501\n')}, "Terraform literal token"),
        sam(_SAM.format(head="", vars="          key1: AKIAJ3NNM5W3TUIQRW7A  # expect: LL501\n"), "an access key ID under a name that says nothing"),
        Example(
            {"main.tf": _TF.format(head="", vars='      UPSTREAM_ID  = "AKIAJ3NNM5W3TUIQRW7A"  # expect: LL501\n      UPSTREAM_KEY = "Fq8b2mZ0vT4kL9xR1cW7yN3pH6sJ5dA0eG2iU8oB"  # expect: LL501\n')},
            "a secret access key next to its key ID",
        ),
    ),
    must_not_fire=(
        sam(
            _SAM.format(
                head="Parameters:\n  DbPassword:\n    Type: String\n    NoEcho: true\n",
                vars=(
                    "          DB_PASSWORD: !Ref DbPassword\n"
                    "          API_KEY: '{{resolve:secretsmanager:orders/api:SecretString:key}}'\n"
                    "          DB_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf\n"
                    "          PASSWORD_PARAM: /orders/db/password\n"
                    "          TOKEN_TABLE: tokens\n"
                    "          USE_TOKEN: 'true'\n"
                ),
            ),
            "SAM references, ARNs, paths and metadata",
        ),
        Example(
            {"main.tf": _TF.format(head='variable "token" {\n  type      = string\n  sensitive = true\n}\n', vars='      SLACK_TOKEN    = var.token\n      TOKEN_ENDPOINT = "https://auth.example.com/oauth2/token"\n')},
            "Terraform variable and URL",
        ),
        sam(
            _SAM.format(
                head="",
                vars=(
                    "          EXAMPLE_ID: AKIAIOSFODNN7EXAMPLE\n"
                    "          EXAMPLE_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
                    "          CHECKSUM: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b\n"
                    "          STRIPE_MODE: sk_test_only\n"
                ),
            ),
            "AWS's documented example keys, and a 40-character hash without a key ID",
        ),
    ),
    tags=("security", "secrets", "external/cwe/cwe-798"),
    security_severity=7.5,
    default_reason="a credential in plain text is readable by anyone who can read the function's configuration",
)
