"""Shared test set-up: a real sound device for tests marked `audio`.

A PulseAudio null sink is a real sound card as far as PortAudio knows: what is played into
it can be recorded back from its monitor source. The fixture starts PulseAudio when it is not
running (as root, in a container, with no desktop session: the CI case), adds the sink, makes
it the default output and its monitor the default input, and has PortAudio look again.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest

SINK = "dialin_test"


def _pactl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=10,
                          check=False)


def _server_answers() -> bool:
    return _pactl("info").returncode == 0


def _start_pulseaudio() -> None:
    # -n: no default script (it expects a desktop); the native protocol is what clients
    # (pactl, the ALSA "pulse" plugin) connect to. Root needs no --system for a private
    # server; it only warns.
    command = ["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "--disallow-exit",
               "-n", "--load=module-native-protocol-unix"]
    # The daemon keeps the standard streams it is given, and stalls its clients once a pipe
    # of ours is gone: it gets a file for its messages instead.
    with tempfile.TemporaryFile(mode="w+") as messages:
        subprocess.run(command, stdin=subprocess.DEVNULL, stdout=messages, stderr=messages,
                       timeout=30, check=False)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if _server_answers():
                return
            time.sleep(0.1)
        messages.seek(0)
        pytest.fail(f"PulseAudio did not start: {' '.join(command)}: {messages.read()}")


def _sink_loaded() -> bool:
    listing = _pactl("list", "short", "sinks")
    return any(line.split("\t")[1:2] == [SINK] for line in listing.stdout.splitlines())


@pytest.fixture(scope="session")
def null_sink() -> Iterator[str]:
    """The name of a PulseAudio null sink that is the default output (its monitor, the
    default input) for the whole test session."""
    for program in ("pulseaudio", "pactl"):
        if shutil.which(program) is None:
            pytest.fail(f"{program} is missing: run scripts/setup (Debian pulseaudio, "
                        "pulseaudio-utils)")
    started = False
    if not _server_answers():
        _start_pulseaudio()
        started = True
    module_id = None
    if not _sink_loaded():
        loaded = _pactl("load-module", "module-null-sink", f"sink_name={SINK}",
                        "rate=48000", f"sink_properties=device.description={SINK}")
        if loaded.returncode != 0:
            pytest.fail(f"cannot load the null sink: {loaded.stderr.strip()}")
        module_id = loaded.stdout.strip()
    for args in (("set-default-sink", SINK), ("set-default-source", f"{SINK}.monitor")):
        result = _pactl(*args)
        if result.returncode != 0:
            pytest.fail(f"pactl {' '.join(args)} failed: {result.stderr.strip()}")

    from assistant.audio.devices import rescan

    rescan()
    yield SINK
    if module_id is not None:
        _pactl("unload-module", module_id)
    if started:
        subprocess.run(["pulseaudio", "--kill"], capture_output=True, timeout=10, check=False)
    rescan()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every test marked `audio` the null sink."""
    for item in items:
        if item.get_closest_marker("audio") and isinstance(item, pytest.Function):
            item.fixturenames.append("null_sink")
