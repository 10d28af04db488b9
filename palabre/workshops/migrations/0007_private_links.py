# Registrations' private links move to links.AccessLink (hashed, expiring, revocable); the
# idempotency key of a form gets its own column. Existing links get a new secret.
from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from palabre.links.models import hash_of, new_nonce, new_reference, token_of


def move_links(apps, schema_editor):
    Registration = apps.get_model("workshops", "Registration")
    AccessLink = apps.get_model("links", "AccessLink")
    for registration in Registration.objects.select_related("user").iterator():
        if registration.is_walk_in:
            # A walk-in's "token" was the check-in form's key.
            registration.key = registration.token
            registration.save(update_fields=["key"])
            continue
        nonce = new_nonce()
        language = registration.user.preferred_language if registration.user_id else "fr"
        link = AccessLink.objects.create(
            purpose="registration",
            nonce=nonce,
            token_hash=hash_of(token_of(nonce, 0)),
            reference=new_reference(),
            email=registration.email,
            phone=registration.phone,
            language=language,
            created_at=registration.created_at,
            expires_at=registration.created_at + timedelta(days=settings.PRIVATE_LINK_DAYS),
        )
        registration.link = link
        registration.save(update_fields=["link"])


class Migration(migrations.Migration):
    dependencies = [
        ("links", "0001_private_links"),
        ("workshops", "0006_sessions"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="link",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="links.accesslink",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="key",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(move_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="registration", name="token"),
    ]
