"""The `dialin` command: the kiosk by default, and one subcommand per channel or tool."""

from __future__ import annotations

from pathlib import Path

import typer

from assistant.signals.commands import dtmf_command, tty_command

app = typer.Typer(
    name="dialin",
    help="Dialin: the billing line by voice, keypad, text and TTY, with captions.",
    no_args_is_help=False,
    add_completion=False,
)


@app.callback(invoke_without_command=True)
def _default(ctx: typer.Context) -> None:
    """With no subcommand, open the kiosk on the demo data."""
    if ctx.invoked_subcommand is None:
        from assistant.ui.app import run_kiosk

        raise typer.Exit(run_kiosk())


@app.command()
def serve(
    host: str = typer.Option("localhost", help="Address to listen on (this machine only "
                             "unless told otherwise)."),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port to listen on."),
    db: Path | None = typer.Option(None, help="SQLite file (default: the demo database)."),
    max_calls: int = typer.Option(16, min=1, help="Calls served at once; the next caller "
                                  "hears that the lines are busy."),
    terminal: bool = typer.Option(False, "--terminal", help="Serve the Textual kiosk drawn "
                                  "in the browser instead (one kiosk process per tab)."),
) -> None:
    """The billing line as an accessible web page: chat with the menu, keypad and captions."""
    if terminal:
        from assistant.ui.serve import serve_kiosk

        raise typer.Exit(serve_kiosk(host=host, port=port))
    from assistant.web.server import serve_web

    raise typer.Exit(serve_web(host=host, port=port, db=db, max_calls=max_calls,
                               announce=typer.echo))


@app.command()
def chat(
    lang: str | None = typer.Option(None, help="Language code (en, es, ko); asked if not given."),
    tty_style: bool = typer.Option(False, "--tty-style", help="Upper case, GA and SK, as a TTY."),
    db: Path | None = typer.Option(None, help="SQLite file (default: the demo database)."),
) -> None:
    """The whole menu as lines on stdin and stdout: screen readers, terminals, scripts."""
    from assistant.channels.chat import run_chat

    raise typer.Exit(run_chat(lang=lang, tty_style=tty_style, db=db))


@app.command()
def audit(
    out: Path = typer.Option(Path("audit-report"), "-o", "--out",
                             help="Folder for report.html and report.json."),
    lang_dir: Path | None = typer.Option(None, help="Language packs to audit (default: shipped)."),
    menus: Path | None = typer.Option(None, help="Keypad layout to audit (default: shipped)."),
    themes: list[Path] = typer.Option([], "--themes", help="Kiosk theme files (default: shipped)."),
    check: list[str] = typer.Option([], "--check", help="Run only these checks (repeatable)."),
    jobs: int | None = typer.Option(None, min=1, help="Worker processes (default: one per core)."),
) -> None:
    """The accessibility audit report, from the running system; exit 1 if a check fails."""
    from assistant.audit.cli import run_audit_command

    raise typer.Exit(run_audit_command(out, lang_dir, menus, tuple(themes), tuple(check), jobs))


@app.command()
def call(
    turn: list[Path] = typer.Option(..., "--turn", help="The caller's audio for one turn "
                                    "(speech, DTMF or TTY tones); repeat, in order."),
    out: Path = typer.Option(..., "--out", help="Folder for transcript.jsonl, captions.vtt, "
                             "captions.srt and assistant.wav."),
    lang: str | None = typer.Option(None, help="Language code (en, es, ko); offered if not given."),
    db: Path | None = typer.Option(None, help="SQLite file (default: a fresh copy of the demo "
                                   "data)."),
) -> None:
    """One simulated call from audio files: every turn answered in order, both sides recorded."""
    from assistant.channels.call import CallError, run_call

    try:
        result = run_call(turn, out, lang=lang, db=db)
    except CallError as error:
        typer.echo(f"dialin call: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"{len(result.turns)} turns, {result.duration_s:.1f} s; written to {out}")


@app.command()
def voice(
    lang: str | None = typer.Option(None, help="Language code (en, es, ko); offered if not given."),
    input_device: str | None = typer.Option(None, help="Microphone: number or name "
                                            "(see `dialin devices`)."),
    output_device: str | None = typer.Option(None, help="Speaker: number or name."),
    db: Path | None = typer.Option(None, help="SQLite file (default: the demo database)."),
    transcript: Path | None = typer.Option(None, help="Also write the call's transcript "
                                           "(JSON Lines) here."),
) -> None:
    """The headless voice loop: speak, listen, keys and TTY on the sound devices; live
    captions of both sides on stdout. Exit 1: no sound device; 2: no speech model."""
    from assistant.channels.voice import run_voice

    raise typer.Exit(run_voice(lang=lang, input_device=input_device,
                               output_device=output_device, db=db, transcript=transcript))


@app.command()
def devices() -> None:
    """The sound devices PortAudio can use, with their numbers for --input/--output-device."""
    from assistant.audio.devices import DeviceError, describe, list_devices

    try:
        found = list_devices()
    except DeviceError as error:
        typer.echo(f"dialin devices: {error}", err=True)
        raise typer.Exit(1) from error
    if not found:
        typer.echo("No sound devices. Connect one, or start a sound server (PulseAudio).")
        raise typer.Exit(1)
    for device in found:
        typer.echo(describe(device))


@app.command()
def listen(
    files: list[Path] = typer.Argument(..., help="Sound files, any rate and channel count."),
    lang: str = typer.Option("en", help="Language code (en, es, ko)."),
    menu: str = typer.Option("main", help="Menu state whose grammar to listen with: main, "
                             "more, yes_no, digits, amount, text, language."),
    engine: str = typer.Option("auto", help="auto, vosk or pocketsphinx."),
    model: Path | None = typer.Option(None, help="A Vosk model folder to use."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per file per line."),
) -> None:
    """Recognise each file as one caller turn: text, intent, confidence, timing.
    Exit 1: a file could not be read; 2: no speech model for the language."""
    import json

    from assistant.audio.wavfile import AudioFileError
    from assistant.dialog.menus import expectation_for
    from assistant.speech.models import ModelNotFound
    from assistant.speech.recognizer import RecognizerError, listen_file, open_recognizer

    try:
        expect = expectation_for(menu)
        recognizer = open_recognizer(lang, engine, model)
    except (ModelNotFound, RecognizerError, LookupError, ValueError) as error:
        typer.echo(f"dialin listen: {error}", err=True)
        raise typer.Exit(2 if isinstance(error, ModelNotFound) else 1) from error
    failed = False
    for path in files:
        try:
            result = listen_file(recognizer, path, expect, recognizer.pack)
        except AudioFileError as error:
            typer.echo(f"dialin listen: {error}", err=True)
            failed = True
            continue
        if as_json:
            typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            heard = f"{result.text!r} -> {result.intent or '(no intent)'}" if result.text \
                else "(nothing recognised)"
            typer.echo(f"{result.file}: {heard}  confidence {result.confidence:.2f}, "
                       f"{result.engine}, {result.audio_s:.2f} s of audio in "
                       f"{result.decode_s:.2f} s")
    raise typer.Exit(1 if failed else 0)


models_app = typer.Typer(help="Speech models: which are installed, do they work, get one.")
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list() -> None:
    """Every installed speech model: engine, language, size and where it is."""
    from assistant.speech.models import KNOWN_LANGUAGES, install_hint, installed_models

    found = installed_models()
    for info in found:
        typer.echo(f"{info.engine:13} {info.lang:3} {info.size_bytes / 1e6:7.1f} MB  "
                   f"{info.path}  ({info.source})")
    for lang in KNOWN_LANGUAGES:
        if not any(info.lang == lang for info in found):
            typer.echo(f"{'-':13} {lang:3} no model. {install_hint(lang)}")


@models_app.command("verify")
def models_verify() -> None:
    """Load each installed model and decode a little audio with it; exit 1 if one fails."""
    from assistant.speech.models import installed_models, verify_model

    results = [verify_model(info) for info in installed_models()]
    for result in results:
        typer.echo(f"{'ok  ' if result.ok else 'FAIL'} {result.model.engine:13} "
                   f"{result.model.lang:3} {result.detail}")
    raise typer.Exit(0 if results and all(r.ok for r in results) else 1)


@models_app.command("fetch")
def models_fetch(
    lang: str = typer.Argument(..., help="Language code (en, es)."),
    url: str | None = typer.Option(None, help="Download from here instead (a mirror)."),
    sha256: str | None = typer.Option(None, help="The archive's expected SHA-256."),
    timeout: float = typer.Option(10.0, min=0.1, help="Seconds to wait for the network."),
) -> None:
    """Download an official Vosk model into the user's models folder (needs a network)."""
    from assistant.speech.models import FetchError, fetch_model

    try:
        info, digest = fetch_model(lang, url=url, sha256=sha256, timeout_s=timeout)
    except FetchError as error:
        typer.echo(f"dialin models fetch: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"installed {info.lang} model in {info.path} (sha256 {digest})")


app.command("dtmf")(dtmf_command)
app.command("tty")(tty_command)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
