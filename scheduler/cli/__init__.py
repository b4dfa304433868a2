"""The ``richeng`` command line (typer). Commands live in ``cmd_*.py`` modules, found at start."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``richeng`` console script."""
    from .app import build_app

    app = build_app()
    app(args=argv, prog_name="richeng")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
