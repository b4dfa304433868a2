"""Settings from the command line and the environment (the only module that reads os.environ)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .clock import DEFAULT_TZ

TIME_ENV = {
    "morning": "RICHENG_TIME_MORNING",
    "early": "RICHENG_TIME_EARLY",
    "noon": "RICHENG_TIME_NOON",
    "afternoon": "RICHENG_TIME_AFTERNOON",
    "dusk": "RICHENG_TIME_DUSK",
    "evening": "RICHENG_TIME_EVENING",
    "night": "RICHENG_TIME_NIGHT",
}


def data_dir() -> Path:
    """Where richeng keeps its files (RICHENG_HOME, else the platform's user data directory)."""
    home = os.environ.get("RICHENG_HOME")
    if home:
        return Path(home)
    import platformdirs

    return Path(platformdirs.user_data_dir("richeng", appauthor=False))


def default_db_url() -> str:
    """RICHENG_DATABASE_URL, else an SQLite file in the data directory."""
    url = os.environ.get("RICHENG_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'richeng.sqlite3'}"


def default_times() -> dict[str, str]:
    """Clock times for 上午/下午/晚上… said without a time, from RICHENG_TIME_* (HH:MM)."""
    return {key: os.environ[env] for key, env in TIME_ENV.items() if os.environ.get(env)}


@dataclass
class Settings:
    """What every command may need: the database URL (resolved lazily) and defaults."""

    db: str | None = None
    tz: str = field(default_factory=lambda: os.environ.get("RICHENG_TZ", DEFAULT_TZ))
    attachment_max: str | None = field(default_factory=lambda: os.environ.get("RICHENG_ATTACHMENT_MAX"))

    @property
    def db_url(self) -> str:
        return self.db or default_db_url()
