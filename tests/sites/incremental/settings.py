# The incremental scenario: tests/support/incremental.py edits a copy of this site step by
# step (and this file: the "setting" steps) and compares each build with a clean one.
COMMENTS_REPLY_EMAIL = "antworten@blog.example"
SITEURL_ABSOLUTE = "https://blog.example"
DEFAULT_PAGINATION = 2
BUILD_WORKERS = 0
SEARCH_SHARDS = True  # one Pagefind bundle per year (the random steps switch it too)
