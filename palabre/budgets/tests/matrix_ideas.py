from __future__ import annotations

from palabre.core.testing import MatrixRow

ROWS: list[MatrixRow] = []
