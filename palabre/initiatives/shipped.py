"""The playbooks Palabre ships, one TOML file per kind of action (package data, in French)."""

from __future__ import annotations

from importlib import resources
from typing import Any

from django.core.exceptions import PermissionDenied

from palabre.initiatives import playbooks
from palabre.initiatives.models import Playbook
from palabre.initiatives.permissions import can_edit_playbooks
from palabre.initiatives.playbook_actions import TitleTaken, save_playbook

FOLDER = "playbook_files"


def shipped_playbook_texts() -> list[str]:
    """Return the text of every shipped playbook file, in file-name order."""
    folder = resources.files("palabre.initiatives").joinpath(FOLDER)
    files = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".toml")),
        key=lambda entry: entry.name,
    )
    return [entry.read_text(encoding="utf-8") for entry in files]


def install_shipped_playbooks(by: Any) -> list[Playbook]:
    """Create the shipped playbooks whose title is free; a playbook already there (even one a
    coordinator edited) is kept: the unique title decides, not a check before writing."""
    if not can_edit_playbooks(by):
        raise PermissionDenied
    installed = []
    for text in shipped_playbook_texts():
        try:
            installed.append(save_playbook(by=by, playbook=None, data=playbooks.parse(text)))
        except TitleTaken:
            continue
    return installed
