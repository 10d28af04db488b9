"""Which competence of the college handles which theme of the residents' taxonomy.

The two lists are edited separately (themes by the coordinator, competences by the
administrator); this table links their starting slugs. A theme without an entry suggests
nobody: the coordinator chooses.
"""

THEME_COMPETENCES: dict[str, tuple[str, ...]] = {
    "cadre-de-vie": ("urbanisme", "travaux"),
    "proprete": ("proprete-publique",),
    "mobilite": ("mobilite", "travaux"),
    "securite": ("securite",),
    "lien-social": ("cohesion-sociale", "participation-citoyenne"),
    "jeunesse": ("jeunesse",),
    "aines": ("aines", "action-sociale"),
    "commerces": ("commerce",),
    "logement": ("logement",),
    "espaces-verts": ("espaces-verts",),
    "culture": ("culture",),
}
