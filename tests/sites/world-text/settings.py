SITEURL_ABSOLUTE = "https://blog.example"
COMMENTS_REPLY_EMAIL = "antworten@blog.example"
