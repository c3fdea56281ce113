# Comment pages (COMMENTS_PER_PAGE, default 50): "lang" has 60 top-level threads.
SITEURL_ABSOLUTE = "https://blog.example"
COMMENTS_REPLY_EMAIL = "antworten@blog.example"
# No comment form here: "Antworten" stays a mailto: link (the form is tested in "comments").
COMMENTS_POST_URL = ""
