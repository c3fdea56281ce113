"""`make devserver`: build on save in this process, serve output/, reload the browser.

The builds run here rather than in `pelican -r`, so the process keeps the last build's
article generator: when only published articles were saved, their pages are written at
once (``engine.quickpage``), then the full incremental build follows as always. A watcher
thread collects saves while a build runs; they start the next build when it ends.

The server serves output/ like `pelican -l`, and adds one script tag to every HTML page
it sends (``livereload.js``, next to this file). The script asks ``/__rundbrief/build``
for the stamp of the last finished build or quick page and reloads the page when it
changes. Nothing of this is written to output/: `make html` and `make publish` never
contain it (a test checks).

    python -m engine.devserver content -o output -s pelicanconf.py [-p 8000] [-b 127.0.0.1]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import logging
import os
import queue
import threading
from pathlib import Path

from pelican import LOG_HANDLERS, get_instance, parse_arguments, signals
from pelican.log import init as init_logging
from pelican.utils import wait_for_changes

from engine.quickpage import QuickPage

logger = logging.getLogger(__name__)

SCRIPT_PATH = "/__rundbrief/livereload.js"
BUILD_PATH = "/__rundbrief/build"
SCRIPT = Path(__file__).with_name("livereload.js")
SCRIPT_TAG = Path(__file__).with_name("livereload.html")  # the tag the pages get


def build_stamp(cache_path: Path, output: Path) -> str:
    """When the last build finished: the engine's manifest, else output/index.html."""
    for path in (cache_path / "incremental.json", output / "index.html"):
        try:
            return str(path.stat().st_mtime_ns)
        except OSError:
            continue
    return "0"


def with_script(html: bytes) -> bytes:
    """The page with the reload script before ``</body>`` (at the end if there is none)."""
    tag = SCRIPT_TAG.read_bytes().strip()
    index = html.rfind(b"</body>")
    if index < 0:
        return html + tag
    return html[:index] + tag + html[index:]


class Handler(http.server.SimpleHTTPRequestHandler):
    """output/ as files; HTML with the reload script; the script and the build stamp."""

    def __init__(self, *args, output: Path, stamp, **kwargs):
        self.output = output
        self.stamp = stamp
        super().__init__(*args, directory=str(output), **kwargs)

    def log_message(self, format, *args):  # quiet, like `pelican -l` without -v
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == BUILD_PATH:
            return self._send(self.stamp().encode(), "text/plain")
        if path == SCRIPT_PATH:
            return self._send(SCRIPT.read_bytes(), "text/javascript")
        target = Path(self.translate_path(path))
        if target.is_dir():
            if not path.endswith("/"):
                return super().do_GET()  # the redirect to the folder's URL
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            return self._send(with_script(target.read_bytes()), "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class DevLoop:
    """The builds of the dev server: the first one, then per batch of saves the quick
    pages (if they apply) and an incremental build."""

    def __init__(self, args) -> None:
        self.args = args
        self.settings_file = os.path.abspath(args.settings)
        self.output = Path(args.output).resolve()
        self.pelican = self.settings = None  # run() reads the settings
        self.quick = QuickPage()
        self.quick_pages = 0  # part of the stamp: the browser reloads after a quick page
        self.saves: queue.Queue[set[str]] = queue.Queue()

    def stamp(self) -> str:
        if self.settings is None:
            return "0"
        cache = Path(self.settings["CACHE_PATH"]).resolve()
        return f"{build_stamp(cache, self.output)}.{self.quick_pages}"

    def watch(self) -> None:
        """The watcher thread: every batch of saved files into ``saves``."""
        while True:
            changes = wait_for_changes(self.args.settings, self.settings)
            self.saves.put({path for _, path in changes})

    def build(self) -> None:
        try:
            self.pelican.run()
        except Exception as error:  # a broken save must not end the dev server
            self.quick.forget()
            logger.warning("Der Build ist fehlgeschlagen: %s", error, exc_info=True)

    def run(self) -> None:
        signals.all_generators_finalized.connect(self.quick.keep, weak=False)
        self.pelican, self.settings = get_instance(self.args)
        self.build()
        threading.Thread(target=self.watch, daemon=True).start()
        while True:
            changed = self.saves.get()
            while not self.saves.empty():  # saves made while the last build ran
                changed |= self.saves.get()
            if self.settings_file in changed:
                self.pelican, self.settings = get_instance(self.args)
                self.quick.forget()
            elif self.quick.write(changed):
                self.quick_pages += 1
            print(f"-> Geändert: {', '.join(sorted(changed))} – neu bauen …", flush=True)
            self.build()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("-s", "--settings", required=True)
    parser.add_argument("-p", "--port", type=int, default=8000)
    parser.add_argument("-b", "--bind", default="127.0.0.1")
    args, pelican_options = parser.parse_known_args(argv)
    pelican_args = parse_arguments(
        [args.content, "-o", args.output, "-s", args.settings, *pelican_options]
    )
    init_logging(
        level=pelican_args.verbosity,
        fatal=pelican_args.fatal,
        name="pelican",
        handler=LOG_HANDLERS[pelican_args.log_handler],
        logs_dedup_min_level=getattr(logging, pelican_args.logs_dedup_min_level),
    )
    loop = DevLoop(pelican_args)
    handler = functools.partial(Handler, output=loop.output, stamp=loop.stamp)
    server = http.server.ThreadingHTTPServer((args.bind, args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Vorschau: http://{args.bind}:{server.server_address[1]}/ (Strg+C beendet)", flush=True)
    try:
        loop.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
