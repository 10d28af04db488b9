from palabre.core.testing import PERSONAS, MatrixRow, World, everyone
from palabre.workshops.actions import register
from palabre.workshops.tests.matrix import workshop


def registration_token(world: World) -> dict[str, str]:
    made = register(workshop=workshop(world), by=None, name="Amina", key="matrix-data")
    return {"token": made.registration.token}


def dead_token(world: World) -> dict[str, str]:
    return {"token": "x" * 43}


signed_in = {p: 302 if p == "anonymous" else 200 for p in PERSONAS}

ROWS = [
    MatrixRow("privacy:page", everyone(200)),
    # Anonymous visitors are sent to sign in; everyone else downloads their own data.
    MatrixRow("privacy:my_data", signed_in),
    # The confirmation page; erasing itself is tested in test_erase.py (it signs the person out).
    MatrixRow("privacy:erase", signed_in),
    # The private link is the permission, whoever holds it.
    MatrixRow("privacy:link_data", everyone(200), kwargs=registration_token, state="live"),
    MatrixRow("privacy:link_data", everyone(404), kwargs=dead_token, state="dead"),
    MatrixRow("privacy:erase_link", everyone(200), kwargs=registration_token, state="live"),
    MatrixRow("privacy:erase_link", everyone(404), kwargs=dead_token, state="dead"),
]
