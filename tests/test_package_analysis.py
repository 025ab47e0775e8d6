"""Handler scope across the modules of a code package (analysis/package.py): where findings go,
how often they are reported, and that odd packages (cycles, broken helpers, namespace
packages) neither crash the run nor lose results. The six patterns themselves are covered by
the annotated projects in tests/fixtures/packages."""

from __future__ import annotations

import json
from pathlib import Path

from lambdalint.config import Settings
from lambdalint.engine import _discover_with_context

from .conftest import check_json, run_cli, write_files

PACKAGES = Path(__file__).parent / "fixtures" / "packages"

SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
"""
WRAPPER = "import boto3\n\n\ndef create_client(name):\n    return boto3.client(name)\n"


def findings(root: Path, select: str = "LL101,LL102,LL103") -> list[dict]:
    return check_json(root, "--select", select)["findings"]


def test_finding_is_at_the_call_in_the_handler_module_and_names_the_chain(tmp_path):
    write_files(
        tmp_path,
        {
            "template.yaml": SAM,
            "src/app.py": "from lib.aws import create_client\n\n\ndef process(event):\n    return create_client('s3').list_buckets()\n\n\ndef handler(event, context):\n    return process(event)\n",
            "src/lib/__init__.py": "",
            "src/lib/aws.py": WRAPPER,
        },
    )
    (finding,) = findings(tmp_path)
    assert (finding["path"], finding["line"], finding["column"]) == ("src/app.py", 5, 12)
    assert "`create_client` (src/lib/aws.py:5)" in finding["message"]
    assert "via handler → process → create_client" in finding["message"]
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("src/app.py", 8), ("src/lib/aws.py", 5)]


def test_sarif_carries_the_construction_as_a_related_location(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM, "src/app.py": "import helpers\n\n\ndef handler(event, context):\n    return helpers.forward(event)\n", "src/helpers.py": "import requests\n\n\ndef forward(event):\n    return requests.Session().post('https://example.com', json=event)\n"})
    code, out = run_cli(["check", ".", "--format", "sarif", "--fail-on", "never", "--select", "LL102"], cwd=tmp_path)
    (result,) = json.loads(out)["runs"][0]["results"]
    related = [(r["physicalLocation"]["artifactLocation"]["uri"], r["physicalLocation"]["region"]["startLine"]) for r in result["relatedLocations"]]
    assert ("src/helpers.py", 5) in related
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/app.py"


def test_an_inline_suppression_at_the_call_in_the_handler_module_works(tmp_path):
    write_files(
        tmp_path,
        {
            "template.yaml": SAM,
            "src/app.py": "from lib.aws import create_client\n\n\ndef handler(event, context):\n    # lambdalint: ignore[LL101] -- a one-off migration function\n    return create_client('s3').list_buckets()\n",
            "src/lib/__init__.py": "",
            "src/lib/aws.py": WRAPPER,
        },
    )
    report = check_json(tmp_path, "--select", "LL101")
    assert report["findings"] == [] and len(report["suppressed"]) == 1


def test_a_helper_reached_by_two_handlers_is_reported_once_a_factory_once_per_call(tmp_path):
    template = SAM + "  Other:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: other.handler\n      Runtime: python3.12\n"
    write_files(
        tmp_path,
        {
            "template.yaml": template,
            "src/app.py": "import helpers\nfrom lib.aws import create_client\n\n\ndef handler(event, context):\n    helpers.forward(event)\n    return create_client('s3')\n",
            "src/other.py": "import helpers\nfrom lib.aws import create_client\n\n\ndef handler(event, context):\n    helpers.forward(event)\n    return create_client('sqs')\n",
            "src/helpers.py": "import requests\n\n\ndef forward(event):\n    with requests.Session() as http:\n        return http.post('https://example.com', json=event)\n",
            "src/lib/__init__.py": "",
            "src/lib/aws.py": WRAPPER,
        },
    )
    found = sorted((f["rule"], f["path"], f["line"]) for f in findings(tmp_path))
    # the session helper: once, for the first handler; the client factory: at each call
    assert found == [("LL101", "src/app.py", 7), ("LL101", "src/other.py", 7), ("LL102", "src/app.py", 6)]


def test_lazy_init_and_caches_around_a_package_factory_do_not_fire(tmp_path):
    write_files(
        tmp_path,
        {
            "template.yaml": SAM,
            "src/app.py": (
                "from lib.aws import create_client\n\n_s3 = None\n_clients = {}\n\n\n"
                "def s3():\n    global _s3\n    if _s3 is None:\n        _s3 = create_client('s3')\n    return _s3\n\n\n"
                "def client(name):\n    if name not in _clients:\n        _clients[name] = create_client(name)\n    return _clients[name]\n\n\n"
                "SQS = create_client('sqs')\n\n\n"
                "def handler(event, context):\n    return s3(), client('sns'), SQS\n"
            ),
            "src/lib/__init__.py": "",
            "src/lib/aws.py": WRAPPER,
        },
    )
    assert findings(tmp_path) == []


def test_a_cached_session_from_the_same_module_still_builds_a_client_per_call(tmp_path):
    write_files(
        tmp_path,
        {
            "app.py": (
                "import functools\n\nimport boto3\n\n\n@functools.lru_cache(maxsize=None)\ndef session():\n    return boto3.Session()\n\n\n"
                "def lambda_handler(event, context):\n    return session().client('ec2').describe_regions()\n"
            )
        },
    )
    (finding,) = findings(tmp_path)
    assert (finding["line"], finding["rule"]) == (12, "LL101") and "boto3.Session().client(\"ec2\")" in finding["message"]


def test_cycles_re_exports_and_recursion_terminate(tmp_path):
    write_files(
        tmp_path,
        {
            "svc/__init__.py": "from .a import run\nfrom . import b\n",
            "svc/a.py": "from . import b\nfrom .a import run as again\n\n\ndef run(event):\n    return b.step(event)\n",
            "svc/b.py": "import requests\nfrom . import a\n\n\ndef step(event):\n    if event:\n        return a.run(event[1:])\n    return requests.Session()\n",
            "svc/app.py": "from svc import run\n\n\ndef lambda_handler(event, context):\n    return run(event)\n",
        },
    )
    (finding,) = findings(tmp_path)
    assert (finding["path"], finding["line"], finding["rule"]) == ("svc/app.py", 5, "LL102")


def test_a_broken_helper_is_ll001_and_the_handler_is_still_checked(tmp_path):
    write_files(
        tmp_path,
        {
            "app.py": "import boto3\nimport broken\n\n\ndef lambda_handler(event, context):\n    broken.run()\n    return boto3.client('s3')\n",
            "broken.py": "def run(:\n    pass\n",
        },
    )
    found = sorted((f["rule"], f["path"], f["line"]) for f in check_json(tmp_path, "--select", "LL001,LL101")["findings"])
    assert found == [("LL001", "broken.py", 1), ("LL101", "app.py", 7)]


def test_namespace_packages_and_nested_relative_imports(tmp_path):
    write_files(
        tmp_path,
        {
            "template.yaml": SAM.replace("app.handler", "api.handlers.orders.handler"),
            "src/api/handlers/orders.py": "from ...shared.db import connect\n\n\ndef handler(event, context):\n    return connect().cursor()\n",
            "src/shared/db.py": "import pymysql\n\n\ndef connect():\n    return pymysql.connect(host='db')\n",
        },
    )
    (finding,) = findings(tmp_path)
    assert (finding["path"], finding["rule"]) == ("src/api/handlers/orders.py", "LL102")


def test_precommit_reads_the_imported_package_modules_and_nothing_else(tmp_path):
    write_files(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            "template.yaml": SAM,
            "src/app.py": "from lib.aws import create_client\nfrom lib import util\n\n\ndef handler(event, context):\n    return create_client('s3'), util.now()\n",
            "src/lib/__init__.py": "",
            "src/lib/aws.py": WRAPPER,
            "src/lib/util.py": "import time\n\n\ndef now():\n    return time.time()\n",
            "src/unrelated.py": "import boto3\n\n\ndef lambda_handler(event, context):\n    return boto3.client('s3')\n",
        },
    )
    parsed = _discover_with_context([str(tmp_path / "src" / "app.py")], tmp_path, Settings(), 1)[2]
    assert sorted(p.source.rel for p in parsed) == ["src/app.py", "src/lib/__init__.py", "src/lib/aws.py", "src/lib/util.py", "template.yaml"]
    code, out = run_cli(["check", "src/app.py", "--format", "json", "--fail-on", "never", "--select", "LL101"], cwd=tmp_path)
    assert [(f["path"], f["line"]) for f in json.loads(out)["findings"]] == [("src/app.py", 6)]


def test_package_findings_do_not_depend_on_jobs():
    outputs = set()
    for jobs in ("1", "2"):
        code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never", "--select", "LL1", "--jobs", jobs], cwd=PACKAGES)
        outputs.add(out)
    assert len(outputs) == 1


def test_vendored_dependencies_are_third_party_code(tmp_path):
    # `pip install -t src/` puts libraries (and their *.dist-info) next to the handler
    write_files(
        tmp_path,
        {
            "template.yaml": SAM,
            "src/app.py": "import vendorlib\n\n\ndef handler(event, context):\n    return vendorlib.fetch(event)\n",
            "src/vendorlib/__init__.py": "import boto3\n\n\ndef fetch(event):\n    return boto3.client('s3').get_object(Bucket='b', Key=event['key'])\n",
            "src/vendorlib-1.0.dist-info/METADATA": "Name: vendorlib\n",
        },
    )
    assert findings(tmp_path) == []
    (tmp_path / "src" / "vendorlib-1.0.dist-info" / "METADATA").unlink()
    (tmp_path / "src" / "vendorlib-1.0.dist-info").rmdir()
    assert [f["line"] for f in findings(tmp_path)] == [5]  # the same code as the package's own module


def test_methods_of_package_objects_kept_on_self(tmp_path):
    write_files(
        tmp_path,
        {
            "template.yaml": SAM,
            "src/app.py": "from service import OrderService\n\n\ndef handler(event, context):\n    return OrderService().archive(event)\n",
            "src/service.py": "from storage import Storage\n\n\nclass OrderService:\n    def __init__(self):\n        self.storage = Storage()\n\n    def archive(self, order):\n        return self.storage.put(order)\n",
            "src/storage.py": "import boto3\n\n\nclass Storage:\n    def put(self, order):\n        return boto3.client('s3').put_object(Bucket='b', Key=order['id'], Body=b'')\n",
        },
    )
    (finding,) = findings(tmp_path)
    assert (finding["path"], finding["line"]) == ("src/app.py", 5)
    assert "via handler → OrderService.archive → Storage.put" in finding["message"]


def test_a_layer_source_directory_is_on_the_import_path(tmp_path):
    # SAM builds `layers/` (ContentUri of an AWS::Serverless::LayerVersion) into /opt/python
    write_files(
        tmp_path,
        {
            "backend/layers/shared.py": "import requests\n\n\ndef post(url, body):\n    return requests.Session().post(url, json=body)\n",
            "backend/cart/add.py": "from shared import post\n\n\ndef lambda_handler(event, context):\n    return post('https://example.com', event)\n",
        },
    )
    (finding,) = findings(tmp_path)
    assert (finding["path"], finding["line"], finding["rule"]) == ("backend/cart/add.py", 5, "LL102")


def test_long_chains_of_modules_and_base_classes_stay_bounded(tmp_path):
    files = {"pkg/__init__.py": ""}
    for i in range(300):  # each module re-exports the previous one and subclasses its class
        files[f"pkg/m{i}.py"] = "import boto3\n\n\nclass C0:\n    def run(self):\n        return boto3.client('s3')\n" if i == 0 else f"from pkg.m{i - 1} import C{i - 1}\n\n\nclass C{i}(C{i - 1}):\n    pass\n"
    files["app.py"] = "from pkg.m299 import C299\n\n\ndef lambda_handler(event, context):\n    return C299().run()\n"
    write_files(tmp_path, files)
    report = check_json(tmp_path, "--select", "LL101")
    assert report["notices"] == []  # no rule crashed; too deep a chain is unknown, so quiet
    assert all(f["path"] == "app.py" for f in report["findings"])


def test_a_chalice_app_named_as_the_handler_in_a_template(tmp_path):
    write_files(
        tmp_path,
        {
            "template.yaml": SAM.replace("app.handler", "app.app"),
            "src/app.py": "from chalice import Chalice\n\nfrom chalicelib import db\n\napp = Chalice(app_name='orders')\n\n\n@app.route('/orders/{order_id}')\ndef get_order(order_id):\n    return db.load(order_id)\n",
            "src/chalicelib/__init__.py": "",
            "src/chalicelib/db.py": "import pymysql\n\n\ndef load(order_id):\n    return pymysql.connect(host='db').cursor().execute('select 1')\n",
        },
    )
    (finding,) = findings(tmp_path)
    assert (finding["path"], finding["line"], finding["rule"]) == ("src/app.py", 10, "LL102")
    assert "via get_order → load" in finding["message"]


def test_clients_and_sessions_kept_on_self(tmp_path):
    write_files(
        tmp_path,
        {
            "app.py": (
                "import boto3\n\n\nclass Assumed:\n    def __init__(self, creds):\n        self.session = boto3.Session(aws_access_key_id=creds['id'])\n"
                "        self.ssm = boto3.client('ssm')\n        self._s3 = None\n\n"
                "    def client(self, name):\n        return self.session.client(name)\n\n"
                "    def s3(self):\n        if self._s3 is None:\n            self._s3 = self.session.client('s3')\n        return self._s3\n\n"
                "    def url(self):\n        return self.ssm.get_parameter(Name='/app/url')['Parameter']['Value']\n\n\n"
                "ROLE = Assumed({'id': 'x'})  # built once, at init\n\n\n"
                "def lambda_handler(event, context):\n    ROLE.s3().list_buckets()\n    return ROLE.client('ec2').describe_regions(), ROLE.url()\n"
            )
        },
    )
    found = sorted((f["rule"], f["line"]) for f in findings(tmp_path))
    # a client per call of Assumed.client, an uncached read; the lazily built s3 client is fine
    assert found == [("LL101", 11), ("LL103", 19)]


def test_a_package_context_manager_that_connects_in_enter(tmp_path):
    write_files(
        tmp_path,
        {
            "db.py": "import psycopg2\n\n\nclass Database:\n    def __enter__(self):\n        self.conn = psycopg2.connect(host='db')\n        return self.conn\n\n    def __exit__(self, *exc):\n        self.conn.close()\n",
            "app.py": "from db import Database\n\n\ndef lambda_handler(event, context):\n    with Database() as conn:\n        return conn.cursor().execute('select 1')\n",
        },
    )
    (finding,) = findings(tmp_path)
    assert (finding["path"], finding["line"], finding["rule"]) == ("app.py", 5, "LL102")
    assert "via lambda_handler → Database.__enter__" in finding["message"]
