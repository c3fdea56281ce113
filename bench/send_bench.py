"""Sending one digest to many subscribers through a local aiosmtpd: messages per second
and the sender's peak memory.

    .venv/bin/python bench/send_bench.py                      # 1,000 and 10,000 subscribers
    .venv/bin/python bench/send_bench.py --subscribers 50000

Each run: a fresh SQLite list of N confirmed subscribers, a digest of realistic size
(inlined-CSS HTML of about 30 KB, plain text of about 8 KB), the loopback SMTP server in
a process of its own, and `python -m service send` with NEWSLETTER_RATE = 0
in a child process, so its peak RSS is its own (rusage). The time is the whole command,
start-up included. Target: at least 200 messages per second on 2 cores; memory flat in N.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.store import Store  # noqa: E402

PLACEHOLDER = "%%UNSUBSCRIBE_URL%%"
ISSUE = "2026-kw48"


def write_digest(output: Path) -> None:
    folder = output / "newsletter" / ISSUE
    folder.mkdir(parents=True)
    article = (
        '<tr><td style="padding:16px 24px;font-family:system-ui,Arial,sans-serif;'
        'color:#1d1d1f;font-size:17px;line-height:1.6">'
        '<h2 style="font-size:22px;margin:0 0 8px"><a style="color:#1f5f8b" '
        'href="https://www.ideequadrat.org/2026/11/artikel-{n}/">Für wen machen wir das '
        'eigentlich? Teil {n}</a></h2><p style="margin:0">Soziale Organisationen stehen '
        "vor der Frage, wem ihre Arbeit dient – den Klientinnen, den Geldgebern oder sich "
        "selbst. Ein Blick auf Sinn, Wirkung und die Kunst, das Richtige zu tun.</p></td></tr>\n"
    )
    html = (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"></head>'
        '<body style="margin:0;background:#f1f5f9"><table role="presentation" width="100%">'
        + "".join(article.format(n=n) for n in range(40))
        + f'<tr><td><a href="{PLACEHOLDER}">Abmelden</a></td></tr></table></body></html>\n'
    )
    text = (
        "".join(
            f"Für wen machen wir das eigentlich? Teil {n}\n"
            f"https://www.ideequadrat.org/2026/11/artikel-{n}/\n\n"
            "Soziale Organisationen stehen vor der Frage, wem ihre Arbeit dient.\n\n"
            for n in range(40)
        )
        + f"Abmelden: {PLACEHOLDER}\n"
    )
    (folder / "email.html").write_text(html, "utf-8")
    (folder / "email.txt").write_text(text, "utf-8")
    (folder / "digest.json").write_text(
        json.dumps(
            {
                "issue": ISSUE,
                "year": 2026,
                "week": 48,
                "subject": "IdeeQuadrat Wochenrückblick KW 48/2026: Für wen machen wir das?",
                "html": "email.html",
                "text": "email.txt",
                "unsubscribe_placeholder": PLACEHOLDER,
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )


def fill(db_path: Path, count: int) -> None:
    with Store(db_path) as store, store.transaction():
        store.db.executemany(
            "INSERT INTO subscribers (email, status, requested_at, confirmed_at, "
            "consent_version, source) VALUES (?, 'confirmed', '2026-01-01T00:00:00Z', "
            "'2026-01-01T00:05:00Z', 'bench', 'bench')",
            ((f"leser{n}@example.org",) for n in range(count)),
        )


def start_smtp() -> tuple[subprocess.Popen, int]:
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.support.smtpserver", "--port", "0"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    port = int(server.stdout.readline())
    return server, port


def stop_smtp(server: subprocess.Popen) -> int:
    server.send_signal(signal.SIGTERM)
    _, stderr = server.communicate(timeout=30)
    for line in stderr.splitlines():
        if line.startswith("accepted "):
            return int(line.split()[1])
    raise RuntimeError(f"SMTP server gave no count:\n{stderr[-2000:]}")


def run(count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="send-bench-") as folder:
        base = Path(folder)
        write_digest(base / "output")
        fill(base / "var" / "newsletter.sqlite", count)
        server, port = start_smtp()
        try:
            settings = base / "conf.py"
            settings.write_text(
                'SITENAME = "IdeeQuadrat"\n'
                'SITEURL_ABSOLUTE = "https://www.ideequadrat.org"\n'
                'OUTPUT_PATH = "output"\n'
                'NEWSLETTER_SECRET = "bench-secret-0123456789"\n'
                'NEWSLETTER_SMTP_HOST = "127.0.0.1"\n'
                f"NEWSLETTER_SMTP_PORT = {port}\n"
                "NEWSLETTER_RATE = 0\n",
                "utf-8",
            )
            command = [sys.executable, "-m", "service", "--settings", str(settings)]
            started = time.perf_counter()
            sender = subprocess.Popen(
                [*command, "send"],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            _, status, usage = os.wait4(sender.pid, 0)
            seconds = time.perf_counter() - started
            summary = sender.stdout.read().strip()
            if os.waitstatus_to_exitcode(status) != 0:
                raise RuntimeError(f"send failed: {summary}")
        finally:
            accepted = stop_smtp(server)
        message_size = len((base / "output/newsletter" / ISSUE / "email.html").read_bytes())
    return {
        "subscribers": count,
        "accepted": accepted,
        "seconds": seconds,
        "per_second": count / seconds,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "html_kib": message_size / 1024,
        "summary": summary,
    }


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    arguments.add_argument("--subscribers", type=int, nargs="+", default=[1000, 10000])
    args = arguments.parse_args()
    print(f"{'subscribers':>11}  {'seconds':>8}  {'msg/s':>7}  {'peak RSS':>9}  server got")
    for count in args.subscribers:
        result = run(count)
        print(
            f"{result['subscribers']:>11,}  {result['seconds']:>8.1f}  "
            f"{result['per_second']:>7.0f}  {result['peak_rss_mib']:>6.1f} MiB  "
            f"{result['accepted']:,}   ({result['summary']}; HTML {result['html_kib']:.0f} KiB)",
            flush=True,
        )
        if result["accepted"] != count:
            print(f"! the server got {result['accepted']} messages, not {count}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
