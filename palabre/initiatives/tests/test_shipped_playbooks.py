"""The playbooks Palabre ships: one per kind, well formed, installed once, never overwritten."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from palabre.core.testing import World
from palabre.initiatives import actions, playbooks
from palabre.initiatives.models import Kind, Playbook
from palabre.initiatives.shipped import install_shipped_playbooks, shipped_playbook_texts

DEPARTMENTS = {"voirie", "evenements", "urbanisme", "espaces-verts", "proprete", "cohesion-sociale"}


def test_every_kind_has_one_shipped_playbook_that_parses() -> None:
    found = [playbooks.parse(text) for text in shipped_playbook_texts()]
    assert sorted(p.kind for p in found) == sorted(Kind.values)
    assert len({p.title for p in found}) == len(found)
    for playbook in found:
        assert playbook.description, playbook.title
        assert playbook.steps, playbook.title
        assert playbook.budget, playbook.title
        assert any(step.permit for step in playbook.steps), playbook.title
        assert {s.department for s in playbook.steps if s.department} <= DEPARTMENTS
        # A permit goes to a department, and the steps come in the order they are due.
        assert all(step.department for step in playbook.steps if step.permit), playbook.title
        days = [step.days_before for step in playbook.steps]
        assert days == sorted(days, reverse=True), playbook.title


def test_the_street_party_asks_the_city_for_the_street_and_the_tables() -> None:
    street = next(
        p for p in map(playbooks.parse, shipped_playbook_texts()) if p.kind == "street_party"
    )
    permits = {step.department for step in street.steps if step.permit}
    assert {"voirie", "evenements"} <= permits
    assert any("Unisono" in step.title for step in street.steps)


@pytest.mark.django_db
def test_every_shipped_playbook_survives_export_then_import(world: World) -> None:
    coordinator = world.person("coordinator")
    for text in shipped_playbook_texts():
        original = playbooks.parse(text)
        saved = actions.import_playbook(by=coordinator, text=text)
        exported = actions.export_playbook(saved)
        assert playbooks.parse(exported) == original
        Playbook.objects.all().delete()  # into an empty database
        again = actions.import_playbook(by=coordinator, text=exported)
        assert actions.playbook_data(again) == original


@pytest.mark.django_db
def test_installing_twice_changes_nothing_and_keeps_a_coordinators_edits(world: World) -> None:
    coordinator = world.person("coordinator")
    first = install_shipped_playbooks(coordinator)
    assert len(first) == len(Kind.values) == Playbook.objects.count()
    street = Playbook.objects.get(kind="street_party")
    street.steps.filter(position=0).update(title="Notre propre première étape")
    assert install_shipped_playbooks(coordinator) == []
    assert Playbook.objects.count() == len(Kind.values)
    assert street.steps.get(position=0).title == "Notre propre première étape"


@pytest.mark.django_db
def test_only_the_missing_shipped_playbooks_are_installed(world: World) -> None:
    coordinator = world.person("coordinator")
    install_shipped_playbooks(coordinator)
    Playbook.objects.filter(kind="welcome").delete()
    again = install_shipped_playbooks(coordinator)
    assert [p.kind for p in again] == ["welcome"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "resident", "facilitator", "official"])
def test_only_the_service_installs_the_shipped_playbooks(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        install_shipped_playbooks(world.user(persona))
    assert not Playbook.objects.exists()
