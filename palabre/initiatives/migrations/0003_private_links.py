# Volunteers' private links move to links.AccessLink (hashed, expiring, revocable); the
# idempotency key of a form gets its own column. Existing links get a new secret.
from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from palabre.links.models import hash_of, new_nonce, new_reference, token_of


def move_links(apps, schema_editor):
    Volunteer = apps.get_model("initiatives", "Volunteer")
    AccessLink = apps.get_model("links", "AccessLink")
    for volunteer in Volunteer.objects.iterator():
        nonce = new_nonce()
        volunteer.link = AccessLink.objects.create(
            purpose="volunteer",
            nonce=nonce,
            token_hash=hash_of(token_of(nonce, 0)),
            reference=new_reference(),
            email=volunteer.email,
            language=volunteer.language,
            created_at=volunteer.created_at,
            expires_at=volunteer.created_at + timedelta(days=settings.PRIVATE_LINK_DAYS),
        )
        volunteer.save(update_fields=["link"])


class Migration(migrations.Migration):
    dependencies = [
        ("links", "0001_private_links"),
        ("initiatives", "0002_needs_budget_photos_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="volunteer",
            name="link",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="links.accesslink",
            ),
        ),
        migrations.AddField(
            model_name="volunteer",
            name="key",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(move_links, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="volunteer",
            name="link",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="links.accesslink",
            ),
        ),
        migrations.RemoveField(model_name="volunteer", name="token"),
    ]
