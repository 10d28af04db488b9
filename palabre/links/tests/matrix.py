from palabre.core.testing import MatrixRow, everyone

ROWS = [
    MatrixRow("links:recover", everyone(200)),
    MatrixRow(
        "links:recover",
        everyone(302),
        method="post",
        data=lambda world: {"reference": "ZZZ-0000", "contact": "nobody@example.org"},
    ),
]
