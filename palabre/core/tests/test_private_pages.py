"""Private pages stay out of caches and logs; headers and sessions fit shared computers."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config import env
from palabre.core.private import SECRET_PARAMETERS, redacted_path
from palabre.core.testing import PERSONAS, MatrixRow, World
from palabre.core.tests.test_permission_matrix import ROWS
from palabre.workshops.models import Registration, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

# Pages that show people's data to the team, without a private link.
TEAM_PAGES = {
    "workshops:registrations",
    "workshops:check_in",
    "initiatives:manage",
    "official_requests:portal",
}
# URL parameters that are free text but public (printed on flyers, or a word from a list).
PUBLIC_TEXT_PARAMETERS = {"code", "kind", "language", "csv_file"}


def _patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.extend(_patterns(pattern, inner))
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append((f"{namespace}{pattern.name}", pattern))
    return found


def _converters(pattern: URLPattern) -> dict[str, Any]:
    return dict(getattr(pattern.pattern, "converters", {}))


PRIVATE_LINK_PAGES = {
    name
    for name, pattern in _patterns(get_resolver())
    if SECRET_PARAMETERS & _converters(pattern).keys()
}
CHECKED_ROWS = [
    row
    for row in ROWS
    if row.method == "get"
    and (row.url_name in PRIVATE_LINK_PAGES or row.url_name in TEAM_PAGES)
    and 200 in row.expected.values()
]


def test_every_free_text_url_parameter_is_a_private_link_or_known_to_be_public() -> None:
    """A new secret in a URL must be named `token`, or it would be cached and logged whole."""
    for name, pattern in _patterns(get_resolver()):
        if name.startswith("admin:"):  # Django's back-office: signed-in staff only
            continue
        for parameter, converter in _converters(pattern).items():
            if type(converter).__name__ in {"IntConverter", "SlugConverter"}:
                continue
            assert parameter in SECRET_PARAMETERS | PUBLIC_TEXT_PARAMETERS, (name, parameter)


def test_the_private_link_pages_are_the_three_expected_ones_and_in_the_sweep() -> None:
    assert {"workshops:registration", "initiatives:volunteer", "contributions:follow"} <= (
        PRIVATE_LINK_PAGES
    )
    assert {"workshops:registration", "initiatives:volunteer", "contributions:follow"} <= {
        row.url_name for row in CHECKED_ROWS
    }
    assert {row.url_name for row in CHECKED_ROWS} >= TEAM_PAGES


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row", CHECKED_ROWS, ids=[f"{r.url_name}[{r.state}]" for r in CHECKED_ROWS]
)
def test_private_pages_answer_no_store(row: MatrixRow, world: World) -> None:
    persona = next(p for p in PERSONAS if row.expected[p] == 200)
    client = Client()
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(row.url_name, kwargs=row.kwargs(world)))
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


@pytest.mark.django_db
def test_a_public_page_may_be_cached_but_not_once_signed_in(client: Client, world: World) -> None:
    assert "Cache-Control" not in client.get(reverse("home:index"))
    client.force_login(world.person("resident"))
    assert {"private", "no-store"} <= _directives(client.get(reverse("home:index")))


@pytest.mark.django_db
def test_a_dead_private_link_is_not_cached_either(client: Client) -> None:
    response = client.get(reverse("workshops:registration", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert {"private", "no-store"} <= _directives(response)


def _directives(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


# --- Tokens never reach a log -------------------------------------------------------------


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the configured console handler (filter and JSON formatter included) writes."""
    handler = logging.getHandlerByName("console")
    assert isinstance(handler, logging.StreamHandler)
    written = io.StringIO()
    previous = handler.setStream(written)
    yield written
    handler.setStream(previous)


@pytest.fixture
def registration(world: World) -> Registration:
    workshop: Workshop = make_hosted_workshop(world)
    Client().post(reverse("workshops:register", args=[workshop.pk]), {"name": "Fatou", "key": "k"})
    return Registration.objects.get()


@pytest.mark.django_db
def test_the_request_log_writes_a_private_link_without_its_token(
    registration: Registration, client: Client, log_output: io.StringIO
) -> None:
    client.get(reverse("workshops:registration", args=[registration.token]))
    log = log_output.getvalue()
    assert '"path": "/ateliers/inscription/<secret>/"' in log
    assert registration.token not in log


@pytest.mark.django_db
def test_djangos_not_found_line_about_a_dead_link_holds_no_token(
    client: Client, log_output: io.StringIO
) -> None:
    token = "Zk3v9QmX0pLr7TbYw2HnCd5Ae8Gs1Fu4"
    client.get(f"/actions/benevole/{token}/")
    log = log_output.getvalue()
    assert '"message": "Not Found: /actions/benevole/<secret>/"' in log
    assert token not in log


@pytest.mark.django_db
def test_a_link_cut_short_of_its_slash_is_redirected_and_logged_without_its_token(
    client: Client, log_output: io.StringIO
) -> None:
    token = "Zk3v9QmX0pLr7TbYw2HnCd5Ae8Gs1Fu4"
    response = client.get(f"/ateliers/inscription/{token}")
    assert response.status_code == 301
    log = log_output.getvalue()
    assert '"path": "/ateliers/inscription/<secret>"' in log
    assert token not in log


def test_an_unmatched_path_keeps_its_words_and_hides_what_looks_like_a_secret() -> None:
    request = RequestFactory().get(
        "/quartiers/rue-de-la-gare-et-environs/ZkvQmXpLrTbYwHnCdAeGsFuq/demo-1-0000-arrival/x"
    )
    request.resolver_match = None
    assert redacted_path(request) == "/quartiers/rue-de-la-gare-et-environs/<secret>/<secret>/x"


def test_palabre_serve_runs_gunicorn_without_an_access_log() -> None:
    """gunicorn's access log would write the request line and Referer, tokens included."""
    import config.gunicorn
    from palabre.core.commands import gunicorn_command

    command = gunicorn_command([])
    assert not [part for part in command if "access-log" in part]
    assert config.gunicorn.accesslog is None


# --- Mail without a mail server goes to files, never to the log ----------------------------


def test_without_a_mail_server_emails_are_written_to_files_under_var(tmp_path: Path) -> None:
    for url in (None, "", "file:"):
        assert env.mailer_config(url, var_dir=tmp_path) == {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    chosen = env.mailer_config("file:///srv/palabre/mail", var_dir=tmp_path)
    assert chosen["OPTIONS"] == {"file_path": "/srv/palabre/mail"}


def test_a_relative_mail_folder_is_refused_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="absolute folder"):
        env.mailer_config("file://var/mail", var_dir=tmp_path)


def test_the_deploy_check_refuses_production_without_a_mail_server(tmp_path: Path) -> None:
    environment = {
        "PATH": "/usr/bin:/bin",
        "PALABRE_VAR_DIR": str(tmp_path / "var"),
        "PALABRE_HTTPS": "true",
        "PALABRE_SECRET_KEY": "k2Vq9-Zr8Lw3Pm7Tb1Xn6Hc4Yd0Fs5Gj2Ae8Ru3Ko9Wi1Ql7Mv4Nt6Bp0Cx5Dz",
        "PALABRE_ALLOWED_HOSTS": "participation.namur.be",
    }
    palabre = str(Path(sys.executable).parent / "palabre")
    result = subprocess.run(
        [palabre, "manage", "check", "--deploy"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "mail.E001" in result.stdout + result.stderr


# --- Headers and sessions -----------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_switches_off_the_camera_microphone_and_location(client: Client) -> None:
    policy = client.get(reverse("home:index"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.django_db
def test_a_sign_in_lasts_until_the_browser_closes(client: Client) -> None:
    from palabre.accounts.tests.factories import PASSWORD, make_user

    make_user(email="amina@example.org")
    response = client.post(
        reverse("accounts:sign_in"), {"email": "amina@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert (cookie["expires"], cookie["max-age"]) == ("", "")
    assert client.session.get_expiry_age() == 12 * 60 * 60
