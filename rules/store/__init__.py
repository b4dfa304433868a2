"""Storage of calendars and rules (SQLAlchemy rows, repository) and the stored-rule value."""

from .domain import StoredRule

__all__ = ["StoredRule"]
