"""Start Django on a fresh SQLite database with the demo data, for benchmarks."""

from __future__ import annotations

import os
import tempfile


def setup_with_demo() -> None:
    """Point Palabre at a throw-away database, migrate it and load the demo data."""
    os.environ["PALABRE_VAR_DIR"] = tempfile.mkdtemp(prefix="palabre-bench-")
    os.environ["PALABRE_ALLOWED_HOSTS"] = "testserver"
    os.environ["PALABRE_EMAIL_URL"] = "memory:"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
