"""`make devserver`: Pelican's rebuild on save (`pelican -r`) plus a server that reloads
the browser when a rebuild has finished.

The server serves output/ like `pelican -l`, and adds one script tag to every HTML page
it sends (``livereload.js``, next to this file). The script asks ``/__rundbrief/build``
for the stamp of the last finished build (the time the incremental engine saved its
manifest) and reloads the page when it changes. Nothing of this is written to output/:
`make html` and `make publish` never contain it (a test checks).

    python -m engine.devserver content -o output -s pelicanconf.py [-p 8000] [-b 127.0.0.1]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

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

    def __init__(self, *args, output: Path, cache_path: Path, **kwargs):
        self.output = output
        self.cache_path = cache_path
        super().__init__(*args, directory=str(output), **kwargs)

    def log_message(self, format, *args):  # quiet, like `pelican -l` without -v
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == BUILD_PATH:
            return self._send(build_stamp(self.cache_path, self.output).encode(), "text/plain")
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


def cache_path_of(settings_file: str, content: str) -> Path:
    """CACHE_PATH as Pelican resolves it (relative to the working directory)."""
    from pelican.settings import read_settings  # noqa: PLC0415  (only the dev server needs it)

    settings = read_settings(settings_file, override={"PATH": os.path.abspath(content)})
    return Path(settings["CACHE_PATH"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("-s", "--settings", required=True)
    parser.add_argument("-p", "--port", type=int, default=8000)
    parser.add_argument("-b", "--bind", default="127.0.0.1")
    args, pelican_options = parser.parse_known_args(argv)
    output = Path(args.output).resolve()
    handler = functools.partial(
        Handler, output=output, cache_path=cache_path_of(args.settings, args.content).resolve()
    )
    server = http.server.ThreadingHTTPServer((args.bind, args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Vorschau: http://{args.bind}:{server.server_address[1]}/ (Strg+C beendet)", flush=True)
    command = [sys.executable, "-m", "pelican", args.content, "-o", str(output)]
    command += ["-s", args.settings, "-r", *pelican_options]
    rebuild = subprocess.Popen(command, env={**os.environ})
    try:
        rebuild.wait()
    except KeyboardInterrupt:
        rebuild.terminate()
        rebuild.wait()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
