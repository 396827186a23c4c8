"""Issue 18 on the rendered flyer: its eyebrow badge and QR caption claim only what the brief
says ("NEW", "LIMITED OFFER", "Scan to see it live" appeared on briefs with no launch, no limit
and no event)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adloom.assets.base import JobContext
from adloom.assets.flyer.content import flyer_copy
from adloom.assets.flyer.models import parse_script
from conftest import make_product

SCRIPT: dict[str, Any] = {
    "kind": "flyer",
    "headline": "Seven seats, no petrol station",
    "subhead": "Kestrel E5: seven seats, no petrol station.",
    "body": ["Eight-year battery warranty.", "450 km of range.", "Price: from £36,995."],
    "cta": "Book a test drive",
}


def copy_for(make_flyer_ctx: Callable[..., JobContext], family: str, **product: Any) -> Any:
    fields = {"name": "Kestrel E5", "offer": None, **product}
    ctx = make_flyer_ctx(script=SCRIPT, product=make_product(**fields))
    return flyer_copy(ctx, parse_script(SCRIPT), family)  # type: ignore[arg-type]


def test_no_new_badge_without_a_launch_in_the_brief(
    make_flyer_ctx: Callable[..., JobContext],
) -> None:
    plain = copy_for(make_flyer_ctx, "launch", description="A compact electric SUV.")
    assert plain.eyebrow != "New"
    assert "live" not in plain.qr_caption.lower()
    launched = copy_for(make_flyer_ctx, "launch", description="The new compact electric SUV.")
    assert launched.eyebrow == "New"


def test_limited_offer_only_when_the_offer_has_a_limit(
    make_flyer_ctx: Callable[..., JobContext],
) -> None:
    open_ended = copy_for(make_flyer_ctx, "offer", offer="Free wallbox with every order")
    assert open_ended.eyebrow == "Special offer"
    dated = copy_for(make_flyer_ctx, "offer", offer="Free wallbox until 30 April")
    assert dated.eyebrow == "Limited offer"
