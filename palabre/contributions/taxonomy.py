"""The starting theme taxonomy (the coordinator edits it afterwards)."""

DEFAULT_THEMES = [
    ("cadre-de-vie", "cadre de vie"),
    ("proprete", "propreté"),
    ("mobilite", "mobilité"),
    ("securite", "sécurité"),
    ("lien-social", "lien social"),
    ("jeunesse", "jeunesse"),
    ("aines", "aînés"),
    ("commerces", "commerces"),
    ("logement", "logement"),
    ("espaces-verts", "espaces verts"),
    ("culture", "culture"),
]
