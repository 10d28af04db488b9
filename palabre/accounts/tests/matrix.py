from palabre.core.testing import PERSONAS, MatrixRow, everyone, only

SIGNED_IN = tuple(persona for persona in PERSONAS if persona != "anonymous")

ROWS = [
    MatrixRow("accounts:sign_in", everyone(200)),
    MatrixRow("accounts:request_code", everyone(200)),
    MatrixRow("accounts:enter_code", everyone(200)),
    MatrixRow("accounts:sign_out", everyone(302), method="post"),
    # GET on sign-out is refused: signing out changes state, so it needs a POST with CSRF.
    MatrixRow("accounts:sign_out", everyone(405), state="with GET"),
    MatrixRow("accounts:account", only(200, SIGNED_IN, otherwise=302)),
    # How requests reach them: only people who answer requests choose (the world's official
    # and the collaborator of a cabinet).
    MatrixRow(
        "accounts:account",
        only(302, ("official", "cabinet", "anonymous"), otherwise=403),
        method="post",
        data=lambda world: {"form": "request_news", "request_news": "weekly"},
        state="choosing how requests reach them",
    ),
]
