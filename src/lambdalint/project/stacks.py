"""Load one template or one Terraform root: its functions, then what else it declares about
them that needs only that document (API Gateway integrations, execution roles and environment
variables). Project-wide linking (callers, alarms, auto scaling) runs afterwards, in
project/crosslink.py and project/scaling.py.

Kept apart from the format loaders so that none of them imports a concern module (which
import the loaders' resolvers): the dependency runs one way.
"""

from __future__ import annotations

from ..formats.cloudformation.resolve import Template
from ..formats.terraform.resolve import Root
from ..formats.cloudformation import api as cfn_api
from ..formats.terraform import api as tf_api
from ..link import callers
from . import cloudformation, security, terraform
from .model import Function


def load_template(t: Template, exists) -> list[Function]:
    functions = cloudformation.load_template(t, exists)
    callers.link(cfn_api.read(t), functions)  # API Gateway integrations -> Function.callers (LL304)
    security.attach_template(t, functions)
    return functions


def load_root(root: Root, exists) -> list[Function]:
    functions = terraform.load_root(root, exists)
    by_key = {f.address.split("#", 1)[1]: f for f in functions}  # "aws_lambda_function.x" / "module.m"
    callers.link(tf_api.read(root), functions)  # API Gateway integrations -> Function.callers (LL304)
    security.attach_root(root, by_key)
    return functions
