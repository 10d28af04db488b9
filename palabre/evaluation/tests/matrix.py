from palabre.core.testing import MatrixRow, World, only
from palabre.evaluation.models import ReportState, YearlyReport
from palabre.workshops.tests.matrix import STAFF


def ready_report(world: World) -> dict[str, str]:
    YearlyReport.objects.create(
        year=2026, language="fr", state=ReportState.READY, pdf=b"%PDF-1.7", csv="a,b\n"
    )
    return {"year": "2026", "language": "fr", "kind": "pdf"}


ROWS = [
    MatrixRow("evaluation:dashboard", only(200, STAFF, otherwise=403)),
    MatrixRow("evaluation:reports", only(200, STAFF, otherwise=403)),
    MatrixRow(
        "evaluation:reports",
        only(302, STAFF, otherwise=403),
        method="post",
        state="a year and a language",
        data=lambda world: {"year": "2026", "language": "fr"},
    ),
    MatrixRow("evaluation:report_file", only(200, STAFF, otherwise=403), kwargs=ready_report),
]
