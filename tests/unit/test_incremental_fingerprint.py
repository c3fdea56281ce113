"""Fingerprints of what a template reads (plugins/engine/fingerprint.py) and template
closures (plugins/engine/incremental.py): stable for the same values, different for any
change, content objects as references."""

from __future__ import annotations

import datetime
import sys
import threading
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import jinja2
import pytest

from engine.fingerprint import Fingerprinter, Untrackable
from engine.incremental import ALL_NAMES, TemplateClosure


class Doc:
    def __init__(self, path, title):
        self.source_path = path
        self.title = title


@dataclass(slots=True)
class Node:
    text: str
    children: list


def fingerprinter(settings=None):
    return Fingerprinter(
        is_content=lambda value: isinstance(value, Doc),
        ref=lambda value: value.source_path,
        opaque={id(settings): "settings"} if settings is not None else {},
        skip=frozenset({"_context", "settings"}),
        link_marker=lambda text: "{filename}" in text,
        link_marker_bytes=lambda data: b"{filename}" in data,
    )


def test_equal_values_give_equal_digests_in_separate_builds():
    value = {
        "b": [1, "zwei", None, 2.5],
        "a": (Node("x", [Node("y", [])]),),
        "when": datetime.datetime(2024, 3, 4, 10, tzinfo=ZoneInfo("Europe/Berlin")),
    }
    again = {  # a new build makes the same values again, in the same order
        "b": [1, "zwei", None, 2.5],
        "a": (Node("x", [Node("y", [])]),),
        "when": datetime.datetime(2024, 3, 4, 10, tzinfo=ZoneInfo("Europe/Berlin")),
    }
    assert fingerprinter().value(value) == fingerprinter().value(again)


@pytest.mark.parametrize(
    "changed",
    [
        [Node("x", [Node("z", [])])],
        [Node("x", []), Node("y", [])],
        [Node("x", [Node("y", [])]), None],
    ],
)
def test_any_change_deep_down_changes_the_digest(changed):
    assert fingerprinter().value([Node("x", [Node("y", [])])]) != fingerprinter().value(changed)


def test_content_objects_count_by_reference_and_order_only():
    a, b = Doc("a.md", "A"), Doc("b.md", "B")
    first = fingerprinter().value([a, b])
    a.title = "A, neu betitelt"
    assert fingerprinter().value([a, b]) == first  # the title is traced where it is read
    assert fingerprinter().value([b, a]) != first
    assert fingerprinter().value([a]) != first
    assert fingerprinter().whole(a) != fingerprinter().whole(Doc("a.md", "A"))


def test_settings_and_shared_context_are_not_walked():
    settings = {"SITENAME": "x"}
    doc = Doc("a.md", "A")
    doc.settings = {"copy": 1}
    doc._context = {"everything": [1, 2, 3]}
    other = Doc("a.md", "A")
    other.settings = {"copy": 2}
    assert fingerprinter(settings).whole(doc) == fingerprinter(settings).whole(other)
    assert fingerprinter(settings).value([settings])[0] != fingerprinter().value([{}])[0]


def test_link_markers_are_reported():
    assert fingerprinter().value(["<a href='{filename}b.md'>"])[1] is True
    assert fingerprinter().value(["<a href='/b/'>"])[1] is False


def test_texts_tell_every_part_apart_and_report_links():
    digest = fingerprinter().texts
    seen = {
        digest("ab", "c")[0],
        digest("a", "bc")[0],
        digest("a", None)[0],
        digest("a", "")[0],
        digest("a")[0],
        digest("ä", None)[0],
    }
    assert len(seen) == 6
    assert digest("Größe", None) == fingerprinter().texts("Größe", None)
    assert digest("siehe {filename}a.md", None)[1] is True
    assert digest("siehe a.md", None)[1] is False


def test_texts_leave_no_utf8_copy_on_a_long_text():
    """An article's HTML lives all build; pickling it (as ``value`` does inside a tuple)
    caches a UTF-8 copy on the string, which sys.getsizeof shows."""
    html = "".join(f"<p>Größe {number}</p>" for number in range(2000))
    size = sys.getsizeof(html)
    fingerprinter().texts("source", html)
    assert sys.getsizeof(html) == size
    fingerprinter().value(("source", html))
    assert sys.getsizeof(html) > size  # what the texts digest avoids


def test_objects_without_attributes_or_pickle_are_untrackable():
    with pytest.raises(Untrackable):
        fingerprinter().value([threading.Lock()])


def test_template_closure_follows_extends_and_includes():
    env = jinja2.Environment(
        loader=jinja2.DictLoader(
            {
                "base.html": "{{ SITENAME }}{% block body %}{% endblock %}",
                "part.html": "{{ article.title }}",
                "page.html": "{% extends 'base.html' %}{% block body %}"
                "{% include 'part.html' %}{{ extra }}{% endblock %}",
                "dynamic.html": "{% include name %}",
            }
        )
    )
    closure = TemplateClosure(env, "page.html")
    assert {"SITENAME", "article", "extra"} <= set(closure.names)
    assert TemplateClosure(env, "dynamic.html").names == (ALL_NAMES,)
    before = closure.digest
    env.loader.mapping["part.html"] = "{{ article.title }}!"
    assert TemplateClosure(env, "page.html").digest != before
