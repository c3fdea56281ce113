"""The German pages of the subscription service, in the site's look (its CSS). Pure.

Every page is complete HTML with ``<html lang="de">``, the site header and footer, and
the stylesheet of the site; nothing is loaded from another host, no script, no cookie.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Site:
    name: str
    url: str  # base URL of the blog, no trailing slash ('' = same host)
    stylesheet_url: str
    signup_page_url: str
    token_days: int


def page(site: Site, title: str, body: str) -> str:
    """A whole page; ``body`` is trusted HTML made by the functions below."""
    home = escape(site.url + "/")
    name = escape(site.name)
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <meta name="color-scheme" content="light dark">
  <title>{escape(title)} – {name}</title>
  <link rel="stylesheet" href="{escape(site.stylesheet_url)}">
</head>
<body class="newsletter-service">
  <header class="site-header">
    <div class="wrap">
      <p class="site-title"><a href="{home}" rel="home">{name}</a></p>
    </div>
  </header>
  <main id="inhalt">
    <div class="wrap">
    <h1>{escape(title)}</h1>
{body}
    </div>
  </main>
  <footer class="site-footer">
    <div class="wrap">
      <nav aria-label="Rechtliches">
        <ul>
          <li><a href="{escape(site.url)}/impressum/">Impressum</a></li>
          <li><a href="{escape(site.url)}/datenschutz/">Datenschutz</a></li>
        </ul>
      </nav>
      <p>© {name} · ohne Cookies und ohne Tracking</p>
    </div>
  </footer>
</body>
</html>
"""


def _p(text: str) -> str:
    return f"    <p>{text}</p>"


def _back_to_signup(site: Site, label: str = "Zur Newsletter-Anmeldung") -> str:
    return _p(f'<a href="{escape(site.signup_page_url)}">{label}</a>')


def _home(site: Site) -> str:
    return _p(f'<a href="{escape(site.url)}/">Weiter zu {escape(site.name)}</a>')


def signup_form(site: Site) -> tuple[str, str]:
    body = "\n".join(
        [
            _p(
                f"Einmal pro Woche der Wochenrückblick von {escape(site.name)}: alle neuen "
                "Beiträge der Woche in einer E-Mail. Du bekommst zuerst eine Mail mit einem "
                "Bestätigungslink (Double-Opt-in); abmelden kannst Du Dich mit einem Klick."
            ),
            """    <form class="newsletter-form" action="subscribe" method="post">
      <label for="newsletter-email">Deine E-Mail-Adresse</label>
      <div class="newsletter-row">
        <input id="newsletter-email" name="email" type="email" required
          autocomplete="email" inputmode="email" maxlength="254">
        <button type="submit">Newsletter abonnieren</button>
      </div>
      <div class="hp" aria-hidden="true">
        <label for="newsletter-website">Bitte leer lassen</label>
        <input id="newsletter-website" name="website" type="text" tabindex="-1" autocomplete="off">
      </div>
    </form>""",
            f'    <p class="fineprint">Mehr in der <a href="{escape(site.url)}/datenschutz/">'
            "Datenschutzerklärung</a>.</p>",
        ]
    )
    return "Newsletter abonnieren", body


def almost_done(site: Site) -> tuple[str, str]:
    body = "\n".join(
        [
            _p(
                "Wir haben Dir eine E-Mail geschickt. Bitte klicke auf den Link darin, um "
                "Deine Anmeldung zu bestätigen – erst dann bekommst Du den Newsletter."
            ),
            _p(
                f"Der Link gilt {site.token_days} Tage. Keine Mail bekommen? Schau bitte auch "
                "im Spam-Ordner nach. Ist die Adresse schon angemeldet, ändert sich nichts."
            ),
            _home(site),
        ]
    )
    return "Fast geschafft – bitte bestätige Deine Anmeldung", body


def bad_input(site: Site, message: str) -> tuple[str, str]:
    body = "\n".join([_p(escape(message)), _back_to_signup(site, "Zurück zur Anmeldung")])
    return "Das hat leider nicht geklappt", body


def mail_failed(site: Site) -> tuple[str, str]:
    body = "\n".join(
        [
            _p(
                "Die Bestätigungs-Mail konnte gerade nicht verschickt werden. Bitte versuche "
                "es in ein paar Minuten noch einmal."
            ),
            _back_to_signup(site, "Zurück zur Anmeldung"),
        ]
    )
    return "Das hat gerade nicht geklappt", body


def confirmed(site: Site, *, already: bool) -> tuple[str, str]:
    first = (
        "Deine Anmeldung war schon bestätigt."
        if already
        else f"Ab jetzt bekommst Du einmal pro Woche den Wochenrückblick von {escape(site.name)}."
    )
    body = "\n".join(
        [
            _p(first),
            _p("Abmelden kannst Du Dich jederzeit mit einem Klick über den Link in jeder Ausgabe."),
            _home(site),
        ]
    )
    return "Danke – Deine Anmeldung ist bestätigt", body


def link_expired(site: Site) -> tuple[str, str]:
    body = "\n".join(
        [
            _p(
                f"Bestätigungslinks gelten {site.token_days} Tage. Bitte melde Dich einfach "
                "noch einmal an; Du bekommst dann einen neuen Link."
            ),
            _back_to_signup(site),
        ]
    )
    return "Der Bestätigungslink ist abgelaufen", body


def link_invalid(site: Site) -> tuple[str, str]:
    body = "\n".join(
        [
            _p(
                "Vielleicht wurde er beim Kopieren abgeschnitten. Bitte öffne den Link direkt "
                "aus der E-Mail, oder kopiere ihn vollständig in die Adresszeile."
            ),
            _back_to_signup(site),
        ]
    )
    return "Dieser Link ist ungültig", body


def signup_gone(site: Site) -> tuple[str, str]:
    body = "\n".join(
        [
            _p("Sie wurde inzwischen abgemeldet oder gelöscht. Du kannst Dich gerne neu anmelden."),
            _back_to_signup(site),
        ]
    )
    return "Diese Anmeldung gibt es nicht mehr", body


def unsubscribe_form(site: Site, token: str) -> tuple[str, str]:
    body = "\n".join(
        [
            _p(f"Möchtest Du den Newsletter von {escape(site.name)} nicht mehr bekommen?"),
            f"""    <form method="post" action="?token={escape(token)}">
      <input type="hidden" name="List-Unsubscribe" value="One-Click">
      <button type="submit">Jetzt abmelden</button>
    </form>""",
        ]
    )
    return "Newsletter abbestellen", body


def unsubscribed(site: Site) -> tuple[str, str]:
    body = "\n".join(
        [
            _p(
                "Du bekommst keinen Newsletter mehr. Schade, dass Du gehst – Du kannst Dich "
                "jederzeit wieder anmelden."
            ),
            _back_to_signup(site, "Wieder anmelden"),
        ]
    )
    return "Du bist abgemeldet", body


def not_found(site: Site) -> tuple[str, str]:
    return "Diese Seite gibt es nicht", _home(site)


def method_not_allowed(site: Site) -> tuple[str, str]:
    return "Diese Anfrage ist hier nicht möglich", _home(site)


def too_many_requests(site: Site) -> tuple[str, str]:
    body = _p("Von Deiner Adresse kamen zu viele Anfragen. Bitte warte eine Minute.")
    return "Zu viele Anfragen", body


def server_error(site: Site) -> tuple[str, str]:
    body = _p("Ein Fehler ist aufgetreten. Bitte versuche es später noch einmal.")
    return "Das hat leider nicht geklappt", body
