"""The council's yearly report: asked on a page, made by the worker, downloaded as PDF and CSV
with the dashboard's figures."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from palabre.core.testing import World, pdf_text
from palabre.evaluation.models import ReportState, YearlyReport
from palabre.evaluation.tasks import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(world: World) -> Client:
    client = Client()
    client.force_login(world.person("coordinator"))
    return client


def _jobs() -> list[dict[str, Any]]:
    return [
        job.args_kwargs["kwargs"]
        for job in DBTaskResult.objects.filter(task_path__endswith="make_report")
    ]


def _make_waiting_reports() -> None:
    for job in DBTaskResult.objects.filter(task_path__endswith="make_report"):
        make_report.call(**job.args_kwargs["kwargs"])
        job.delete()


def test_asking_twice_makes_one_report_and_asking_once_it_is_ready_makes_it_anew(
    service: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = service.post("/bilan/rapport/", {"year": "2026", "language": "fr"})
        service.post("/bilan/rapport/", {"year": "2026", "language": "fr"})
    assert first.status_code == 302
    assert YearlyReport.objects.get().state == ReportState.WAITING
    assert _jobs() == [{"report_id": YearlyReport.objects.get().pk, "version": 1}]
    assert "En préparation" in service.get("/bilan/rapport/").content.decode()

    _make_waiting_reports()
    assert YearlyReport.objects.get().state == ReportState.READY
    with django_capture_on_commit_callbacks(execute=True):
        service.post("/bilan/rapport/", {"year": "2026", "language": "fr"})
    assert _jobs() == [{"report_id": YearlyReport.objects.get().pk, "version": 2}]


def test_the_result_of_an_older_request_is_dropped(
    service: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        service.post("/bilan/rapport/", {"year": "2026", "language": "nl"})
    YearlyReport.objects.update(version=2)  # asked again meanwhile (a stalled worker)

    assert make_report.call(report_id=YearlyReport.objects.get().pk, version=1) == (
        "asked again meanwhile"
    )
    assert YearlyReport.objects.get().state == ReportState.WAITING


def test_a_year_out_of_range_is_refused_with_a_message(service: Client) -> None:
    response = service.post("/bilan/rapport/", {"year": "1850", "language": "fr"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not YearlyReport.objects.exists()


def test_a_report_not_ready_cannot_be_downloaded(service: Client) -> None:
    YearlyReport.objects.create(year=2026, language="fr")
    assert service.get("/bilan/rapport/2026-fr.pdf").status_code == 404
    assert service.get("/bilan/rapport/2026-fr.exe").status_code == 404


def _dashboard_rows(client: Client, year: int) -> list[tuple[str, str]]:
    """The key figures as the dashboard shows them: (label, value) of each table row."""
    page = client.get(f"/bilan/?period=year-{year}").content.decode()
    table = page[page.index('<table class="evaluation">') : page.index("</table>")]
    rows = re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a></th>\s*<td>([^<]*)</td>', table)
    return [(label, " ".join(value.replace("&nbsp;", " ").split())) for label, value in rows]


def test_the_demo_citys_report_has_the_dashboards_figures(
    transactional_db: None, django_capture_on_commit_callbacks: Any
) -> None:
    from palabre.accounts.models import User
    from palabre.demo import loader

    loader.load()
    client = Client()
    client.force_login(User.objects.get(email="coordination@palabre.example"))
    dashboard = _dashboard_rows(client, 2026)
    assert len(dashboard) == 14
    assert dict(dashboard)["Personnes présentes"] != "0"

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/bilan/rapport/", {"year": "2026", "language": "fr"})
    _make_waiting_reports()

    text = pdf_text(client.get("/bilan/rapport/2026-fr.pdf").content, "-layout")
    summary = text[text.index("Synthèse") :]
    lines = [" ".join(line.split()) for line in summary.splitlines()]
    for label, value in dashboard:
        assert any(line.startswith(f"{label} {value}") for line in lines), (label, value)
    assert "Ce que les habitant·es ont demandé, et ce qu’il en est advenu" in text
    assert "personnes ont répondu au questionnaire anonyme des ateliers" in text

    figures = csv.reader(
        io.StringIO(client.get("/bilan/rapport/2026-fr.csv").content.decode("utf-8-sig"))
    )
    city = {row[2]: row[3] for row in figures if row[:2] == ["Chiffres clés", "Toute la ville"]}
    dashboard_csv = csv.reader(
        io.StringIO(client.get("/bilan/?period=year-2026&format=csv").content.decode("utf-8-sig"))
    )
    assert city == {row[1]: row[2] for row in dashboard_csv if row[0] == "Chiffres clés"}
