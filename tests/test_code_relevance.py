"""The code analysis walks only function bodies that mention a name through which a catalogued
call (or another local function) can be reached. These tests pin the cases where that shortcut
could lose a finding, and check on every Python fixture that it loses nothing a rule reads."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lambdalint.analysis import catalog
from lambdalint.analysis.facts import collect_facts
from lambdalint.analysis.package import package_names

from .conftest import check_json, write_files

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples"


def findings(root: Path, select: str) -> list[tuple[str, int, str]]:
    return [(f["rule"], f["line"], f["message"]) for f in check_json(root, "--select", select)["findings"]]


def test_extra_client_from_config_is_found_in_a_function_that_mentions_nothing_else(tmp_path):
    write_files(
        tmp_path,
        {
            "app.py": "import acme.sdk\n\n\ndef lambda_handler(event, context):\n    api = acme.sdk.make_client(region='eu-west-1')\n    return api.get(event['id'])\n",
            ".lambdalint.toml": 'extra-clients = ["acme.sdk.make_client"]\nextra-connections = ["warehouse.open"]\n',
            "db.py": "from warehouse import open as open_warehouse\n\n\ndef handler(event, context):\n    return open_warehouse('dsn').query(event)\n",
        },
    )
    assert [(r, line) for r, line, _ in findings(tmp_path, "LL101,LL102")] == [("LL101", 5), ("LL102", 5)]


def test_catalogued_call_reached_only_through_local_functions(tmp_path):
    write_files(
        tmp_path,
        {
            "app.py": (
                "import boto3\n\n\n"
                "class Repo:\n    def fetch(self, key):\n        return boto3.client('s3').get_object(Bucket='b', Key=key)\n\n\n"
                "repo = Repo()\n\n\n"
                "def load(key):\n    return repo.fetch(key)\n\n\n"
                "def lambda_handler(event, context):\n    # mentions neither boto3 nor a client: only `load`\n    return load(event['key'])\n"
            )
        },
    )
    ((rule, line, message),) = findings(tmp_path, "LL101")
    assert (rule, line) == ("LL101", 6)
    assert "lambda_handler → load → Repo.fetch" in message


def test_member_calls_of_everyday_modules_under_any_alias(tmp_path):
    write_files(
        tmp_path,
        {
            "svc/app.py": (
                "import time as clock\nimport os\nfrom datetime import datetime as dt\n\n"
                "TABLE = os.environ.get('TABLE')\nSTARTED = clock.time()\nSTAMP = dt.now()\nPAUSE = clock.sleep(0)\n\n\n"
                "def lambda_handler(event, context):\n    return STARTED, STAMP\n"
            ),
            ".lambdalint.toml": 'snapstart-files = ["svc/*.py"]\n',
        },
    )
    assert [(r, line) for r, line, _ in findings(tmp_path, "LL110")] == [("LL110", 6), ("LL110", 7)]


def test_config_fetch_on_a_module_level_client_in_a_helper(tmp_path):
    # `ssm` is a module-level client: the helper mentions no package, only the method name
    write_files(
        tmp_path,
        {
            "app.py": (
                "import boto3\n\nssm = boto3.client('ssm')\n\n\n"
                "def read(name):\n    return ssm.get_parameter(Name=name)['Parameter']['Value']\n\n\n"
                "def lambda_handler(event, context):\n    return read('/app/url')\n"
            )
        },
    )
    assert [(r, line) for r, line, _ in findings(tmp_path, "LL103")] == [("LL103", 7)]


def test_service_of_a_client_built_from_a_module_level_session(tmp_path):
    write_files(
        tmp_path,
        {
            "app.py": (
                "import boto3\n\nsession = boto3.session.Session()\nclient = session.client('secretsmanager')\n\n\n"
                "def lambda_handler(event, context):\n    return client.get_secret_value(SecretId='db')\n"
            )
        },
    )
    ((rule, line, message),) = findings(tmp_path, "LL103")
    assert (rule, line) == ("LL103", 8)
    assert message.startswith("`secretsmanager get_secret_value`")


def test_early_return_guard_that_mentions_nothing_relevant_still_counts(tmp_path):
    write_files(
        tmp_path,
        {
            "app.py": (
                "import boto3\n\n_client = None\n\n\n"
                "def get_client():\n    global _client\n    if _client is not None:\n        return _client\n"
                "    _client = boto3.client('s3')\n    return _client\n\n\n"
                "def lambda_handler(event, context):\n    return get_client().list_buckets()\n"
            )
        },
    )
    assert findings(tmp_path, "LL101") == []


def test_skipped_functions_are_still_recorded():
    text = "import json\nimport boto3\n\n\ndef helper(payload, size=3):\n    return json.dumps(payload)[:size]\n\n\ndef reset():\n    global _cache\n    _cache = {}\n\n\ndef lambda_handler(event, context):\n    return boto3.client('s3'), helper(event)\n"
    facts = collect_facts("app.py", ast.parse(text), text)
    helper = facts.functions["helper"]
    assert (helper.line, helper.column, helper.params, helper.uses, helper.calls) == (5, 1, ("payload", "size"), [], [])
    assert facts.functions["reset"].global_assigns == {"_cache"}  # `global` keeps a body in the walk
    assert facts.handler_candidates() == ["lambda_handler"]
    assert [u.qualname for u in facts.functions["lambda_handler"].uses] == ["boto3.client"]
    assert facts.functions["lambda_handler"].calls == [("helper", 15)]


def _python_files():
    return sorted(p for base in (FIXTURES, EXAMPLES) for p in base.rglob("*.py") if "bad" not in p.parts)


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(p.parents[2])))
def test_skipping_loses_nothing_a_rule_reads(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        tree = ast.parse(text)
    except SyntaxError:
        pytest.skip("not valid Python (an LL001 fixture)")
    # the names of the fixture's own tree: imports of them are followed into other modules
    names = package_names(q.relative_to(base).as_posix() for base in (FIXTURES, EXAMPLES) if base in path.parents for q in base.rglob("*.py"))
    full = collect_facts("m.py", tree, "", package_names=names)  # no source text: every body is walked
    fast = collect_facts("m.py", tree, text, package_names=names)
    assert fast.functions.keys() == full.functions.keys()
    assert fast.init_package_calls == full.init_package_calls
    for name, fn in full.functions.items():
        quick = fast.functions[name]
        assert quick.calls == fn.calls, name
        assert quick.guarded_calls == fn.guarded_calls, name
        assert quick.package_calls == fn.package_calls, name
        assert quick.global_assigns == fn.global_assigns, name
        assert [u for u in quick.uses if catalog.use_matters(u.qualname)] == [u for u in fn.uses if catalog.use_matters(u.qualname)], name
    assert [u for u in fast.init_uses if catalog.use_matters(u.qualname)] == [u for u in full.init_uses if catalog.use_matters(u.qualname)]
    assert fast.init_calls == full.init_calls
    assert fast.after_restore_hooks == full.after_restore_hooks


def test_every_catalogued_name_is_recorded():
    """facts.py records a call only when catalog.use_matters says a rule reads it: every list a
    rule consults must pass that test."""
    names = catalog.CLIENTS | catalog.CONNECTIONS | catalog.UNIQUE_EXACT | catalog.CPU_CALLS
    assert all(catalog.use_matters(q) for q in names)
    assert all(catalog.use_matters(p + "anything") for p in catalog.UNIQUE_PREFIXES)
    assert all(catalog.use_matters(m + ".anything") for m in catalog.CPU_MODULES)
    assert all(catalog.use_matters("boto3.client()." + m) for fetches in catalog.CONFIG_FETCHES.values() for m in fetches)
    assert all(catalog.use_matters("pymysql.connect()." + m) for m in catalog.REFRESH_METHODS)
    assert all(catalog.use_matters(p + "x.y") for p in catalog.DATABASE_PREFIXES)
    assert not catalog.use_matters("json.dumps") and not catalog.use_matters("boto3.client().put_object")


def test_columns_after_a_form_feed_line(tmp_path):
    # str.splitlines() also breaks at form feeds; the tokenizer does not: line 4 must be line 4
    write_files(tmp_path, {"app.py": "import boto3\n\x0c\n\ndef lambda_handler(event, context):\n    note = 'déjà'; s3 = boto3.client('s3')\n    return s3, note\n"})
    (finding,) = check_json(tmp_path, "--select", "LL101")["findings"]
    assert (finding["line"], finding["column"], finding["end_column"]) == (5, 25, 43)


def test_ll101_message_names_what_is_created(tmp_path):
    write_files(
        tmp_path,
        {"app.py": "import boto3\n\n\ndef lambda_handler(event, context):\n    a = boto3.Session()\n    b = boto3.resource('dynamodb')\n    c = boto3.client('s3')\n    return a, b, c\n"},
    )
    assert [m.split(" on every")[0] for _, _, m in findings(tmp_path, "LL101")] == [
        "`boto3.Session()` creates an AWS SDK session",
        '`boto3.resource("dynamodb")` creates an AWS SDK resource',
        '`boto3.client("s3")` creates an AWS SDK client',
    ]


def test_module_level_client_built_inside_try_is_known(tmp_path):
    write_files(
        tmp_path,
        {
            "app.py": (
                "import boto3\nfrom crhelper import CfnResource\n\nhelper = CfnResource()\ntry:\n    secrets = boto3.client('secretsmanager')\nexcept Exception as error:\n    helper.init_failure(error)\n\n\n"
                "def read(arn):\n    return secrets.get_secret_value(SecretId=arn)['SecretString']\n\n\n"
                "@helper.create\ndef create(event, _):\n    return read(event['ResourceProperties']['SecretArn'])\n\n\n"
                "def lambda_handler(event, context):\n    helper(event, context)\n"
            )
        },
    )
    ((rule, line, message),) = findings(tmp_path, "LL103")
    assert (rule, line) == ("LL103", 12)
    assert "`secretsmanager get_secret_value`" in message and "via create → read" in message


def test_ll101_advice_for_clients_whose_region_or_service_varies(tmp_path):
    write_files(
        tmp_path,
        {
            "app.py": (
                "import boto3\n\n\ndef lambda_handler(event, context):\n"
                "    ssm = boto3.client('ssm', region_name=event['region'])\n"
                "    other = boto3.client(event['service'])\n"
                "    fixed = boto3.client('s3', region_name='eu-west-1')\n"
                "    return ssm, other, fixed\n"
            )
        },
    )
    advice = [m.split("; ", 1)[1] for _, _, m in findings(tmp_path, "LL101")]
    assert [a.startswith("its service or region varies") for a in advice] == [True, True, False]
