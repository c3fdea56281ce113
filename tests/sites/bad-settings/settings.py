# Deliberately broken settings: every one must be reported, then the build stops.
TIMEZONE = "Europe/Nirgendwo"
DEFAULT_PAGINATION = "zehn"
SHARE_LINKS = ["facebook", "myspace"]
QUALITY_STRICT = "ja"
