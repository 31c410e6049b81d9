"""`python -m pos_exchange` is the `pos-exchange` command. `counter()` is the windowed
launcher `pos-exchange-counter` ([project.gui-scripts]): on Windows it runs under pythonw,
so opening the counter shows no console window."""

from __future__ import annotations

import sys

from pos_exchange.cli import main


def counter() -> int:
    """The counter window, with the options of `pos-exchange` (--db, --demo)."""
    _streams_to_file()
    return main([*sys.argv[1:], "gui"])


def _streams_to_file() -> None:
    """pythonw has no stdout or stderr (they are None): what the command line would print
    (e.g. why the window cannot start) goes to a file beside the log instead."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    from pos_exchange.logs import log_path

    path = log_path().with_name("pos-exchange-console.txt")
    path.parent.mkdir(parents=True, exist_ok=True)
    stream = path.open("a", encoding="utf-8", buffering=1)
    sys.stdout = sys.stdout or stream
    sys.stderr = sys.stderr or stream


if __name__ == "__main__":
    sys.exit(main())
