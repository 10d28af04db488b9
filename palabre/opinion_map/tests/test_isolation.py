"""The engine stays a pure library: no Django, no red-dwarf, no scikit-learn at run time."""

from __future__ import annotations

import subprocess
import sys


def test_the_engine_and_its_command_line_import_neither_django_nor_the_oracles() -> None:
    probe = (
        "import sys, palabre.opinion_map, palabre.opinion_map.cli, palabre.opinion_map.render;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'reddwarf', 'sklearn', 'pandas', 'scipy'}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
