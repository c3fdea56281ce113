"""Unknown settings with our prefixes are named, with the closest declared one."""

from rundbrief.settings_check import Setting, is_bool, unknown_settings

SPECS = [
    Setting("NEWSLETTER_MAX_ITEMS", 10, lambda v: True, "eine Zahl"),
    Setting("FEEDS_MAX_ITEMS", 20, lambda v: True, "eine Zahl"),
    Setting("QUALITY_STRICT", False, is_bool, "True oder False"),
]


def test_typo_in_the_prefix_names_the_closest_setting():
    messages = unknown_settings({"NEWSLETER_MAX_ITEMS": 3}, SPECS)
    assert len(messages) == 1
    assert "NEWSLETER_MAX_ITEMS" in messages[0]
    assert "Meintest Du NEWSLETTER_MAX_ITEMS?" in messages[0]


def test_unknown_name_with_our_prefix_is_reported_even_without_a_close_match():
    messages = unknown_settings({"FEEDS_COLOUR": "blau"}, SPECS)
    assert len(messages) == 1 and "FEEDS_COLOUR" in messages[0]
    assert "Meintest" not in messages[0]


def test_declared_pelican_and_foreign_settings_are_not_reported():
    settings = {
        "FEEDS_MAX_ITEMS": 5,
        "QUALITY_STRICT": True,
        "SITENAME": "Blog",
        "MY_OWN_THING": 1,
        "lowercase_helper": 2,
        "FEED_ALL_ATOM": None,
    }
    assert unknown_settings(settings, SPECS, other_known={"SITENAME", "FEED_ALL_ATOM"}) == []
