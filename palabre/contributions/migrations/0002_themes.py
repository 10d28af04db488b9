"""The starting taxonomy; the coordinator edits it in the back-office afterwards."""

# A frozen copy: migrations never import application code that may change later.
from django.db import migrations

THEMES = [
    ("cadre-de-vie", "cadre de vie"), ("proprete", "propreté"), ("mobilite", "mobilité"),
    ("securite", "sécurité"), ("lien-social", "lien social"), ("jeunesse", "jeunesse"),
    ("aines", "aînés"), ("commerces", "commerces"), ("logement", "logement"),
    ("espaces-verts", "espaces verts"), ("culture", "culture"),
]


def add(apps, schema_editor):
    Theme = apps.get_model("contributions", "Theme")
    for position, (slug, name) in enumerate(THEMES):
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
