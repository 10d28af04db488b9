"""Typed builders of citizen actions for tests (through the actions)."""

from __future__ import annotations

from datetime import date

from palabre.core.testing import World
from palabre.initiatives import actions
from palabre.initiatives.models import Initiative

STREET_PARTY = """
kind = "street_party"
title = "Fête de rue"
description = "Une rue fermée un samedi après-midi."

[[steps]]
title = "Demander la fermeture de la rue"
days_before = 42
permit = true
department = "voirie"

[[steps]]
title = "Toutes-boîtes aux voisins"
days_before = 14

[[budget]]
label = "Location de tables"
amount = "120.00"
"""


def make_initiative(
    world: World, title: str = "Fête de la rue Haute", *, started_by: str = "facilitator"
) -> Initiative:
    """An initiative in Bomel led by the resident, started by the `started_by` persona."""
    playbook = actions.import_playbook(by=world.person("coordinator"), text=STREET_PARTY)
    return actions.start_initiative(
        by=world.person(started_by),
        neighbourhood=world.home,
        playbook=playbook,
        title=title,
        starts_on=date(2027, 5, 22),
        leads=[world.person("resident")],
    )
