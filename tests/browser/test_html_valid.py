"""Every generated HTML page (and e-mail) passes the Nu Html Checker with 0 errors."""

from __future__ import annotations

import pytest

from tests.support.nuchecker import nu_errors, require_java

pytestmark = pytest.mark.browser


def test_nu_html_checker_finds_no_errors(real_site):
    require_java()
    pages = [p for p in real_site.output.rglob("*.html")]
    assert len(pages) > 30
    status, errors = nu_errors(real_site.output)
    assert status == 0 and errors == [], "\n".join(errors[:20])
