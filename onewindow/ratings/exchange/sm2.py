"""SM2 signatures (GB/T 32918) over SM3 with the user ID of GM/T 0009, via gmssl.

Keys are hex: the private key 64 hex digits, the public key 128 (x‖y, without the 04 prefix; a leading 04 is
accepted). The signature is hex r‖s.
"""

from __future__ import annotations

import secrets

from gmssl import sm2

N = int(sm2.default_ecc_table["n"], 16)


def generate_keypair() -> tuple[str, str]:
    """(private, public) hex: for tests and for `ratings_exchange_keygen`."""
    d = secrets.randbelow(N - 1) + 1
    private = f"{d:064x}"
    public = sm2.CryptSM2(private_key=private, public_key="")._kg(d, sm2.default_ecc_table["g"])
    return private, public


def _public(key: str) -> str:
    key = (key or "").strip().lower()
    return key[2:] if len(key) == 130 and key.startswith("04") else key


def sign(private_key: str, public_key: str, data: bytes) -> str:
    return sm2.CryptSM2(private_key=private_key.strip().lower(), public_key=_public(public_key)).sign_with_sm3(data)


def verify(public_key: str, signature: str, data: bytes) -> bool:
    try:
        return bool(sm2.CryptSM2(private_key="", public_key=_public(public_key)).verify_with_sm3(signature, data))
    except Exception:  # malformed signature or key
        return False
