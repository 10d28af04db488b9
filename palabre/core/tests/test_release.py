"""What a city's IT meets before serving: the release they installed, and a demo that cannot land
in their database."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from django.conf import settings

from palabre.core.tests.test_command_line import run


def test_the_version_is_the_packages_and_has_its_changelog_entry() -> None:
    project = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    release = project["project"]["version"]
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout == f"palabre {release}\n"
    changelog = (Path(settings.BASE_DIR) / "CHANGELOG.md").read_text()
    assert f"## {release} " in changelog


def test_the_demo_refuses_a_database_holding_a_citys_data(tmp_path: Path) -> None:
    env = {"PALABRE_VAR_DIR": str(tmp_path / "var")}
    assert run("migrate", env=env).returncode == 0
    create = (
        "from palabre.accounts.models import User; "
        "User.objects.create_user('echevin@ville.example', 'x', display_name='Échevine')"
    )
    assert run("manage", "shell", "--no-imports", "-c", create, env=env).returncode == 0

    refused = run("demo", env=env)

    assert refused.returncode == 2
    assert refused.stderr.startswith("palabre: palabre demo refused: this database already")
    assert "(1 account)" in refused.stderr
    count = "from palabre.accounts.models import User; print(User.objects.count())"
    assert run("manage", "shell", "--no-imports", "-c", count, env=env).stdout == "1\n"


def _pins(text: str) -> dict[str, str]:
    """name -> version of every `name==version` line (names compared as pip does)."""
    found = re.findall(r"^([A-Za-z0-9._-]+)==([^\s\\;]+)", text, flags=re.MULTILINE)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in found}


def test_production_requirements_pin_every_runtime_dependency_with_its_hashes() -> None:
    requirements = Path(settings.BASE_DIR) / "requirements"
    production = (requirements / "production.txt").read_text()
    pinned = _pins(production)
    constraints = _pins((requirements / "constraints.txt").read_text())
    project = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    direct = _pins("\n".join(project["project"]["dependencies"]).replace("[binary]", ""))

    assert direct.keys() <= pinned.keys()  # `make requirements` after a new dependency
    assert {name: constraints.get(name) for name in pinned} == pinned  # the same versions
    entries = re.split(r"^(?=[A-Za-z0-9])", production, flags=re.MULTILINE)[1:]
    assert len(entries) == len(pinned)
    assert all("--hash=sha256:" in entry for entry in entries)  # pip --require-hashes
