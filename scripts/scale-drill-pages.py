"""Print, as JSON, the addresses the scale drill's visitors read in the generated city (run by
`palabre manage shell -c`, from scripts/scale-drill). A few of each kind, taken from what an
anonymous visitor may see; the drill keeps those that answer 200 to their visitor."""

import json

from django.contrib.auth.models import AnonymousUser

from palabre.budgets.queries import visible_envelopes
from palabre.conversations.queries import visible_conversations
from palabre.initiatives.queries import visible_initiatives
from palabre.neighbourhoods.queries import visible_neighbourhoods
from palabre.official_requests.queries import visible_requests
from palabre.workshops.queries import public_workshops

anonymous = AnonymousUser()
neighbourhoods = [n.slug for n in visible_neighbourhoods(anonymous).order_by("pk")[:6]]
workshops = list(public_workshops().order_by("-pk").values_list("pk", flat=True)[:12])
requests = list(visible_requests(anonymous).order_by("-pk").values_list("pk", flat=True)[:12])
initiatives = list(visible_initiatives(anonymous).order_by("-pk").values_list("pk", flat=True)[:8])
envelopes = [
    (e.process.slug, e.pk)
    for e in visible_envelopes(anonymous)
    .filter(result__isnull=False)
    .select_related("process")
    .order_by("-pk")[:6]
]
conversations = [c.slug for c in visible_conversations(anonymous).order_by("-pk")[:4]]
public = [
    "/",
    "/demandes/",
    "/actions/",
    "/budget-participatif/",
    "/avis/",
    *(f"/quartiers/{slug}/" for slug in neighbourhoods),
    *(f"/ateliers/{pk}/" for pk in workshops),
    *(f"/demandes/{pk}/" for pk in requests),
    *(f"/actions/{pk}/" for pk in initiatives),
    *(f"/budget-participatif/{slug}/" for slug, _ in envelopes[:2]),
    *(f"/budget-participatif/{slug}/resultats/{pk}/" for slug, pk in envelopes),
    *(f"/avis/{slug}/" for slug in conversations),
]
staff = [
    "/semaine/",
    "/ateliers/mes-ateliers/",
    "/ateliers/cycles/",
    "/ateliers/chiffres/",
    "/demandes/portail/",
    "/demandes/redevabilite/",
    *(f"/ateliers/{pk}/inscriptions/" for pk in workshops),
    *(f"/actions/{pk}/gerer/" for pk in initiatives[:4]),
    *(f"/budget-participatif/{slug}/gerer/" for slug, _ in envelopes[:2]),
    *(f"/avis/{slug}/gerer/" for slug in conversations[:2]),
]
# dict.fromkeys: each address once (two envelopes of one budget share its pages).
print(json.dumps({"public": list(dict.fromkeys(public)), "staff": list(dict.fromkeys(staff))}))
