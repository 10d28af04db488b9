"""The competences of a Walloon municipal college, preset; the city edits them afterwards."""

DEFAULT_COMPETENCES = [
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
