from palabre.core.testing import MatrixRow, everyone

ROWS = [
    MatrixRow("core:home", everyone(200)),
    MatrixRow("core:accessibility", everyone(200)),
    MatrixRow("healthz", everyone(200)),
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
