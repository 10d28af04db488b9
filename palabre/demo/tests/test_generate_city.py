"""The generated city (issue 21): sizes follow the scale, the same seed gives the same rows, a
database with data is refused, and the pages a load test visits render its data."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test import Client

from palabre.accounts.models import Role, User
from palabre.budgets.models import Ballot, Envelope, Process, Voter
from palabre.contributions.models import Contribution
from palabre.contributions.models import Status as ContributionStatus
from palabre.conversations.models import Conversation, Vote
from palabre.demo.generate import GENERATED_PASSWORD, Sizes
from palabre.initiatives.models import Initiative
from palabre.initiatives.models import Status as InitiativeStatus
from palabre.official_requests.models import Request
from palabre.official_requests.models import Status as RequestStatus
from palabre.workshops.models import Registration, Workshop
from palabre.workshops.models import Status as WorkshopStatus

SCALE = 0.01

# The tables the load test reads, and those their pages join.
MAIN_TABLES = [
    "accounts.User",
    "neighbourhoods.Neighbourhood",
    "neighbourhoods.Venue",
    "workshops.Workshop",
    "workshops.Registration",
    "workshops.Minutes",
    "links.AccessLink",
    "contributions.Contribution",
    "contributions.Event",
    "contributions.MeToo",
    "official_requests.Request",
    "official_requests.Event",
    "initiatives.Initiative",
    "initiatives.Task",
    "initiatives.Volunteer",
    "initiatives.Event",
    "budgets.Process",
    "budgets.Envelope",
    "budgets.Project",
    "budgets.Voter",
    "budgets.Ballot",
    "budgets.Event",
    "conversations.Statement",
    "conversations.Vote",
]


def generate(**options: object) -> str:
    out = StringIO()
    call_command("generate_city", scale=SCALE, stdout=out, **options)
    return out.getvalue()


# The published ballot file of a counted envelope lists the ballots in an order drawn from the
# system's random generator on purpose (budgets.counting: nobody can link a line to a voter); the
# ballots themselves and the result are compared.
UNORDERED = {("budgets.Envelope", "recount")}


def digest() -> str:
    """A digest of every row of the main tables, field by field, in primary-key order."""
    hashed = hashlib.sha256()
    for label in MAIN_TABLES:
        model: type[models.Model] = apps.get_model(label)
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if (label, field.attname) not in UNORDERED
        ]
        for row in model._default_manager.order_by("pk").values_list(*names):
            hashed.update(repr(row).encode())
    return hashed.hexdigest()


@pytest.mark.django_db
def test_the_city_has_the_sizes_of_its_scale_and_every_state() -> None:
    output = generate()

    sizes = Sizes.at(SCALE)
    assert User.objects.count() == sizes.accounts
    assert Contribution.objects.count() == sizes.contributions
    assert Request.objects.count() == sizes.requests
    assert Workshop.objects.count() == sizes.workshops
    assert Initiative.objects.count() == sizes.initiatives
    assert Voter.objects.count() == sizes.voters
    # One city-wide ballot and one in the voter's neighbourhood each.
    assert Ballot.objects.count() == 2 * sizes.voters
    assert Conversation.objects.count() == sizes.conversations
    assert Vote.objects.exists()
    assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    assert set(Request.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(Initiative.objects.values_list("status", flat=True)) == set(InitiativeStatus.values)
    assert set(Workshop.objects.values_list("status", flat=True)) == set(WorkshopStatus.values)
    assert set(Contribution.objects.values_list("status", flat=True)) >= {
        ContributionStatus.PUBLISHED,
        ContributionStatus.HIDDEN,
    }
    assert Envelope.objects.filter(result__isnull=False).exists()  # a vote was counted
    assert "coordination@namur.example" in output
    assert GENERATED_PASSWORD in output


@pytest.mark.django_db
def test_the_full_city_is_twenty_times_the_sizes_of_a_small_one_or_more() -> None:
    small, full = Sizes.at(0.05), Sizes.at(1.0)

    assert (full.accounts, full.contributions, full.requests) == (20_000, 100_000, 5_000)
    assert (full.workshops, full.initiatives) == (300, 2_000)
    assert full.contributions == 20 * small.contributions


def restart_sequences() -> None:
    """Number new rows from the tables' contents, as in a fresh database: PostgreSQL's
    sequences ignore rollbacks (those of earlier tests too); SQLite's follow them."""
    every_model = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), every_model):
            cursor.execute(statement)


@pytest.mark.django_db
def test_the_same_seed_writes_the_same_rows_with_the_same_keys() -> None:
    restart_sequences()
    before = transaction.savepoint_create()
    generate(seed=7)
    first = digest()
    transaction.savepoint_rollback(before)
    restart_sequences()
    assert not Contribution.objects.exists()

    generate(seed=7)

    assert digest() == first


@pytest.mark.django_db
def test_another_seed_writes_another_city() -> None:
    before = transaction.savepoint_create()
    generate(seed=7)
    first = digest()
    transaction.savepoint_rollback(before)

    generate(seed=8)

    assert digest() != first


@pytest.mark.django_db
def test_a_database_with_data_is_refused_and_left_as_it_was() -> None:
    User.objects.create_user(email="someone@example.org", display_name="Someone")

    with pytest.raises(CommandError, match="already holds data"):
        generate()

    assert User.objects.count() == 1
    assert not Workshop.objects.exists()


@pytest.mark.django_db
def test_the_pages_a_load_test_visits_render_the_generated_city() -> None:
    generate()
    visitor = Client()
    held = Workshop.objects.filter(status=WorkshopStatus.REPORTED).first()
    announced = Workshop.objects.filter(status=WorkshopStatus.ANNOUNCED).first()
    answered = Request.objects.filter(status=RequestStatus.DONE).first()
    action = Initiative.objects.filter(status=InitiativeStatus.HAPPENING).first()
    counted = Process.objects.get(published_at__isnull=False)
    envelope = counted.envelopes.filter(neighbourhood__isnull=False).first()
    open_vote = Process.objects.get(published_at__isnull=True)
    conversation = Conversation.objects.first()
    assert held is not None
    assert announced is not None
    assert answered is not None
    assert action is not None
    assert envelope is not None
    assert conversation is not None
    public = [
        "/",
        f"/ateliers/{held.pk}/",
        f"/ateliers/{held.pk}/compte-rendu/",
        f"/ateliers/{announced.pk}/",
        "/demandes/",
        f"/demandes/{answered.pk}/",
        "/actions/",
        f"/actions/{action.pk}/",
        f"/budget-participatif/{counted.slug}/",
        f"/budget-participatif/{counted.slug}/resultats/{envelope.pk}/",
        f"/budget-participatif/{open_vote.slug}/",
        f"/avis/{conversation.slug}/",
        f"/quartiers/{held.neighbourhood.slug}/" if held.neighbourhood else "/quartiers/",
    ]
    for url in public:
        assert visitor.get(url).status_code == 200, url

    coordinator = Client()
    coordinator.force_login(User.objects.get(email="coordination@namur.example"))
    staff = [
        "/semaine/",
        f"/ateliers/{announced.pk}/inscriptions/",
        f"/ateliers/cycles/{announced.cycle.slug}/",
        f"/actions/{action.pk}/gerer/",
        f"/budget-participatif/{open_vote.slug}/gerer/",
    ]
    for url in staff:
        assert coordinator.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_documented_password_signs_staff_in() -> None:
    generate()
    user = User.objects.get(email="coordination@namur.example")

    assert user.role == Role.COORDINATOR
    assert user.check_password(GENERATED_PASSWORD)
