"""Project options: parsed from the CLI or the API and validated by the kind's options model.

Options arrive as strings from the CLI (``--option key=value``) or as JSON from the API; both are
validated here into one plain dict stored on the project. Each kind's model lives in its
``assets/<kind>/spec.py`` (see :mod:`adloom.assets.registry`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from adloom.assets import registry
from adloom.errors import InvalidOption, bounded_problems

MAX_OPTIONS = 20  # more keys than any kind has: refused before one error per unknown key is built


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """``["length=15", "formats=9:16,1:1"]`` -> a dict; a pair without '=' is an error."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidOption(f"'{pair}' is not key=value.", hint="Example: --option length=15")
        out[key.strip()] = value.strip()
    return out


def validate_options(kind: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validated options for ``kind`` as plain JSON data, or InvalidOption listing each problem."""
    options_model = registry.get(kind).options
    if len(raw) > MAX_OPTIONS:
        raise InvalidOption(f"{len(raw)} options were given; a {kind} project takes at most "
                            f"{len(options_model.model_fields)}.", hint="See 'adloom generate --help'.")
    try:
        model = options_model.model_validate(dict(raw))
    except PydanticValidationError as exc:
        found = [(".".join(str(p) for p in err["loc"]) or "options", err["msg"])
                 for err in exc.errors(include_input=False, include_url=False)]
        problems = "; ".join(f"{loc}: {msg}" for loc, msg in bounded_problems(found))
        raise InvalidOption(f"Invalid {kind} option(s): {problems}.", hint="See 'adloom generate --help'.") from None
    return model.model_dump(mode="json", exclude_none=True)
