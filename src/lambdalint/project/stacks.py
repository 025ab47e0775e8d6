"""Load one template or one Terraform root: its functions (read by the format's reader, linked to
their provisioned concurrency and versions by link/functions.py), then what else it declares
about them that needs only that document (API Gateway integrations, execution roles and
environment variables). Project-wide linking (callers, alarms, auto scaling) runs afterwards, in
project/crosslink.py and project/scaling.py.

Kept apart from the format readers so that none of them imports a concern module (which
import the readers' resolvers): the dependency runs one way.
"""

from __future__ import annotations

from ..formats.cloudformation import functions as cfn_functions
from ..formats.cloudformation.resolve import Template
from ..formats.terraform import functions as tf_functions
from ..formats.terraform.resolve import Root
from ..link.functions import link_functions
from . import api_gateway, security
from .model import Function


def load_template(t: Template, exists) -> list[Function]:
    functions = link_functions(cfn_functions.read(t, exists))
    api_gateway.attach_cfn_api_callers(t, functions)  # API Gateway integrations -> Function.callers (LL304)
    security.attach_template(t, functions)
    return functions


def load_root(root: Root, exists) -> list[Function]:
    functions = link_functions(tf_functions.read(root, exists))
    by_key = {f.address.split("#", 1)[1]: f for f in functions}  # "aws_lambda_function.x" / "module.m"
    api_gateway.attach_tf_api_callers(root, by_key)
    security.attach_root(root, by_key)
    return functions
