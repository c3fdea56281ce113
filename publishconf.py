"""Settings for `make publish`: pelicanconf.py plus the public URL and a strict build.

SITEURL comes from the environment variable SITEURL (no trailing slash), e.g.
``SITEURL=https://www.ideequadrat.org make publish``.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "https://www.ideequadrat.org").rstrip("/")
SITEURL_ABSOLUTE = SITEURL
RELATIVE_URLS = False
# Publishing is a clean build: every file read and rendered, every content warning shown.
DELETE_OUTPUT_DIRECTORY = True
BUILD_INCREMENTAL = False
LOAD_CONTENT_CACHE = False
# Drafts are previewed locally under /entwuerfe/, but never published.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

# Any content warning (a broken article, comment, …) fails the build with a non-zero exit.
QUALITY_STRICT = True
