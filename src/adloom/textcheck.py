"""Text that the database can store: no NUL characters.

PostgreSQL refuses a NUL (``\\x00``) in any text or JSON value with a raw ``DataError``; SQLite
stores it and truncates it in some readers. Every model that accepts user text refuses NUL up
front, naming the field, so both databases answer the same clear 422.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, field_validator

NUL_MESSAGE = "contains a NUL character (\\0), which cannot be stored; remove it"


def has_nul(value: Any) -> bool:
    """Whether a NUL hides in ``value`` (a string, or strings inside lists and mappings)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def refuse_nul(value: Any) -> Any:
    """A pydantic validator body: ``value`` unchanged, or ValueError naming no input."""
    if has_nul(value):
        raise ValueError(NUL_MESSAGE)
    return value


class NulFree(BaseModel):
    """Base for input models: every field refuses NUL (nested models check their own fields, so
    the error names the innermost field)."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        return refuse_nul(value)
