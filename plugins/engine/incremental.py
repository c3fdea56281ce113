"""Incremental builds: render only the outputs whose inputs changed (``BUILD_INCREMENTAL``).

The one place of the mechanism (README, "Performance": "Incremental builds").

Every page Pelican and the plugins render goes through ``Writer.write_file`` and a Jinja
template. The ``IncrementalWriter`` hands Pelican's writer a ``TrackedTemplate``; when it
is asked to render output file F with the local context C it computes F's fingerprint:

- the global key: the settings, the code of the plugins and the core, the versions of
  Pelican, Jinja and Markdown (a change re-renders everything);
- the template closure: the sources of F's template and of everything it extends,
  includes or imports (found statically), and the names they use;
- the value of each of those names in C, with content objects (articles, pages) walked
  only as references (their source path): lists, order, counts, categories, paginators;
- the attributes of content objects that the last render of F read (traced while it
  rendered: ``article.title``, ``article.content`` …, or the whole object when it was
  handed to a filter), read again from this build's objects;
- the map of every content URL, when anything read contains an intra-site link marker.

If F's fingerprint, its template closure and the file's SHA-256 are what the manifest
(``<CACHE_PATH>/incremental.json``) recorded, the template is not rendered: the file's
bytes are handed back to Pelican, which writes them unchanged. Otherwise it renders, with
tracing, and the manifest records the new fingerprint and hash.

Other outputs are rewritten on every build (feeds, e-mail files, sitemap, static files):
when the writer is created, everything in the output folder is removed except the
rendered pages of the last build and the bundles other plugins keep (the search index,
``keep_state``). At the end, rendered pages that no build step produced this time are
removed. With a changed global key the output folder is emptied first.

Pelican's content cache keeps the reading side (``LOAD_CONTENT_CACHE``); this module only
touches the writing side. ``tests/test_incremental_equivalence.py`` and
``bench/incremental_equivalence.py`` prove the result byte-identical to a clean build.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import time
from pathlib import Path

import jinja2
from jinja2 import meta
from pelican.contents import Content
from pelican.paginator import Page as PaginatorPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer

from engine.fingerprint import (
    Fingerprinter,
    Trace,
    Untrackable,
    code_digest,
    files_digest,
    text_digest,
)
from quality.pelican_internals import (
    CONTENT_CACHE_FILE,
    CONTENT_CONTEXT_ATTRIBUTE,
    markdown_settings_as_read,
    rendered_from,
)

logger = logging.getLogger(__name__)

MANIFEST = "incremental.json"
FORMAT = 1
WHOLE = "*"
# Not walked: the build's shared context and the settings objects keep (the settings are
# in the global key; copies of them come back from Pelican's content cache).
SKIPPED_ATTRIBUTES = frozenset({CONTENT_CONTEXT_ATTRIBUTE, "settings"})
PELICAN_CACHE = re.compile(CONTENT_CACHE_FILE)
# Attributes of content objects whose value depends on the page being written (Pelican
# resolves their intra-site links relative to it). ``content`` and ``summary`` count by
# what they are rendered from (the page is part of every fingerprint, the link targets
# join when the source shows a link marker): resolving every link of 1,000 articles just
# to compare was a fifth of a warm build. The methods are never memoised across pages.
SOURCE_ATTRIBUTES = frozenset({"content", "summary"})
PER_PAGE_ATTRIBUTES = frozenset({"content", "summary", "get_content", "get_summary"})
ALL_NAMES = "*"


# What Pelican's link resolver replaces ({filename}…, |filename|…) with its default
# INTRASITE_LINK_REGEX; with another one every value counts as showing links.
LINK_WHATS = rb"[{|](?:filename|static|attach|category|tag|author|index)[|}]"
DEFAULT_INTRASITE_LINK_REGEX = "[{|](?P<what>.*?)[|}]"


def link_marker_bytes(settings):
    if settings["INTRASITE_LINK_REGEX"] != DEFAULT_INTRASITE_LINK_REGEX:
        return lambda data: True
    pattern = re.compile(LINK_WHATS)
    return lambda data: pattern.search(data) is not None


def canonical(value, list_digest) -> tuple | None:
    """Categories, tags and authors fill their slug lazily: they count by what they show.
    A paginator counts by its name, URL, page size and the digest of its whole list
    (``list_digest``, memoised: the pages of one list share it), one of its pages by its
    place and its own few articles; pickled whole, each of the 500 pages of a 1,000-article
    list took its 1,000 references with it (a second of every warm build)."""
    if isinstance(value, URLWrapper):
        return (value.name, value.slug, value.url, value.save_as)
    if isinstance(value, Paginator):
        per_page = (value.per_page, value.orphans)
        return ("paginator", value.name, value.url, per_page, list_digest(value.object_list))
    if isinstance(value, PaginatorPage):
        place = (value.full_name, value.base_url, value.number)
        return ("page", place, value.object_list, value.paginator)
    return None


def _versions() -> str:
    found = []
    for name in ("pelican", "jinja2", "markdown", "pagefind", "babel", "feedgen"):
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ",".join(found)


def code_key(settings) -> str:
    """Code the pages depend on: the plugins, the core, the versions of the libraries."""
    import rundbrief  # noqa: PLC0415  (the core: where it lives on disk)

    folders = [Path(p) for p in settings["PLUGIN_PATHS"]]
    folders.append(Path(rundbrief.__file__).parent)
    return text_digest(files_digest(sorted(set(folders))), _versions())


class Manifest:
    """What the last build rendered: per output file its fingerprint, trace and hash."""

    def __init__(self, path: Path, data: dict | None = None) -> None:
        self.path = path
        data = data or {}
        self.key: str | None = data.get("key")
        self.outputs: dict[str, dict] = data.get("outputs", {})
        self.states: dict[str, dict] = data.get("states", {})

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls(path)
        return cls(path, data)

    def save(self, key: str, outputs: dict[str, dict], states: dict[str, dict], rendered) -> None:
        """Write the manifest; ``rendered`` (what this build rendered anew) is for people
        and tests, the next build does not read it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT,
            "key": key,
            "outputs": outputs,
            "states": states,
            "rendered": sorted(rendered),
        }
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _parse(environment: jinja2.Environment, name: str) -> tuple[str | None, set, list]:
    """A template's source, undeclared names and referenced templates (None: unreadable)."""
    try:
        source, _, _ = environment.loader.get_source(environment, name)
        tree = environment.parse(source)
        return (
            source,
            meta.find_undeclared_variables(tree),
            list(meta.find_referenced_templates(tree)),
        )
    except (jinja2.TemplateError, OSError):
        return None, set(), []


class TemplateClosure:
    """A template with everything it extends, includes or imports: sources and names."""

    def __init__(
        self, environment: jinja2.Environment, name: str, parsed: dict | None = None
    ) -> None:
        """``parsed``: the templates already parsed in this build, by environment and
        name (the closures of one build share base.html and its partials: parsing them
        once per closure was a second of every warm build)."""
        parsed = {} if parsed is None else parsed
        sources: dict[str, str] = {}
        names: set[str] = set()
        dynamic = False
        pending = [name]
        while pending:
            current = pending.pop()
            if current in sources:
                continue
            key = (id(environment), current)
            if key not in parsed:
                parsed[key] = _parse(environment, current)
            source, found, referenced = parsed[key]
            names |= found
            dynamic = dynamic or source is None
            sources[current] = source or ""
            for child in referenced:
                if child is None:
                    dynamic = True
                else:
                    pending.append(child)
        self.names: tuple[str, ...] = (ALL_NAMES,) if dynamic else tuple(sorted(names))
        self.digest = text_digest(
            *(f"{key}\0{value}" for key, value in sorted(sources.items())), *self.names
        )


def traced_argument(value, trace: Trace):
    """A value handed to a filter or function of ours: a content object goes in as a
    ``ReadTracer`` (each attribute it reads is traced); content objects in a list count
    as read whole."""
    if isinstance(value, Content):
        return ReadTracer(value, trace)
    if isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, Content):
                trace.read(str(item.source_path), WHOLE)
    return value


class ReadTracer:
    """A content object as a filter sees it: every attribute read is traced (a method
    counts as reading the whole object), content it leads to is traced the same way."""

    __slots__ = ("_content", "_trace")

    def __init__(self, content, trace: Trace) -> None:
        object.__setattr__(self, "_content", content)
        object.__setattr__(self, "_trace", trace)

    def __getattr__(self, name):
        content = object.__getattribute__(self, "_content")
        trace = object.__getattribute__(self, "_trace")
        ref = str(content.source_path)
        trace.read(ref, name)
        value = getattr(content, name)
        if callable(value) and not isinstance(value, type):
            trace.read(ref, WHOLE)
        return traced_argument(value, trace)

    def __setattr__(self, name, value):
        raise AttributeError(f"{name}: ein Filter darf Inhalte nicht ändern")


class IncrementalBuild:
    """One build's incremental state: the old manifest, the new records, the tracing."""

    def __init__(self, settings) -> None:
        """When the build starts (before Pelican reads): the global key, the manifest."""
        self.settings = settings
        self.output = Path(settings["OUTPUT_PATH"])
        self.manifest = Manifest.load(Path(settings["CACHE_PATH"]) / MANIFEST)
        self.outputs: dict[str, dict] = {}
        self.states: dict[str, dict] = {}
        self.rendered: set[str] = set()
        self.started_ns = 0
        self.trace: Trace | None = None
        self.context = None
        self._closures: dict[tuple[int, str], TemplateClosure] = {}
        self._parsed: dict[tuple[int, str], tuple] = {}  # templates parsed this build
        self._instrumented: set[int] = set()
        self._contents: dict[str, object] | None = None
        self._link_map: str | None = None
        self._attributes: dict[tuple[int, str], tuple[object, str, bool]] = {}
        marker = re.compile(settings["INTRASITE_LINK_REGEX"])
        self.fingerprints = Fingerprinter(
            is_content=lambda value: isinstance(value, Content),
            ref=lambda value: str(value.source_path),
            opaque={id(settings): "settings"},
            skip=SKIPPED_ATTRIBUTES,
            link_marker=lambda text: marker.search(text) is not None,
            link_marker_bytes=link_marker_bytes(settings),
            canonical=lambda value: canonical(value, self._list_digest),
        )
        try:
            # MARKDOWN as the reader leaves it: the same before and after a build in this
            # process (make devserver builds many times in one).
            compared = {**settings, "MARKDOWN": markdown_settings_as_read(settings["MARKDOWN"])}
            self.key = text_digest(self.fingerprints.value(compared)[0], code_key(settings))
        except Untrackable as error:
            logger.info("Inkrementeller Build aus: Einstellung nicht vergleichbar (%s)", error)
            self.key = None
        same = self.key is not None and self.manifest.key == self.key
        self.old = self.manifest.outputs if same else {}
        self.old_states = self.manifest.states if same else {}
        if not same:
            self.forget_content_cache()

    def _list_digest(self, items: list) -> str:
        return self.fingerprints.value(items)[0]

    def forget_content_cache(self) -> None:
        """Other settings or code: Pelican's content cache holds what the old ones read
        (slugs, URLs, dates, the settings copied into categories and tags), so it goes."""
        folder = Path(self.settings["CACHE_PATH"])
        if not folder.is_dir():
            return
        for path in folder.iterdir():
            if path.is_file() and PELICAN_CACHE.fullmatch(path.name):
                path.unlink()

    def start_writing(self, output_path: str, content_path: str) -> bool:
        """Before anything is written: the output folder cleared of all this build writes
        anew. False (a plain build) if the output folder holds the sources (as Pelican's
        DELETE_OUTPUT_DIRECTORY, nothing is deleted there)."""
        output, content = os.path.realpath(output_path), os.path.realpath(content_path)
        if os.path.commonpath([output]) == os.path.commonpath([output, content]):
            logger.warning(
                "Kein inkrementeller Build: der Ausgabeordner %s enthält die Quellen. So "
                "beheben: einen eigenen Ausgabeordner wählen (z. B. output/).",
                output_path,
            )
            return False
        self.output = Path(output_path)
        self.prepare_output()
        return True

    # -- before writing: clear what is not ours to keep -----------------------------------
    def prepare_output(self) -> None:
        """Remove every file of the output folder but the last build's rendered pages and
        the bundles plugins keep; all else is written anew by this build."""
        self.started_ns = time.time_ns()
        if not self.output.is_dir():
            return
        keep = set(self.old)
        bundles = {b for state in self.old_states.values() for b in state.get("keep", ())}
        retention = set(self.settings.get("OUTPUT_RETENTION", ()))
        for root, folders, files in os.walk(self.output, topdown=True):
            relative_root = Path(root).relative_to(self.output).as_posix()
            prefix = "" if relative_root == "." else relative_root + "/"
            folders[:] = [f for f in folders if prefix + f not in bundles]
            for name in files:
                relative = prefix + name
                if relative in keep or (not prefix and name in retention):
                    continue
                os.remove(os.path.join(root, name))
        _remove_empty_folders(self.output)

    # -- while writing ----------------------------------------------------------------------
    def instrument(self, environment: jinja2.Environment) -> None:
        """Trace what templates of ``environment`` read of content objects (once per env)."""
        if id(environment) in self._instrumented:
            return
        self._instrumented.add(id(environment))
        build = self
        original_getattr = environment.getattr
        original_getitem = environment.getitem

        def traced_getattr(obj, attribute):
            if build.trace is not None and isinstance(obj, Content):
                build.trace.read(str(obj.source_path), attribute)
            return original_getattr(obj, attribute)

        def traced_getitem(obj, argument):
            if build.trace is not None and isinstance(obj, Content) and isinstance(argument, str):
                build.trace.read(str(obj.source_path), argument)
            return original_getitem(obj, argument)

        environment.getattr = traced_getattr
        environment.getitem = traced_getitem
        builtin_filters = jinja2.defaults.DEFAULT_FILTERS
        builtin_tests = jinja2.defaults.DEFAULT_TESTS
        for table, builtins in (
            (environment.filters, builtin_filters),
            (environment.tests, builtin_tests),
            (environment.globals, {}),
        ):
            for name, function in list(table.items()):
                if callable(function) and builtins.get(name) is not function:
                    table[name] = self._traced_call(function)

    def _traced_call(self, function):
        build = self

        @functools.wraps(function)
        def call(*args, **kwargs):
            trace = build.trace
            if trace is not None:
                args = tuple(traced_argument(value, trace) for value in args)
                kwargs = {name: traced_argument(value, trace) for name, value in kwargs.items()}
            return function(*args, **kwargs)

        return call

    def closure(self, template: jinja2.Template) -> TemplateClosure:
        key = (id(template.environment), template.name)
        found = self._closures.get(key)
        if found is None:
            found = self._closures[key] = TemplateClosure(
                template.environment, template.name, self._parsed
            )
        return found

    def render(self, template: jinja2.Template, localcontext: dict) -> str:
        """Pelican's writer asks for the text of one output file."""
        name = localcontext["output_file"]
        if self.key is None:
            return template.render(localcontext)
        if self.context is None:
            self.context = localcontext
        closure = self.closure(template)
        record = self.old.get(name)
        if record is not None and record.get("closure") == closure.digest:
            text = self._unchanged(name, record, closure, localcontext)
            if text is not None:
                self.outputs[name] = record
                return text
        self.instrument(template.environment)
        self.trace = Trace()
        try:
            text = template.render(localcontext)
            reads = self.trace.sorted()
        finally:
            self.trace = None
        self.rendered.add(name)
        try:
            fingerprint = self.fingerprint(closure, localcontext, reads)
        except Untrackable as error:
            logger.debug("%s wird jedes Mal neu gerendert: %s", name, error)
            return text
        self.outputs[name] = {
            "closure": closure.digest,
            "fingerprint": fingerprint,
            "reads": reads,
            "sha256": _sha(text.encode("utf-8")),
        }
        return text

    def _unchanged(self, name, record, closure, localcontext) -> str | None:
        try:
            data = (self.output / name).read_bytes()
        except OSError:
            return None
        if _sha(data) != record.get("sha256"):
            return None
        try:
            fingerprint = self.fingerprint(closure, localcontext, record.get("reads", []))
        except Untrackable:
            return None
        if fingerprint != record.get("fingerprint"):
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def fingerprint(self, closure: TemplateClosure, localcontext: dict, reads) -> str | None:
        """The digest of everything the output read; None if a content object is gone."""
        values = self.fingerprints
        names = sorted(localcontext) if closure.names == (ALL_NAMES,) else closure.names
        parts = [closure.digest, localcontext["output_file"]]
        links = False
        for name in names:
            if name in localcontext:
                digest, shows_links = values.value(localcontext[name])
                links = links or shows_links
            else:
                digest = "missing"
            parts.append(f"{name}={digest}")
        contents = self.contents()
        for ref, attribute in reads:
            content = contents.get(ref)
            if content is None:
                parts.append(f"{ref}.{attribute}=gone")
                continue
            if attribute == WHOLE:
                digest, shows_links = values.whole(content)
            else:
                digest, shows_links = self._attribute(content, attribute)
            links = links or shows_links
            parts.append(f"{ref}.{attribute}={digest}")
        if links:
            parts.append("links=" + self.link_map())
        return text_digest(*parts)

    def _attribute(self, content, attribute: str) -> tuple[str, bool]:
        """The digest of one attribute of a content object; memoised for the build except
        what depends on the page being written (the content and summary with their links
        made relative to it)."""
        key = (id(content), attribute)
        memo = self._attributes.get(key)
        if memo is not None:
            return memo[1], memo[2]
        source = rendered_from(content) if attribute in SOURCE_ATTRIBUTES else None
        if source is not None:
            digest, links = self.fingerprints.texts("source", attribute, *source)
        else:
            try:
                value = getattr(content, attribute)
            except AttributeError:
                digest, links = "missing", False
            else:
                if callable(value) and not isinstance(value, type):
                    digest, links = self.fingerprints.whole(content)
                    digest = f"{digest}:{code_digest(value)}"
                else:
                    digest, links = self.fingerprints.value(value)
        if source is not None or attribute not in PER_PAGE_ATTRIBUTES:
            self._attributes[key] = (content, digest, links)
        return digest, links

    def contents(self) -> dict[str, object]:
        """This build's content objects by reference (source path)."""
        if self._contents is None:
            found: dict[str, object] = {}
            context = self.context or {}
            pools = [
                *(context.get("generated_content") or {}).values(),
                *(context.get("static_content") or {}).values(),
            ]
            for key in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages"):
                pools += list(context.get(key) or ())
            for content in pools:
                if isinstance(content, Content):
                    found.setdefault(str(content.source_path), content)
                    for translation in getattr(content, "translations", ()) or ():
                        found.setdefault(str(translation.source_path), translation)
            self._contents = found
        return self._contents

    def link_map(self) -> str:
        """Where every content and static file is published (what intra-site links show)."""
        if self._link_map is None:
            context = self.context or {}
            rows = []
            for table in ("generated_content", "static_content"):
                for path, content in sorted((context.get(table) or {}).items()):
                    if content is None:
                        rows.append(f"{table}:{path}:-")
                    else:
                        rows.append(f"{table}:{path}:{content.url}:{content.save_as}")
            self._link_map = text_digest(*rows)
        return self._link_map

    # -- plugins' own kept state (e.g. the search index) -------------------------------------
    def previous_state(self, key: str) -> dict | None:
        return self.old_states.get(key)

    def keep_state(self, key: str, state: dict) -> None:
        self.states[key] = state

    def unchanged(self, names) -> bool:
        """True if none of these outputs was rendered anew in this build."""
        return self.key is not None and not (set(names) & self.rendered)

    def remove_unwritten(self, match) -> None:
        """Remove the last build's pages that ``match`` and that this build has not written
        so far (for a reader of the output folder that starts before the build ends, e.g.
        the search indexer; a page written later is then rendered anew)."""
        for name in set(self.old) - set(self.outputs) - self.rendered:
            if match(name):
                (self.output / name).unlink(missing_ok=True)

    # -- after writing ---------------------------------------------------------------------
    def finish(self) -> None:
        """Remove the last build's pages nothing wrote this time; save the manifest."""
        if self.key is None:
            return
        for name in set(self.old) - set(self.outputs):
            if name in self.rendered:
                continue
            path = self.output / name
            try:
                if not path.is_file():
                    continue
                written_now = path.stat().st_mtime_ns >= self.started_ns
            except OSError:
                continue
            if not written_now:
                path.unlink()
        _remove_empty_folders(self.output)
        self.manifest.save(self.key, self.outputs, self.states, self.rendered)
        logger.info(
            "Inkrementeller Build: %d von %d Seiten neu gerendert",
            len(self.rendered),
            len(set(self.outputs) | self.rendered),
        )


def _remove_empty_folders(root: Path) -> None:
    for folder, _, _ in sorted(os.walk(root), key=lambda item: -len(item[0])):
        if Path(folder) != root:
            try:
                os.rmdir(folder)
            except OSError:
                continue


class TrackedTemplate:
    """Stands in for a Jinja template in Pelican's writer: render() asks the build."""

    def __init__(self, template: jinja2.Template, build: IncrementalBuild) -> None:
        self.template = template
        self.build = build

    def render(self, localcontext: dict) -> str:
        return self.build.render(self.template, localcontext)

    def __getattr__(self, name):
        return getattr(self.template, name)


class IncrementalWriter(Writer):
    """Pelican's writer, with every template render asked of the build's ``incremental``."""

    incremental: IncrementalBuild  # set on the subclass the engine hands to Pelican

    def write_file(self, name, template, context, *args, **kwargs):
        return super().write_file(
            name, TrackedTemplate(template, self.incremental), context, *args, **kwargs
        )
