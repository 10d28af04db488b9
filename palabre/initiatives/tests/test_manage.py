"""Leads manage their citizen action; volunteers change only their own tasks; the city's part
goes through the requests' follow-up; money, photos with consent and the report."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from PIL import Image

from palabre.core.testing import MailServerDownOnce, World, jpeg_with_gps
from palabre.initiatives import actions
from palabre.initiatives.models import (
    Expense,
    Initiative,
    InitiativePhoto,
    Need,
    NeedKind,
    Status,
    Task,
    TaskNotice,
    Volunteer,
)
from palabre.initiatives.tests.factories import make_initiative
from palabre.official_requests import queries as request_queries
from palabre.official_requests.models import Request
from palabre.official_requests.models import Status as RequestStatus
from palabre.official_requests.tests.factories import make_department
from palabre.outbox.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def lead_client(world: World) -> Client:
    client = Client()
    client.force_login(world.person("resident"))  # the factory makes "resident" a lead
    return client


def permit_task(initiative: Initiative) -> Task:
    return initiative.tasks.get(permit=True)


def test_a_lead_gives_a_task_to_a_volunteer_and_moves_its_date(world: World) -> None:
    initiative = make_initiative(world)
    rosa = actions.sign_up(by=None, initiative=initiative, name="Rosa").volunteer
    task = initiative.tasks.get(title="Toutes-boîtes aux voisins")
    url = reverse("initiatives:update_task", args=[initiative.pk, task.pk])
    response = lead_client(world).post(
        url, {f"t{task.pk}-owner": rosa.pk, f"t{task.pk}-due_on": "2027-05-01"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.owner, task.due_on, task.done_at) == (rosa, date(2027, 5, 1), None)
    # Someone who did not sign up for this action cannot be given a task (form refuses it).
    other = actions.sign_up(by=None, initiative=make_initiative(world, "Autre"), name="Luc")
    refused = lead_client(world).post(url, {f"t{task.pk}-owner": other.volunteer.pk})
    assert refused.status_code == 400
    task.refresh_from_db()
    assert task.owner == rosa


def test_a_lead_adds_a_task_and_an_empty_one_is_refused_with_what_was_typed(world: World) -> None:
    initiative = make_initiative(world)
    url = reverse("initiatives:add_task", args=[initiative.pk])
    client = lead_client(world)
    bad = client.post(url, {"task-title": "", "task-due_on": "2027-05-20"})
    assert bad.status_code == 400
    assert 'value="2027-05-20"' in bad.text
    assert "Ce champ est obligatoire" in bad.text
    assert client.post(url, {"task-title": "Louer la sono"}).status_code == 302
    assert initiative.tasks.filter(title="Louer la sono", due_on=None).exists()


def test_a_volunteer_changes_only_their_own_tasks(world: World) -> None:
    initiative = make_initiative(world)
    rosa = actions.sign_up(by=None, initiative=initiative, name="Rosa").volunteer
    marc = actions.sign_up(by=None, initiative=initiative, name="Marc").volunteer
    task = initiative.tasks.get(title="Toutes-boîtes aux voisins")
    actions.take_task(volunteer=rosa, task=task)
    client = Client()
    for name in ("finish_task", "release_task"):
        url = reverse(f"initiatives:{name}", args=[marc.token, task.pk])
        assert client.post(url).status_code == 403
    task.refresh_from_db()
    assert task.owner == rosa
    assert task.done_at is None
    # A task of another initiative is not found through one's private link.
    elsewhere = make_initiative(world, "Autre").tasks.first()
    assert elsewhere is not None
    url = reverse("initiatives:finish_task", args=[rosa.token, elsewhere.pk])
    assert client.post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        actions.finish_task(volunteer=rosa, task=elsewhere)
    # Their own: done, twice harmlessly.
    url = reverse("initiatives:finish_task", args=[rosa.token, task.pk])
    assert client.post(url).status_code == 302
    first = Task.objects.get(pk=task.pk).done_at
    client.post(url)
    assert Task.objects.get(pk=task.pk).done_at == first is not None


def test_a_volunteer_gives_a_task_back(world: World) -> None:
    initiative = make_initiative(world)
    rosa = actions.sign_up(by=None, initiative=initiative, name="Rosa").volunteer
    task = permit_task(initiative)
    actions.take_task(volunteer=rosa, task=task)
    Client().post(reverse("initiatives:release_task", args=[rosa.token, task.pk]))
    assert Task.objects.get(pk=task.pk).owner is None


def run_worker_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_owner_is_reminded_two_days_before_in_their_language_once(world: World) -> None:
    initiative = make_initiative(world)  # on 22 May 2027: the leaflet is due on 8 May
    with time_machine.travel(datetime(2027, 4, 1, 10, tzinfo=BRUSSELS), tick=False):
        rosa = actions.sign_up(
            by=None, initiative=initiative, name="Rosa", email="rosa@example.org", language="nl"
        ).volunteer
        task = initiative.tasks.get(title="Toutes-boîtes aux voisins")
        actions.take_task(volunteer=rosa, task=task)
    run_worker_at(datetime(2027, 5, 5, 9, 30, tzinfo=BRUSSELS))
    assert mail.outbox == []
    run_worker_at(datetime(2027, 5, 6, 9, 1, tzinfo=BRUSSELS))
    assert [m.to for m in mail.outbox] == [["rosa@example.org"]]
    assert "Herinnering" in mail.outbox[0].subject
    assert "8 mei 2027" in mail.outbox[0].body
    assert rosa.token in mail.outbox[0].body
    # A retried job sends nothing twice.
    assert actions.deliver_reminder(task_id=task.pk, due_on="2027-05-08") == "already sent"
    assert TaskNotice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_no_reminder_for_a_task_done_given_back_or_moved(world: World) -> None:
    initiative = make_initiative(world)
    with time_machine.travel(datetime(2027, 4, 1, 10, tzinfo=BRUSSELS), tick=False):
        rosa = actions.sign_up(
            by=None, initiative=initiative, name="Rosa", email="rosa@example.org"
        ).volunteer
        done, moved = initiative.tasks.all()[:2]
        for task in (done, moved):
            actions.take_task(volunteer=rosa, task=task)
        actions.finish_task(volunteer=rosa, task=Task.objects.get(pk=done.pk))
        actions.update_task(
            by=world.person("resident"),
            task=Task.objects.get(pk=moved.pk),
            owner=rosa,
            due_on=date(2027, 5, 20),
            done=False,
        )
    # The reminders queued for the old due dates find nothing to do.
    run_worker_at(datetime(2027, 5, 7, 9, 1, tzinfo=BRUSSELS))
    assert mail.outbox == []
    run_worker_at(datetime(2027, 5, 18, 9, 1, tzinfo=BRUSSELS))  # the new date's reminder
    assert len(mail.outbox) == 1
    assert "20 mai 2027" in mail.outbox[0].body


def test_a_permit_reaches_the_departments_inbox_through_the_requests_follow_up(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    voirie = make_department(world)
    voirie.members.add(world.person("official"))
    initiative = make_initiative(world)
    task = permit_task(initiative)
    url = reverse("initiatives:ask_city", args=[initiative.pk, "task", task.pk])
    data = {
        f"ask-task-{task.pk}-department": voirie.pk,
        f"ask-task-{task.pk}-asked": "Fermer la rue Haute le samedi 22 mai de 14 à 22 h.",
    }
    client = lead_client(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    asked = Request.objects.get()
    assert (asked.initiative, asked.department, asked.status) == (
        initiative,
        voirie,
        RequestStatus.SENT,
    )
    assert asked.acknowledge_by is not None  # deadlines as any request
    assert "Fête de la rue Haute" in asked.title
    assert list(request_queries.inbox(world.person("official"))) == [asked]
    assert Task.objects.get(pk=task.pk).request == asked
    # Asking twice (a double submit) finds the first request.
    client.post(url, data)
    assert Request.objects.count() == 1
    # The public page of the action shows it, and the request's page is public too.
    page = Client().get(reverse("initiatives:detail", args=[initiative.pk])).text
    assert asked.title in page


def test_only_leads_and_the_service_ask_the_city_and_only_departments(world: World) -> None:
    voirie = make_department(world)
    initiative = make_initiative(world)
    task = permit_task(initiative)
    for persona in ("neighbour", "partner", "official"):
        with pytest.raises(PermissionDenied):
            actions.ask_city(
                by=world.person(persona),
                initiative=initiative,
                department=voirie,
                asked="Fermer la rue",
                item=task,
            )
    other = initiative.tasks.get(permit=False)
    with pytest.raises(actions.InitiativeError):
        actions.ask_city(
            by=world.person("resident"),
            initiative=initiative,
            department=voirie,
            asked="x",
            item=other,
        )
    assert not Request.objects.exists()


def test_a_need_for_equipment_is_asked_of_the_city_and_a_need_for_hands_is_not(
    world: World,
) -> None:
    events = make_department(world, slug="evenements", name="Service Fêtes et Événements")
    initiative = make_initiative(world)
    lead = world.person("resident")
    tables = actions.add_need(
        by=lead, initiative=initiative, kind=NeedKind.MATERIALS, description="Dix tables"
    )
    hands = actions.add_need(
        by=lead, initiative=initiative, kind=NeedKind.HANDS, description="Deux bras"
    )
    actions.ask_city(
        by=lead, initiative=initiative, department=events, asked="Prêt de 10 tables", item=tables
    )
    assert Need.objects.get(pk=tables.pk).request is not None
    with pytest.raises(actions.InitiativeError):
        actions.ask_city(by=lead, initiative=initiative, department=events, asked="x", item=hands)


def test_the_leads_ask_a_budget_and_only_the_service_records_what_is_granted(
    world: World,
) -> None:
    initiative = make_initiative(world)
    assert initiative.budget_requested == Decimal("120.00")  # from the playbook's lines
    url = reverse("initiatives:budget", args=[initiative.pk])
    lead = lead_client(world)
    assert lead.post(url, {"budget-requested": "250", "budget-granted": "9999"}).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.budget_requested, initiative.budget_granted) == (Decimal(250), None)
    coordinator = Client()
    coordinator.force_login(world.person("coordinator"))
    coordinator.post(url, {"budget-requested": "250", "budget-granted": "200"})
    initiative.refresh_from_db()
    assert initiative.budget_granted == Decimal(200)
    assert lead.post(url, {"budget-requested": "-5"}).status_code == 400
    with pytest.raises(IntegrityError):
        Initiative.objects.filter(pk=initiative.pk).update(budget_granted=Decimal(-1))


@pytest.mark.parametrize("persona", ["coordinator", "administrator"])
def test_the_service_records_the_budget_granted(world: World, persona: str) -> None:
    initiative = make_initiative(world)
    actions.set_budget(
        by=world.person(persona), initiative=initiative, requested=None, granted=Decimal(200)
    )
    initiative.refresh_from_db()
    assert initiative.budget_granted == Decimal(200)


def expense_data(receipt: SimpleUploadedFile | None = None) -> dict[str, Any]:
    return {
        "expense-key": "k" * 20,
        "expense-label": "Location de tables",
        "expense-amount": "120,50",
        "expense-spent_on": "2027-05-20",
        "expense-receipt": receipt or SimpleUploadedFile("ticket.jpg", jpeg_with_gps()),
    }


def test_an_expense_is_recorded_once_with_its_receipt_without_metadata(world: World) -> None:
    initiative = make_initiative(world)
    url = reverse("initiatives:add_expense", args=[initiative.pk])
    client = lead_client(world)
    assert client.post(url, expense_data()).status_code == 302
    assert client.post(url, expense_data()).status_code == 302  # a doubled submit
    expense = Expense.objects.get()
    assert expense.amount == Decimal("120.50")
    with expense.receipt.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "PNG"
        assert not image.getexif()
    receipt = reverse("initiatives:receipt", args=[initiative.pk, expense.pk])
    assert client.get(receipt).status_code == 200
    assert Client().get(receipt).status_code in (302, 403)  # private to the leads
    # The public page shows what was spent, not the receipt.
    page = Client().get(reverse("initiatives:detail", args=[initiative.pk])).text
    assert "120,50" in page or "120.50" in page
    assert receipt not in page


def test_a_receipt_that_is_not_an_image_is_refused_and_nothing_is_saved(world: World) -> None:
    initiative = make_initiative(world)
    url = reverse("initiatives:add_expense", args=[initiative.pk])
    data = expense_data(SimpleUploadedFile("ticket.pdf", b"%PDF-1.4 x"))
    response = lead_client(world).post(url, data)
    assert response.status_code == 400
    assert "pas une image" in response.text
    assert 'value="Location de tables"' in response.text  # what was typed is kept
    assert not Expense.objects.exists()


def photo_data(**extra: Any) -> dict[str, Any]:
    return {
        "photo-key": "p" * 20,
        "photo-image": SimpleUploadedFile("fete.jpg", jpeg_with_gps()),
        "photo-description": "Les tables dressées dans la rue",
        **extra,
    }


def test_a_photo_with_people_needs_their_consent(world: World) -> None:
    initiative = make_initiative(world)
    url = reverse("initiatives:add_photo", args=[initiative.pk])
    client = lead_client(world)
    refused = client.post(url, photo_data(**{"photo-shows_people": "on"}))
    assert refused.status_code == 400
    assert "consentement" in refused.text
    assert not InitiativePhoto.objects.exists()
    consent = {"photo-shows_people": "on", "photo-consent": "Formulaire signé le jour même"}
    assert client.post(url, photo_data(**consent)).status_code == 302
    photo = InitiativePhoto.objects.get()
    assert photo.consent == "Formulaire signé le jour même"
    served = Client().get(reverse("initiatives:photo", args=[photo.pk]))
    assert served.status_code == 200
    assert not Image.open(io.BytesIO(b"".join(served.streaming_content))).getexif()  # type: ignore[attr-defined]
    with pytest.raises(IntegrityError):
        InitiativePhoto.objects.create(
            initiative=initiative, image=photo.image, shows_people=True, submission_key="x" * 20
        )


def test_the_report_comes_once_the_action_has_happened(world: World) -> None:
    initiative = make_initiative(world)
    lead = world.person("resident")
    with pytest.raises(actions.InitiativeError):
        actions.publish_report(by=lead, initiative=initiative, text="Trop tôt")
    for target in (Status.PREPARATION, Status.HAPPENING):
        actions.move(by=lead, initiative=initiative, target=target)
    actions.publish_report(by=lead, initiative=initiative, text="Cent voisins sont venus.")
    actions.move(by=lead, initiative=initiative, target=Status.DONE)
    page = Client().get(reverse("initiatives:detail", args=[initiative.pk])).text
    assert "Cent voisins sont venus." in page


def test_an_abandoned_action_keeps_its_story_and_its_tasks(world: World) -> None:
    initiative = make_initiative(world)
    client = lead_client(world)
    url = reverse("initiatives:move", args=[initiative.pk])
    refused = client.post(url, {"move-target": "abandoned"})
    assert refused.status_code == 400
    assert "Dites pourquoi" in refused.text
    client.post(url, {"move-target": "abandoned", "move-reason": "La rue est en travaux."})
    initiative.refresh_from_db()
    assert initiative.status == Status.ABANDONED
    assert initiative.tasks.count() == 2
    page = Client().get(reverse("initiatives:detail", args=[initiative.pk])).text
    assert "La rue est en travaux." in page


def test_a_volunteer_with_an_account_becomes_a_lead(world: World) -> None:
    initiative = make_initiative(world)
    signed = actions.sign_up(by=world.person("neighbour"), initiative=initiative).volunteer
    anonymous = actions.sign_up(by=None, initiative=initiative, name="Rosa").volunteer
    client = lead_client(world)
    client.post(reverse("initiatives:make_lead", args=[initiative.pk, signed.pk]))
    assert initiative.leads.filter(pk=world.person("neighbour").pk).exists()
    client.post(reverse("initiatives:make_lead", args=[initiative.pk, anonymous.pk]))
    assert initiative.leads.count() == 2
    neighbour = Client()
    neighbour.force_login(world.person("neighbour"))
    assert neighbour.get(reverse("initiatives:manage", args=[initiative.pk])).status_code == 200


def test_contact_details_stay_with_the_leads(world: World) -> None:
    initiative = make_initiative(world)
    actions.sign_up(by=None, initiative=initiative, name="Rosa", email="rosa@example.org")
    public = Client().get(reverse("initiatives:detail", args=[initiative.pk])).text
    assert "rosa@example.org" not in public
    assert "Rosa" not in public
    manage = lead_client(world).get(reverse("initiatives:manage", args=[initiative.pk])).text
    assert "rosa@example.org" in manage


def test_the_showcase_tells_actions_under_way_and_done_not_ideas(world: World) -> None:
    lead = world.person("resident")
    idea = make_initiative(world, "Encore une idée")
    going = make_initiative(world, "Fête en préparation")
    actions.move(by=lead, initiative=going, target=Status.PREPARATION)
    done = make_initiative(world, "Fête réussie")
    for target in (Status.PREPARATION, Status.HAPPENING):
        actions.move(by=lead, initiative=done, target=target)
    actions.publish_report(by=lead, initiative=done, text="Cent voisins sont venus.")
    actions.move(by=lead, initiative=done, target=Status.DONE)
    page = Client().get(reverse("initiatives:neighbourhood_showcase", args=["bomel"])).text
    assert "Fête en préparation" in page
    assert "Fête réussie" in page
    assert "Cent voisins sont venus." in page
    assert idea.title not in page
    elsewhere = Client().get(reverse("initiatives:neighbourhood_showcase", args=["jambes"])).text
    assert "Fête réussie" not in elsewhere
    assert (
        Client().get(reverse("initiatives:neighbourhood_showcase", args=["vedrin"])).status_code
        == 404
    )


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_read_a_constant_number_of_queries(world: World) -> None:
    lead = world.person("resident")
    few = make_initiative(world, "Une")
    actions.move(by=lead, initiative=few, target=Status.PREPARATION)
    client = lead_client(world)
    showcase = reverse("initiatives:showcase")
    manage = reverse("initiatives:manage", args=[few.pk])
    detail = reverse("initiatives:detail", args=[few.pk])
    before = [_queries(client, url) for url in (showcase, manage, detail)]
    for n in range(5):
        more = make_initiative(world, f"Fête {n}")
        actions.move(by=lead, initiative=more, target=Status.PREPARATION)
    for n in range(4):
        actions.sign_up(by=None, initiative=few, name=f"Voisin {n}", email=f"v{n}@example.org")
        actions.add_need(by=lead, initiative=few, kind=NeedKind.ROOM, description=f"Salle {n}")
        actions.add_task(by=lead, initiative=few, title=f"Tâche {n}", due_on=None)
    after = [_queries(client, url) for url in (showcase, manage, detail)]
    assert after == before


def test_volunteers_are_told_when_the_action_is_over(world: World) -> None:
    initiative = make_initiative(world)
    lead = world.person("resident")
    actions.move(by=lead, initiative=initiative, target=Status.ABANDONED, reason="Pluie")
    with pytest.raises(actions.InitiativeError):
        actions.sign_up(by=None, initiative=initiative, name="Rosa")
    assert not Volunteer.objects.exists()


def test_moving_the_date_moves_the_open_tasks_and_the_title_is_required(world: World) -> None:
    initiative = make_initiative(world)  # 22 May 2027: tasks due 10 April and 8 May
    first = initiative.tasks.get(permit=True)
    Task.objects.filter(pk=first.pk).update(done_at=datetime(2027, 4, 9, tzinfo=BRUSSELS))
    url = reverse("initiatives:details", args=[initiative.pk])
    client = lead_client(world)
    refused = client.post(url, {"details-title": " ", "details-starts_on": "2027-06-05"})
    assert refused.status_code == 400
    assert Initiative.objects.get(pk=initiative.pk).starts_on == date(2027, 5, 22)
    data = {"details-title": "Fête de juin", "details-starts_on": "2027-06-05"}
    assert client.post(url, data).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.starts_on) == ("Fête de juin", date(2027, 6, 5))
    due = dict(initiative.tasks.values_list("title", "due_on"))
    assert due["Demander la fermeture de la rue"] == date(2027, 4, 10)  # done: left alone
    assert due["Toutes-boîtes aux voisins"] == date(2027, 5, 22)  # two weeks later too
    with pytest.raises(PermissionDenied):
        actions.edit_details(
            by=world.person("neighbour"),
            initiative=initiative,
            title="x",
            description="",
            starts_on=None,
        )


def test_the_workshop_where_it_was_proposed_is_remembered_and_shown(world: World) -> None:
    from palabre.contributions.models import Contribution
    from palabre.contributions.tests.factories import make_post
    from palabre.initiatives.models import Playbook
    from palabre.workshops.tests.factories import make_hosted_workshop

    workshop = make_hosted_workshop(world, title="Atelier de printemps")
    said = make_post(world.home, "Une fête de rue, vite !")
    Contribution.objects.filter(pk=said.pk).update(workshop=workshop)
    make_initiative(world)  # imports the playbook
    started = actions.start_initiative(
        by=world.person("facilitator"),
        neighbourhood=world.home,
        playbook=Playbook.objects.get(),
        title="Fête du printemps",
        contributions=[Contribution.objects.get(pk=said.pk)],
    )
    assert started.workshop == workshop
    page = Client().get(reverse("initiatives:detail", args=[started.pk])).text
    assert "Atelier de printemps" in page


@pytest.mark.django_db(transaction=True)
def test_a_reminder_the_mail_server_refused_is_sent_later_once(world: World, settings: Any) -> None:
    MailServerDownOnce.install(settings)
    initiative = make_initiative(world)
    with time_machine.travel(datetime(2027, 4, 1, 10, tzinfo=BRUSSELS), tick=False):
        rosa = actions.sign_up(
            by=None, initiative=initiative, name="Rosa", email="rosa@example.org"
        ).volunteer
        actions.take_task(
            volunteer=rosa, task=initiative.tasks.get(title="Toutes-boîtes aux voisins")
        )
    run_worker_at(datetime(2027, 5, 6, 9, 1, tzinfo=BRUSSELS))
    assert MailServerDownOnce.failed
    assert mail.outbox == []
    # The reminder is recorded with its email, which waits in the outbox for the next try.
    assert TaskNotice.objects.count() == 1
    waiting = OutgoingMail.objects.get()
    assert (waiting.status, waiting.attempts) == (MailStatus.PENDING, 1)
    run_worker_at(datetime(2027, 5, 6, 9, 1, 30, tzinfo=BRUSSELS))  # too early for the retry
    assert mail.outbox == []
    run_worker_at(datetime(2027, 5, 6, 9, 3, tzinfo=BRUSSELS))
    assert [m.to for m in mail.outbox] == [["rosa@example.org"]]
    run_worker_at(datetime(2027, 5, 6, 11, 0, tzinfo=BRUSSELS))
    assert len(mail.outbox) == 1
