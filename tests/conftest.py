"""Shared fixtures: one loaded extractor per test session, the seed texts."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def extractor():
    from quotes import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(autouse=True)
def _quiet_scanner():
    """The scanner logs a warning per repaired mark; in generated and huge texts
    thousands of them only cost time."""
    import logging

    logger = logging.getLogger("quotes.marks")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)
