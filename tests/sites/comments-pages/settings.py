# Comment pages (COMMENTS_PER_PAGE, default 50): "lang" has 60 top-level threads.
SITEURL_ABSOLUTE = "https://blog.example"
COMMENTS_REPLY_EMAIL = "antworten@blog.example"
