"""Records about a function's versions and provisioned concurrency, in no format's terms.

The format readers (``formats/<format>/functions.py``) build the ``Function`` model objects
themselves (they are already neutral) and, next to them, these records for the resources that
qualify a function: link/functions.py attaches them to the function their :class:`FunctionRef`
names.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Location
from ..project.model import Qualifier, Setting
from . import FunctionRef


@dataclass(frozen=True)
class ProvisionedConcurrencyRecord:
    """Provisioned concurrency on one qualifier of a function: an alias or version resource's
    ``ProvisionedConcurrencyConfig``, SAM's ``ProvisionedConcurrencyConfig`` on its
    ``AutoPublishAlias``, an ``aws_lambda_provisioned_concurrency_config``, the lambda module's
    ``provisioned_concurrent_executions``."""

    function: FunctionRef
    amount: Setting  # int
    qualifier: Qualifier  # resolved by the reader: it alone sees the alias, the version, ``publish``
    location: Location  # the configuration (resource, block or property)
    address: str  # the resource that configures it, e.g. "template.yaml#Resources/LiveAlias"
    note: str = ""  # why the qualifier is $LATEST when it is, for the message
    may_not_exist: bool = False  # behind a count / for_each we cannot resolve


@dataclass(frozen=True)
class VersionRecord:
    """A resource that publishes a version of a function (``AWS::Lambda::Version``).

    When it names no function the document can tell (``function.key`` and ``function.name`` both
    None, or a name nothing matches), any function of that document may be the one it publishes:
    ``source`` says why, for messages."""

    function: FunctionRef
    location: Location
    source: str


@dataclass(frozen=True)
class UnreadModule:
    """A Terraform module from a git or registry address: the functions it creates are not read
    (the terraform-aws-modules/lambda module is read from its inputs instead)."""

    line: int
    address: str  # "module.api"
    source: str  # as written
