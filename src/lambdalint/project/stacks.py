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
from ..formats.cloudformation import security as cfn_security
from ..formats.terraform import api as tf_api
from ..formats.terraform import security as tf_security
from ..link import callers, security
from . import cloudformation, terraform
from .model import Function


def load_template(t: Template, exists) -> list[Function]:
    functions = cloudformation.load_template(t, exists)
    callers.link(cfn_api.read(t), functions)  # API Gateway integrations -> Function.callers (LL304)
    security.attach(functions, cfn_security.read(t))  # execution roles, environment variables (LL5xx)
    return functions


def load_root(root: Root, exists) -> list[Function]:
    functions = terraform.load_root(root, exists)
    callers.link(tf_api.read(root), functions)  # API Gateway integrations -> Function.callers (LL304)
    security.attach(functions, tf_security.read(root))
    return functions
