from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from palabre.demo import loader


class Command(BaseCommand):
    help = "Load the fictional demo data (safe to run again: nothing is duplicated)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            refusal = loader.refusal()
            if refusal is not None:
                raise CommandError(f"palabre demo refused: {refusal}")
            logins = loader.load()
        self.stdout.write("Demo data ready. Sign in at /compte/connexion/ with:")
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.role:<14} {login.email:<{width}}  ({login.name})")
        self.stdout.write(f"  password for every demo account: {loader.DEMO_PASSWORD}")
