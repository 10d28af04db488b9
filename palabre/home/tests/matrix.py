from palabre.core.testing import MatrixRow, everyone

ROWS = [MatrixRow("home:index", everyone(200))]
