"""Word lists of the grammar, read once from the TOML files in ``rules/data``."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The parsed TOML word list ``rules/data/<name>.toml``."""
    with resources.files("rules.data").joinpath(f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def words(name: str, key: str) -> list[str]:
    """A list of words from a word list, longest first (so alternations prefer the longest)."""
    return sorted(load(name)[key], key=len, reverse=True)


def alternation(items: list[str] | dict[str, Any]) -> str:
    """A regex alternation of the given words, longest first, escaped."""
    import re

    return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))
