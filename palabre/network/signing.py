"""This city's Ed25519 key, and the signature of a feed's exact bytes (ADR 0075).

The feed's body is signed as sent; the signature travels in one header:

    Palabre-Signature: ed25519=<base64 signature>; key=<fingerprint of the public key>

The key is created once, at first use, in `settings.NETWORK_KEY_FILE` (PEM, PKCS#8, mode 0600);
two processes starting at once end up with the same key (the file is linked into place, which
never replaces an existing file).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

HEADER = "Palabre-Signature"


class KeyFileError(Exception):
    """The key file exists but cannot be read as an Ed25519 private key."""


def _create(path: Path) -> None:
    """Write a new key beside `path`, then link it into place unless a key is already there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process put its key there first
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def private_key() -> Ed25519PrivateKey:
    """This city's signing key, created on first use."""
    path = Path(settings.NETWORK_KEY_FILE)
    if not path.exists():
        _create(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as error:
        raise KeyFileError(f"{path} is not a PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} does not hold an Ed25519 key")
    return key


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_text() -> str:
    """This city's public key: its 32 raw bytes in base64 (as the feed carries it)."""
    return base64.b64encode(raw_public_key(private_key().public_key())).decode()


def fingerprint(public_key: str) -> str:
    """The fingerprint people compare by phone or email: the first 16 bytes of the SHA-256 of
    the raw key, in 8 groups of 4 hexadecimal digits ("3f2a 91c0 …")."""
    digest = hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def signature_header(body: bytes) -> str:
    """The header value that signs `body` with this city's key."""
    key = private_key()
    signature = base64.b64encode(key.sign(body)).decode()
    public = base64.b64encode(raw_public_key(key.public_key())).decode()
    return f"ed25519={signature}; key={fingerprint(public).replace(' ', '')}"


def parse_header(value: str) -> dict[str, str]:
    """The parameters of a signature header ({"ed25519": …, "key": …}); unknown ones kept."""
    found: dict[str, str] = {}
    for part in value.split(";"):
        name, equals, given = part.strip().partition("=")
        if equals and name.strip():
            found[name.strip().lower()] = given.strip()
    return found


def load_public_key(text: str) -> Ed25519PublicKey | None:
    """The public key written as base64 of its 32 raw bytes; None when it is not one."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 32:
        return None
    return Ed25519PublicKey.from_public_bytes(raw)


def verifies(body: bytes, signature: str, public_key: str) -> bool:
    """Whether `signature` (base64) is `public_key`'s signature of exactly `body`."""
    key = load_public_key(public_key)
    if key is None:
        return False
    try:
        raw = base64.b64decode(signature, validate=True)
        key.verify(raw, body)
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return True
