# Feeds scenario: few items per feed, its own host; only the plugins the feeds need.
PLUGINS = ["quality", "engine", "german", "articlepage", "images", "comments", "seo", "feeds"]
SITEURL_ABSOLUTE = "https://blog.example"
FEEDS_MAX_ITEMS = 3
# Pelican publishes the future-dated article (its default); the feeds must still leave it out.
WITH_FUTURE_DATES = True

# Entry ids from the host of SITEURL_ABSOLUTE (the project pins its own host).
FEEDS_TAG_AUTHORITY = ""
