"""Fixtures of the speech tests: one speech maker and one loaded recogniser per language
for the whole session (synthesis and model loading are the slow parts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.dialog.packs import LanguagePack, load_packs
from assistant.speech.recognizer import Recognizer, open_recognizer
from tests.speechgen import SpeechMaker

TESTDATA = Path("/usr/share/pocketsphinx/test/data")
"""Recorded human speech from Debian's pocketsphinx-testdata."""


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> SpeechMaker:
    return SpeechMaker(tmp_path_factory.mktemp("speech"))


@pytest.fixture(scope="session")
def packs() -> dict[str, LanguagePack]:
    return load_packs()


@pytest.fixture(scope="session")
def english() -> Recognizer:
    return open_recognizer("en", "pocketsphinx")


@pytest.fixture(scope="session")
def korean() -> Recognizer:
    return open_recognizer("ko", "vosk")


@pytest.fixture(scope="session")
def testdata() -> Path:
    if not (TESTDATA / "goforward.raw").is_file():
        pytest.fail("pocketsphinx-testdata is not installed (scripts/setup installs it)")
    return TESTDATA
