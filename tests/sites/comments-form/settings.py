# The comment form end to end (tests/service/test_comments_flow.py): one open article
# with one comment, one closed article. The reader service's settings are added by the test.
SITEURL_ABSOLUTE = "https://blog.example"
COMMENTS_REPLY_EMAIL = "autor@blog.example"
SEARCH_INDEX = False
