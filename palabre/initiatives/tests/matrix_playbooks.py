"""Permission-matrix rows of the playbook pages (see matrix.py)."""

from __future__ import annotations

from itertools import count
from typing import Any

from palabre.core.testing import MatrixRow, World, only

SERVICE = ("coordinator", "administrator")


def _playbook(world: World) -> dict[str, int]:
    from palabre.initiatives import actions
    from palabre.initiatives.tests.factories import STREET_PARTY

    return {"pk": actions.import_playbook(by=world.person("coordinator"), text=STREET_PARTY).pk}


_numbers = count(1)


def _form(title: str) -> dict[str, Any]:
    empty = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}
    return {
        "title": title,
        "kind": "welcome",
        "description": "",
        **{f"steps-{key}": value for key, value in empty.items()},
        **{f"budget-{key}": value for key, value in empty.items()},
    }


def _a_new_playbook(world: World) -> dict[str, Any]:
    # Each persona posts another title: the first one saved must not turn the next into a
    # duplicate (that case has its own test).
    return _form(f"Accueil {next(_numbers)}")


def _a_file(world: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from palabre.initiatives.tests.factories import STREET_PARTY

    return {"file": SimpleUploadedFile("fete.toml", STREET_PARTY.encode())}


ROWS = [
    MatrixRow("initiatives:playbooks", only(200, SERVICE, otherwise=403)),
    MatrixRow("initiatives:playbook_new", only(200, SERVICE, otherwise=403)),
    MatrixRow(
        "initiatives:playbook_new",
        only(302, SERVICE, otherwise=403),
        method="post",
        data=_a_new_playbook,
    ),
    MatrixRow("initiatives:playbook_edit", only(200, SERVICE, otherwise=403), kwargs=_playbook),
    MatrixRow(
        "initiatives:playbook_edit",
        only(302, SERVICE, otherwise=403),
        kwargs=_playbook,
        method="post",
        data=lambda w: _form("Fête de rue"),
    ),
    MatrixRow(
        "initiatives:playbook_edit",
        only(404, SERVICE, otherwise=403),
        kwargs=lambda w: {"pk": 999_999},
        state="no such playbook",
    ),
    MatrixRow("initiatives:playbook_export", only(200, SERVICE, otherwise=403), kwargs=_playbook),
    MatrixRow(
        "initiatives:playbook_import",
        only(302, SERVICE, otherwise=403),
        method="post",
        data=_a_file,
    ),
]
