"""Explanation sentences in French, Dutch and English (this package cannot use Django's gettext)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["fr", "nl", "en"]
LANGUAGES: tuple[Lang, ...] = ("fr", "nl", "en")

TEXTS: dict[str, dict[Lang, str]] = {
    "greedy_selected": {
        "en": "{project} was funded: ranked {rank} with a score of {score}, it cost {cost} "
        "and {money_left} was left ({money_left_after} after it).",
        "fr": "{project} est financé : classé {rank}e avec un score de {score}, il coûtait "
        "{cost} et il restait {money_left} ({money_left_after} après lui).",
        "nl": "{project} is gefinancierd: op plaats {rank} met een score van {score} kostte het "
        "{cost} en er was nog {money_left} over ({money_left_after} daarna).",
    },
    "greedy_skipped": {
        "en": "{project} was not funded: ranked {rank} with a score of {score}, it costs {cost} "
        "but only {money_left} was left after the projects ranked above it ({funded_before}).",
        "fr": "{project} n'est pas financé : classé {rank}e avec un score de {score}, il coûte "
        "{cost} mais il ne restait que {money_left} après les projets mieux classés "
        "({funded_before}).",
        "nl": "{project} is niet gefinancierd: op plaats {rank} met een score van {score} kost "
        "het {cost}, maar na de hoger geplaatste projecten ({funded_before}) was er nog maar "
        "{money_left} over.",
    },
    "greedy_stopped_here": {
        "en": "{project} was not funded: ranked {rank} with a score of {score}, it costs {cost} "
        "but only {money_left} was left, and the count stops at the first project that does "
        "not fit.",
        "fr": "{project} n'est pas financé : classé {rank}e avec un score de {score}, il coûte "
        "{cost} mais il ne restait que {money_left}, et le dépouillement s'arrête au premier "
        "projet qui ne rentre pas.",
        "nl": "{project} is niet gefinancierd: op plaats {rank} met een score van {score} kost "
        "het {cost}, maar er was nog maar {money_left} over, en de telling stopt bij het "
        "eerste project dat niet past.",
    },
    "greedy_stopped": {
        "en": "{project} was not funded: ranked {rank}, it comes after {stopped_at}, where the "
        "count stopped because that project did not fit.",
        "fr": "{project} n'est pas financé : classé {rank}e, il vient après {stopped_at}, où le "
        "dépouillement s'est arrêté faute de budget.",
        "nl": "{project} is niet gefinancierd: op plaats {rank} komt het na {stopped_at}, waar "
        "de telling stopte omdat dat project niet paste.",
    },
    "greedy_below_threshold": {
        "en": "{project} was not funded: its score of {score} is below the threshold of "
        "{threshold}.",
        "fr": "{project} n'est pas financé : son score de {score} est sous le seuil de "
        "{threshold}.",
        "nl": "{project} is niet gefinancierd: de score van {score} ligt onder de drempel van "
        "{threshold}.",
    },
    "mes_selected": {
        "en": "{project} was funded in round {round} of the Method of Equal Shares, with an "
        "effective vote count of {effective_votes}: {full_payers} supporters paid {share} "
        "each and {partial_payers} paid all they had left, for a cost of {cost}.",
        "fr": "{project} est financé au tour {round} de la méthode des parts égales, avec un "
        "nombre de voix effectif de {effective_votes} : {full_payers} soutiens ont payé "
        "{share} chacun et {partial_payers} tout ce qui leur restait, pour un coût de {cost}.",
        "nl": "{project} is gefinancierd in ronde {round} van de Methode van Gelijke Delen, "
        "met een effectief aantal stemmen van {effective_votes}: {full_payers} steunbetuigers "
        "betaalden elk {share} en {partial_payers} alles wat ze nog hadden, voor een kost "
        "van {cost}.",
    },
    "mes_selected_points": {
        "en": "{project} was funded in round {round} of the Method of Equal Shares at "
        "{rho} per point of {utility} (effective support {effective_votes}): {full_payers} "
        "supporters paid in proportion to their points and {partial_payers} paid all they had "
        "left, for a cost of {cost}.",
        "fr": "{project} est financé au tour {round} de la méthode des parts égales à {rho} "
        "par point ({utility}, soutien effectif {effective_votes}) : {full_payers} soutiens "
        "ont payé selon leurs points et {partial_payers} tout ce qui leur restait, pour un "
        "coût de {cost}.",
        "nl": "{project} is gefinancierd in ronde {round} van de Methode van Gelijke Delen "
        "tegen {rho} per punt ({utility}, effectieve steun {effective_votes}): "
        "{full_payers} steunbetuigers betaalden naar hun punten en {partial_payers} alles "
        "wat ze nog hadden, voor een kost van {cost}.",
    },
    "mes_unaffordable": {
        "en": "{project} was not funded: in round {round} its supporters had only {available} "
        "left while it costs {cost} (effective vote count when last evaluated: "
        "{effective_votes}).",
        "fr": "{project} n'est pas financé : au tour {round}, ses soutiens n'avaient plus que "
        "{available} alors qu'il coûte {cost} (nombre de voix effectif à sa dernière "
        "évaluation : {effective_votes}).",
        "nl": "{project} is niet gefinancierd: in ronde {round} hadden de steunbetuigers nog "
        "maar {available} terwijl het {cost} kost (effectief aantal stemmen bij de laatste "
        "evaluatie: {effective_votes}).",
    },
    "mes_no_support": {
        "en": "{project} was not funded: no ballot gives it any support.",
        "fr": "{project} n'est pas financé : aucun bulletin ne le soutient.",
        "nl": "{project} is niet gefinancierd: geen enkel stembiljet steunt het.",
    },
    "mes_free": {
        "en": "{project} was funded first: it costs nothing and has supporters.",
        "fr": "{project} est financé d'emblée : il ne coûte rien et a des soutiens.",
        "nl": "{project} is meteen gefinancierd: het kost niets en heeft steun.",
    },
    "completion": {
        "en": "After the Method of Equal Shares, the money left was spent in order of score "
        "per cost. ",
        "fr": "Après la méthode des parts égales, l'argent restant a été dépensé par ordre de "
        "score par coût. ",
        "nl": "Na de Methode van Gelijke Delen werd het resterende geld besteed in volgorde "
        "van score per kost. ",
    },
    "comparison": {
        "en": "More voters ({prefer_greedy}) preferred the greedy outcome than the Method of "
        "Equal Shares outcome ({prefer_mes}), so the greedy outcome was kept. ",
        "fr": "Plus d'électeurs ({prefer_greedy}) préféraient le résultat glouton à celui de "
        "la méthode des parts égales ({prefer_mes}) : le résultat glouton a été retenu. ",
        "nl": "Meer kiezers ({prefer_greedy}) verkozen de gretige uitkomst boven die van de "
        "Methode van Gelijke Delen ({prefer_mes}), dus werd de gretige uitkomst behouden. ",
    },
    "none": {"en": "none", "fr": "aucun", "nl": "geen"},
}


def text(key: str, lang: Lang) -> str:
    """Return the sentence template `key` in `lang` (French with a no-break space before
    : ; ? !, as French typography wants: a line never starts with them)."""
    sentence = TEXTS[key][lang]
    if lang == "fr":
        for mark in ":;?!":
            sentence = sentence.replace(f" {mark}", f"\u00a0{mark}")
    return sentence
