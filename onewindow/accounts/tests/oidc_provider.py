"""A tiny OpenID Connect provider for tests: discovery, JWKS, token and userinfo endpoints on 127.0.0.1.

It signs id_tokens with an RSA key made for the test run (joserfc, which authlib uses). The authorisation
step (the person signing in at the province) is done by the test: `provider.authorize(url)` reads the state,
nonce and PKCE challenge from the redirect and returns a code for the callback.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey


class FakeProvider:
    def __init__(self, client_id="onewindow", client_secret="s3cret"):  # noqa: S107 (a test provider)
        self.client_id, self.client_secret = client_id, client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-1", "use": "sig", "alg": "RS256"})
        self.codes: dict[str, dict] = {}
        self.claims: dict = {}
        self.token_requests: list[dict] = []
        self.issuer_override = None
        self.id_token_keys = None  # e.g. {"sub"}: the id_token carries only these; userinfo has every claim
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def authorize(self, url: str, claims: dict) -> tuple[str, str]:
        """The person signs in at the provider: returns (code, state) for the callback."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        assert url.startswith(f"{self.issuer}/authorize?")
        assert query["client_id"] == self.client_id and query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256" and "openid" in query["scope"].split()
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": query["nonce"], "challenge": query["code_challenge"],
                            "redirect_uri": query["redirect_uri"], "claims": claims}
        return code, query["state"]

    def id_token(self, claims: dict, nonce: str) -> str:
        now = int(time.time())
        payload = {"iss": self.issuer_override or self.issuer, "aud": self.client_id, "iat": now,
                   "exp": now + 300, "nonce": nonce, **claims}
        return jwt.encode({"alg": "RS256", "kid": "test-1"}, payload, self.key)

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body, status=200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    base = provider.issuer
                    return self._json({
                        "issuer": base, "authorization_endpoint": f"{base}/authorize",
                        "token_endpoint": f"{base}/token", "userinfo_endpoint": f"{base}/userinfo",
                        "jwks_uri": f"{base}/jwks", "response_types_supported": ["code"],
                        "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                        "code_challenge_methods_supported": ["S256"]})
                if self.path == "/jwks":
                    return self._json({"keys": [provider.key.as_dict(private=False)]})
                if self.path == "/userinfo":
                    return self._json(provider.claims)
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                if self.path != "/token":
                    return self._json({"error": "not_found"}, 404)
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                else:
                    cid, secret = form.get("client_id", ""), form.get("client_secret", "")
                provider.token_requests.append(form)
                grant = provider.codes.pop(form.get("code", ""), None)
                if (cid, secret) != (provider.client_id, provider.client_secret):
                    return self._json({"error": "invalid_client"}, 401)
                if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                    return self._json({"error": "invalid_grant"}, 400)
                verifier = form.get("code_verifier", "")
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if challenge != grant["challenge"]:
                    return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
                provider.claims = grant["claims"]
                in_token = {k: v for k, v in grant["claims"].items()
                            if provider.id_token_keys is None or k in provider.id_token_keys}
                return self._json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                                   "expires_in": 300, "id_token": provider.id_token(in_token, grant["nonce"])})

        return Handler
