"""Delivery settings: defaults in one place, every bad value reported, derived values."""

from pathlib import Path

import pytest

from rundbrief.delivery_settings import SPECS
from rundbrief.settings_check import SettingsError, defaults, validate
from service.config import ConfigError, config_from_settings

BASE = {"SITENAME": "IdeeQuadrat", "SITEURL_ABSOLUTE": "https://www.ideequadrat.org"}


def make(environ=None, **settings):
    return config_from_settings(
        {**BASE, **settings}, base_dir=Path("/srv/blog"), environ=environ or {}
    )


def test_defaults_are_valid_and_prefixed():
    assert validate(defaults(SPECS), SPECS) == []
    assert all(spec.name.startswith("NEWSLETTER_") for spec in SPECS)
    assert len({spec.name for spec in SPECS}) == len(SPECS)
    wanted = {
        "NEWSLETTER_DB": "var/newsletter.sqlite",
        "NEWSLETTER_SERVER_HOST": "127.0.0.1",
        "NEWSLETTER_SERVER_PORT": 8025,
        "NEWSLETTER_SMTP_TLS": "none",
        "NEWSLETTER_PENDING_DAYS": 30,
    }
    assert {name: defaults(SPECS)[name] for name in wanted} == wanted


def test_every_bad_setting_is_reported_at_once():
    with pytest.raises(SettingsError) as caught:
        make(
            NEWSLETTER_SMTP_TLS="tls",
            NEWSLETTER_SERVER_PORT=70000,
            NEWSLETTER_RATE=-1,
            NEWSLETTER_RATE_LIMIT=True,
            NEWSLETTER_FROM="kein absender",
            NEWSLETTER_LIST_ID="a\r\nBcc: x",
            NEWSLETTER_SERVICE_URL="https://example.org/newsletter/",
        )
    message = str(caught.value)
    assert len(caught.value.errors) == 7
    for name in (
        "NEWSLETTER_SMTP_TLS = 'tls'",
        "NEWSLETTER_SERVER_PORT = 70000",
        "NEWSLETTER_RATE = -1",
        "NEWSLETTER_RATE_LIMIT = True",
        "NEWSLETTER_FROM",
        "NEWSLETTER_LIST_ID",
        "NEWSLETTER_SERVICE_URL",
    ):
        assert name in message
    assert "erlaubt:" in message


def test_derived_values():
    config = make()
    assert config.sender == "IdeeQuadrat <newsletter@ideequadrat.org>"
    assert config.sender_address == "newsletter@ideequadrat.org"
    assert config.unsubscribe_mailto == "newsletter@ideequadrat.org"
    assert config.reply_to == ""
    assert config.list_id == "IdeeQuadrat Newsletter <newsletter.ideequadrat.org>"
    assert config.service_url == "https://www.ideequadrat.org/newsletter"
    assert config.stylesheet_url == "https://www.ideequadrat.org/theme/css/site.css"
    assert config.signup_page_url == "https://www.ideequadrat.org/newsletter-anmeldung/"
    assert config.mail_domain == "ideequadrat.org"
    assert config.db_path == Path("/srv/blog/var/newsletter.sqlite")
    assert config.output_path == Path("/srv/blog/output")
    assert config.token_max_age == 7 * 86400


def test_explicit_values_win():
    config = make(
        NEWSLETTER_FROM="Hendrik <h@ideequadrat.org>",
        NEWSLETTER_REPLY_TO="post@ideequadrat.org",
        NEWSLETTER_SERVICE_URL="https://abo.ideequadrat.org",
        NEWSLETTER_DB="/var/lib/rundbrief/n.sqlite",
    )
    assert config.sender == "Hendrik <h@ideequadrat.org>"
    assert config.reply_to == "post@ideequadrat.org"
    assert config.service_url == "https://abo.ideequadrat.org"
    assert config.db_path == Path("/var/lib/rundbrief/n.sqlite")


def test_secrets_may_come_from_the_environment():
    config = make(environ={"NEWSLETTER_SECRET": "s" * 20, "NEWSLETTER_SMTP_PASSWORD": "pw"})
    assert config.secret_keys() == ("s" * 20,)
    assert config.smtp.password == "pw"
    assert make(NEWSLETTER_SECRET="t" * 16).secret_keys() == ("t" * 16,)


def test_several_keys_for_rotation_the_first_signs():
    rotated = make(NEWSLETTER_SECRET=["neu" * 6, "alt" * 6])
    assert rotated.secret_keys() == ("neu" * 6, "alt" * 6)
    from_environment = make(environ={"NEWSLETTER_SECRET": f"{'n' * 20}  {'a' * 20}\n"})
    assert from_environment.secret_keys() == ("n" * 20, "a" * 20)


@pytest.mark.parametrize("secret", ["", "short", ["l" * 20, "kurz"]])
def test_no_or_short_secret_is_refused_with_the_fix(secret):
    with pytest.raises(ConfigError, match="NEWSLETTER_SECRET"):
        make(NEWSLETTER_SECRET=secret).secret_keys()


@pytest.mark.parametrize("secret", [[], ["ok" * 10, ""], ["ok" * 10, 5], 42])
def test_a_bad_key_list_is_a_settings_error(secret):
    with pytest.raises(SettingsError, match="NEWSLETTER_SECRET"):
        make(NEWSLETTER_SECRET=secret)


def test_service_url_needed_for_links():
    config = config_from_settings({"SITENAME": "X"}, base_dir=Path("."), environ={})
    with pytest.raises(ConfigError, match="SITEURL_ABSOLUTE"):
        config.require_service_url()


def test_the_project_settings_are_valid():
    from service.config import load_config  # noqa: PLC0415

    root = Path(__file__).resolve().parents[2]
    config = load_config(root / "pelicanconf.py")
    assert config.db_path == root / "var" / "newsletter.sqlite"
    assert config.service_url.startswith("https://")


def test_service_hardening_settings():
    config = make()
    assert (config.confirm_interval, config.confirm_per_day) == (900, 3)
    assert config.body_timeout == 10.0
    assert (config.server_threads, config.server_backlog) == (16, 2048)
    assert config.theme_path == Path("/srv/blog/theme")
    assert config.site_context["SITENAME"] == "IdeeQuadrat"
    with pytest.raises(SettingsError) as caught:
        make(
            NEWSLETTER_CONFIRM_INTERVAL=-1,
            NEWSLETTER_CONFIRM_PER_DAY=0,
            NEWSLETTER_BODY_TIMEOUT=0,
            NEWSLETTER_SERVER_BACKLOG=5,
        )
    assert len(caught.value.errors) == 4
