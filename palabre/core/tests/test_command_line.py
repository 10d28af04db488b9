"""The `palabre` command as a person installing Palabre meets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PALABRE = str(Path(sys.executable).parent / "palabre")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # A clean environment, as a person's shell would have: no test-run settings leak in.
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PALABRE_", "DJANGO_"))}
    environment.pop("PYTEST_VERSION", None)
    environment.update(env or {})
    return subprocess.run(
        [PALABRE, *args], capture_output=True, text=True, env=environment, timeout=120, check=False
    )


@pytest.fixture
def var_dir(tmp_path: Path) -> dict[str, str]:
    return {"PALABRE_VAR_DIR": str(tmp_path / "var")}


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in (
        "serve",
        "demo",
        "migrate",
        "backup",
        "restore",
        "manage",
        "pb",
        "opinions",
        "themes",
    ):
        assert f"  {command}" in result.stdout


def test_an_unknown_command_is_one_line_and_exit_2() -> None:
    result = run("fly")
    assert result.returncode == 2
    assert result.stderr.strip() == "palabre: unknown command 'fly'; see 'palabre --help'"


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/palabre", "not a url", "postgres://localhost"]
)
def test_a_malformed_database_url_gives_one_clear_line_and_exit_2(
    url: str, var_dir: dict[str, str]
) -> None:
    result = run("migrate", env={**var_dir, "PALABRE_DATABASE_URL": url})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("palabre: configuration error: PALABRE_DATABASE_URL")
    assert "Traceback" not in result.stderr


def test_a_password_in_a_malformed_url_is_not_printed(var_dir: dict[str, str]) -> None:
    result = run("migrate", env={**var_dir, "PALABRE_DATABASE_URL": "mysql://u:s3cret@h/db"})
    assert result.returncode == 2
    assert "s3cret" not in result.stderr


def test_an_unreachable_database_gives_one_clear_line_and_exit_1(var_dir: dict[str, str]) -> None:
    url = "postgres://palabre@127.0.0.1:9/palabre"  # port 9 (discard) never runs PostgreSQL
    result = run("migrate", env={**var_dir, "PALABRE_DATABASE_URL": url})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("palabre: cannot use the database (PostgreSQL 127.0.0.1:9/palabre)")


def test_a_bad_yes_no_variable_is_named(var_dir: dict[str, str]) -> None:
    result = run("manage", "check", env={**var_dir, "PALABRE_DEBUG": "maybe"})
    assert result.returncode == 2
    assert "PALABRE_DEBUG must be true or false, not 'maybe'." in result.stderr


def test_deploy_checks_are_clean_with_production_settings(var_dir: dict[str, str]) -> None:
    production = {
        **var_dir,
        "PALABRE_HTTPS": "true",
        "PALABRE_SECRET_KEY": "k2Vq9-Zr8Lw3Pm7Tb1Xn6Hc4Yd0Fs5Gj2Ae8Ru3Ko9Wi1Ql7Mv4Nt6Bp0Cx5Dz",
        "PALABRE_ALLOWED_HOSTS": "participation.namur.be",
        "PALABRE_EMAIL_URL": "smtp://palabre:secret@smtp.namur.be:587?tls=true",
    }
    result = run("manage", "check", "--deploy", "--fail-level", "WARNING", env=production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_demo_is_idempotent_and_backup_restore_round_trips(
    var_dir: dict[str, str], tmp_path: Path
) -> None:
    first = run("demo", env=var_dir)
    assert first.returncode == 0, first.stderr
    assert "coordination@palabre.example" in first.stdout
    second = run("demo", env=var_dir)
    assert second.returncode == 0, second.stderr
    count = (
        "manage",
        "shell",
        "--no-imports",
        "-c",
        "from palabre.neighbourhoods.models import PartnerContact as C; print(C.objects.count())",
    )
    assert run(*count, env=var_dir).stdout.strip() == "6"
    actions = (
        "manage",
        "shell",
        "--no-imports",
        "-c",
        "from palabre.initiatives.models import Initiative as I; "
        "print(sorted(I.objects.values_list('kind', 'status'))); "
        "done = I.objects.get(status='done'); "
        "print(done.photos.count(), done.expenses.count(), bool(done.report), "
        "I.objects.filter(support_requests__department__isnull=False).distinct().count())",
    )
    kinds, done = run(*actions, env=var_dir).stdout.strip().splitlines()
    assert kinds == str(
        [
            ("beautification", "preparation"),
            ("expression_board", "happening"),
            ("other", "paused"),
            ("street_party", "done"),
            ("welcome", "idea"),
        ]
    )
    assert done == "1 1 True 3"  # a permit of each action under way reached its department

    backup = tmp_path / "backup.sqlite3"
    result = run("backup", str(backup), env=var_dir)
    assert result.returncode == 0, result.stderr
    assert run("backup", str(backup), env=var_dir).returncode == 2  # never overwrite a backup

    delete = (
        "manage",
        "shell",
        "--no-imports",
        "-c",
        "from palabre.neighbourhoods.models import PartnerContact as C; C.objects.all().delete()",
    )
    assert run(*delete, env=var_dir).returncode == 0
    assert run(*count, env=var_dir).stdout.strip() == "0"
    restored = run("restore", str(backup), env=var_dir)
    assert restored.returncode == 0, restored.stderr
    assert run(*count, env=var_dir).stdout.strip() == "6"


def test_restore_refuses_a_file_that_is_not_a_palabre_backup(
    var_dir: dict[str, str], tmp_path: Path
) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")
    result = run("restore", str(junk), env=var_dir)
    assert result.returncode == 2
    assert "is damaged or not a Palabre backup" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("pb", "allocate", "{data}/pabulib/Netherlands_Assen_2024.pb", "--rule", "mes", "--json"),
        ("opinions", "analyze", "{data}/polis/london.youth.policing", "--json"),
        (
            "themes",
            "evaluate",
            "--train",
            "{themes}/train.csv",
            "--test",
            "{themes}/test.csv",
            "--json",
        ),
    ],
)
def test_the_engines_work_without_any_database(args: tuple[str, ...], shared_data: Path) -> None:
    from django.conf import settings

    themes = Path(settings.BASE_DIR) / "palabre" / "themes" / "data"
    argv = [a.format(data=shared_data, themes=themes) for a in args]
    # A database URL that cannot even be parsed: the engines must never look at it.
    result = run(*argv, env={"PALABRE_DATABASE_URL": "mysql://nowhere"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("{")
