"""Preset the competences of a Walloon municipal college; the city edits them afterwards."""

# A frozen copy: migrations never import application code that may change later.
from django.db import migrations

COMPETENCES = [
    ("cohesion-sociale", "Cohésion sociale"),
    ("participation-citoyenne", "Participation citoyenne"),
    ("mobilite", "Mobilité"),
    ("proprete-publique", "Propreté publique"),
    ("espaces-verts", "Espaces verts"),
    ("travaux", "Travaux"),
    ("jeunesse", "Jeunesse"),
    ("aines", "Aînés"),
    ("logement", "Logement"),
    ("culture", "Culture"),
    ("sports", "Sports"),
    ("commerce", "Commerce"),
    ("securite", "Sécurité et police administrative"),
    ("action-sociale", "Action sociale (CPAS)"),
    ("urbanisme", "Urbanisme"),
    ("finances", "Finances"),
]


def add(apps, schema_editor):
    Competence = apps.get_model("accounts", "Competence")
    for slug, name in COMPETENCES:
        Competence.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
