"""Issue 21, "done when": the wheel, installed (not editable) in a new virtual environment away
from the source tree, loads the demo into a new database and serves the home page, its static
files and a flyer PDF in Dutch.

The new environment gets Palabre only from the wheel; its third-party dependencies are the test
environment's own, read through a path file (installing numpy, scipy and WeasyPrint again would
take minutes and prove nothing about Palabre's package). Editable-install hooks are .pth files,
which Python reads only in site directories, so the source tree stays invisible: the test checks
that every Palabre module comes from the new environment.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import time
import venv
import zipfile
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings

from palabre.demo.loader import DEMO_PASSWORD
from tests.live_servers import Browser, Server, clean_environment, free_port

pytestmark = pytest.mark.skipif(
    settings.IS_POSTGRES, reason="serves its own SQLite database: once, in the SQLite run"
)
SOURCE = Path(settings.BASE_DIR)
NOT_SHIPPED = shutil.ignore_patterns(
    ".git", ".venv", "var", "mutants", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
)


def _build_wheel(folder: Path) -> Path:
    """Build the wheel from a copy of the tree (a build in place would leave build/ behind)."""
    tree = folder / "source"
    shutil.copytree(SOURCE, tree, ignore=NOT_SHIPPED)
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"),
            *("--no-build-isolation", "--wheel-dir", str(folder / "dist"), str(tree)),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shutil.rmtree(tree)
    (wheel,) = (folder / "dist").glob("palabre-*.whl")
    return wheel


def _new_environment(folder: Path, wheel: Path) -> Path:
    environment = folder / "env"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "--python", str(python)),
            *("install", "--quiet", "--no-deps", str(wheel)),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    site_packages = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dependencies = sysconfig.get_path("purelib")
    (Path(site_packages) / "test_dependencies.pth").write_text(f"{dependencies}\n")
    return environment


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    folder = tmp_path_factory.mktemp("wheel")
    wheel = _build_wheel(folder)
    environment = _new_environment(folder, wheel)
    work = folder / "city"  # where the city's IT runs it: its data goes to ./var
    work.mkdir()
    port = free_port()
    server = Server(
        "installed",
        str(environment / "bin" / "palabre"),
        port,
        clean_environment(
            PALABRE_BIND=f"127.0.0.1:{port}",
            PALABRE_SITE_URL=f"http://127.0.0.1:{port}",
            PALABRE_WORKERS="1",
            PALABRE_TASK_WORKER="false",
        ),
        cwd=work,
    )
    try:
        yield server, wheel
    finally:
        server.stop()


def test_the_wheel_holds_templates_static_files_and_translations_but_no_tests(
    installed: tuple[Server, Path],
) -> None:
    _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "palabre/templates/base.html",
        "palabre/static/css/palabre.css",
        "palabre/static/vendor/htmx-2.0.8/htmx.min.js",
        "palabre/locale/nl/LC_MESSAGES/django.mo",
        "palabre/workshops/templates/workshops/print/invitation.html",
        "palabre/themes/data/train.csv",
        "palabre/demo/loader.py",
        "config/settings.py",
    ):
        assert shipped in names, shipped
    assert not [name for name in names if "/tests/" in name or name.endswith(".po")]


def test_the_installed_wheel_loads_the_demo_and_serves_pages_and_a_flyer(
    installed: tuple[Server, Path],
) -> None:
    server, wheel = installed
    version = server.run("--version")
    assert version.stdout == f"palabre {wheel.name.split('-')[1]}\n"
    where = server.run(
        "manage", "shell", "--no-imports", "-c", "import palabre, config; "
        "print(palabre.__file__); print(config.__file__)"
    )  # fmt: skip
    assert where.returncode == 0, where.stderr
    environment = Path(server.command).parent.parent
    for module in where.stdout.split():
        assert Path(module).is_relative_to(environment), module

    demo = server.run("demo")
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert server.cwd is not None
    assert (server.cwd / "var" / "palabre.sqlite3").is_file()  # the data stays in ./var

    server.start(log=server.cwd / "serve.log")
    server.wait_until_up(time.monotonic() + 90)
    browser = Browser(server.url)
    home = unescape(browser.get("/"))
    assert "Bomel" in home
    stylesheet = re.search(r'href="(/static/css/palabre\.[0-9a-f]+\.css)"', home)
    assert stylesheet is not None, "collectstatic's hashed stylesheet"
    css, content_type = browser.fetch(stylesheet.group(1))
    assert content_type.startswith("text/css")
    assert b"{" in css

    browser.sign_in("coordination@palabre.example", DEMO_PASSWORD)
    workshop = server.run(
        "manage", "shell", "--no-imports", "-c",
        "from palabre.workshops.models import Workshop; "
        "print(Workshop.objects.filter(neighbourhood__slug='bomel').order_by('pk').first().pk)",
    )  # fmt: skip
    pdf, content_type = browser.fetch(f"/ateliers/{workshop.stdout.strip()}/textes/apercu-nl.pdf")
    assert content_type == "application/pdf"
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 10_000  # fonts, the QR code and the city's logo are in
