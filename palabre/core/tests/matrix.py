from palabre.core.testing import MatrixRow, everyone

ROWS = [
    MatrixRow("core:accessibility", everyone(200)),
    # The same answer for everyone, signed in or not. The whole truth is 503 here: no worker
    # ever beat in the tests' world (ADR 0077).
    MatrixRow("healthz", everyone(503)),
    MatrixRow("healthz_web", everyone(200)),
    # The staff phones' service worker and app manifest: nothing personal, the same for all.
    MatrixRow("core:service_worker", everyone(200)),
    MatrixRow("core:manifest", everyone(200)),
    MatrixRow(
        "set_language",
        everyone(302),
        method="post",
        data=lambda world: {"language": "nl", "next": "/"},
    ),
]
