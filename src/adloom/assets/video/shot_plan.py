"""Which shot each scene of a video is (issue 19): a number counter where the line has a
number, a split screen where the angle compares the old way with the new (or the style is
before/after), an icon where a scene has no product picture and its words name something an
icon can show; the renderer's own choice ("auto") otherwise.

Nothing is invented: a counter needs a number in the line, an icon a keyword in the scene's
words or the product's category.
"""

from __future__ import annotations

from adloom.assets.video.models import Scene
from adloom.render.icons import choose_icon
from adloom.render.numbers import has_number
from adloom.writer.context import CopyContext

SPLIT_ANGLES = frozenset({"old_way"})
SPLIT_STYLES = frozenset({"before_after"})
ICON_ANGLES = frozenset({"reasons", "demo", "problem_fix", "myth_fact"})  # icons on every type card


def plan_shots(ctx: CopyContext, scenes: list[Scene], angle: str | None) -> list[Scene]:
    """``scenes`` with their ``shot`` (and ``icon``) set."""
    split_at = _split_index(scenes) if angle in SPLIT_ANGLES or ctx.style in SPLIT_STYLES else -1
    out: list[Scene] = []
    previous: object = None  # the icon of the scene before: never the same one twice running
    for index, scene in enumerate(scenes):
        update: dict[str, object] = {"shot": "auto"}
        if index == len(scenes) - 1:
            update = {"shot": "type"}  # the end card is its own layout
        elif has_number(scene.on_screen_text):
            update = {"shot": "counter"}
        elif index == split_at:
            # without a photo the halves are panels that carry an icon: the product's own
            update = {"shot": "split", "icon": choose_icon(
                scene.on_screen_text, scene.voiceover, ctx.category, ctx.description),
                "product": scene.product if scene.product != "none" else "inset"}
        elif scene.product == "none":
            icon = _icon(ctx, scene, angle)
            if icon is not None and icon != previous:
                update = {"shot": "icon", "icon": icon}
        previous = update.get("icon")
        out.append(scene.model_copy(update=update))
    return out


def _split_index(scenes: list[Scene]) -> int:
    """The scene where the new way arrives: the first after the hook that shows the product
    (and has no number to count), else the second scene; never the end card."""
    middle = range(1, len(scenes) - 1)
    for index in middle:
        if scenes[index].product != "none" and not has_number(scenes[index].on_screen_text):
            return index
    return 1 if len(scenes) > 2 else -1


def _icon(ctx: CopyContext, scene: Scene, angle: str | None) -> str | None:
    """By the line on screen; the spoken line and the product's category only for the angles
    that put an icon on every type card (a hook on a person's moment is better left to type)."""
    own = choose_icon(scene.on_screen_text)
    if own is not None or angle not in ICON_ANGLES:
        return own
    return choose_icon(scene.voiceover, ctx.category)
