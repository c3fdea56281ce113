"""Comments written by readers: the form's intake, moderation by the author, publishing.

- ``checks``: what a post must pass (honeypot, signed form stamp, lengths, links, …);
- ``store``: pending comments and reply-notification subscriptions (SQLite tables in the
  service's database; e-mail addresses live only here);
- ``articles``: which articles take comments (the manifest the build writes);
- ``files``: an approved comment becomes ``content/comments/<slug>/<id>.md``;
- ``publisher``: runs ``COMMENTS_PUBLISH_COMMAND`` after approvals, one at a time;
- ``mails``: the moderation mail and the notification mails (Jinja templates);
- ``views``: the routes; ``commands``: ``python -m service comments`` and friends.
"""
