"""Share links: plain URLs, no third-party script. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

KINDS = ("facebook", "x", "linkedin", "whatsapp", "mail", "print")


@dataclass(frozen=True, slots=True)
class ShareLink:
    kind: str
    label: str
    href: str
    title: str  # accessible description


def share_links(url: str, title: str, kinds=KINDS) -> list[ShareLink]:
    """The share links for an article with absolute ``url`` and ``title``, in ``kinds`` order."""
    builders = {
        "facebook": lambda: ShareLink(
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
            "Auf Facebook teilen",
        ),
        "x": lambda: ShareLink(
            "x",
            "X",
            "https://x.com/intent/post?" + urlencode({"url": url, "text": title}),
            "Auf X (ehemals Twitter) teilen",
        ),
        "linkedin": lambda: ShareLink(
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
            "Auf LinkedIn teilen",
        ),
        "whatsapp": lambda: ShareLink(
            "whatsapp",
            "WhatsApp",
            "https://wa.me/?" + urlencode({"text": f"{title} {url}"}),
            "Per WhatsApp teilen",
        ),
        "mail": lambda: ShareLink(
            "mail",
            "Per Mail",
            f"mailto:?subject={quote(title)}&body={quote(url)}",
            "Per E-Mail weiterempfehlen",
        ),
        "print": lambda: ShareLink("print", "Ausdrucken", "#drucken", "Diesen Beitrag ausdrucken"),
    }
    return [builders[kind]() for kind in kinds]
