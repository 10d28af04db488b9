"""Every page of the permission matrix, read in French, follows French typography: a no-break
space before : ; ? ! and inside « » (docs/wording.md). The catalogue test checks the strings;
this one catches what templates add around them ("{% translate 'Status' %}: …") and the texts
the product writes itself (the default guiding questions). What people type is shown as they
typed it, so the matrix's own texts are written the French way."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from palabre.core.testing import MatrixRow, World
from palabre.core.tests.test_catalogues import FRENCH_SPACING
from palabre.core.tests.test_permission_matrix import ROWS

# The personas each page is read as: a resident's view and the staff's fuller one.
READERS = ("anonymous", "resident", "coordinator", "official")
SKIPPED = {"script", "style", "pre", "code", "textarea"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class FrenchText(HTMLParser):
    """The text a French reader reads: not scripts, nor parts marked in another language."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.stack: list[bool] = [True]  # whether each open element is read as French

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        lang = dict(attrs).get("lang")
        french = self.stack[-1] and tag not in SKIPPED and (lang is None or lang == "fr")
        if tag not in VOID:
            self.stack.append(french)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack[-1]:
            self.text.append(data)


def french_spacing_faults(html: str) -> list[str]:
    parser = FrenchText()
    parser.feed(html)
    text = "".join(parser.text)
    return [text[max(0, m.start() - 25) : m.end() + 5] for m in FRENCH_SPACING.finditer(text)]


PAGES = [row for row in ROWS if row.method == "get" and not row.url_name.startswith("admin:")]


@pytest.mark.parametrize(
    "row", PAGES, ids=[f"{r.url_name}{'[' + r.state + ']' if r.state else ''}" for r in PAGES]
)
def test_french_pages_keep_their_no_break_spaces(row: MatrixRow, world: World) -> None:
    url = reverse(row.url_name, kwargs=row.kwargs(world))
    faults = {}
    for persona in (p for p in READERS if row.expected[p] == 200):
        client = Client(headers={"accept-language": "fr"})
        user = world.user(persona)
        if user is not None:
            client.force_login(user)
        response = client.get(url, row.data(world))
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            found = french_spacing_faults(response.content.decode())
            if found:
                faults[persona] = found
    assert faults == {}, "\n".join(sorted({repr(f) for found in faults.values() for f in found}))


def test_the_check_sees_a_missing_space_and_ignores_other_languages() -> None:
    assert french_spacing_faults("<p><strong>Statut</strong>: Idée</p>") == ["Statut: Idée"]
    assert french_spacing_faults("<p>Pourquoi ?</p>") == ["Pourquoi ?"]
    assert french_spacing_faults("<p>Statut\u00a0: Idée</p><p lang='nl'>Status: idee</p>") == []
    assert french_spacing_faults("<script>a ? b : c</script><p>18:30, /x?y=1</p>") == []
