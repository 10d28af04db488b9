"""Outputs for people: the SVG map, the tables and their wording in three languages."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from palabre.opinion_map import OpinionMap, Parameters, analyze
from palabre.opinion_map.labels import _LABELS, LANGUAGES, Language, label
from palabre.opinion_map.render import html_page, html_tables, map_description, svg_map
from palabre.opinion_map.tests.helpers import planted_votes

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    # The document is the engine's own output under test, not untrusted input.
    return ElementTree.fromstring(svg)  # noqa: S314


def _points(root: ElementTree.Element) -> list[ElementTree.Element]:
    return root.findall(f"{SVG}g[@class='participants']/{SVG}circle")


@pytest.fixture(scope="module")
def result() -> OpinionMap:
    return analyze(planted_votes(seed=21, participants=60, statements=20, camps=3, noise=0.1))


def test_every_label_exists_in_french_dutch_and_english() -> None:
    for key, wording in _LABELS.items():
        assert set(wording) == set(LANGUAGES), key
        assert all(text.strip() for text in wording.values()), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_svg_map_is_an_image_with_a_title_and_a_description(
    result: OpinionMap, language: Language
) -> None:
    root = _parse(svg_map(result, language))
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert title.text == label("map_title", language)
    assert desc.text == map_description(result, language)
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_the_description_names_every_group_and_its_size(result: OpinionMap) -> None:
    text = map_description(result, "en")
    for group in range(result.group_count):
        size = len(result.group_members(group))
        assert f"Group {'ABC'[group]}: {size} participants." in text
    assert f"{len(result.participants)} participants voted" in text


def test_each_participant_is_a_point_coloured_by_group(result: OpinionMap) -> None:
    root = _parse(svg_map(result, "fr"))
    points = _points(root)
    assert len(points) == len(result.participants)
    colours = {point.get("fill") for point in points}
    assert len(colours) == result.group_count


def test_participants_without_enough_votes_are_drawn_apart_in_grey() -> None:
    votes = planted_votes(seed=22, participants=40, statements=10, density=0.5)
    partial = analyze(votes, parameters=Parameters(min_votes=6))
    ungrouped = len(partial.participants) - len(partial.labels)
    assert ungrouped > 0
    root = _parse(svg_map(partial, "nl"))
    grey = [c for c in _points(root) if c.get("fill") == "#8C8C8C"]
    assert len(grey) == ungrouped
    assert "Zonder groep" in svg_map(partial, "nl")


def test_identifiers_and_texts_are_escaped(result: OpinionMap) -> None:
    hostile = '"><script>alert(1)</script>'
    svg = svg_map(result, "en", id_prefix=hostile)
    assert "<script>" not in svg
    _parse(svg)
    texts = {s: f"<b>{s}</b> & {hostile}" for s in result.statements}
    html = html_tables(result, texts, "en")
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_tables_have_captions_and_column_headers_in_the_chosen_language(
    result: OpinionMap,
) -> None:
    html = html_tables(result, {}, "fr")
    assert html.count("<table>") == 2 + result.group_count
    assert "<caption>Consensus : la plupart des participants sont d&#x27;accord</caption>" in html
    assert '<th scope="col">Proposition</th>' in html


def test_the_html_page_declares_its_language(result: OpinionMap) -> None:
    page = html_page(result, {}, "nl")
    assert page.startswith('<!doctype html>\n<html lang="nl">')
    assert "<figcaption>" in page
