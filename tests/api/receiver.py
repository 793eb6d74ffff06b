"""A webhook receiver stand-in on 127.0.0.1 (a port of its own): checks each signature as a
receiver would, with its own HMAC code, and answers with the statuses it is told to."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, secret=None):
        self.secret = secret
        self.received = []  # (event id, type, payload, signature valid)
        self.answers = []  # statuses to give, in order; then 200
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.received.append(
                        (
                            self.headers.get("X-Servicedesk-Event-Id"),
                            self.headers.get("X-Servicedesk-Event"),
                            json.loads(body),
                            receiver.signature_ok(self.headers.get("X-Servicedesk-Signature", ""), body),
                        )
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def signature_ok(self, header, body):
        parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
        if not self.secret or "t" not in parts or abs(time.time() - int(parts["t"])) > 300:
            return False
        expected = hmac.new(self.secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts.get("v1", ""))

    def event_ids(self):
        return [item[0] for item in self.received]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
