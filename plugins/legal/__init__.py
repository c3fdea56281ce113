"""legal: the Impressum and the Datenschutzerklärung filled from the IMPRESSUM_* settings.

The pages use the templates `impressum` and `datenschutz`, which render the owner's name,
address, e-mail and (optional) phone from the settings. A strict build (`make publish`)
fails while any of them is missing or still an example value.
"""

from __future__ import annotations

import logging

from pelican import signals

from rundbrief.legal import placeholder_settings
from rundbrief.problems import Problem, display_path

logger = logging.getLogger(__name__)

LEGAL_TEMPLATES = ("impressum", "datenschutz")


def check_impressum(generator):
    """Report placeholders once per build, on the first page that shows them."""
    pages = sorted(
        (
            page
            for page in generator.pages + generator.hidden_pages
            if getattr(page, "template", "") in LEGAL_TEMPLATES
        ),
        key=lambda page: LEGAL_TEMPLATES.index(page.template),
    )
    if not pages:
        return
    bad = placeholder_settings(generator.settings)
    if not bad:
        return
    problem = Problem(
        display_path(pages[0].source_path),
        None,
        "Impressum und Datenschutzerklärung sind noch nicht vollständig: "
        + ", ".join(bad)
        + " fehlt oder enthält noch einen Platzhalter.",
        "In pelicanconf.py die echten Angaben eintragen (IMPRESSUM_NAME, IMPRESSUM_ADDRESS, "
        "IMPRESSUM_EMAIL, optional IMPRESSUM_PHONE; siehe README „Impressum und Datenschutz“).",
    )
    if generator.settings.get("QUALITY_STRICT"):
        logger.warning("%s", problem)
    else:
        logger.info("%s", problem)


def register():
    signals.page_generator_finalized.connect(check_impressum)
