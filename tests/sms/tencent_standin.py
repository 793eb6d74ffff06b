"""A local stand-in for Tencent Cloud's SMS API (SendSms, 2021-01-11) on 127.0.0.1, port 0.

It checks each request the way the real service does, from the published TC3-HMAC-SHA256
algorithm (not from the SDK's code): the canonical request over method, path, query, the signed
headers and the SHA-256 of the body; the string to sign with the credential scope; the key
derived from "TC3" + SecretKey through date, service and "tc3_request". It records what it got
and answers like the real API: a SendStatusSet, or an Error for a bad signature.
"""

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _hmac(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def tc3_signature(secret_key, *, method, path, query, headers, signed_headers, body, timestamp, service):
    canonical_headers = "".join(f"{name}:{headers[name].strip().lower()}\n" for name in signed_headers)
    canonical_request = "\n".join(
        [method, path, query, canonical_headers, ";".join(signed_headers), hashlib.sha256(body).hexdigest()]
    )
    date = datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", timestamp, scope, hashlib.sha256(canonical_request.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode(), date), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


class TencentSmsStandIn:
    def __init__(self, secret_id, secret_key):
        self.secret_id, self.secret_key = secret_id, secret_key
        self.requests = []  # (action, headers, body) of each well-signed request
        self.rejected = []
        self.answer_code = "Ok"  # what SendStatusSet[0].Code says; "InternalError" -> an Error
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {name.lower(): value for name, value in self.headers.items()}
                answer = stand_in.handle(self.path, headers, body)
                data = json.dumps({"Response": answer}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def url(self, **query):
        extra = "".join(f"&{k}={v}" for k, v in query.items())
        return f"tencent://{self.secret_id}:{self.secret_key}@127.0.0.1:{self.port}/?app=1400000001&sign=测试商场&scheme=http{extra}"

    def handle(self, path, headers, body):
        request_id = f"req-{len(self.requests) + len(self.rejected) + 1}"
        auth = headers.get("authorization", "")
        try:
            algorithm, rest = auth.split(" ", 1)
            fields = dict(part.strip().split("=", 1) for part in rest.split(","))
            secret_id, date, service, terminator = fields["Credential"].split("/")
            signed_headers = fields["SignedHeaders"].split(";")
            path_only, _, query = path.partition("?")
            expected = tc3_signature(
                self.secret_key,
                method="POST",
                path=path_only,
                query=query,
                headers=headers,
                signed_headers=signed_headers,
                body=body,
                timestamp=headers["x-tc-timestamp"],
                service=service,
            )
            ok = (
                algorithm == "TC3-HMAC-SHA256"
                and secret_id == self.secret_id
                and terminator == "tc3_request"
                and date == datetime.fromtimestamp(int(headers["x-tc-timestamp"]), UTC).strftime("%Y-%m-%d")
                and {"content-type", "host"} <= set(signed_headers)
                and hmac.compare_digest(expected, fields["Signature"])
            )
        except (KeyError, ValueError):
            ok = False
        if not ok:
            self.rejected.append(headers)
            return {
                "Error": {"Code": "AuthFailure.SignatureFailure", "Message": "signature mismatch"},
                "RequestId": request_id,
            }
        payload = json.loads(body)
        self.requests.append((headers.get("x-tc-action"), headers, payload))
        if self.answer_code == "InternalError":
            return {"Error": {"Code": "InternalError", "Message": "busy"}, "RequestId": request_id}
        return {
            "SendStatusSet": [
                {
                    "SerialNo": f"serial-{len(self.requests)}" if self.answer_code == "Ok" else "",
                    "PhoneNumber": number,
                    "Fee": 1,
                    "SessionContext": payload.get("SessionContext", ""),
                    "Code": self.answer_code,
                    "Message": "send success" if self.answer_code == "Ok" else "refused",
                    "IsoCode": "CN",
                }
                for number in payload["PhoneNumberSet"]
            ],
            "RequestId": request_id,
        }
