"""Fixtures for the participatory-budgeting tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def pabulib_dir(shared_data: Path) -> Path:
    """Return the folder of reference pabulib elections."""
    return shared_data / "pabulib"


@pytest.fixture(scope="session")
def pb_files(pabulib_dir: Path) -> list[Path]:
    """Return every reference .pb file."""
    files = sorted(pabulib_dir.glob("*.pb"))
    assert len(files) == 8
    return files
