"""User-facing wording in French, Dutch and English (the engine cannot use Django's gettext)."""

from __future__ import annotations

from typing import Final, Literal, get_args

Language = Literal["fr", "nl", "en"]
LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)

_LABELS: Final[dict[str, dict[Language, str]]] = {
    "map_title": {
        "en": "Opinion map",
        "fr": "Carte des opinions",
        "nl": "Meningskaart",
    },
    "group": {"en": "Group {name}", "fr": "Groupe {name}", "nl": "Groep {name}"},
    "not_grouped": {"en": "Not grouped", "fr": "Sans groupe", "nl": "Zonder groep"},
    "not_grouped_reason": {
        "en": "fewer than {count} votes",
        "fr": "moins de {count} votes",
        "nl": "minder dan {count} stemmen",
    },
    "map_summary": {
        "en": "{participants} participants voted; {grouped} of them are placed in {groups} "
        "opinion groups.",
        "fr": "{participants} participants ont voté ; {grouped} d'entre eux sont répartis en "
        "{groups} groupes d'opinion.",
        "nl": "{participants} deelnemers stemden; {grouped} van hen zijn verdeeld over {groups} "
        "meningsgroepen.",
    },
    "map_group_line": {
        "en": "{group}: {count} participants.",
        "fr": "{group} : {count} participants.",
        "nl": "{group}: {count} deelnemers.",
    },
    "map_explanation": {
        "en": "Each dot is a participant; people who vote alike are close together.",
        "fr": "Chaque point est un participant ; les personnes qui votent de façon semblable "
        "sont proches.",
        "nl": "Elke stip is een deelnemer; wie gelijkaardig stemt, staat dicht bij elkaar.",
    },
    "consensus_agree": {
        "en": "Consensus: most participants agree",
        "fr": "Consensus : la plupart des participants sont d'accord",
        "nl": "Consensus: de meeste deelnemers zijn het eens",
    },
    "consensus_disagree": {
        "en": "Consensus: most participants disagree",
        "fr": "Consensus : la plupart des participants ne sont pas d'accord",
        "nl": "Consensus: de meeste deelnemers zijn het oneens",
    },
    "representative": {
        "en": "What sets {group} apart",
        "fr": "Ce qui distingue le {group}",
        "nl": "Wat {group} onderscheidt",
    },
    "statement": {"en": "Statement", "fr": "Proposition", "nl": "Stelling"},
    "reaction": {"en": "Reaction", "fr": "Réaction", "nl": "Reactie"},
    "share": {"en": "Share", "fr": "Part", "nl": "Aandeel"},
    "votes": {"en": "Votes", "fr": "Votes", "nl": "Stemmen"},
    "agree": {"en": "agree", "fr": "d'accord", "nl": "eens"},
    "disagree": {"en": "disagree", "fr": "pas d'accord", "nl": "oneens"},
    "none": {"en": "(none)", "fr": "(aucune)", "nl": "(geen)"},
    "silhouette": {
        "en": "Separation of the groups (silhouette): {value}",
        "fr": "Séparation des groupes (silhouette) : {value}",
        "nl": "Scheiding van de groepen (silhouet): {value}",
    },
}


def label(key: str, language: Language, **values: object) -> str:
    """Return the wording of a label in a language, with its placeholders filled in."""
    return _LABELS[key][language].format(**values)


def group_name(index: int) -> str:
    """Return the letter Pol.is shows for a group index (0 -> A)."""
    return chr(ord("A") + index)
