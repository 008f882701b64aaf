"""Local fake servers for the channels: an SMS gateway (HTTP JSON) and an SMTP server, on 127.0.0.1 in threads."""

from __future__ import annotations

import json
import socketserver
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class FakeSmsGateway:
    """Records every request; answers `fail_status` to the first `fail_times` requests, then 200 {"id": ...}.

    `reject_with` (e.g. 400) answers every request with that status (a permanent error); `delay` seconds
    before answering (for timeouts).
    """

    fail_times: int = 0
    fail_status: int = 503
    reject_with: int | None = None
    delay: float = 0.0
    requests: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                gateway.requests.append({"path": self.path, "headers": dict(self.headers.items()), "raw": raw,
                                         "json": json.loads(raw.decode("utf-8"))})
                if gateway.delay:
                    time.sleep(gateway.delay)
                if gateway.reject_with:
                    self._answer(gateway.reject_with, {"ok": False, "error": "template not approved"})
                elif len(gateway.requests) <= gateway.fail_times:
                    self._answer(gateway.fail_status, {"ok": False, "error": "busy"})
                else:
                    self._answer(200, {"ok": True, "id": f"msg-{len(gateway.requests)}"})

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class FakeSmtpServer:
    """A minimal SMTP server that accepts every message and keeps (envelope sender, recipients, data).

    `refuse_recipients` answers RCPT with 550 (a permanent error).
    """

    refuse_recipients: bool = False
    messages: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        smtp = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self._say("220 fake-smtp ready")
                sender, recipients = "", []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    command = line.decode("utf-8", "replace").strip()
                    verb = command.split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        self._say("250-fake-smtp\r\n250 8BITMIME")
                    elif verb == "HELO":
                        self._say("250 fake-smtp")
                    elif verb == "MAIL":
                        sender, recipients = command[10:].strip("<> "), []
                        self._say("250 OK")
                    elif verb == "RCPT":
                        if smtp.refuse_recipients:
                            self._say("550 5.1.1 mailbox unavailable")
                        else:
                            recipients.append(command[8:].strip("<> "))
                            self._say("250 OK")
                    elif verb == "DATA":
                        self._say("354 end with <CRLF>.<CRLF>")
                        chunks = []
                        while True:
                            data = self.rfile.readline()
                            if data in (b".\r\n", b".\n", b""):
                                break
                            chunks.append(data[1:] if data.startswith(b"..") else data)
                        smtp.messages.append({"from": sender, "to": recipients, "data": b"".join(chunks)})
                        self._say("250 OK queued")
                    elif verb == "QUIT":
                        self._say("221 bye")
                        return
                    elif verb in ("RSET", "NOOP"):
                        self._say("250 OK")
                    else:
                        self._say("502 not implemented")

            def _say(self, text: str) -> None:
                self.wfile.write(text.encode() + b"\r\n")

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
