"""The jinja2 environment over the packaged templates: StrictUndefined, a hash per template.

Templates live in the top-level ``prompts/`` folder of the source tree, installed as the
package ``pipeline.prompts`` (see pyproject.toml), and are loaded with jinja2's
``PackageLoader``: a wheel installed anywhere finds them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Iterator
from importlib import resources

import jinja2

from pipeline.errors import ConfigError, ReadinessError

TEMPLATE_PACKAGE = "pipeline.prompts"


class TemplateFailed(ReadinessError):
    """A shipped template is missing or broken: an installation fault, not the user's."""


@contextlib.contextmanager
def map_template_errors(name: str) -> Iterator[None]:
    """jinja2's exceptions become ours, naming the template (the boundary's one table)."""
    try:
        yield
    except jinja2.TemplateNotFound as exc:
        raise TemplateFailed(
            f"template {exc.name} is not installed: reinstall readiness (pip install readiness)"
        ) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateFailed(f"template {name} needs a value it was not given: {exc}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateFailed(f"template {name} is broken at line {exc.lineno}: {exc}") from exc


@functools.cache
def environment(html: bool = False) -> jinja2.Environment:
    """One shared environment per output kind; HTML pages escape what they interpolate.

    Markdown and prompts are not escaped (they are text); HTML is, because report text
    quotes the assessed repository, which nobody vetted.
    """
    try:
        loader = jinja2.PackageLoader(TEMPLATE_PACKAGE, ".")
    except (ModuleNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"readiness's templates ({TEMPLATE_PACKAGE}) are not installed: {exc}"
        ) from exc
    return jinja2.Environment(
        loader=loader,
        # Compiling the report templates costs more than rendering them; jinja2 keeps the
        # compiled code per user in the temp folder, keyed by each template's source checksum.
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=html,
    )


def render(name: str, html: bool = False, **context: object) -> str:
    """Render the template ``name`` (a path inside the templates package)."""
    with map_template_errors(name):
        return environment(html).get_template(name).render(**context)


@functools.cache
def template_hash(name: str) -> str:
    """sha256[:12] of a template's source: goes into cache keys and report metadata."""
    with map_template_errors(name):
        source = resources.files(TEMPLATE_PACKAGE).joinpath(name).read_bytes()
    return hashlib.sha256(source).hexdigest()[:12]


def template_sources() -> list[tuple[str, bytes]]:
    """Every template's name and bytes, for fingerprints of this tool's own code."""
    found: list[tuple[str, bytes]] = []

    def walk(folder: resources.abc.Traversable, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif not entry.name.endswith((".py", ".pyc")):
                found.append((prefix + entry.name, entry.read_bytes()))

    walk(resources.files(TEMPLATE_PACKAGE), "")
    return found
