"""Pelican settings for the IdeeQuadrat blog, built with Rundbrief.

Settings of our own plugins carry their prefix (COMMENTS_*, FEEDS_*, NEWSLETTER_*,
SEO_*); their defaults live in each plugin's ``settings.py`` and every value is
validated when the build starts. Only what differs from a default is set here.
"""

import sys
from pathlib import Path

# The core (rundbrief/) sits next to plugins/; the plugins import it.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

AUTHOR = "Hendrik Epe"
SITENAME = "IdeeQuadrat"
SITESUBTITLE = "Neue Wege für soziale Organisationen"
SITEURL = ""
RELATIVE_URLS = True  # output/ can be opened straight from disk while writing
# Absolute base for canonical links, Open Graph, sitemap, feeds and e-mails.
SITEURL_ABSOLUTE = "https://www.ideequadrat.org"
SITE_DESCRIPTION = (
    "Hendrik Epe schreibt über Organisationsentwicklung, Soziale Arbeit und New Work."
)

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
# content/comments/ is read by the comments plugin, never by Pelican's readers.
IGNORE_FILES = [".#*", "comments"]

TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
DEFAULT_DATE_FORMAT = "%d.%m.%Y"  # templates use Babel via the `datum` filter instead

THEME = "theme"
# Autoescape everything; templates mark Pelican's rendered HTML (content, summary) as safe.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
PLUGIN_PATHS = ["plugins"]
# Pelican loads the plugins in this order and a plugin may import only those before it:
# "quality" first, then "engine" (the process pool, started before Pelican reads);
# "search" right after Pelican's own generators: Pagefind indexes while the rest is written;
# "images" (featured-image renditions) before "seo", "newsletter" and "feeds", which use them.
PLUGINS = [
    "quality",
    "engine",
    "german",
    "articlepage",
    "legal",
    "search",
    "images",
    "comments",
    "seo",
    "newsletter",
    "feeds",
]

# WordPress-compatible URLs, so old links keep working.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DRAFT_URL = "entwuerfe/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "category/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "tag/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
AUTHORS_URL = "author/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
ARCHIVES_URL = "archiv/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"
DAY_ARCHIVE_SAVE_AS = ""
INDEX_SAVE_AS = "index.html"

# Articles dated in the future are scheduled: drafts until their date has come.
WITH_FUTURE_DATES = False

DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Slugs: the german plugin transliterates ä→ae, ö→oe, ü→ue, ß→ss before these apply.
SLUGIFY_SOURCE = "title"

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {"title": "Inhalt", "toc_depth": "2-3"},
        # The table of contents as a labelled <nav> (rundbrief/article/reading.py).
        "rundbrief.article.reading:TocNav": {},
    },
    "output_format": "html5",
}

# Pelican's built-in feeds are off; the feeds plugin writes them with feedgen.
# The host inside feed entry ids: pinned, so a domain move never makes old entries new.
FEEDS_TAG_AUTHORITY = "www.ideequadrat.org"
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DIRECT_TEMPLATES = ["index", "categories", "tags", "authors", "archives"]

MENUITEMS = (("Archiv", "/archiv/"), ("Newsletter", "/newsletter-anmeldung/"))
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = True

# The sign-up box on every article and the Newsletter page post to this URL
# (the subscription service, see README "Newsletter").
NEWSLETTER_SIGNUP_URL = "/newsletter/subscribe"

# Comments: content/comments/<article-slug>/<id>.md; "Antworten" is a mailto: to this address.
COMMENTS_REPLY_EMAIL = "kommentare@ideequadrat.org"

# Share links under each article: plain URLs, no third-party script.
SHARE_LINKS = ["facebook", "x", "linkedin", "whatsapp", "mail", "print"]

# Incremental builds (README, "Performance"): Pelican's content cache keeps the reading
# side, BUILD_INCREMENTAL (default True) re-renders only pages whose inputs changed and
# clears the rest of output/ itself, so Pelican must not delete output/ first.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "sha256"  # an edit within the same second is still seen
# Uncompressed: gzip took 1.7 s of a 21 s warm build at N = 1,000 (bench/build_bench.py).
GZIP_CACHE = False
DELETE_OUTPUT_DIRECTORY = False

# Weekly digest (newsletter plugin): one per ISO week with new articles, under /newsletter/.
NEWSLETTER_MAX_ITEMS = 10

# Impressum and Datenschutz (§ 5 DDG, DSGVO) are filled from these settings. Enter the real
# details here: `make publish` fails while one of them is missing or still an example.
IMPRESSUM_NAME = "Hendrik Epe"
IMPRESSUM_ADDRESS = None  # e.g. ["Straße 1", "12345 Ort"]: the address for legal mail
IMPRESSUM_EMAIL = None  # e.g. "kontakt@…": § 5 DDG asks for a fast way to reach you
IMPRESSUM_PHONE = ""  # optional

# Content problems are reported as warnings; publishconf.py turns them into a failed build.
QUALITY_STRICT = False
