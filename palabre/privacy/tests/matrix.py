from palabre.core.testing import PERSONAS, MatrixRow, World, everyone
from palabre.workshops.actions import register
from palabre.workshops.tests.matrix import workshop


def registration_token(world: World) -> dict[str, str]:
    made = register(workshop=workshop(world), by=None, name="Amina", key="matrix-data")
    return {"token": made.registration.token}


ROWS = [
    # Anonymous visitors are sent to sign in; everyone else downloads their own data.
    MatrixRow("privacy:my_data", {p: 302 if p == "anonymous" else 200 for p in PERSONAS}),
    MatrixRow("privacy:link_data", everyone(200), kwargs=registration_token, state="live"),
    # The confirmation page; erasing itself is tested in test_erase.py (it signs the person out).
    MatrixRow("privacy:erase", {p: 302 if p == "anonymous" else 200 for p in PERSONAS}),
    MatrixRow(
        "privacy:link_data", everyone(404), kwargs=lambda world: {"token": "x" * 43}, state="dead"
    ),
]
