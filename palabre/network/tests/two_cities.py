"""What each city of the end-to-end test holds, made inside its own process with
`palabre manage shell -c "from palabre.network.tests.two_cities import …"` (test_two_cities)."""

from __future__ import annotations

import sys
from datetime import timedelta

from django.utils import timezone

PASSWORD = "un mot de passe pour le test du réseau"


def city_a() -> None:
    """Namur: a playbook shared, a workshop held today (the year's figures), as a format."""
    from palabre.accounts.models import Role, User
    from palabre.initiatives import actions as initiative_actions
    from palabre.initiatives.tests.factories import STREET_PARTY
    from palabre.neighbourhoods.tests.factories import make_neighbourhood, make_venue
    from palabre.network import actions
    from palabre.workshops.models import Status
    from palabre.workshops.tests.factories import make_cycle, make_workshop

    by = User.objects.create_user(
        "coordination@namur.example", PASSWORD, role=Role.COORDINATOR, display_name="Coord Namur"
    )
    playbook = initiative_actions.import_playbook(by=by, text=STREET_PARTY)
    actions.share_playbook(by=by, playbook=playbook, shared=True, language="fr")
    home = make_neighbourhood(name="Bomel", slug="bomel")
    now = timezone.now()
    held = make_workshop(
        cycle=make_cycle([home]),
        neighbourhood=home,
        venue=make_venue(neighbourhood=home, slug="salle"),
        status=Status.HELD,
        title="Bien vivre à Bomel",
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1),
    )
    actions.share_format(by=by, item=actions.make_format(by=by, workshop=held), shared=True)
    sys.stdout.write("city A ready\n")


def city_b() -> None:
    """Liège: its coordinator only."""
    from palabre.accounts.models import Role, User

    User.objects.create_user(
        "coordination@liege.example", PASSWORD, role=Role.COORDINATOR, display_name="Coord Liège"
    )
    sys.stdout.write("city B ready\n")
