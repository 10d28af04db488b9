"""Several app servers behind one proxy (ADR 0082): two `palabre serve` on two ports, one
database, one Redis (PALABRE_REDIS_URL), each with its own var folder. A visitor signed in on
one is signed in on the other, a value one caches the other reads, and a Redis flush signs
nobody out (sessions are written to the database too). And where uploads go (STORAGES)."""

from __future__ import annotations

import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env
from tests.live_servers import Browser, Server, clean_environment, free_port, unavailable
from tests.production.helpers import PALABRE

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, flushed by these tests
EMAIL = "coordination@exemple.be"
PASSWORD = "deux-serveurs-une-session"

CREATE_USER = f"""
from django.contrib.auth import get_user_model
get_user_model().objects.create_user(email={EMAIL!r}, password={PASSWORD!r})
"""
CACHE_SET = "from django.core.cache import cache; cache.set('several-servers', 'written by a')"
CACHE_GET = "from django.core.cache import cache; print(cache.get('several-servers', 'missing'))"


def _redis() -> object:
    """A client of the tests' Redis database, flushed; skip when no Redis answers (fail under
    CI=true, where it must)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        unavailable(f"Redis is unreachable at {REDIS_URL}", "these tests need a Redis server")
    client.flushdb()
    return client


def _shell(environment: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [PALABRE, "manage", "shell", "--no-imports", "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _environment(tmp_path: Path, name: str, **extra: str) -> dict[str, str]:
    """One app server's environment: its own var folder; the database file, the media
    folder and the secret key shared with the other."""
    return clean_environment(
        PALABRE_VAR_DIR=str(tmp_path / f"var-{name}"),
        PALABRE_DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        PALABRE_MEDIA_ROOT=str(tmp_path / "media"),
        PALABRE_SECRET_KEY=(tmp_path / "key").read_text(),
        PALABRE_TASK_WORKER="false",
        PALABRE_WORKERS="1",
        **extra,
    )


@pytest.fixture(scope="module")
def two_servers(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Server, Server, object]]:
    tmp_path = tmp_path_factory.mktemp("several-servers")
    client = _redis()
    (tmp_path / "key").write_text(secrets.token_urlsafe(64))
    servers = []
    for name in ("a", "b"):
        port = free_port()
        environment = _environment(
            tmp_path,
            name,
            PALABRE_REDIS_URL=REDIS_URL,
            PALABRE_BIND=f"127.0.0.1:{port}",
        )
        servers.append(Server(name, PALABRE, port, environment))
    a, b = servers
    assert a.run("migrate").returncode == 0
    _shell(a.environment, CREATE_USER)
    try:
        for server in servers:
            server.start(tmp_path / f"{server.name}.log")
        for server in servers:
            server.wait_until_up(time.monotonic() + 120, "/healthz/web")
        yield a, b, client
    finally:
        for server in servers:
            server.stop()
        client.flushdb()  # type: ignore[attr-defined]


def test_a_visitor_signed_in_on_one_app_server_is_signed_in_on_the_other(
    two_servers: tuple[Server, Server, object],
) -> None:
    a, b, client = two_servers
    on_a = Browser(a.url)
    on_a.sign_in(EMAIL, PASSWORD)
    on_b = Browser(b.url)
    for cookie in on_a.jar:
        on_b.jar.set_cookie(cookie)
    assert EMAIL in on_b.get("/compte/")
    keys = client.keys("*sessions.cached_db*")  # type: ignore[attr-defined]
    assert len(keys) == 1

    # Sessions are read from Redis and written to the database too: a flush signs nobody out.
    client.flushdb()  # type: ignore[attr-defined]
    assert EMAIL in on_b.get("/compte/")
    assert EMAIL in on_a.get("/compte/")


def test_a_value_one_app_server_caches_is_read_by_the_other(
    two_servers: tuple[Server, Server, object],
) -> None:
    a, b, _ = two_servers
    _shell(a.environment, CACHE_SET)
    assert _shell(b.environment, CACHE_GET) == "written by a"


def test_without_redis_each_app_server_keeps_its_own_cache(tmp_path: Path) -> None:
    (tmp_path / "key").write_text(secrets.token_urlsafe(64))
    a, b = (_environment(tmp_path, name) for name in ("a", "b"))
    assert (
        subprocess.run([PALABRE, "migrate"], env=a, capture_output=True, check=False).returncode
        == 0
    )
    _shell(a, CACHE_SET)
    assert _shell(a, CACHE_GET) == "written by a"
    assert _shell(b, CACHE_GET) == "missing"


def test_redis_url_must_name_redis() -> None:
    with pytest.raises(ImproperlyConfigured, match="PALABRE_REDIS_URL"):
        env.cache_config("memcached://127.0.0.1", var_dir=Path("var"))


def test_uploads_go_to_the_media_folder_unless_a_bucket_is_named() -> None:
    assert env.media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_stores_uploads_privately_on_s3_compatible_storage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(env, "installed", lambda name: name == "storages")
    storage = env.media_storage(
        {
            "PALABRE_S3_BUCKET": "palabre-namur",
            "PALABRE_S3_ENDPOINT_URL": "https://s3.example.be",
            "PALABRE_S3_REGION": "be-1",
            "PALABRE_S3_ACCESS_KEY_ID": "key-id",
            "PALABRE_S3_SECRET_ACCESS_KEY": "secret",
            "PALABRE_S3_PREFIX": "media",
        }
    )
    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "palabre-namur",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "endpoint_url": "https://s3.example.be",
            "region_name": "be-1",
            "access_key": "key-id",
            "secret_key": "secret",
            "location": "media",
        },
    }


def test_a_bucket_without_django_storages_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(env, "installed", lambda name: False)
    with pytest.raises(ImproperlyConfigured, match=r"palabre\[s3\]"):
        env.media_storage({"PALABRE_S3_BUCKET": "palabre-namur"})
