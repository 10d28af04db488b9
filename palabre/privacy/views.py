from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from palabre.links.views import link_gone
from palabre.privacy import queries
from palabre.privacy.queries import Data


def _download(data: Data, name: str) -> HttpResponse:
    data = {"exported_at": timezone.localtime().isoformat(), **data}
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return _download(queries.account_data(request.user), "mes-donnees-palabre")  # type: ignore[arg-type]


@require_GET
def link_data(request: HttpRequest, token: str) -> HttpResponse:
    # The private link is the permission, as on the page it opens.
    data = queries.link_data(token)
    if data is None:
        return link_gone(request)
    return _download(data, "mes-donnees-palabre")
