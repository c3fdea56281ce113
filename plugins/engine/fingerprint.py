"""Stable fingerprints of what a template reads: values, templates, code (no Pelican import).

A fingerprint is a SHA-256 over a canonical walk of a value. Content objects (articles,
pages, static files) are not walked where they appear inside another value: they stand
there as a reference (their source path). What a template reads *of* a content object is
traced while it renders (``Trace``) and fingerprinted on its own, so a page that lists
1,000 articles depends on the list (which articles, in which order) and on the few
attributes it shows, not on every article's body.

A value that cannot be walked safely (an object of unknown kind without attributes)
raises ``Untrackable``: the output that read it is then rendered on every build.
"""

from __future__ import annotations

import datetime
import enum
import functools
import hashlib
import io
import marshal
import pickle
import re
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


class Untrackable(Exception):
    """A value without a stable fingerprint."""


@dataclass
class Trace:
    """What one render read of content objects: (reference, attribute) pairs.

    ``"*"`` as the attribute means the whole object (it was handed to a filter or called).
    """

    reads: set[tuple[str, str]] = field(default_factory=set)

    def read(self, ref: str, attribute: str) -> None:
        self.reads.add((ref, attribute))

    def sorted(self) -> list[list[str]]:
        return [list(pair) for pair in sorted(self.reads)]


def _slots(cls: type) -> Iterable[str]:
    for klass in cls.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        yield from ((slots,) if isinstance(slots, str) else slots)


class Fingerprinter:
    """Canonical digests of values for one build.

    ``is_content(value)`` tells which objects are content objects, ``ref(value)`` their
    reference; ``opaque`` are objects that stand for something fingerprinted elsewhere
    (the settings: they are part of every output's global key). ``skip`` are attribute
    names not walked (the shared build context of content objects). Digests of objects
    are memoised by identity for the build; the memo holds the objects, so an identity is
    never reused while the memo lives. ``canonical(value)`` may give a tuple that stands
    for an object whose attributes are not stable (lazily filled caches).
    """

    def __init__(
        self,
        *,
        is_content: Callable[[object], bool],
        ref: Callable[[object], str],
        opaque: Mapping[int, str],
        skip: frozenset[str],
        link_marker: Callable[[str], bool],
        link_marker_bytes: Callable[[bytes], bool] = lambda data: True,
        canonical: Callable[[object], object] = lambda value: None,
    ) -> None:
        self.is_content = is_content
        self.ref = ref
        self.opaque = dict(opaque)
        self.skip = skip
        self.link_marker = link_marker
        self.link_marker_bytes = link_marker_bytes
        self.canonical = canonical
        self._memo: dict[int, tuple[object, str, bool]] = {}
        self._active: set[int] = set()
        self._whole: dict[int, tuple[object, str, bool]] = {}

    # -- public ------------------------------------------------------------------------
    def value(self, value: object) -> tuple[str, bool]:
        """(digest, shows intra-site link markers) of ``value``; content as a reference."""
        return self._digest(value)

    def texts(self, *parts: str | None) -> tuple[str, bool]:
        """(digest, shows link markers) of a few strings: their ``text_digest``, None told apart.

        For long texts that live all build (an article's HTML): pickling a str, as
        ``value`` does inside tuples, leaves its UTF-8 copy cached on the string for its
        lifetime, doubling the text in memory; nor is the tuple memoised."""
        digest = text_digest(*("-" if part is None else "+" + part for part in parts))
        return digest, any(part is not None and self.link_marker(part) for part in parts)

    def whole(self, content: object) -> tuple[str, bool]:
        """The digest of a content object itself: every attribute, other content by ref."""
        memo = self._whole.get(id(content))
        if memo is None:
            memo = self._whole[id(content)] = (content, *self._object(content, whole=True))
        return memo[1], memo[2]

    # -- walk ----------------------------------------------------------------------------
    def _digest(self, value: object) -> tuple[str, bool]:
        if value is None or isinstance(value, bool | int | float | complex):
            return _h(f"{type(value).__name__}:{value!r}"), False
        if isinstance(value, str):  # Markup too: its text is what is shown
            return _h("s:" + value), self.link_marker(value)
        if isinstance(value, bytes):
            return _h(b"b:" + value), False
        key = id(value)
        opaque = self.opaque.get(key)
        if opaque is not None:
            return _h("opaque:" + opaque), False
        memo = self._memo.get(key)
        if memo is not None:
            return memo[1], memo[2]
        if key in self._active:
            return _h("cycle:" + type(value).__qualname__), False
        found = None if self.is_content(value) else self._pickled(value)
        if found is None:
            self._active.add(key)
            try:
                found = self._walk(value)
            finally:
                self._active.discard(key)
        self._memo[key] = (value, *found)
        return found

    def _pickled(self, value: object) -> tuple[str, bool] | None:
        """The fast way: the value pickled (in C), content objects, opaque objects and
        canonical ones replaced by their stand-ins; None if it cannot be pickled.

        Equal bytes mean equal values (pickle is faithful). Values that are equal but
        pickle differently (another sharing of equal strings) only cost a re-render."""
        buffer = io.BytesIO()
        try:
            _StandInPickler(buffer, self).dump(value)
        except Exception:  # anything unpicklable: walk it instead
            return None
        data = buffer.getvalue()
        return _h(b"p:" + data), self.link_marker_bytes(data)

    def _walk(self, value: object) -> tuple[str, bool]:
        if isinstance(value, datetime.datetime | datetime.date | datetime.time):
            tz = getattr(value, "tzinfo", None)
            return _h(f"dt:{value.isoformat()}:{tz!s}"), False
        if isinstance(value, datetime.tzinfo):
            return _h(f"tz:{type(value).__qualname__}:{value!s}"), False
        if isinstance(value, re.Pattern):
            return _h(f"re:{value.flags}:{value.pattern!r}"), False
        if isinstance(value, enum.Enum):
            return _h(f"enum:{type(value).__qualname__}.{value.name}"), False
        if isinstance(value, Path):
            return _h(f"path:{value}"), False
        if self.is_content(value):
            return _h("ref:" + self.ref(value)), False
        canonical = self.canonical(value)
        if canonical is not None:
            return self._sequence("canonical:" + type(value).__qualname__, canonical)
        if isinstance(value, list | tuple):
            return self._sequence(type(value).__name__, value)
        if isinstance(value, set | frozenset):
            parts = sorted(self._digest(item) for item in value)
            return _h("set:" + ",".join(d for d, _ in parts)), any(link for _, link in parts)
        if isinstance(value, Mapping):
            return self._mapping(type(value).__qualname__, value.items())
        if isinstance(value, types.FunctionType | types.BuiltinFunctionType | type):
            return _h("code:" + code_digest(value)), False
        if isinstance(value, types.MethodType):
            owner, links = self._digest(value.__self__)
            return _h(f"method:{owner}:{value.__func__.__qualname__}"), links
        if isinstance(value, functools.partial):
            return self._sequence("partial", (value.func, value.args, value.keywords))
        if isinstance(value, types.ModuleType):
            return _h("module:" + value.__name__), False
        return self._object(value, whole=False)

    def _sequence(self, tag: str, items: Iterable[object]) -> tuple[str, bool]:
        parts = [self._digest(item) for item in items]
        return _h(tag + ":" + ",".join(d for d, _ in parts)), any(link for _, link in parts)

    def _mapping(self, tag: str, items: Iterable[tuple[object, object]]) -> tuple[str, bool]:
        parts = []
        links = False
        for name, item in items:
            name_digest, name_links = self._digest(name)
            item_digest, item_links = self._digest(item)
            parts.append(f"{name_digest}={item_digest}")
            links = links or name_links or item_links
        return _h(tag + ":" + ",".join(sorted(parts))), links

    def _object(self, value: object, *, whole: bool) -> tuple[str, bool]:
        names = dict(getattr(value, "__dict__", {}))
        for name in _slots(type(value)):
            if name not in names and name not in ("__dict__", "__weakref__"):
                try:
                    names[name] = getattr(value, name)
                except AttributeError:
                    continue
        if not names and not whole:
            raise Untrackable(type(value).__qualname__)
        items = [(name, item) for name, item in names.items() if name not in self.skip]
        if whole:
            found = self._pickled((type(value).__qualname__, items))
            if found is not None:
                return found
        digest, links = self._mapping(
            f"obj:{type(value).__module__}.{type(value).__qualname__}", items
        )
        return digest, links


def _stand_in(value):
    """What a content object, a canonical or an opaque object is pickled as (never
    unpickled: the bytes are only hashed)."""
    return value


class _StandInPickler(pickle.Pickler):
    """Pickles a value with content objects as references (see Fingerprinter).

    ``reducer_override`` is not called for exact str, int, float, bytes, list, tuple,
    dict, set and frozenset (pickle's fast paths), so the Python side runs only for
    objects: content, categories and tags, and objects that hold the settings or the
    shared context (those attributes are left out, as in the walk)."""

    def __init__(self, file, fingerprints: Fingerprinter) -> None:
        super().__init__(file, protocol=5)
        self.fingerprints = fingerprints

    def reducer_override(self, obj):
        fingerprints = self.fingerprints
        if fingerprints.is_content(obj):
            return _stand_in, ("ref:" + fingerprints.ref(obj),)
        opaque = fingerprints.opaque.get(id(obj))
        if opaque is not None:
            return _stand_in, ("opaque:" + opaque,)
        canonical = fingerprints.canonical(obj)
        if canonical is not None:
            return _stand_in, (("canonical", type(obj).__qualname__, tuple(canonical)),)
        attributes = getattr(obj, "__dict__", None)
        if attributes and not fingerprints.skip.isdisjoint(attributes):
            kept = tuple((k, v) for k, v in attributes.items() if k not in fingerprints.skip)
            return _stand_in, (("object", type(obj).__qualname__, kept),)
        return NotImplemented


def _h(text: str | bytes) -> str:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def code_digest(thing: object) -> str:
    """A function's or class's identity and, for functions, its compiled code."""
    name = f"{getattr(thing, '__module__', '')}.{getattr(thing, '__qualname__', repr(thing))}"
    code = getattr(thing, "__code__", None)
    if code is None:
        return name
    try:
        return name + ":" + _h(marshal.dumps(code))
    except ValueError:
        return name


def files_digest(folders: Iterable[Path], pattern: str = "*.py") -> str:
    """One digest of every file matching ``pattern`` under ``folders`` (names and bytes)."""
    sha = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob(pattern)):
            if "__pycache__" in path.parts:
                continue
            sha.update(str(path.relative_to(folder)).encode() + b"\0")
            sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


def text_digest(*parts: str) -> str:
    return _h("\0".join(parts))
