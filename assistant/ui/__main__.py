"""`python -m assistant.ui`: the kiosk, as `dialin serve` starts it for each browser."""

from __future__ import annotations

from assistant.ui.app import run_kiosk

if __name__ == "__main__":
    raise SystemExit(run_kiosk())
