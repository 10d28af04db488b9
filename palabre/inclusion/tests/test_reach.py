"""Who we reach: the answers counted per question, small groups never shown as numbers, and the
age bands compared with the population typed in from Statbel or IWEPS."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.core.suppression import THRESHOLD as MIN_GROUP
from palabre.core.testing import World, error_summary
from palabre.inclusion import actions
from palabre.inclusion.models import Entry, Population, Residence
from palabre.inclusion.queries import reach, suppress
from palabre.inclusion.tests.factories import make_answers, make_population
from palabre.workshops.models import Status
from palabre.workshops.tests.factories import make_cycle, make_hosted_workshop, make_workshop

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)


def _client(user: Any) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def _held(world: World, **fields: Any) -> Any:
    # Held earlier this year (or today), in the home neighbourhood.
    days = -min(30, timezone.localdate().timetuple().tm_yday - 1)
    return make_hosted_workshop(world, days_from_now=days, status=Status.HELD, **fields)


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([3], [None]),  # the total itself is under 5
        # A single hidden group (even 0: "fewer than 5" too) takes the smallest shown with it.
        ([10, 6, 0], [10, None, None]),
        ([10, 6, 3], [10, None, None]),
        ([10, 3, 2], [10, None, None]),  # two hidden: neither can be found by subtraction
        ([5, 5], [5, 5]),
    ],
)
def test_groups_under_five_are_hidden_and_cannot_be_found_by_subtraction(
    counts: list[int], shown: list[int | None]
) -> None:
    assert suppress(counts, sum(counts)) == shown


def test_without_enough_answers_nothing_is_shown(world: World) -> None:
    make_answers(_held(world), MIN_GROUP - 1, age_band="18-24")
    found = reach(start=START, end=END)
    assert found.total is None
    assert found.workshops == 1
    assert all(f.count is None and f.share is None for q in found.questions for f in q.figures)
    assert found.ages == ()


def test_each_question_counts_its_answers_and_shares(world: World) -> None:
    workshop = _held(world)
    make_answers(workshop, 12, age_band="25-39", first_time=True, heard="printed", languages=["fr"])
    make_answers(workshop, 6, age_band="40-54", first_time=False, languages=["fr", "ar"])
    make_answers(workshop, 2, age_band="65-79", entry=Entry.PAPER, languages=["ar"])
    found = reach(start=START, end=END)
    assert found.total == 20
    ages = {f.value: (f.count, f.share) for f in found.question("age_band").figures}
    # 65-79 (2) is under 5; "not said" (0) too: two hidden, none found by subtraction.
    assert ages["25-39"] == (12, 60)
    assert ages["40-54"] == (6, 30)
    assert ages["65-79"] == (None, None)
    assert ages[""] == (None, None)
    languages = {f.value: f.count for f in found.question("languages").figures}
    assert (languages["fr"], languages["ar"]) == (18, 8)  # several per answer
    assert found.question("languages").multiple
    entries = {f.value: f.count for f in found.question("entry").figures}
    # 2 on paper: hidden; phone with it, or 20 - 18 would give them away.
    assert entries == {"phone": None, "paper": None}
    first = {f.value: f.count for f in found.question("first_time").figures}
    assert first == {"yes": 12, "no": None, "": None}  # 2 not said: "no" hidden with it


def test_the_age_bands_are_compared_with_the_population_and_the_missed_named(
    world: World,
) -> None:
    make_population(world, year=YEAR - 1)  # 40 % are 25-39, 10 % each other band
    workshop = _held(world)
    make_answers(workshop, 10, age_band="25-39")
    make_answers(workshop, 5, age_band="65-79")
    make_answers(workshop, 5, age_band="80+")
    make_answers(workshop, 5)  # age not said: left out of the comparison
    found = reach(start=START, end=END, neighbourhood=world.home)
    by_band = {band.value: band for band in found.ages}
    assert (by_band["25-39"].answers_share, by_band["25-39"].population_share) == (50, 40)
    assert by_band["65-79"].gap == 25 - 10
    # Under 18 .. 55-64 have no answer: hidden, counted as 4 of 20 (20 %) at most: none of
    # them is surely 5 points under its 10 % of the population.
    assert by_band["0-17"].answers is None
    assert by_band["0-17"].shortfall == 0
    assert found.missed == ()
    assert found.population_total == 1000
    assert found.population_years == (YEAR - 1,)
    assert found.population_sources == ("Statbel, 1 January 2026 (test)",)


def test_a_band_missed_by_many_points_is_named_first(world: World) -> None:
    make_population(world, year=YEAR, from_65_to_79=600)  # 65-79: 600 of 1500 = 40 %
    workshop = _held(world)
    make_answers(workshop, 30, age_band="25-39")
    make_answers(workshop, 10, age_band="65-79")
    make_answers(workshop, 20, age_band="40-54")
    found = reach(start=START, end=END)
    # 65-79: 10 of 60 = 17 % of the answers against 40 %: 23 points missed.
    assert found.missed[0] == "65 à 79 ans"  # tests run in French
    by_band = {band.value: band for band in found.ages}
    assert by_band["65-79"].shortfall == 23


def test_figures_follow_the_neighbourhood_the_cycle_and_the_year(world: World) -> None:
    here = _held(world)
    there = make_workshop(
        cycle=make_cycle([world.elsewhere], slug="elsewhere"),
        neighbourhood=world.elsewhere,
        venue=world.venue,
        days_from_now=-1,
        status=Status.HELD,
    )
    make_answers(here, 6, age_band="18-24")
    make_answers(there, 7, age_band="18-24")
    assert reach(start=START, end=END).total == 13
    assert reach(start=START, end=END, neighbourhood=world.home).total == 6
    assert reach(start=START, end=END, cycle=here.cycle).total == 6
    assert reach(start=date(YEAR - 1, 1, 1), end=date(YEAR - 1, 12, 31)).total is None


def test_where_people_live_names_the_published_neighbourhoods(world: World) -> None:
    make_answers(_held(world), 6, residence=Residence.NEIGHBOURHOOD, neighbourhood=world.home)
    found = reach(start=START, end=END)
    figures = {f.label: f.count for f in found.question("residence").figures}
    assert figures["Bomel"] == 6
    assert "Vedrin" not in figures  # hidden neighbourhood


def test_the_reach_page_reads_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    make_population(world, year=YEAR)
    for _ in range(4):
        make_answers(_held(world), 6, age_band="25-39", languages=["fr", "nl"])
    client = _client(world.person("coordinator"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("inclusion:reach"))
    assert page.status_code == 200
    assert "24 answers, from 4 workshops." in page.text
    assert "fewer than 5" in page.text
    assert 'id="ages-table"' in page.text


def test_the_page_says_fewer_than_five_and_never_the_number(world: World) -> None:
    make_answers(_held(world), 3, age_band="80+", languages=["tr"])
    page = _client(world.person("coordinator")).get(reverse("inclusion:reach")).text
    assert "Fewer than 5 answers, from 1 workshop: nothing is shown" in page
    assert 'data-question="age_band"' not in page


def test_the_csv_applies_the_same_suppression(world: World) -> None:
    workshop = _held(world)
    make_answers(workshop, 9, age_band="25-39")
    make_answers(workshop, 2, age_band="80+")
    response = _client(world.person("administrator")).get(
        reverse("inclusion:reach_csv"), {"year": str(YEAR)}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    ages = {row[1]: row[2] for row in rows if row[0] == "Age"}
    assert ages["25 to 39"] == "9"
    assert ages["80 or over"] == "fewer than 5"
    assert "2" not in [row[2] for row in rows]
    assert rows[1][:3] == ["All answers", "", "11"]


def test_a_bad_year_is_explained(world: World) -> None:
    response = _client(world.person("coordinator")).get(
        reverse("inclusion:reach"), {"year": "1850"}
    )
    assert response.status_code == 400
    assert "Give a year between 2000 and 2100." in response.text
    assert error_summary(response.text) == ["#id_year"]


# Population figures -------------------------------------------------------------------------


def _figures(world: World, **fields: Any) -> dict[str, Any]:
    return {
        "neighbourhood": world.home.pk,
        "year": "2026",
        "under_18": "812",
        "from_18_to_24": "402",
        "from_25_to_39": "915",
        "from_40_to_54": "860",
        "from_55_to_64": "511",
        "from_65_to_79": "448",
        "from_80": "152",
        "source": "Statbel, 1 January 2026",
    } | fields


def test_the_service_types_in_population_figures_and_saving_again_corrects_them(
    world: World,
) -> None:
    client = _client(world.person("coordinator"))
    url = reverse("inclusion:population")
    saved = client.post(url, _figures(world), follow=True)
    assert "Population of Bomel in 2026 saved (4100 people)." in saved.text
    client.post(url, _figures(world))  # sent twice
    client.post(
        url, _figures(world, from_80="160", belgian="3900", other_eu="150", outside_eu="58")
    )
    (row,) = Population.objects.all()
    assert (row.from_80, row.total, row.belgian, row.outside_eu) == (160, 4108, 3900, 58)
    form = client.get(url, {"edit": row.pk}).text
    assert 'name="from_80" value="160"' in form


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"from_80": "-3"}, "id_from_80", "A number of people cannot be below 0."),
        ({"from_80": "1 250"}, "id_from_80", "Type a whole number of people"),
        ({"year": "1999"}, "id_year", "Give a year between 2000 and 2100."),
        ({"source": ""}, "id_source", "Say where the figures come from."),
        ({"belgian": "10"}, "id_other_eu", "Give the three nationality groups"),
        (
            {"belgian": "10", "other_eu": "10", "outside_eu": "10"},
            "id_belgian",
            "The nationality groups add up to 30 people, the age bands to 4100",
        ),
    ],
)
def test_bad_population_figures_are_explained_and_what_was_typed_stays(
    world: World, fields: dict[str, str], field: str, message: str
) -> None:
    response = _client(world.person("coordinator")).post(
        reverse("inclusion:population"), _figures(world, **fields)
    )
    assert response.status_code == 400
    assert message in response.text
    assert error_summary(response.text) == [f"#{field}"]
    assert 'value="Statbel, 1 January 2026"' in response.text or fields.get("source") == ""
    assert not Population.objects.exists()


def test_only_the_service_types_in_population_figures(world: World) -> None:
    for persona in ("facilitator", "resident", "official", "partner"):
        with pytest.raises(PermissionDenied):
            actions.save_population(
                by=world.person(persona),
                neighbourhood=world.home,
                year=2026,
                by_age=dict.fromkeys(
                    ["0-17", "18-24", "25-39", "40-54", "55-64", "65-79", "80+"], 1
                ),
                by_nationality=None,
                source="x",
            )


def test_one_row_per_neighbourhood_and_year_by_constraint(world: World) -> None:
    from django.db import IntegrityError, transaction

    make_population(world, year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_population(world, year=2026)


def test_the_phone_answers_outside_the_window_never_reach_the_figures(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=-10, status=Status.HELD)
    with pytest.raises(actions.InclusionError):
        actions.answer(workshop=workshop, said=actions.Said(age_band="80+"), key="k" * 20)
    # The demo (and tests) may give the moment the answer was sent.
    assert workshop.starts_at is not None
    moment = workshop.starts_at + timedelta(minutes=5)
    assert actions.answer(
        workshop=workshop, said=actions.Said(age_band="80+"), key="k" * 20, now=moment
    ).created
