"""Every asset kind Adloom makes, in the order the dashboard lists them.

Adding a kind: a folder ``assets/<kind>/`` with a ``spec.py`` declaring a
:class:`~adloom.assets.kind.KindSpec`, and one line below. Everything that differs by kind
(options, prices, stage actions, labels, copy models, the generator) is read from the spec.
"""

from __future__ import annotations

from collections.abc import Iterator

from adloom.assets.banner.spec import SPEC as BANNER
from adloom.assets.flyer.spec import SPEC as FLYER
from adloom.assets.jingle.spec import SPEC as JINGLE
from adloom.assets.kind import KindSpec
from adloom.assets.video.spec import SPEC as VIDEO
from adloom.errors import InvalidOption, clip

_SPECS: dict[str, KindSpec] = {}


def register(spec: KindSpec) -> KindSpec:
    """Add (or replace) a kind; returns the spec so a module can register and keep it."""
    _SPECS[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    """Remove a kind (tests that register a toy kind clean up with this)."""
    _SPECS.pop(name, None)


for _spec in (VIDEO, BANNER, FLYER, JINGLE):
    register(_spec)


def kinds() -> tuple[str, ...]:
    """The registered kind names, in dashboard order."""
    return tuple(_SPECS)


def default_kind() -> str:
    """The kind a kind-free request (a campaign's strategy draft) is written as: the first
    registered, whose copy rules are the most general."""
    return next(iter(_SPECS))


def specs() -> Iterator[KindSpec]:
    return iter(tuple(_SPECS.values()))


def find(name: str) -> KindSpec | None:
    return _SPECS.get(name)


def get(name: str) -> KindSpec:
    """The spec of ``name``, or InvalidOption naming the kinds there are."""
    spec = _SPECS.get(name)
    if spec is None:
        raise InvalidOption(f"'{clip(name, 40)}' is not an asset kind; use one of {', '.join(_SPECS)}.")
    return spec


def default_prices() -> dict[str, int]:
    """The price-list entries every kind contributes (settings adds the writer's)."""
    return {action: credits for spec in specs() for action, credits in spec.prices.items()}


def price_labels() -> dict[str, str]:
    return {action: label for spec in specs() for action, label in spec.price_labels.items()}


def kind_labels() -> dict[str, str]:
    return {spec.name: spec.label for spec in specs()}
