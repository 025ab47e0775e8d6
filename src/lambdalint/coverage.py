"""What a run covered: how many functions it found and linked to code, in how many templates and
Terraform roots, and what it saw but could not read. Silence must not look like health: a run
that found nothing says what it looked for."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .findings import Notice


@dataclass
class Coverage:
    functions: int = 0
    linked: int = 0  # functions whose handler module was found and analysed
    by_kind: dict[str, int] = field(default_factory=dict)  # "sam" | "cloudformation" | "terraform" | "terraform-module" | "serverless"
    templates: int = 0
    terraform_roots: int = 0
    services: int = 0  # Serverless Framework service files
    skipped: int = 0  # files (and folders) the run saw but did not analyse; each has a notice

    def add(self, other: "Coverage") -> None:
        """Add the counts of another unit of the same run (units share no directory)."""
        self.functions += other.functions
        self.linked += other.linked
        kinds = Counter(self.by_kind)
        kinds.update(other.by_kind)
        self.by_kind = dict(sorted(kinds.items()))
        self.templates += other.templates
        self.terraform_roots += other.terraform_roots
        self.services += other.services

    def count_skipped(self, notices: list[Notice]) -> None:
        self.skipped = len({n.path for n in notices if n.path and n.level != "error"})

    def summary_line(self) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        return (
            f"{plural(self.functions, 'function')} ({self.linked} linked to handler code) in {plural(self.templates, 'template')}"
            f" / {plural(self.terraform_roots, 'Terraform root')}"
            + (f" / {plural(self.services, 'Serverless service')}" if self.services else "")
            + f"; {plural(self.skipped, 'file')} skipped."
        )


NOTHING_FOUND = (
    "no Lambda function and no handler found: lambdalint looked for SAM/CloudFormation templates "
    "(AWS::Serverless::Function, AWS::Lambda::Function), Terraform (aws_lambda_function, the "
    "terraform-aws-modules/lambda module), Serverless Framework (serverless.yml), Python files with a handler (a function taking "
    "(event, context), or named handler/lambda_handler/*_handler) and JavaScript/TypeScript "
    "modules exporting one; check the paths you gave"
)


def measure(project, parsed: list) -> Coverage:
    """One unit's counts; the skipped files are counted once for the whole run (count_skipped)."""
    from .documents.serverless import ServerlessDocument
    from .documents.templates import TemplateDocument
    from .documents.terraform import TerraformDocument

    functions = project.functions
    # Spring Cloud Function adapters run the project's beans: linked without a handler class
    java_linked = {id(f) for target in project.java_targets for f in target.functions}
    return Coverage(
        functions=len(functions),
        linked=sum(1 for f in functions if _linked(f, project, java_linked)),
        by_kind=dict(sorted(Counter(f.kind for f in functions).items())),
        templates=sum(1 for p in parsed if isinstance(p.document, TemplateDocument)),
        terraform_roots=_terraform_roots([p.document for p in parsed if isinstance(p.document, TerraformDocument)]),
        services=sum(1 for p in parsed if isinstance(p.document, ServerlessDocument)),
    )


def _terraform_roots(docs: list) -> int:
    """Folders of Terraform read as roots (a folder only called as a local module is none)."""
    if not docs:
        return 0
    from .formats.terraform.modules import top_folders

    return len(top_folders(docs))


def _linked(function, project, java_linked: set[int]) -> bool:
    """The handler's code was found and read: a Python or JavaScript/TypeScript module, or Java
    code the handler runs (its class, or the beans a Spring Cloud Function adapter calls)."""
    if id(function) in java_linked:
        return True
    module = function.handler_module
    return bool(module) and (module in project.python_modules or module in project.script_modules)


def unread_module_notices(parsed: list) -> list[Notice]:
    """Terraform modules from a git or registry address: their functions are not read (only the
    widely used terraform-aws-modules/lambda module is understood from its inputs)."""
    from .documents.terraform import TerraformDocument
    from .formats.terraform.functions import unread_modules

    out = []
    for p in parsed:
        if not isinstance(p.document, TerraformDocument):
            continue
        for module in unread_modules(p.document):
            out.append(
                Notice(
                    p.source.rel,
                    module.line,
                    f"{module.address} comes from {module.source}, which lambdalint does not read: Lambda functions it creates are not checked",
                    "note",
                )
            )
    return out
