"""What every open-data answer shares: the licence and attribution, the headers that let
portals and scripts read it from anywhere, and the rate limit per connection."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _

from palabre.core import throttle

# The same data for everyone: a portal, a proxy or a browser may keep it a few minutes.
CACHE = "public, max-age=300"
# Requests per connection (its IPv6 /64) and minute, over the API, the CSV files and the
# catalogue together; said on the page and in the API's description.
REQUESTS_PER_MINUTE = throttle.Limit("open-data", 120, timedelta(minutes=1))
TOO_MANY = _(
    "Many requests for open data came from your connection in a short time. To keep the site "
    "fast for everyone, we pause them for a minute."
)
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"


def licence() -> str:
    """The address of the licence of every dataset."""
    return str(settings.OPEN_DATA_LICENCE)


def licence_name() -> str:
    """The licence's short name, or its address when it is not CC BY 4.0."""
    return "CC BY 4.0" if licence().rstrip("/") == CC_BY_4.rstrip("/") else licence()


def attribution() -> str:
    """Whom to credit when reusing the data."""
    return f"{settings.PUBLISHER_NAME} ({settings.CITY_NAME}), Palabre"


def published(response: HttpResponseBase, *, cache: bool = True) -> HttpResponseBase:
    """Mark `response` as open data: licence link, readable from any origin, cacheable."""
    response["Link"] = f'<{licence()}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "Link, Retry-After"
    response["Cache-Control"] = CACHE if cache and response.status_code == 200 else "no-store"
    return response


def wait_for(request: HttpRequest) -> int | None:
    """Count this request against the limit of its connection; the seconds to wait if over."""
    return throttle.claim([throttle.tally(REQUESTS_PER_MINUTE, throttle.client_address(request))])
