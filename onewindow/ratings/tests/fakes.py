"""A local fake of the provincial 好差评 exchange: checks the SM2 signature of every POST, records it, and answers
as configured (transient failures first, or a permanent rejection)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from onewindow.ratings.exchange.plugins import verify_request


@dataclass
class FakeReceiver:
    public_key: str
    fail_times: int = 0
    fail_status: int = 503
    reject_with: int | None = None
    requests: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = dict(self.headers.items())
                valid = verify_request(headers, raw, fake.public_key)
                fake.requests.append({"headers": headers, "json": json.loads(raw.decode("utf-8")),
                                      "signature_valid": valid})
                if not valid:
                    return self._answer(401, {"code": "401", "message": "签名验证失败"})
                if fake.reject_with:
                    return self._answer(fake.reject_with, {"code": str(fake.reject_with), "message": "数据格式错误"})
                if len(fake.requests) <= fake.fail_times:
                    return self._answer(fake.fail_status, {"code": "503", "message": "busy"})
                return self._answer(200, {"code": "0", "message": "ok", "receipt": f"R{len(fake.requests)}"})

            def _answer(self, status, body):
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/evaluations"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
