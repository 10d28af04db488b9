from palabre.core.testing import MatrixRow, only
from palabre.workshops.tests.matrix import STAFF

ROWS = [
    MatrixRow("week:week", only(200, STAFF, otherwise=403)),
    MatrixRow("week:settings", only(200, STAFF, otherwise=403)),
    MatrixRow("week:city_support", only(200, STAFF, otherwise=403)),
]
