"""Test helpers of the network: what a city shares, another city's signed feed, and a small
HTTP server that serves feeds (as another city's site would, or altered)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.test import override_settings
from django.utils import timezone

from palabre.initiatives import actions as initiative_actions
from palabre.initiatives.tests.factories import STREET_PARTY
from palabre.network import actions, feed, reading
from palabre.network.models import FollowedCity, Format
from palabre.workshops.models import EventKind, Session, Speaker, Status, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

if TYPE_CHECKING:
    from palabre.core.testing import World


@dataclass
class Shared:
    playbook: Any
    workshop: Workshop
    format: Format
    event: Workshop


def make_shared_city(world: World) -> Shared:
    """A playbook shared (in French), a format made from a held workshop with a Dutch and a
    German translation and shared, a symposium with a speaker open to other cities."""
    by = world.person("coordinator")
    playbook = initiative_actions.import_playbook(by=by, text=STREET_PARTY)
    actions.share_playbook(by=by, playbook=playbook, shared=True, language="fr")
    held = make_hosted_workshop(
        world,
        status=Status.HELD,
        days_from_now=-20,
        title="Bien vivre à Bomel",
        guiding_questions=["Comment vivez-vous votre quartier ?", "Que faudrait-il changer ?"],
        translations={"nl": {"title": "Goed wonen in Bomel", "guiding_questions": ["Hoe?"]}},
    )
    made = actions.make_format(by=by, workshop=held)
    actions.save_format(
        by=by,
        item=made,
        duration_minutes=150,
        texts={
            "fr": {"title": made.title, "guiding_questions": made.guiding_questions},
            "nl": {"title": "Goed wonen in Bomel", "guiding_questions": ["Hoe leeft u hier?"]},
            "de": {"title": "Gut leben in Bomel", "guiding_questions": ["Wie leben Sie hier?"]},
        },
    )
    actions.share_format(by=by, item=made, shared=True)
    event = make_hosted_workshop(
        world,
        kind=EventKind.SYMPOSIUM,
        title="Colloque des quartiers",
        days_from_now=30,
    )
    assert event.starts_at is not None
    session = Session.objects.create(
        workshop=event,
        title="Ouverture",
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(hours=1),
    )
    Speaker.objects.create(session=session, name="Anne Lemaire", affiliation="UNamur")
    actions.open_event(by=by, workshop=event, opened=True)
    made.refresh_from_db()
    return Shared(playbook, held, made, event)


def other_city_feed(
    key_file: Path, city: str = "Liège", site: str = "https://palabre.example"
) -> tuple[bytes, str]:
    """This database's feed as another city would sign it: its name, its own key."""
    with override_settings(CITY_NAME=city, NETWORK_KEY_FILE=key_file, SITE_URL=site):
        return feed.signed_body()


def follow_read(feed: tuple[bytes, str], *, site: str | None = None) -> FollowedCity:
    """A followed city whose feed (body, signature header) was read and verified, without
    HTTP: the rows the pages read. `site` replaces the feed's own (a test server's address)."""
    document = reading.verify(reading.Fetched(*feed), pinned_key=None)
    return FollowedCity.objects.create(
        feed_url=f"{document['site']}/reseau/flux.json",
        name=document["city"],
        site=site or document["site"],
        public_key=document["public_key"],
        feed=document,
        last_fetched_at=timezone.now(),
        generated_at=datetime.fromisoformat(document["generated_at"]),
    )


@dataclass
class Answer:
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    delay: float = 0.0


class FeedServer:
    """Serves `answers[path]` on 127.0.0.1 from a thread; `url(path)` is its address."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                answer = server.answers.get(self.path)
                if answer is None:
                    self.send_error(404)
                    return
                if answer.delay:
                    time.sleep(answer.delay)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def serve(self, path: str, body: bytes, signature: str | None = None, **options: Any) -> str:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["Palabre-Signature"] = signature
        self.answers[path] = Answer(body, headers, **options)
        return self.url(path)


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def tampered(body: bytes) -> bytes:
    """The same feed with one byte changed (a city's name altered on the way)."""
    index = body.index(b'"city": "') + len(b'"city": "')
    return body[:index] + bytes([body[index] ^ 0x01]) + body[index + 1 :]
