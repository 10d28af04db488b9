# Follow-up links of contributions move to links.AccessLink (hashed, expiring, revocable).
# Existing links get a new secret.
from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from palabre.links.models import hash_of, new_nonce, new_reference, token_of


def move_links(apps, schema_editor):
    Contribution = apps.get_model("contributions", "Contribution")
    AccessLink = apps.get_model("links", "AccessLink")
    for contribution in Contribution.objects.exclude(follow_token=None).iterator():
        nonce = new_nonce()
        contribution.link = AccessLink.objects.create(
            purpose="contribution",
            nonce=nonce,
            token_hash=hash_of(token_of(nonce, 0)),
            reference=new_reference(),
            email=contribution.contact_email,
            language=settings.LANGUAGE_CODE,
            created_at=contribution.created_at,
            expires_at=contribution.created_at + timedelta(days=settings.PRIVATE_LINK_DAYS),
        )
        contribution.save(update_fields=["link"])


class Migration(migrations.Migration):
    dependencies = [
        ("links", "0001_private_links"),
        ("contributions", "0005_suggester"),
    ]

    operations = [
        migrations.AddField(
            model_name="contribution",
            name="link",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="links.accesslink",
            ),
        ),
        migrations.RunPython(move_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="contribution", name="follow_token"),
    ]
