# Hostile comments: nesting deeper than markdown-it's limit, a comment over
# COMMENTS_MAX_LENGTH and symlinks (the test adds the over-long file and the links).
COMMENTS_REPLY_EMAIL = "antworten@blog.example"
SEARCH_INDEX = False
