from __future__ import annotations

from decimal import Decimal

import pytest

from palabre.initiatives.playbooks import BudgetLine, PlaybookData, PlaybookError, Step, dump, parse

WELCOME = 'kind = "welcome"\ntitle = "Accueil"\n\n'
STREET_PARTY = PlaybookData(
    kind="street_party",
    title="Fête de rue",
    description='Une rue fermée un samedi, des tables, "un" apéro.',
    steps=(
        Step("Demander la fermeture de la rue", 42, permit=True, department="voirie"),
        Step(
            "Prévenir les voisins (toutes-boîtes)",
            14,
            description="Deux semaines avant.\nAu moins.",
        ),
        Step("Installer les tables", 0),
    ),
    budget=(
        BudgetLine("Location de tables", Decimal("120.00")),
        BudgetLine("Boissons", Decimal("80.5")),
    ),
)


def test_a_playbook_survives_export_then_import_unchanged() -> None:
    assert parse(dump(STREET_PARTY)) == STREET_PARTY


def test_control_characters_survive_export_then_import() -> None:
    odd = PlaybookData(kind="other", title="T", description='a\r\nb\tc\x01d\x7f"e\\f')
    assert parse(dump(odd)) == odd


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('kind = "street_party"\ntitle = "Fête"\n[[steps]\n', 3, "TOML"),
        ('kind = "barbecue"\ntitle = "Fête"\n', 1, "kind"),
        ('kind = "welcome"\ntitle = ""\n', 2, "title"),
        (
            'kind = "welcome"\ntitle = "Accueil"\n\n[[steps]]\ntitle = "A"\ndays_before = 3\n\n'
            '[[steps]]\ntitle = "B"\ndays_before = -1\n',
            8,
            "days_before",
        ),
        (
            'kind = "welcome"\ntitle = "Accueil"\n\n[[steps]]\ntitle = "A"\ndays_before = 3\n'
            'permit = "oui"\n',
            4,
            "permit",
        ),
        (
            WELCOME + '[[budget]]\nlabel = "Café"\namount = "12,345"\n',
            4,
            "amount",
        ),
        (
            WELCOME + '[[budget]]\nlabel = "Café"\namount = "beaucoup"\n',
            4,
            "amount",
        ),
        (WELCOME + '[[budget]]\nlabel = "Café"\namount = "10000000"\n', 4, "amount"),
        ('kind = "welcome"\ntitle = "' + "A" * 151 + '"\n', 2, "150"),
        (WELCOME + '[[steps]]\ntitle = "' + "A" * 201 + '"\ndays_before = 3\n', 4, "200"),
        (
            WELCOME + '[[steps]]\ntitle = "A"\ndays_before = 3\ndepartment = "Service Voirie"\n',
            4,
            "department",
        ),
        (WELCOME + 'steps = "abc"\n', 4, "[[steps]]"),
        (WELCOME + "steps = [1, 2]\n", 4, "[[steps]]"),
        (WELCOME + '[budget]\nlabel = "Café"\namount = "12.00"\n', 4, "[[budget]]"),
        (WELCOME + "budget = [[1], [2]]\n", 4, "[[budget]]"),
        (WELCOME + "steps = " + "[" * 5000 + "]" * 5000 + "\n", 1, "imbriquées"),
        ('kind = "welcome"\ntitle = "A"\ndescription = "' + "A" * 5001 + '"\n', 3, "5000"),
        (
            WELCOME + '[[steps]]\ntitle = "A"\ndays_before = 3\ndescription = "' + "A" * 2001 + '"',
            4,
            "2000",
        ),
    ],
)
def test_a_malformed_playbook_is_refused_with_its_line_and_reason(
    text: str, line: int, reason: str
) -> None:
    with pytest.raises(PlaybookError) as refused:
        parse(text)
    message = str(refused.value)
    assert message.startswith(f"Ligne {line}\u00a0:") or message.startswith(f"Line {line}:")
    assert reason in message


def test_amounts_with_a_decimal_comma_are_read_exactly() -> None:
    found = parse('kind = "other"\ntitle = "T"\n[[budget]]\nlabel = "Peinture"\namount = "45,20"\n')
    assert found.budget == (BudgetLine("Peinture", Decimal("45.20")),)
