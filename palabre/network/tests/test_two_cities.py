"""Two Palabre instances on this machine (issue 20, item 5, "done when"): Namur and Liège, each
with its own database, key and port, served by `palabre serve`. Liège follows Namur with
`palabre network follow URL`, imports one of its playbooks through its network page and shows
Namur's yearly figures beside its own; an altered or unsigned feed is refused. Real HTTP
between the two; no browser."""

from __future__ import annotations

import re
import shutil
import sys
import time
import urllib.request
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from palabre.network.tests.factories import feed_server, tampered
from palabre.network.tests.two_cities import PASSWORD
from tests.live_servers import Browser, Server, clean_environment, free_port

pytestmark = pytest.mark.skipif(
    settings.IS_POSTGRES, reason="runs two SQLite instances: once, in the SQLite run"
)
PALABRE = str(Path(sys.executable).parent / "palabre")


def _instance(name: str, var_dir: Path) -> Server:
    port = free_port()
    environment = clean_environment(
        PALABRE_VAR_DIR=str(var_dir),
        PALABRE_CITY_NAME=name,
        PALABRE_SITE_URL=f"http://127.0.0.1:{port}",
        PALABRE_ALLOWED_HOSTS="127.0.0.1,localhost",
        PALABRE_BIND=f"127.0.0.1:{port}",
        PALABRE_WORKERS="1",
        PALABRE_TASK_WORKER="false",
    )
    return Server(name, PALABRE, port, environment)


@pytest.fixture(scope="module")
def cities(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    namur = _instance("Namur", tmp_path_factory.mktemp("namur"))
    liege = _instance("Liège", tmp_path_factory.mktemp("liege"))
    try:
        # One migration run; Liège starts from a copy of the empty database (twice as fast).
        migrated = namur.run("migrate")
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        database = Path(namur.environment["PALABRE_VAR_DIR"]) / "palabre.sqlite3"
        shutil.copyfile(database, Path(liege.environment["PALABRE_VAR_DIR"]) / database.name)
        for city, made in ((namur, "city_a"), (liege, "city_b")):
            done = city.run(
                "manage",
                "shell",
                "-c",
                f"from palabre.network.tests.two_cities import {made}; {made}()",
            )
            assert done.returncode == 0, done.stderr[-3000:]
        for city in (namur, liege):
            city.start()
        deadline = time.monotonic() + 90
        for city in (namur, liege):
            city.wait_until_up(deadline)
        yield namur, liege
    finally:
        for city in (namur, liege):
            city.stop()


def test_liege_follows_namur_imports_a_playbook_and_compares_figures(
    cities: tuple[Server, Server],
) -> None:
    namur, liege = cities
    feed_url = f"{namur.url}/reseau/flux.json"
    followed = liege.run("network", "follow", feed_url)
    assert followed.returncode == 0, followed.stderr
    name, fingerprint_line = followed.stdout.splitlines()[:2]
    assert name == "Namur"
    # The fingerprint Liège shows is the one Namur's own page gives, to compare by phone.
    namur_browser = Browser(namur.url)
    namur_browser.sign_in("coordination@namur.example", PASSWORD)
    namur_page = unescape(namur_browser.get("/reseau/"))
    fingerprint = fingerprint_line.removeprefix("key fingerprint: ")
    assert f'<dd class="code">{fingerprint}</dd>' in namur_page

    browser = Browser(liege.url)
    browser.sign_in("coordination@liege.example", PASSWORD)
    index = unescape(browser.get("/reseau/"))
    city_path = re.search(r'href="(/reseau/villes/\d+/)">Namur</a>', index)
    assert city_path is not None
    city_page = unescape(browser.get(city_path.group(1)))
    key = re.search(r'name="key" value="(playbook-\d+)"', city_page)
    assert key is not None
    for _ in range(2):  # a second click imports nothing more
        imported = browser.post(f"{city_path.group(1)}importer-guide/", {"key": key.group(1)})
        assert re.search(r'<a href="/actions/guides/\d+/">[^<]*Fête de rue', unescape(imported))
    playbooks = unescape(browser.get("/actions/guides/"))
    assert playbooks.count(">Fête de rue</a>") == 1  # imported once, its title kept

    year = timezone.localdate().year
    page = unescape(browser.get(f"/reseau/?annee={year}"))
    assert '<th scope="col">Liège</th><th scope="col">Namur</th>' in page
    # Liège held no workshop this year, Namur one; nobody was checked in at Namur's.
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td>([^<]*)</td><td>([^<]*)</td>', page)
    assert rows[0][1:] == ("0", "1")
    assert len(rows) >= 10
    imported_line = re.search(r">Fête de rue</a> — ([^<]+)</li>", page)
    assert imported_line is not None
    assert "Namur" in imported_line.group(1)


def test_an_altered_or_unsigned_feed_is_refused(cities: tuple[Server, Server]) -> None:
    namur, liege = cities
    with urllib.request.urlopen(f"{namur.url}/reseau/flux.json", timeout=30) as answer:  # noqa: S310
        body, signature = answer.read(), answer.headers["Palabre-Signature"]
    with feed_server() as server:
        altered = liege.run(
            "network", "follow", server.serve("/altered", tampered(body), signature)
        )
        assert altered.returncode == 2
        assert "may have been altered on the way" in altered.stderr
        unsigned = liege.run("network", "follow", server.serve("/unsigned", body))
        assert unsigned.returncode == 2
        assert "The feed is not signed" in unsigned.stderr
        # A mirror followed while it served Namur's feed as is, then altered: refused, and
        # what was read before stays.
        mirror = server.serve("/mirror", body, signature)
        assert liege.run("network", "follow", mirror).returncode == 0
        server.serve("/mirror", tampered(body), signature)
        refreshed = liege.run("network", "refresh")
        assert refreshed.returncode == 2
        assert "refused: The feed's signature does not match" in refreshed.stdout
        listed = liege.run("network", "list")
        assert "may have been altered" in listed.stdout
