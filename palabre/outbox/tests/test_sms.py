"""Text messages (issue 16, item 3): what fits in one, clean splitting, the backends, the same
outbox and retries as emails, and STOP."""

from __future__ import annotations

import io
import json
import urllib.error
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse

from config.env import sms_config
from palabre.outbox import actions, sms
from palabre.outbox.models import Channel, MailStatus, OutgoingMail, SmsOptOut

pytestmark = pytest.mark.django_db
MEMORY = {"backend": "memory"}
TWILIO = {"backend": "twilio", "account": "AC123", "token": "secret", "sender": "Namur"}


@pytest.fixture(autouse=True)
def empty_sms_outbox() -> Iterator[None]:
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def gsm_units(text: str) -> int:
    return sum(2 if char in sms.GSM_EXTENDED else 1 for char in text)


def test_french_and_dutch_are_written_in_the_gsm_alphabet_without_losing_meaning() -> None:
    assert (
        sms.gsm("Rappel\u202f: « Bien vivre », l\u2019atelier")
        == 'Rappel : "Bien vivre", l\'atelier'
    )
    assert sms.gsm("Empêché·e ? Maître, œuvre, België, garçon") == (
        "Empeché.e ? Maitre, oeuvre, Belgie, garcon"
    )
    assert sms.gsm("à é è ù ì ò Ä Ö Ñ Ü ä ö ñ ü É Ç") == "à é è ù ì ò Ä Ö Ñ Ü ä ö ñ ü É Ç"


def test_a_text_in_another_script_is_kept_as_it_was() -> None:
    assert sms.gsm("مرحبا بكم") == "مرحبا بكم"


def test_a_short_text_is_one_message_of_at_most_160_characters() -> None:
    text = "x" * 160
    assert sms.split(text) == [text]
    assert sms.split("€" * 80) == ["€" * 80]  # the euro sign counts twice: 160 units


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("Rappel : atelier du quartier de Bomel, jeudi 17 décembre à 18 h 30. " * 5, 153),
        ("Prix : 5 € ou 10 € [selon] ~ " * 12, 153),
        ("مرحبا بكم في ورشة العمل " * 8, 67),
    ],
)
def test_a_long_text_is_cut_between_words_into_numbered_parts(text: str, limit: int) -> None:
    parts = sms.split(text)
    assert len(parts) > 1
    count = len(parts)
    for number, part in enumerate(parts, 1):
        assert part.startswith(f"({number}/{count}) ")
        size = gsm_units(part) if limit == 153 else len(part)
        assert size <= limit
    joined = " ".join(part.split(") ", 1)[1] for part in parts)
    assert joined == " ".join(text.split())  # no word cut, none lost


def test_nothing_is_queued_while_sms_are_not_configured() -> None:
    assert actions.queue_sms(to="0470 12 34 56", text="Bonjour") == 0
    assert not OutgoingMail.objects.exists()


@override_settings(SMS=MEMORY)
def test_a_text_message_goes_through_the_outbox_and_the_worker_to_the_number() -> None:
    assert actions.queue_sms(to="0470 12 34 56", text="Rappel : « Atelier »", kind="reminder") == 1
    queued = OutgoingMail.objects.get()
    assert (queued.channel, queued.to, queued.status) == (Channel.SMS, ["+32470123456"], "pending")
    assert sms.outbox == []  # nothing leaves within the action
    assert actions.deliver_due() == 1
    assert sms.outbox == [("+32470123456", 'Rappel : "Atelier"')]
    queued.refresh_from_db()
    assert (queued.status, queued.body, queued.subject) == (MailStatus.SENT, "", "")


@override_settings(SMS=MEMORY)
def test_the_same_key_twice_queues_each_part_once() -> None:
    long = "Un texte assez long pour deux messages. " * 6
    assert actions.queue_sms(to="0470 12 34 56", text=long, key="k") == 2
    assert actions.queue_sms(to="0470 12 34 56", text=long, key="k") == 2
    assert OutgoingMail.objects.count() == 2


@override_settings(SMS=MEMORY)
def test_an_unusable_number_gets_nothing() -> None:
    assert actions.queue_sms(to="12", text="Bonjour") == 0
    assert not OutgoingMail.objects.exists()


@override_settings(SMS=MEMORY, SMS_INBOUND_TOKEN="s3cret-token")
def test_stop_in_reply_stops_the_messages_and_start_lifts_it() -> None:
    url = reverse("outbox:sms_reply", args=["s3cret-token"])
    answer = Client().post(url, {"From": "+32470123456", "Body": " Stop "})
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/xml"
    assert SmsOptOut.objects.filter(phone="+32470123456").exists()
    assert actions.queue_sms(to="0470 12 34 56", text="Rappel") == 0
    Client().post(url, {"From": "+32470123456", "Body": "Arrêt"})  # in French too
    assert SmsOptOut.objects.count() == 1
    Client().post(url, {"From": "+32470123456", "Body": "START"})
    assert actions.queue_sms(to="0470 12 34 56", text="Rappel") == 1


@override_settings(SMS=MEMORY, SMS_INBOUND_TOKEN="s3cret-token")
def test_other_replies_change_nothing() -> None:
    url = reverse("outbox:sms_reply", args=["s3cret-token"])
    for body in ("", "Merci !", "Je ne pourrai pas venir, stop"):
        Client().post(url, {"From": "+32470123456", "Body": body})
    assert not SmsOptOut.objects.exists()


@pytest.mark.parametrize("configured", ["", "s3cret-token"])
def test_a_stranger_cannot_opt_anyone_out(configured: str) -> None:
    with override_settings(SMS_INBOUND_TOKEN=configured):
        url = reverse("outbox:sms_reply", args=["guessed"])
        assert Client().post(url, {"From": "+32470123456", "Body": "STOP"}).status_code == 404
        empty = reverse("outbox:sms_reply", args=[" "])
        assert Client().post(empty, {"From": "+32470123456", "Body": "STOP"}).status_code == 404
    assert not SmsOptOut.objects.exists()


class FakeResponse(io.BytesIO):
    def __enter__(self) -> FakeResponse:
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()


def http_error(code: int, message: str) -> urllib.error.HTTPError:
    body = io.BytesIO(json.dumps({"message": message}).encode())
    return urllib.error.HTTPError("https://api.twilio.com", code, "error", {}, body)  # type: ignore[arg-type]


@override_settings(SMS=TWILIO)
def test_the_provider_receives_the_number_the_sender_and_the_text() -> None:
    actions.queue_sms(to="0470 12 34 56", text="Rappel")
    with mock.patch("urllib.request.urlopen", return_value=FakeResponse(b"{}")) as urlopen:
        assert actions.deliver_due() == 1
    (request,), options = urlopen.call_args
    assert request.full_url == "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
    assert request.get_method() == "POST"
    assert request.data == b"To=%2B32470123456&From=Namur&Body=Rappel"
    assert request.get_header("Authorization") == "Basic QUMxMjM6c2VjcmV0"
    assert options == {"timeout": 15}


@override_settings(SMS=TWILIO)
def test_a_provider_that_fails_is_tried_again_like_an_email_then_it_goes_out() -> None:
    actions.queue_sms(to="0470 12 34 56", text="Rappel")
    down = http_error(503, "Service unavailable")
    with mock.patch("urllib.request.urlopen", side_effect=down):
        assert actions.deliver_due() == 0
    queued = OutgoingMail.objects.get()
    assert (queued.status, queued.attempts) == (MailStatus.PENDING, 1)
    assert queued.last_error == "SmsError: provider answered 503: Service unavailable"
    with (
        time_machine.travel(queued.next_attempt_at + timedelta(seconds=1), tick=False),
        mock.patch("urllib.request.urlopen", side_effect=urllib.error.URLError("timed out")),
    ):
        assert actions.deliver_due() == 0
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (MailStatus.PENDING, 2)
    with (
        time_machine.travel(queued.next_attempt_at + timedelta(seconds=1), tick=False),
        mock.patch("urllib.request.urlopen", return_value=FakeResponse(b"{}")),
    ):
        assert actions.deliver_due() == 1
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT


@override_settings(SMS=TWILIO)
def test_a_message_the_provider_refuses_is_given_up_at_once_and_shown_to_the_service() -> None:
    actions.queue_sms(to="0470 12 34 56", text="Rappel")
    with mock.patch("urllib.request.urlopen", side_effect=http_error(400, "Invalid 'To'")):
        actions.deliver_due()
    queued = OutgoingMail.objects.get()
    assert queued.status == MailStatus.FAILED
    assert queued.last_error == "ValueError: provider refused the message (400): Invalid 'To'"
    assert queued.subject == "Rappel"  # the service's list of failures says which message


def test_the_sms_address_reads_each_backend(tmp_path: Path) -> None:
    assert sms_config("", var_dir=tmp_path) == {}
    assert sms_config("file:", var_dir=tmp_path) == {"backend": "file", "path": f"{tmp_path}/sms"}
    assert sms_config("file:///srv/sms", var_dir=tmp_path) == {
        "backend": "file",
        "path": "/srv/sms",
    }
    assert sms_config("console:", var_dir=tmp_path) == {"backend": "console"}
    assert sms_config("twilio://AC1:tok@%2B3281246300", var_dir=tmp_path) == {
        "backend": "twilio",
        "account": "AC1",
        "token": "tok",
        "sender": "+3281246300",
    }
    assert sms_config("twilio://AC1:tok@NamurVille", var_dir=tmp_path)["sender"] == "NamurVille"
    for wrong in ("sms://x", "twilio://AC1@Namur", "file://relative/dir"):
        with pytest.raises(ImproperlyConfigured) as refused:
            sms_config(wrong, var_dir=tmp_path)
        assert "tok" not in str(refused.value)


def test_the_file_backend_writes_one_file_per_message(tmp_path: Path) -> None:
    with override_settings(SMS={"backend": "file", "path": str(tmp_path)}):
        actions.queue_sms(to="+32 81 24 63 00", text="Bonjour")
        actions.deliver_due()
    (written,) = tmp_path.iterdir()
    assert written.read_text() == "To: +3281246300\n\nBonjour\n"
