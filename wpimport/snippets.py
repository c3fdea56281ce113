"""The bits of HTML the importer writes into Markdown (galleries, audio and video players),
from the Jinja templates in ``wpimport/templates/``. Pure."""

from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


def render(template: str, **values) -> str:
    """The template ``template`` as one raw-HTML block for Markdown: no blank lines inside."""
    text = environment().get_template(template).render(**values)
    return "\n".join(line for line in text.splitlines() if line.strip())
