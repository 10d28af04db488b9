"""Pol.is exports in and out: `palabre opinions import|export`, the import page and the export
files; every shared Pol.is conversation imported with the command maps exactly as the engine's
command line does on the same directory."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from palabre import cli
from palabre.conversations import actions
from palabre.conversations.models import (
    Conversation,
    MapState,
    Moderation,
    Origin,
    Statement,
    Value,
)
from palabre.conversations.tests.factories import POLIS_CONVERSATIONS, make_conversation
from palabre.conversations.transfer_forms import MAX_FILE_BYTES
from palabre.core.testing import World

pytestmark = pytest.mark.django_db

COMMENTS_HEADER = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"
VOTES_HEADER = "timestamp,datetime,comment-id,voter-id,vote"
TOKEN = "d3v1ce-t0ken-0f-a-phone-in-the-hall"
SECRET_WORDS = "Jean Dupont du 12 rue Haute veut un parking"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`palabre ARGV...` through its entry point, in this process (so on the test database)."""
    capsys.readouterr()
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def import_command(capsys: pytest.CaptureFixture[str], directory: Path, title: str) -> Conversation:
    code, out, err = run(capsys, "opinions", "import", str(directory), "--title", title)
    assert (code, err) == (0, "")
    assert out.startswith(settings.SITE_URL)
    assert out.endswith("/\n")
    assert out.count("\n") == 1
    found = resolve(urlsplit(out.strip()).path)
    assert found.view_name == "conversations:conversation"
    return Conversation.objects.get(slug=found.kwargs["slug"])


def map_json(conversation: Conversation) -> dict[str, Any]:
    """The map as anyone reads it at <conversation URL>map.json, once the worker computed it."""
    assert actions.refresh_map(conversation_id=conversation.pk) == MapState.READY
    page = reverse("conversations:conversation", kwargs={"slug": conversation.slug})
    response = Client().get(f"{page}map.json")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def download(client: Client, conversation: Conversation, name: str) -> str:
    response = client.get(
        reverse("conversations:export", kwargs={"slug": conversation.slug, "csv_file": name})
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def download_export(conversation: Conversation, directory: Path) -> Path:
    directory.mkdir()
    for name in ("comments.csv", "votes.csv"):
        (directory / name).write_text(download(Client(), conversation, name), encoding="utf-8")
    return directory


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def write_tiny_export(directory: Path, *, votes: str | None = None) -> Path:
    """A Pol.is export of 3 statements and 2 voters (too few for a map)."""
    directory.mkdir(parents=True)
    (directory / "comments.csv").write_text(
        f"{COMMENTS_HEADER}\n"
        "1600000000000,x,4,0,1,0,1,More benches in the shade\n"
        '1600000001000,x,7,0,1,1,1,"A market on Sundays, with food"\n'
        "1600000002000,x,9,1,0,0,-1,Something a moderator set aside\n",
        encoding="utf-8",
    )
    (directory / "votes.csv").write_text(
        votes
        if votes is not None
        else f"{VOTES_HEADER}\n"
        "1600000100000,x,4,10,1\n1600000200000,x,7,10,-1\n1600000300000,x,7,11,1\n",
        encoding="utf-8",
    )
    return directory


# --- The done-when: every shared conversation, imported with the command ---------------------


@pytest.mark.shared_data
@pytest.mark.parametrize("name", POLIS_CONVERSATIONS)
def test_a_shared_polis_conversation_imported_with_the_command_has_the_engines_map_in_map_json(
    name: str, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = shared_data / "polis" / name
    conversation = import_command(capsys, directory, f"Pol.is {name}")
    assert conversation.is_published
    assert conversation.opens_at is None  # a record, closed to votes
    code, out, _err = run(capsys, "opinions", "analyze", str(directory), "--json")
    assert code == 0
    engine = json.loads(out)
    published = map_json(conversation)
    for key in ("group_count", "labels", "consensus"):
        assert published[key] == engine[key], key


@pytest.mark.shared_data
def test_a_shared_conversation_exported_then_imported_again_has_the_same_map(
    shared_data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = import_command(capsys, shared_data / "polis" / "15-per-hour-seattle", "Seattle")
    before = map_json(first)
    again = import_command(capsys, download_export(first, tmp_path / "export"), "Seattle again")
    after = map_json(again)
    assert after["state"] == MapState.READY
    for key in ("conversation", "computed_at"):
        before.pop(key), after.pop(key)
    assert after == before


# --- The command's mistakes -------------------------------------------------------------------


def test_an_export_without_votes_csv_is_refused_in_one_line_and_nothing_is_stored(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    directory = write_tiny_export(tmp_path / "export")
    (directory / "votes.csv").unlink()
    code, out, err = run(capsys, "opinions", "import", str(directory), "--title", "Incomplete")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("palabre opinions: error: ")
    assert "votes.csv" in err
    assert not Conversation.objects.exists()


def test_a_garbage_csv_or_a_missing_folder_is_refused_and_nothing_is_stored(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    garbage = write_tiny_export(tmp_path / "garbage", votes="\x00\xff not,a\nvote,file\n")
    code, out, err = run(capsys, "opinions", "import", str(garbage), "--title", "Garbage")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "votes.csv" in err
    assert "missing column" in err
    bad_vote = write_tiny_export(
        tmp_path / "bad-vote", votes=f"{VOTES_HEADER}\n1600000100000,x,4,10,yes\n"
    )
    code, _out, err = run(capsys, "opinions", "import", str(bad_vote), "--title", "Bad vote")
    assert code == 2
    assert "line 2" in err
    assert "'yes'" in err
    code, _out, err = run(
        capsys, "opinions", "import", str(tmp_path / "nowhere"), "--title", "Nowhere"
    )
    assert code == 2
    assert "is not a directory" in err
    assert not Conversation.objects.exists()


def test_an_unknown_neighbourhood_is_refused_and_a_known_one_is_given_to_the_conversation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, world: World
) -> None:
    directory = write_tiny_export(tmp_path / "export")
    code, out, err = run(
        capsys, "opinions", "import", str(directory), "--title", "T", "--neighbourhood", "nope"
    )
    assert (code, out) == (2, "")
    assert "'nope'" in err
    assert "bomel" in err
    assert err.count("\n") == 1
    assert not Conversation.objects.exists()
    # An unpublished neighbourhood is the service's to use.
    code, out, err = run(
        capsys, "opinions", "import", str(directory), "--title", "T", "--neighbourhood", "vedrin"
    )
    assert code == 0, err
    assert Conversation.objects.get().neighbourhood == world.hidden


def test_a_missing_title_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    directory = write_tiny_export(tmp_path / "export")
    code, out, err = run(capsys, "opinions", "import", str(directory))
    assert (code, out) == (2, "")
    assert "--title" in err
    code, out, err = run(capsys, "opinions", "import", str(directory), "--title", "   ")
    assert code == 2
    assert "--title" in err
    assert not Conversation.objects.exists()


def test_exporting_an_unknown_conversation_fails_and_a_known_one_writes_both_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(capsys, "opinions", "export", "nope", str(tmp_path / "out"))
    assert code == 2
    assert "'nope'" in err
    conversation = make_conversation()
    code, out, err = run(capsys, "opinions", "export", conversation.slug, str(tmp_path / "out"))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        str(tmp_path / "out" / "comments.csv"),
        str(tmp_path / "out" / "votes.csv"),
    ]
    assert (tmp_path / "out" / "votes.csv").read_text() == f"{VOTES_HEADER}\n"


@pytest.mark.shared_data
def test_the_engines_verbs_still_run_without_importing_django(shared_data: Path) -> None:
    directory = shared_data / "polis" / "london.youth.policing"
    probe = (
        "import sys; from palabre.cli import main; "
        f"code = main(['opinions', 'analyze', {str(directory)!r}, '--json']); "
        "assert code == 0; assert 'django' not in sys.modules, 'django imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["group_count"] >= 2


# --- The export's format ----------------------------------------------------------------------


def _live_conversation() -> tuple[Conversation, list[Statement], Statement, Statement]:
    """8 seeded statements voted on by 20 cards and a phone (two camps, three statements shared),
    a resident's statement waiting for moderation and one rejected."""
    conversation = make_conversation()
    start = timezone.now() - timedelta(hours=20)
    statements = [
        actions.add_statement(
            conversation=conversation, text=f"Affirmation {n}", at=start + timedelta(minutes=n)
        )
        for n in range(1, 9)
    ]
    moment = start + timedelta(hours=1)
    for card in range(1, 21):
        voter = actions.participant_for_card(conversation=conversation, number=card)
        camp = Value.AGREE if card <= 10 else Value.DISAGREE
        for position, statement in enumerate(statements):
            moment += timedelta(seconds=7)
            value = camp if position < 5 else Value.AGREE
            actions.cast_vote(participant=voter, statement=statement, value=value, at=moment)
    phone = actions.participant_for_device(conversation=conversation, token=TOKEN)
    actions.cast_vote(
        participant=phone,
        statement=statements[0],
        value=Value.PASS,
        at=moment + timedelta(minutes=1),
    )
    pending = actions.propose_statement(
        conversation=conversation, text=SECRET_WORDS, at=start + timedelta(hours=2)
    )
    rejected = actions.add_statement(
        conversation=conversation,
        text="Un texte refusé par la modération",
        origin=Origin.RESIDENT,
        at=start + timedelta(hours=3),
    )
    Statement.objects.filter(pk=rejected.pk).update(moderation=Moderation.REJECTED)
    return conversation, statements, pending, rejected


def test_the_export_is_in_polis_format_with_map_ids_and_no_unmoderated_words(
    django_assert_max_num_queries: Any,
) -> None:
    conversation, statements, pending, rejected = _live_conversation()
    assert Statement.objects.get(pk=pending.pk).submitted_text  # kept for the moderator
    with django_assert_max_num_queries(12):
        comments = download(Client(), conversation, "comments.csv")
        votes = download(Client(), conversation, "votes.csv")
    assert comments.splitlines()[0] == COMMENTS_HEADER
    assert votes.splitlines()[0] == VOTES_HEADER
    assert "Jean" not in comments
    assert "parking" not in comments
    assert "refusé" not in comments
    phone_digest = actions.device_digest(TOKEN, conversation.pk)
    assert phone_digest not in votes
    assert phone_digest not in comments
    comment = {int(row["comment-id"]): row for row in rows(comments)}
    # Nothing imported: the map's ids are the rows' ids.
    assert sorted(comment) == sorted(s.pk for s in [*statements, pending, rejected])
    first = comment[statements[0].pk]
    assert first["comment-body"] == "Affirmation 1"
    assert first["moderated"] == "1"
    assert (first["agrees"], first["disagrees"]) == ("10", "10")
    written = statements[0].written_at
    assert int(first["timestamp"]) == int(written.timestamp()) * 1000 + written.microsecond // 1000
    assert first["datetime"].endswith(f"UTC {statements[0].written_at.year}")
    assert first["author-id"] == ""
    assert (comment[pending.pk]["moderated"], comment[pending.pk]["comment-body"]) == ("0", "")
    assert (comment[rejected.pk]["moderated"], comment[rejected.pk]["comment-body"]) == ("-1", "")
    assert comment[statements[7].pk]["agrees"] == "20"
    vote = rows(votes)
    assert len(vote) == 20 * 8 + 1
    assert {row["vote"] for row in vote} == {"1", "-1", "0"}
    participants = {int(row["voter-id"]) for row in vote}
    assert participants == set(conversation.participants.values_list("pk", flat=True))
    passed = [row for row in vote if row["vote"] == "0"]
    assert len(passed) == 1
    assert int(passed[0]["comment-id"]) == statements[0].pk
    assert int(vote[0]["timestamp"]) > 1_000_000_000_000  # milliseconds, not seconds


def test_an_imported_conversation_exports_under_its_polis_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    conversation = import_command(capsys, write_tiny_export(tmp_path / "export"), "Tiny")
    comments = rows(download(Client(), conversation, "comments.csv"))
    assert [
        (r["comment-id"], r["moderated"], r["comment-body"], r["timestamp"]) for r in comments
    ] == [
        ("4", "1", "More benches in the shade", "1600000000000"),
        ("7", "1", "A market on Sundays, with food", "1600000001000"),
        ("9", "-1", "Something a moderator set aside", "1600000002000"),
    ]
    votes = rows(download(Client(), conversation, "votes.csv"))
    assert [(r["timestamp"], r["comment-id"], r["voter-id"], r["vote"]) for r in votes] == [
        ("1600000100000", "4", "10", "1"),
        ("1600000200000", "7", "10", "-1"),
        ("1600000300000", "7", "11", "1"),
    ]


def test_a_live_conversation_exported_then_imported_has_the_same_map(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    conversation, _statements, _pending, _rejected = _live_conversation()
    before = map_json(conversation)
    assert before["group_count"] == 2
    again = import_command(capsys, download_export(conversation, tmp_path / "export"), "Again")
    assert again.statements.get(moderation=Moderation.PENDING).text == ""
    after = map_json(again)
    for key in ("conversation", "computed_at"):
        before.pop(key), after.pop(key)
    assert after == before


def test_the_export_of_a_hidden_conversation_is_a_404_and_an_unknown_file_too() -> None:
    conversation = make_conversation(is_published=False)
    url = reverse(
        "conversations:export", kwargs={"slug": conversation.slug, "csv_file": "votes.csv"}
    )
    assert Client().get(url).status_code == 404
    Conversation.objects.filter(pk=conversation.pk).update(is_published=True)
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{conversation.slug}-votes.csv"'
    )
    for name in ("summary.csv", "participants-votes.csv", "comments.txt"):
        other = reverse(
            "conversations:export", kwargs={"slug": conversation.slug, "csv_file": name}
        )
        assert Client().get(other).status_code == 404


# --- The import page --------------------------------------------------------------------------


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.person(persona))
    return client


def _files(directory: Path) -> dict[str, SimpleUploadedFile]:
    return {
        name: SimpleUploadedFile(
            f"{name}.csv", (directory / f"{name}.csv").read_bytes(), "text/csv"
        )
        for name in ("comments", "votes")
    }


def test_the_service_imports_an_export_through_the_page_and_lands_on_the_conversation(
    world: World, tmp_path: Path
) -> None:
    client = _client(world, "coordinator")
    page = client.get(reverse("conversations:import"))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    data = {"title": "La place en 2020", "neighbourhood": world.hidden.pk}
    response = client.post(
        reverse("conversations:import"), data | _files(write_tiny_export(tmp_path / "e"))
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "conversations:conversation", kwargs={"slug": conversation.slug}
    )
    assert (conversation.title, conversation.neighbourhood) == ("La place en 2020", world.hidden)
    assert conversation.is_published
    assert conversation.opens_at is None
    assert list(
        conversation.statements.order_by("external_id").values_list("external_id", flat=True)
    ) == [4, 7, 9]
    assert "palabre-polis" not in conversation.imported_from
    assert client.get(response["Location"]).status_code == 200


def test_an_unreadable_export_is_refused_with_the_title_and_neighbourhood_kept(
    world: World, tmp_path: Path
) -> None:
    client = _client(world, "administrator")
    directory = write_tiny_export(tmp_path / "e", votes="garbage\n\x01,\x02\n")
    data = {"title": "Mon titre tapé", "neighbourhood": world.home.pk}
    response = client.post(reverse("conversations:import"), data | _files(directory))
    assert response.status_code == 400
    assert "Mon titre tapé" in response.text
    assert f'<option value="{world.home.pk}" selected>' in response.text
    assert 'id="id_votes_error"' in response.text
    assert "missing column" in response.text
    assert "palabre-polis" not in response.text  # the temporary folder is not shown
    assert not Conversation.objects.exists()


def test_a_missing_file_or_one_too_large_is_refused(world: World, tmp_path: Path) -> None:
    client = _client(world, "coordinator")
    files = _files(write_tiny_export(tmp_path / "e"))
    response = client.post(
        reverse("conversations:import"), {"title": "Sans votes", "comments": files["comments"]}
    )
    assert response.status_code == 400
    assert 'id="id_votes_error"' in response.text
    assert "Sans votes" in response.text
    big = SimpleUploadedFile("votes.csv", b"1" * (MAX_FILE_BYTES + 1), "text/csv")
    files = _files(tmp_path / "e")
    response = client.post(
        reverse("conversations:import"),
        {"title": "Trop lourd", "comments": files["comments"], "votes": big},
    )
    assert response.status_code == 400
    assert 'id="id_votes_error"' in response.text
    assert "palabre opinions import" in response.text
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("persona", ["resident", "facilitator", "official", "partner"])
def test_only_the_service_may_open_or_post_the_import_page(
    world: World, tmp_path: Path, persona: str
) -> None:
    client = _client(world, persona)
    assert client.get(reverse("conversations:import")).status_code == 403
    files = _files(write_tiny_export(tmp_path / "e"))
    response = client.post(reverse("conversations:import"), {"title": "T"} | files)
    assert response.status_code == 403
    assert Client().get(reverse("conversations:import")).status_code == 403
    assert not Conversation.objects.exists()


def test_importing_twice_gives_two_conversations_with_their_own_addresses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    directory = write_tiny_export(tmp_path / "e")
    first = import_command(capsys, directory, "Twice")
    second = import_command(capsys, directory, "Twice ")
    assert first.slug != second.slug
    assert second.title == "Twice"
