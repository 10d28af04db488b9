"""Read Palabre's configuration from the environment, with safe defaults and one-line errors.

Every variable read here is listed, with a comment, in `.env.example`.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
SQLITE_SCHEMES = {"sqlite"}
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


def get_bool(name: str, *, default: bool) -> bool:
    """Return a yes/no variable, refusing anything that is neither."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def get_list(name: str, *, default: list[str]) -> list[str]:
    """Return a comma-separated variable as a list of non-empty items."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_int(name: str, *, default: int) -> int:
    """Return a whole-number variable."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def get_colour(name: str, *, default: str) -> str:
    """Return a colour written #rrggbb (printed as is into the invitations' style sheet)."""
    raw = (os.environ.get(name) or default).strip()
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", raw):
        raise ImproperlyConfigured(f"{name} must be a colour written #rrggbb, not {raw!r}.")
    return raw.lower()


def get_proxies(name: str) -> list[str]:
    """Return a comma-separated list of proxy IPs, networks (CIDR) or the word unix."""
    proxies = get_list(name, default=[])
    for entry in proxies:
        if entry == "unix":
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks (10.0.0.0/8) or unix, not {entry!r}."
            ) from None
    return proxies


def database_config(url: str | None, *, var_dir: Path) -> dict[str, Any]:
    """Return Django's DATABASES["default"] for a PALABRE_DATABASE_URL (SQLite when empty)."""
    if not url:
        var_dir.mkdir(parents=True, exist_ok=True)
        config: dict[str, Any] = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(var_dir / "palabre.sqlite3"),
        }
    else:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme not in SQLITE_SCHEMES | POSTGRES_SCHEMES:
            raise ImproperlyConfigured(
                "PALABRE_DATABASE_URL must start with postgres:// or sqlite:///, "
                f"not {_redact(url)!r}."
            )
        try:
            config = dict(dj_database_url.parse(url))
        except ValueError as error:
            raise ImproperlyConfigured(f"PALABRE_DATABASE_URL is malformed: {error}.") from None
        if scheme in POSTGRES_SCHEMES and not config.get("NAME"):
            raise ImproperlyConfigured(
                "PALABRE_DATABASE_URL names no database: add /NAME after the host."
            )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
        # start of a transaction so that concurrent writers wait (busy timeout) instead of failing.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    else:
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
        options = config.setdefault("OPTIONS", {})
        options["connect_timeout"] = 5
        # No JIT compilation: it pays off for long analytical queries and costs 50 to 100 ms
        # to compile a page's query whose estimated cost crosses jit_above_cost (docs/scale.md).
        options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
    return config


def mailer_config(url: str | None, *, var_dir: Path) -> dict[str, Any]:
    """Return the default entry of Django's MAILERS for PALABRE_EMAIL_URL (files when empty).

    Forms: file: (one file per email under var/mail/), file:///path/to/folder, console:, memory:,
    smtp://user:password@host:587?tls=true, smtps://user:pw@host:465. Without a mail server,
    emails go to files rather than the console: they hold sign-in codes and private links,
    which must not reach the server's log.
    """
    if not url or url == "file:":
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(var_dir / "mail")},
        }
    if url.startswith("file://"):
        parts = urlsplit(url)
        if parts.netloc or not parts.path:
            raise ImproperlyConfigured(
                "PALABRE_EMAIL_URL=file:// needs an absolute folder, as in file:///srv/mail."
            )
        folder = unquote(parts.path)
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": folder},
        }
    if url == "console:":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url == "memory:":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured(
            "PALABRE_EMAIL_URL must be file:, smtp://host:port or smtps://host:port, "
            f"not {_redact(url)!r}."
        )
    query = parse_qs(parts.query)
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("PALABRE_EMAIL_URL has an invalid port.") from None
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname,
            "port": port or (465 if parts.scheme == "smtps" else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": query.get("tls", ["false"])[0].lower() in TRUE_WORDS,
            "timeout": 10,
        },
    }


def secret_key(var_dir: Path) -> str:
    """Return PALABRE_SECRET_KEY, or a key generated once and kept in var/secret_key."""
    given = os.environ.get("PALABRE_SECRET_KEY", "").strip()
    if given:
        if len(given) < 50:
            raise ImproperlyConfigured("PALABRE_SECRET_KEY must be at least 50 characters long.")
        return given
    path = var_dir / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    # O_EXCL: two processes starting at once must not write two different keys.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key)
    return key


def sms_config(url: str | None, *, var_dir: Path) -> dict[str, str]:
    """Return the SMS backend for PALABRE_SMS_URL; an empty dict when SMS are not configured.

    Forms: file: (one file per message under var/sms/), file:///path/to/folder, console:,
    memory: (tests), twilio://ACCOUNT_SID:AUTH_TOKEN@SENDER (SENDER: a number in E.164, its
    "+" written %2B, or an alphanumeric sender name of up to 11 letters).
    """
    if not url:
        return {}
    if url == "file:":
        return {"backend": "file", "path": str(var_dir / "sms")}
    if url.startswith("file://"):
        parts = urlsplit(url)
        if parts.netloc or not parts.path:
            raise ImproperlyConfigured(
                "PALABRE_SMS_URL=file:// needs an absolute folder, as in file:///srv/sms."
            )
        return {"backend": "file", "path": unquote(parts.path)}
    if url in {"console:", "memory:"}:
        return {"backend": url[:-1]}
    parts = urlsplit(url)
    if parts.scheme == "twilio" and parts.username and parts.password and parts.hostname:
        return {
            "backend": "twilio",
            "account": unquote(parts.username),
            "token": unquote(parts.password),
            # The host part keeps its case here: urlsplit's hostname would lower it.
            "sender": unquote(parts.netloc.rsplit("@", 1)[1]),
        }
    raise ImproperlyConfigured(
        "PALABRE_SMS_URL must be empty, file:, console: or twilio://SID:TOKEN@SENDER, "
        f"not {_redact(url)!r}."
    )


def _redact(url: str) -> str:
    """Hide a password in a URL before it is shown in an error."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def cache_config(redis_url: str | None, *, var_dir: Path) -> dict[str, Any]:
    """The default cache: Redis when PALABRE_REDIS_URL is set (shared by every app server),
    else files in var/cache (shared by the workers of one server only)."""
    if redis_url and redis_url.strip():
        scheme = urlsplit(redis_url.strip()).scheme
        if scheme not in {"redis", "rediss", "unix"}:
            raise ImproperlyConfigured(
                f"PALABRE_REDIS_URL must start with redis://, rediss:// or unix://, "
                f"not {scheme or 'nothing'}://."
            )
        # Django's own backend: no package but `redis`. Two sites sharing one Redis server use
        # two of its databases (redis://host:6379/0, /1...).
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url.strip(),
        }
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": var_dir / "cache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }


def media_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """Where uploads go: the media folder (PALABRE_MEDIA_ROOT, shared by several app servers
    over NFS or the like), or S3-compatible storage when PALABRE_S3_BUCKET is set.

    S3 needs the optional extra `palabre[s3]` (django-storages and boto3); it is imported only
    when configured, so a city that never uses it never installs boto3. Files stay private:
    Palabre serves every upload itself after checking who may see it (no public URLs)."""
    bucket = environ.get("PALABRE_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if not installed("storages"):
        raise ImproperlyConfigured(
            "PALABRE_S3_BUCKET is set but django-storages is missing: pip install 'palabre[s3]'."
        )
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    for option, name in (
        ("endpoint_url", "PALABRE_S3_ENDPOINT_URL"),
        ("region_name", "PALABRE_S3_REGION"),
        ("access_key", "PALABRE_S3_ACCESS_KEY_ID"),
        ("secret_key", "PALABRE_S3_SECRET_ACCESS_KEY"),
        ("location", "PALABRE_S3_PREFIX"),
    ):
        value = environ.get(name, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def installed(package: str) -> bool:
    """Whether `package` can be imported, without importing it (boto3 is slow to import)."""
    return importlib.util.find_spec(package) is not None
