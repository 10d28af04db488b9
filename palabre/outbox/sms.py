"""Text messages: what fits in one (GSM 03.38, 160 characters), clean splitting, and the backend
configured by PALABRE_SMS_URL (`settings.SMS`, see config/env.py and ADR 0057).

Sending happens in the outbox worker only (`actions.deliver_due`): a failure that may pass
(network, provider down, rate limit) raises `SmsError` and is tried again like an email; one
that will not (unknown number, refused by the provider) raises `ValueError` and is given up.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import sys
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import timezone

# GSM 03.38: the basic set (one unit each) and the extension (two units: an escape first).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
# What French and Dutch texts hold that GSM lacks, written the way people write texts.
READABLE = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "–": "-", "—": "-",
        "…": "...", "\u00a0": " ", "\u202f": " ", "œ": "oe", "Œ": "OE", "·": ".",
    }
)  # fmt: skip
SINGLE, PART = 160, 153  # GSM units: one message, one part of a longer one
UCS2_SINGLE, UCS2_PART = 70, 67  # characters, when the text cannot be written in GSM

# The memory backend's messages (tests), like django.core.mail.outbox.
outbox: list[tuple[str, str]] = []


class SmsError(OSError):
    """The provider could not take the message now; the outbox tries again later."""


def is_configured() -> bool:
    return bool(settings.SMS.get("backend"))


def _units(text: str) -> int:
    return sum(2 if char in GSM_EXTENDED else 1 for char in text)


def _is_gsm(text: str) -> bool:
    return all(char in GSM_BASIC or char in GSM_EXTENDED for char in text)


def gsm(text: str) -> str:
    """Return `text` in the GSM alphabet where it can be without losing meaning (ê -> e,
    « » -> " "); a text in another script (Arabic, Cyrillic) is returned as it was."""
    plain = re.sub(r"\s*»", '"', re.sub(r"«\s*", '"', text)).translate(READABLE)
    letters = []
    for char in plain:
        if char in GSM_BASIC or char in GSM_EXTENDED:
            letters.append(char)
            continue
        base = unicodedata.normalize("NFD", char)[0]
        letters.append(base if base in GSM_BASIC else char)
    written = "".join(letters)
    return written if _is_gsm(written) else text


def split(text: str) -> list[str]:
    """Return `text` as the messages to send: one if it fits, else parts cut between words,
    each starting with "(1/2) ", so that no part is cut by the network in the middle of a word."""
    text = " ".join(text.split())
    encoded = _is_gsm(text)
    size = _units if encoded else len
    single, part = (SINGLE, PART) if encoded else (UCS2_SINGLE, UCS2_PART)
    if size(text) <= single:
        return [text]
    count = 2
    while True:
        parts = _cut(text, part, count, size)
        if len(parts) <= count:
            return [f"({number}/{len(parts)}) {piece}" for number, piece in enumerate(parts, 1)]
        count = len(parts)


# A number written in groups ("081 12 34 56") is cut as one word: split over two messages, it
# could be neither read nor tapped to call.
_NUMBER_OR_WORD = re.compile(r"\d+(?: \d+)+\S*|\S+")


def _cut(text: str, limit: int, count: int, measure: Callable[[str], int]) -> list[str]:
    room = limit - len(f"({count}/{count}) ")
    parts: list[str] = []
    current = ""
    for word in _NUMBER_OR_WORD.findall(text):
        while measure(word) > room:  # a word longer than a part (a link): cut it
            head = word[:room]
            if current:
                parts.append(current)
                current = ""
            parts.append(head)
            word = word[room:]
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= room:
            current = candidate
        else:
            parts.append(current)
            current = word
    if current:
        parts.append(current)
    return parts


def send(to: str, text: str) -> None:
    """Hand one message to the configured backend."""
    config = settings.SMS
    backend = config.get("backend")
    if backend == "memory":
        outbox.append((to, text))
    elif backend == "console":
        sys.stdout.write(f"SMS to {to}: {text}\n")
        sys.stdout.flush()
    elif backend == "file":
        folder = Path(config["path"])
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        name = folder / f"{stamp}-{secrets.token_hex(4)}.txt"
        name.write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")
    elif backend == "twilio":
        _send_twilio(config, to, text)
    else:
        raise ValueError("No SMS backend is configured (PALABRE_SMS_URL).")


TWILIO = "https://api.twilio.com/2010-04-01/Accounts/{account}/Messages.json"


def _send_twilio(config: dict[str, str], to: str, text: str) -> None:
    data = urllib.parse.urlencode({"To": to, "From": config["sender"], "Body": text}).encode()
    request = urllib.request.Request(  # noqa: S310 (a constant https address)
        TWILIO.format(account=urllib.parse.quote(config["account"])), data=data, method="POST"
    )
    credentials = f"{config['account']}:{config['token']}".encode()
    request.add_header("Authorization", f"Basic {base64.b64encode(credentials).decode()}")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as error:
        detail = _twilio_message(error)
        if error.code == 429 or error.code >= 500:
            raise SmsError(f"provider answered {error.code}: {detail}") from None
        raise ValueError(f"provider refused the message ({error.code}): {detail}") from None
    except (urllib.error.URLError, TimeoutError) as error:
        raise SmsError(f"provider unreachable: {error}") from None


def _twilio_message(error: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(error.read().decode() or "{}").get("message", ""))[:200]
    except (ValueError, OSError):
        return ""
