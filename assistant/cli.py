"""The `dialin` command: the kiosk by default, and one subcommand per channel or tool."""

from __future__ import annotations

from pathlib import Path

import typer

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
        from assistant.channels.chat import run_chat

        raise typer.Exit(run_chat(lang=None, tty_style=False, db=None))


@app.command()
def chat(
    lang: str | None = typer.Option(None, help="Language code (en, es, ko); asked if not given."),
    tty_style: bool = typer.Option(False, "--tty-style", help="Upper case, GA and SK, as a TTY."),
    db: Path | None = typer.Option(None, help="SQLite file (default: the demo database)."),
) -> None:
    """The whole menu as lines on stdin and stdout: screen readers, terminals, scripts."""
    from assistant.channels.chat import run_chat

    raise typer.Exit(run_chat(lang=lang, tty_style=tty_style, db=db))


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
