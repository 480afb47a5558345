"""Fake outside services on loopback for the outbox: Telegram's Bot API and a webhook receiver.

Small threaded HTTP servers (``http.server``) in the test or bench process. Each records
what it received; ``statuses`` is a list of HTTP statuses to answer in turn (then 200);
``delay`` holds each answer back that many seconds (a slow receiver). They import nothing
from Django or the project, so ``bench/`` can use them too.
"""

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeServer:
    def __init__(self, kind):
        self.kind = kind
        self.received = []  # (time, path, headers, body bytes)
        self.statuses = []
        self.delay = 0.0
        self.lock = threading.Lock()
        self.next_message_id = 100

    def answer(self, path, headers, body):
        with self.lock:
            self.received.append((time.time(), path, headers, body))
            status = self.statuses.pop(0) if self.statuses else 200
            self.next_message_id += 1
            message_id = self.next_message_id
        if self.delay:
            time.sleep(self.delay)
        if self.kind == "telegram" and status == 200:
            return status, {"ok": True, "result": {"message_id": message_id}}
        if self.kind == "telegram":
            return status, {"ok": False, "error_code": status, "description": "fake failure"}
        return status, {"ok": status < 300}

    def json_bodies(self):
        with self.lock:
            return [json.loads(body) for _at, _path, _headers, body in self.received]


@contextmanager
def fake_server(kind):
    """``(server, base_url)`` while the block runs; ``kind`` is "telegram" or "webhook"."""
    state = FakeServer(kind)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length)
            status, answer = state.answer(self.path, dict(self.headers.items()), body)
            data = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the sender went away (a killed worker)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
