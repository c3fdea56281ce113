COMMENTS_REPLY_EMAIL = "antworten@blog.example"
