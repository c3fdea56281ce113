"""``make newsletter-server`` for real: gunicorn (gthread) started by ``python -m service
serve``, stalled clients against it, the one-click unsubscribe still served."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from service.config import load_config
from service.server import gunicorn_options
from service.store import Store
from tests.support.delivery import (
    ROOT,
    add_confirmed,
    free_port,
    http,
    unsubscribe_token,
    wait_until,
    write_settings,
)
from tests.support.rawhttp import post_head, raw_request, read_response


@pytest.fixture
def gunicorn(tmp_path, smtp):
    port = free_port()
    settings = write_settings(
        tmp_path,
        smtp_port=smtp.port,
        service_url=f"http://127.0.0.1:{port}/newsletter",
        NEWSLETTER_SERVER_THREADS=2,
        NEWSLETTER_BODY_TIMEOUT=1,
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "service",
            "--settings",
            str(settings),
            "serve",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/newsletter"

    def up() -> bool:
        try:
            return http(f"{url}/healthz").status == 200
        except OSError:
            return False

    try:
        assert wait_until(up, timeout=30), "gunicorn did not start"
        yield url, port, load_config(settings), process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_stalled_clients_get_408_and_one_click_unsubscribe_still_works(gunicorn):
    url, port, config, process = gunicorn
    with Store(config.db_path) as store:
        (reader,) = add_confirmed(store, 1)
        subscriber = store.subscriber_by_email(reader)
    # more stalled bodies than the service has threads
    stalled = [
        raw_request(port, post_head("/newsletter/subscribe", 100), b"email=stau") for _ in range(5)
    ]
    token = unsubscribe_token(config, subscriber.id)
    reply = http(f"{url}/unsubscribe?token={token}", data=b"List-Unsubscribe=One-Click")
    assert reply.status == 200
    with Store(config.db_path) as store:
        assert store.subscriber(subscriber.id).status == "unsubscribed"
    answers = []
    for client in stalled:
        answers.append(read_response(client))
        client.close()
    assert all(answer.startswith("HTTP/1.1 408") for answer in answers), answers
    assert all("Die Anfrage kam nicht vollständig an" in answer for answer in answers)
    assert http(f"{url}/healthz").status == 200
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=20)
    assert "Traceback" not in errors


def test_the_server_options_have_a_real_backlog_and_threads(tmp_path, smtp):
    config = load_config(write_settings(tmp_path, smtp_port=smtp.port))
    options = gunicorn_options(config, "127.0.0.1", 8025)
    assert options["worker_class"] == "gthread"
    assert options["backlog"] == 2048 and options["threads"] == 16
    assert options["accesslog"] is None  # no tokens, no client addresses in a log


def test_two_hundred_parallel_sign_ups_are_all_answered(gunicorn):
    url, _, config, _ = gunicorn
    start = threading.Barrier(200)

    def sign_up(number: int) -> int | str:
        start.wait()  # all at the same moment, each on a new connection
        try:
            return http(
                f"{url}/subscribe", data={"email": f"viele{number}@example.org", "website": ""}
            ).status
        except OSError as error:  # a reset: the backlog was too short
            return type(error).__name__

    with ThreadPoolExecutor(max_workers=200) as pool:
        answers = list(pool.map(sign_up, range(200)))
    assert answers == [200] * 200

    def rows() -> int:
        with Store(config.db_path) as store:
            return store.count("pending")

    assert wait_until(lambda: rows() == 200, timeout=30)
