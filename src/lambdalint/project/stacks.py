"""Load one template or one Terraform root: its functions, then what else it declares about
them that needs only that document (API Gateway integrations, execution roles and environment
variables). Project-wide linking (callers, alarms, auto scaling) runs afterwards, in
project/crosslink.py and link/scaling.py.

Kept apart from the format loaders so that none of them imports a concern module (which
import the loaders' resolvers): the dependency runs one way.
"""

from __future__ import annotations

from ..formats.cloudformation.resolve import Template
from ..formats.terraform.resolve import Root
from . import api_gateway, cloudformation, security, terraform
from .model import Function


def load_template(t: Template, exists) -> list[Function]:
    functions = cloudformation.load_template(t, exists)
    api_gateway.attach_cfn_api_callers(t, functions)  # API Gateway integrations -> Function.callers (LL304)
    security.attach_template(t, functions)
    return functions


def load_root(root: Root, exists) -> list[Function]:
    functions = terraform.load_root(root, exists)
    by_key = {f.address.split("#", 1)[1]: f for f in functions}  # "aws_lambda_function.x" / "module.m"
    api_gateway.attach_tf_api_callers(root, by_key)
    security.attach_root(root, by_key)
    return functions
