"""Load one template or one Terraform root: its functions (read by the format's reader, linked to
their provisioned concurrency and versions by link/functions.py), then what else it declares
about them that needs only that document (API Gateway integrations, execution roles and
environment variables). Project-wide linking (callers, alarms, auto scaling) runs afterwards, in
project/crosslink.py and link/scaling.py.

Kept apart from the format readers so that none of them imports a concern module (which
import the readers' resolvers): the dependency runs one way.
"""

from __future__ import annotations

from ..formats.cloudformation import functions as cfn_functions
from ..formats.cloudformation.resolve import Template
from ..formats.terraform import functions as tf_functions
from ..formats.terraform.resolve import Root
from ..formats.cloudformation import api as cfn_api
from ..formats.cloudformation import security as cfn_security
from ..formats.terraform import api as tf_api
from ..formats.terraform import security as tf_security
from ..link import callers, security
from ..link.functions import link_functions
from .model import Function


def load_template(t: Template, exists) -> list[Function]:
    functions = link_functions(cfn_functions.read(t, exists))
    callers.link(cfn_api.read(t), functions)  # API Gateway integrations -> Function.callers (LL304)
    security.attach(functions, cfn_security.read(t))  # execution roles, environment variables (LL5xx)
    return functions


def load_root(root: Root, exists) -> list[Function]:
    functions = link_functions(tf_functions.read(root, exists))
    callers.link(tf_api.read(root), functions)  # API Gateway integrations -> Function.callers (LL304)
    security.attach(functions, tf_security.read(root))  # execution roles, environment variables (LL5xx)
    return functions
