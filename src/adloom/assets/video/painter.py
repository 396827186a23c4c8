"""Drawing one scene of a video ad, frame by frame, with skia.

A :class:`ScenePainter` prepares everything static once (background, product card or cutout
with its shadow, fitted headline, caption cues) and then draws frame ``k`` of its scene into any
canvas: the motion (push/pan/parallax), the word-by-word headline entrance, the CTA pop, the
burned-in captions with the spoken word highlighted, and the scene's transitions.

Transitions are self-contained so each scene's clip can be cached on its own: a scene leaves
through a brand-colour panel/dip and the next one enters from the same colour, so the cut
between two clips falls on identical frames.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np
import skia

from adloom.providers.tts import WordTiming
from adloom.render.design import Palette, contrast_ratio, mix, parse_hex
from adloom.render.framing import subject_crop
from adloom.render.layout import Box, contain
from adloom.render.text import (
    FittedText,
    draw_shaped,
    fit_text,
    font_face,
    make_font,
    measure,
    shape,
    text_path,
)

from .captions import CaptionCue, group_words
from .encode import FPS
from .endcard import EndCardCopy, end_card_boxes, end_card_copy
from .look import Look
from .motifs import (
    SplitParts,
    attach_units,
    count_progress,
    counting_text,
    draw_icon,
    icon_box,
    icon_settles_at,
    number_spans,
    scene_icon,
    scene_shot,
    split_card,
)
from .plan import ScenePlan, VideoFormat
from .shots import BEAT, detail_crop, shot_starts
from .treatments import treatment

Rect = tuple[int, int, int, int]  # left, top, right, bottom in whole pixels

ENTER_FRAMES = 8
EXIT_FRAMES = 6
MAX_PHOTO_UPSCALE = 1.4  # a 600-px photo is never shown wider than 840 px
MAX_CUTOUT_UPSCALE = 1.6
HEADLINE_DELAY = -0.1  # the first word is already rising on a scene's first frame
DIP_HEADLINE_DELAY = -0.3  # further along when the scene enters through a colour dip
MAX_DIP = 0.5  # a transition's colour never covers more than this much of the frame
BAND = 0.42  # width of a slide/wipe band, as a share of the frame
WORD_STAGGER = 0.07
WORD_RISE = 0.45
JUMP_SCALE = 0.9  # the type's scale in every other shot of a scene without a picture


def headline_settles_at(text: str) -> float:
    """Seconds into a scene when the last word of its headline has finished rising."""
    return HEADLINE_DELAY + max(0, len(text.split()) - 1) * WORD_STAGGER + WORD_RISE


def argb(color: str, alpha: float = 1.0) -> int:
    value = color.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return int(skia.ColorSetARGB(round(255 * max(0.0, min(1.0, alpha))), r, g, b))


def clamp01(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def ease_out(p: float) -> float:
    p = clamp01(p)
    return 1 - (1 - p) ** 3


def ease_in_out(p: float) -> float:
    p = clamp01(p)
    return 3 * p * p - 2 * p * p * p


def ease_out_back(p: float) -> float:
    p = clamp01(p)
    c = 1.7
    return 1 + (c + 1) * (p - 1) ** 3 + c * (p - 1) ** 2


@dataclass(frozen=True)
class SceneLayout:
    headline: Box
    media: Box | None
    captions: Box
    logo: Box | None = None
    cta: Box | None = None
    name: Box | None = None  # end card: the brand's name
    offer: Box | None = None
    url: Box | None = None


def scene_layout(scene: ScenePlan, fmt: VideoFormat,
                 card: EndCardCopy | None = None) -> SceneLayout:
    """Where things go. Text, captions and CTA always sit inside the platform safe zone.

    ``card`` (end cards) says which sign-off lines exist; without it the card is laid out
    with a logo, the scene's line and the CTA."""
    safe = fmt.safe_zone()
    u = fmt.unit
    wide = fmt.width / fmt.height > 1.2
    if scene.is_end_card:
        card = card or EndCardCopy("", scene.text, None, None, "", True)
        b = end_card_boxes(card, fmt, with_product=scene.product != "none")
        return SceneLayout(b.headline, b.media, b.captions, b.logo, b.cta, b.name, b.offer, b.url)
    if wide:
        text_col = Box(safe.x, safe.y, safe.w * 0.52, safe.h)
        head = Box(text_col.x, text_col.y, text_col.w, text_col.h * 0.62)
        caps = Box(text_col.x, text_col.bottom - text_col.h * 0.3, text_col.w, text_col.h * 0.3)
        # clear of the captions' pill and of a pan's reach (40 u each)
        media = Box(
            safe.x + safe.w * 0.6,
            fmt.height * 0.1,
            safe.right - safe.x - safe.w * 0.6,
            fmt.height * 0.8,
        )
        return SceneLayout(head, None if scene.product == "none" else media, caps)
    caps = Box(safe.x, safe.bottom - safe.h * 0.15, safe.w, safe.h * 0.15)
    if scene.product == "none":
        head = Box(safe.x, safe.y + safe.h * 0.1, safe.w, safe.h * 0.62)
        return SceneLayout(head, None, caps)
    head = Box(safe.x, safe.y, safe.w, safe.h * 0.27)
    top = head.bottom + 50 * u
    # the product ends above the captions' pill, with room for its rise (60 u) and push-in
    # (inside the slot's 4 % inset): captions never sit on the product
    bottom = caps.y - 30 * u - 70 * u
    media = Box(40 * u, top, fmt.width - 80 * u, bottom - top)
    if scene.product == "corner":
        head = Box(safe.x, safe.y, safe.w, safe.h * 0.4)
        side = min(safe.w * 0.78, (caps.y - head.bottom - 140 * u) / 0.72)
        media = Box(safe.right - side, head.bottom + 40 * u, side, side * 0.72)
    return SceneLayout(head, media, caps)


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def _light_bottom(pal: Palette) -> str:
    """The lower end of a light scene's gradient: towards the secondary colour while the text
    keeps AA contrast on it, else only a hint of it (a dark secondary colour)."""
    deep = mix(pal.background, pal.secondary, 0.9)
    if contrast_ratio(pal.text, deep) >= 4.5:
        return deep
    return mix(pal.background, pal.secondary, 0.12)


@dataclass(frozen=True)
class _Word:
    text: str
    x: float
    baseline: float
    index: int


def _bgra(image: skia.Image) -> np.ndarray:
    """An image's pixels as BGRA premultiplied (the canvas's own layout)."""
    return np.asarray(image.toarray(colorType=skia.kBGRA_8888_ColorType,
                                    alphaType=skia.kPremul_AlphaType))


def _cue_state(cue: CaptionCue, t: float) -> tuple[float, float, tuple[bool, ...]]:
    """A caption cue at ``t``: its start, its pop-in scale and which words are being spoken."""
    pop = 0.9 + 0.1 * ease_out((t - cue.start + 0.05) / 0.15)
    return cue.start, pop, tuple(w.start - 0.03 <= t < w.end + 0.08 for w in cue.words)


class ScenePainter:
    """Draws frame ``k`` (0-based, inside the scene) of one scene in one format."""

    over_footage = False  # a subclass that draws over the user's clip: no icon disc or split

    def __init__(
        self, scene: ScenePlan, fmt: VideoFormat, look: Look, words: Sequence[WordTiming]
    ) -> None:
        if (scene.product != "none" and scene.shot != "split"
                and look.photo is None and look.cutout is None):
            # no picture to show: a type scene (an end card stacks its lines without a gap)
            scene = replace(scene, product="none")
        self.scene, self.fmt, self.look = scene, fmt, look
        self.u = fmt.unit
        spec = look.spec
        self.card = end_card_copy(
            scene_text=scene.text, cta=spec.cta, brand_name=spec.brand_name,
            product_name=spec.product_name, offer=spec.offer, url=spec.url,
            has_logo=look.logo is not None, tagline=spec.tagline,
        ) if scene.is_end_card else None
        self.treatment = treatment(look.spec.treatment)
        # a scene entering through a dip shows its first words at once: the dip is its entrance
        self.headline_delay = (DIP_HEADLINE_DELAY if scene.transition_in in ("crossfade", "zoom")
                               else HEADLINE_DELAY)
        self.layout = scene_layout(scene, fmt, self.card)
        self.shot, self.icon, self.icon_box = self._plan_shot()
        self.dark = self.treatment.scene_is_dark(scene.index, scene.is_end_card)
        pal = look.palette
        self.bg_top = look.dark if self.dark else pal.background
        self.bg_bottom = (
            mix(look.dark, "#000000", 0.25) if self.dark else _light_bottom(pal)
        )
        self.ink = pal.text_for(self.bg_top) if self.dark else pal.text
        self.background = self._background()
        self.background_bgra = _bgra(self.background)
        self.media_crop: Box | None = None  # the part of the photo shown (None: all of it)
        self.media, self.media_box = self._media()
        self.media_bgra = None if self.media is None else _bgra(self.media)
        self.shots = shot_starts(scene.duration)
        self._shot_frames = {round(start * FPS) for start in self.shots}
        self.shot_media = self._shot_media()
        self._patch: np.ndarray | None = None
        self._fill: tuple[np.ndarray, str] | None = None
        self._paths: dict[tuple[str, float, int], skia.Path | None] = {}
        self.logo_badge = self._logo_badge()
        self.headline = self._fit_headline()
        self.signoff = self._fit_signoff()
        self.headline_words = self._headline_words()
        self.cues = group_words(words)
        self.caption_size = self._caption_size()
        self.cta_text = look.spec.cta
        self._t = 0.0

    # ------------------------------------------------------------------ preparation

    def _plan_shot(self) -> tuple[str, str | None, Box | None]:
        """The scene's shot (see motifs.scene_shot), its icon and where the icon goes. An icon
        needs a scene without a product picture (its line moves down to make room); a split
        needs the product's slot."""
        scene = self.scene
        shot = scene_shot(scene.shot, scene.text, scene.product, scene.is_end_card)
        if shot == "split" and self.layout.media is None:
            shot = "icon"
        if shot == "type" and scene.shot == "auto" and self.layout.media is None:
            shot = "icon"  # the renderer's own choice: an icon when the words name one
        if self.over_footage and shot in {"icon", "split"}:
            # the user's footage is the scene's picture: a disc or a split would cover its subject
            return scene_shot("auto", scene.text, scene.product, False), None, None
        if shot != "icon":
            return shot, None, None
        # the writer's direction may name an icon's subject; the renderer's own choice reads
        # only what is said and shown, so an icon never comes from a stray word
        words = (scene.text, scene.visual) if scene.shot == "icon" else (scene.text,)
        icon = scene_icon(scene.icon, *words)
        if icon is None or self.layout.media is not None:
            return scene_shot("auto", scene.text, scene.product, False), None, None
        box, head = icon_box(self.fmt.safe_zone(), self.fmt.width, self.fmt.height,
                             self.treatment.align)
        self.layout = replace(self.layout, headline=head)
        return shot, icon, box

    def _background(self) -> skia.Image:
        surface = skia.Surface(self.fmt.width, self.fmt.height)
        canvas = surface.getCanvas()
        shader = skia.GradientShader.MakeLinear(
            [skia.Point(0, 0), skia.Point(self.fmt.width * 0.3, self.fmt.height)],
            [argb(self.bg_top), argb(self.bg_bottom)],
        )
        canvas.drawPaint(skia.Paint(Shader=shader, Dither=True))
        # baked in: the moving layers are the product and the type
        self._backdrop(canvas, self.treatment.backdrop)
        if self.scene.product == "none" and not self.scene.is_end_card:
            self._brand_field(canvas)
        return surface.makeImageSnapshot()

    def _brand_field(self, canvas: skia.Canvas) -> None:
        """Tall frames without a picture: the lower part (below the captions, where platforms
        overlay their buttons) becomes a brand field, a tone-on-tone band set with the brand's
        name in large type, instead of empty background."""
        w, h, u = self.fmt.width, self.fmt.height, self.u
        name = (self.look.spec.brand_name or self.look.spec.product_name).strip().upper()
        if h / w < 1.5 or not name:
            return
        pal = self.look.palette
        top = self.fmt.safe_zone().bottom + 24 * u
        band = mix(self.bg_bottom, "#FFFFFF" if self.dark else pal.primary, 0.08)
        canvas.drawRect(skia.Rect.MakeLTRB(0, top, w, h), skia.Paint(AntiAlias=True, Color=argb(band)))
        canvas.drawRect(skia.Rect.MakeLTRB(0, top, w, top + 8 * u),
                        skia.Paint(AntiAlias=True, Color=argb(pal.accent)))
        size = 210 * u * self.treatment.type_scale
        font = make_font(self.look.heading_heavy, size)
        ink = skia.Paint(AntiAlias=True, Color=argb(mix(band, self.ink, 0.09)))
        text = f"{name}  ·  " * 6
        shift = (self.scene.index % 3) * 0.31
        y, row = top + 8 * u + size * 0.95, 0
        while y - size * 0.75 < h:
            x = -((shift + row * 0.47) % 1.0) * size * 4
            canvas.drawString(text, x, y, font, ink)
            y += size * 1.02
            row += 1

    def _media(self) -> tuple[skia.Image | None, Box | None]:
        box = self.layout.media
        look = self.look
        if self.shot == "split" and box is not None:
            return self._split(box)
        if box is None or (look.photo is None and look.cutout is None):
            return None, None
        use_cutout = look.cutout is not None and (
            self.scene.product == "hero" or self.scene.is_end_card
        )
        source = look.cutout if use_cutout else look.photo
        assert source is not None
        limit = MAX_CUTOUT_UPSCALE if use_cutout else MAX_PHOTO_UPSCALE
        inner = box.inset(box.w * 0.04, box.h * 0.04)
        # a photo fills its slot, cropped around its subject (faces whole); when no crop of
        # the slot's shape can hold the face, the whole photo is shown
        crop = None if use_cutout else subject_crop(
            source.width(), source.height(), inner.w, inner.h, look.spec.framing
        )
        src_w, src_h = (crop.w, crop.h) if crop else (source.width(), source.height())
        # leave room for the push-in so the largest frame still respects the upscale limit
        target = contain(src_w, src_h, inner, max_scale=limit / 1.08)
        image = self._decorated(source, target, card=not use_cutout, crop=crop)
        self.media_crop = crop
        return image, target

    def _split(self, box: Box) -> tuple[skia.Image, Box]:
        """The split card: the photo (cropped around its subject to the slot's shape) in two
        halves, or two panels with the scene's icon when the brief has no photo."""
        look = self.look
        inner = box.inset(box.w * 0.04, box.h * 0.04)
        picture = None
        if look.photo is not None:
            crop = subject_crop(look.photo.width(), look.photo.height(), inner.w, inner.h,
                                look.spec.framing)
            crop = crop or Box(0, 0, look.photo.width(), look.photo.height())
            target = contain(crop.w, crop.h, inner, max_scale=MAX_PHOTO_UPSCALE / 1.08)
            picture = look.photo.makeSubset(skia.IRect.MakeXYWH(
                round(crop.x), round(crop.y), max(1, round(crop.w)), max(1, round(crop.h))))
        else:
            target = inner
        icon = scene_icon(self.scene.icon, self.scene.text, self.scene.visual) or "sparkles"
        label = look.spec.product_name or look.spec.brand_name
        card = split_card(SplitParts(picture, icon, label), round(target.w), round(target.h),
                          look.palette, look.body, self.u)
        return self._decorated(card, target, card=True), target

    def _decorated(
        self, source: skia.Image, target: Box, *, card: bool, crop: Box | None = None
    ) -> skia.Image:
        """The product image at its final size, with rounded corners (cards) and a shadow."""
        pad = max(4.0, 60 * self.u)
        w, h = max(1, round(target.w)), max(1, round(target.h))
        surface = skia.Surface(w + round(2 * pad), h + round(2 * pad))
        canvas = surface.getCanvas()
        canvas.clear(skia.ColorTRANSPARENT)
        rect = skia.Rect.MakeXYWH(pad, pad, w, h)
        shadow = skia.Paint(
            AntiAlias=True,
            Color=argb("#000000", 0.35),
            MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, 22 * self.u + 1),
        )
        sampling = skia.SamplingOptions(skia.CubicResampler.Mitchell())
        if card:
            radius = 34 * self.u
            canvas.drawRRect(
                skia.RRect.MakeRectXY(rect.makeOffset(0, 18 * self.u), radius, radius), shadow
            )
            canvas.save()
            canvas.clipRRect(skia.RRect.MakeRectXY(rect, radius, radius), True)
            crop = crop or Box(0, 0, source.width(), source.height())
            canvas.drawImageRect(
                source, skia.Rect.MakeXYWH(crop.x, crop.y, crop.w, crop.h), rect, sampling
            )
            canvas.restore()
        else:
            paint = skia.Paint(
                ImageFilter=skia.ImageFilters.DropShadow(
                    0, 22 * self.u, 20 * self.u + 0.5, 20 * self.u + 0.5, argb("#000000", 0.35)
                )
            )
            canvas.saveLayer(None, paint)
            canvas.drawImageRect(source, rect, sampling)
            canvas.restore()
        return surface.makeImageSnapshot()

    @property
    def headline_text(self) -> str:
        """The scene's line; on the end card, a line that does not repeat the CTA (or none)."""
        return self.card.headline if self.card is not None else self.scene.text

    def _fit_headline(self) -> FittedText | None:
        box = self.layout.headline
        if not self.headline_text or box.h <= 0:
            return None
        big = self.scene.product == "none" and not self.scene.is_end_card
        max_size = (150 if big else 112) * self.u * self.treatment.type_scale
        fitted = fit_text(
            attach_units(self.headline_text),
            width=box.w,
            height=box.h,
            typeface=self.look.heading_heavy if self.treatment.heavy else self.look.heading,
            max_lines=4 if big else 3,
            min_size=max(6.0, 34 * self.u),
            max_size=max_size,
            line_height=1.08,
        )
        return fitted

    def _fit_signoff(self) -> list[tuple[str, FittedText, float]]:
        """The end card's name, offer and URL lines: (role, fitted text, entrance time)."""
        card, layout = self.card, self.layout
        if card is None:
            return []
        # already on their way on the card's first frame: it never opens on an empty colour
        lines = [("name", card.name, layout.name, self.look.heading_heavy, -0.1),
                 ("offer", card.offer, layout.offer, self.look.heading, 0.15),
                 ("url", card.url, layout.url, self.look.body, 0.4)]
        out = []
        for role, text, box, face, start in lines:
            if not text or box is None:
                continue
            fitted = fit_text(text, width=box.w, height=box.h, typeface=face, max_lines=1,
                              min_size=max(4.0, 18 * self.u), max_size=box.h * 0.8)
            if fitted is not None:
                out.append((role, fitted, start))
        return out

    def signoff_box(self, role: str) -> Box:
        box = {"name": self.layout.name, "offer": self.layout.offer,
               "url": self.layout.url}[role]
        assert box is not None
        return box

    def _draw_signoff(self, canvas: skia.Canvas, t: float) -> None:
        """Name, offer and URL rise and fade in one after the other."""
        pal = self.look.palette
        centred = self.fmt.width / self.fmt.height <= 1.2
        for role, fitted, start in self.signoff:
            p = ease_out((t - start) / 0.4)
            if p <= 0:
                continue
            box = self.signoff_box(role)
            x = box.x + ((box.w - fitted.width) / 2 if centred else 0.0)
            y = box.y + (box.h - fitted.height) / 2 + fitted.ascent + (1 - p) * 24 * self.u
            color = pal.accent if role == "offer" and contrast_ratio(
                pal.accent, self.bg_top) >= 3 else self.ink
            alpha = p * (0.85 if role == "url" else 1.0)
            font = make_font(fitted.typeface, fitted.size)
            self._draw_text(canvas, fitted.lines[0], x, y, font,
                            skia.Paint(AntiAlias=True, Color=argb(color, alpha)))

    def _headline_words(self) -> list[_Word]:
        fitted = self.headline
        if fitted is None:
            return []
        words: list[_Word] = []
        space = measure(" ", fitted.typeface, fitted.size)
        for li, line in enumerate(fitted.lines):
            width = measure(line, fitted.typeface, fitted.size)
            x = self._align_x(width)
            for word in line.split(" "):
                words.append(_Word(word, x, fitted.baseline(li), len(words)))
                x += measure(word, fitted.typeface, fitted.size) + space
        return words

    def _align_x(self, line_width: float) -> float:
        box = self.layout.headline
        portrait = self.fmt.width / self.fmt.height <= 1.2
        if (self.scene.is_end_card and portrait) or self.treatment.align == "center":
            return box.x + (box.w - line_width) / 2
        return box.x

    def _caption_size(self) -> float:
        box = self.layout.captions
        size = 64 * self.u
        for cue in self.cues:
            width = measure(cue.text, self.look.body, size) + 2 * 30 * self.u
            if width > box.w:
                size = size * box.w / width
        return max(size, 4.0)

    # ------------------------------------------------------------------ drawing

    def draw(self, canvas: skia.Canvas, k: int, pixels: np.ndarray | None = None) -> None:
        """Draw the whole of frame ``k``. ``pixels`` (the canvas's own BGRA buffer) lets a
        translucent transition colour be blended by OpenCV, four times faster than skia."""
        self._t = k / FPS
        scale, dx, dy = self._transition_transform(k)
        if dx or dy:  # the edge the shifted scene uncovers: its own colour, not the last frame
            canvas.clear(argb(self.bg_bottom))
        canvas.save()
        if scale != 1.0 or dx or dy:
            canvas.translate(self.fmt.width / 2 + dx, self.fmt.height / 2 + dy)
            canvas.scale(scale, scale)
            canvas.translate(-self.fmt.width / 2, -self.fmt.height / 2)
        self._layers(canvas, k)
        canvas.restore()
        self._transition_overlay(canvas, k, pixels)

    def draw_changes(self, canvas: skia.Canvas, k: int,
                     pixels: np.ndarray | None = None) -> Rect | None:
        """Redraw only what changes between frame ``k - 1`` and ``k`` (the canvas holds frame
        ``k - 1``). Returns the rectangle touched (left, top, right, bottom; even bounds), or
        None when the whole frame was drawn.

        Transitions, the first frame and the frame after a transition are drawn in full;
        otherwise only the moving layers' regions are repainted, clipped, over the background.
        ``pixels`` (the canvas's own BGRA buffer) lets the background be restored by a plain
        array copy, which is several times cheaper than a skia blit.
        """
        if (k == 0 or self._in_transition(k) or self._in_transition(k - 1)
                or k in self._shot_frames):  # a new shot is a new picture
            self.draw(canvas, k, pixels)
            return None
        self._t = k / FPS
        regions = self.dynamic_regions(self._t)
        if not regions:
            return (0, 0, 0, 0)
        # one pass under the union of the regions: overlapping regions (the captions sit on
        # the product) are restored and painted once, not once per region
        clip = skia.Region()
        for box in regions:
            x0, y0, x1, y1 = int(box.x), int(box.y), int(box.right), int(box.bottom)
            if pixels is not None:
                pixels[y0:y1, x0:x1] = self.background_bgra[y0:y1, x0:x1]
            clip.op(skia.IRect.MakeLTRB(x0, y0, x1, y1), skia.Region.kUnion_Op)
        canvas.save()
        canvas.clipRegion(clip)
        self._layers(canvas, k, background=pixels is None)
        canvas.restore()
        left = max(0, int(min(b.x for b in regions)) // 2 * 2)
        top = max(0, int(min(b.y for b in regions)) // 2 * 2)
        right = min(self.fmt.width, (int(max(b.right for b in regions)) + 2) // 2 * 2)
        bottom = min(self.fmt.height, (int(max(b.bottom for b in regions)) + 2) // 2 * 2)
        return (left, top, right, bottom)

    def _in_transition(self, k: int) -> bool:
        return self._enter_p(k) < 1.0 or self._exit_p(k) > 0.0

    def _layers(self, canvas: skia.Canvas, k: int, *, background: bool = True) -> None:
        t = self._t
        if background:
            self._draw_resampled(canvas, self.background, self.background_bgra, 1.0,
                                 self.fmt.width / 2, self.fmt.height / 2)
        progress = k / max(1, self.scene.frame_count - 1)
        self._draw_media(canvas, progress)
        if self.icon is not None and self.icon_box is not None:
            draw_icon(canvas, self.icon, self.icon_box, t, self.look.palette, self.bg_top)
        self._draw_logo(canvas, t)
        self._draw_headline(canvas, t)
        self._draw_signoff(canvas, t)
        self._draw_cta(canvas, t)
        self._draw_captions(canvas, t)

    def dynamic_regions(self, t: float) -> list[Box]:
        """Boxes (whole pixels, inside the frame) whose pixels may change at time ``t``."""
        u = self.u
        boxes: list[Box] = []
        if self.caption_state(t) != self.caption_state(t - 1 / FPS):
            boxes.append(self._captions_area)
        if self.media is not None and self.media_box is not None:
            k = round(t * FPS)  # where the product is drawn now and was drawn a frame ago
            now, before = self._media_rect(k), self._media_rect(k - 1)
            boxes.append(Box(min(now.x, before.x) - 2, min(now.y, before.y) - 2,
                             max(now.right, before.right) - min(now.x, before.x) + 4,
                             max(now.bottom, before.bottom) - min(now.y, before.y) + 4))
        if self.headline is not None and (self._headline_moving(t) or self._beat(t) is not None
                                          or self.scene.product == "none"):
            boxes.append(self.layout.headline.inset(-0.06 * self.layout.headline.w - 30 * u, -60 * u).pad(bottom=-90 * u))
        if self.layout.cta is not None:
            boxes.append(self.layout.cta.inset(-0.2 * self.layout.cta.w, -0.25 * self.layout.cta.h))
        if self.icon_box is not None and t <= icon_settles_at() + 2 / FPS:
            boxes.append(self.icon_box.inset(-0.45 * self.icon_box.w))
        if self.layout.logo is not None and t < 1.0:
            boxes.append(self.layout.logo.inset(-0.4 * self.layout.logo.w))
        for role, _, start in self.signoff:
            if t <= start + 0.45:
                boxes.append(self.signoff_box(role).inset(-10 * u, -30 * u))
        boxes += self._cut_text(boxes)
        frame = Box(0, 0, self.fmt.width, self.fmt.height)
        out = []
        for b in boxes:
            x0, y0 = max(0.0, math.floor(b.x)), max(0.0, math.floor(b.y))
            x1, y1 = min(frame.w, math.ceil(b.right)), min(frame.h, math.ceil(b.bottom))
            if x1 > x0 and y1 > y0:
                out.append(Box(x0, y0, x1 - x0, y1 - y0))
        return out

    def _cut_text(self, boxes: list[Box]) -> list[Box]:
        """Still text that a moving region's edge would cut through is repainted whole: text
        anti-aliased under a clip edge differs from text drawn in one piece."""
        u = self.u
        still: list[Box] = []
        fitted, box = self.headline, self.layout.headline
        if fitted is not None and self.scene.product != "none":  # (else it is always redrawn)
            still.append(Box(box.x - 4 * u, box.y - 4 * u, box.w + 8 * u,
                             fitted.height + 8 * u))
        still += [self.signoff_box(role).inset(-10 * u, -30 * u) for role, _, _ in self.signoff]
        if self.icon_box is not None:  # a disc's edge anti-aliases differently under a clip
            still.append(self.icon_box.inset(-4 * u - 2))
        return [text for text in still if any(_overlap(text, b) for b in boxes)]

    def _headline_moving(self, t: float) -> bool:
        words = len(self.headline_words)
        settle = self.headline_delay + words * WORD_STAGGER + WORD_RISE + 0.05
        if self.shot == "counter":
            counted = [w.index for w in self.headline_words if number_spans(w.text)]
            if counted:
                settle = max(settle, self._word_appears(max(counted)) + 0.95)
        return t <= max(settle, self.headline_delay + 0.75)

    _SHAPE_SPOTS = (((0.88, 0.1), (0.12, 0.88)), ((0.1, 0.9), (0.85, 0.12)),
                    ((0.9, 0.86), (0.15, 0.12)))

    def _backdrop(self, canvas: skia.Canvas, kind: str) -> None:
        """The treatment's still graphic layer, in colours close to the background so text
        over it keeps its contrast (the accent only as thin rules)."""
        if kind == "orbs":
            self._shapes(canvas, 0.5)
            return
        w, h, u = self.fmt.width, self.fmt.height, self.u
        pal = self.look.palette
        near = mix(self.bg_top, "#FFFFFF" if self.dark else pal.accent, 0.12 if self.dark else 0.16)
        soft = skia.Paint(AntiAlias=True, Color=argb(near))
        rule = skia.Paint(AntiAlias=True, Color=argb(pal.accent))
        flip = self.scene.index % 2 == 1  # the graphic changes side from scene to scene
        if kind == "block":  # colour blocking: a band across a third of the frame
            top = h * (0.06 if flip else 0.7)
            canvas.drawRect(skia.Rect.MakeLTRB(0, top, w, top + h * 0.24), soft)
            canvas.drawRect(skia.Rect.MakeLTRB(0, top, w, top + 14 * u), rule)
        elif kind == "diagonal":
            path = skia.Path()
            if flip:
                path.moveTo(0, h * 0.55).lineTo(w, h * 0.3).lineTo(w, h).lineTo(0, h).close()
            else:
                path.moveTo(0, 0).lineTo(w, 0).lineTo(w, h * 0.18).lineTo(0, h * 0.42).close()
            canvas.drawPath(path, soft)
        elif kind == "frame":
            m = 34 * u
            frame = skia.Paint(AntiAlias=True, Color=argb(pal.accent), Style=skia.Paint.kStroke_Style,
                               StrokeWidth=5 * u)
            canvas.drawRect(skia.Rect.MakeLTRB(m, m, w - m, h - m), frame)
            canvas.drawRect(skia.Rect.MakeXYWH(w - m - 120 * u, m, 120 * u, 18 * u), rule)
        elif kind == "stripes":
            step = 90 * u
            stripe = skia.Paint(AntiAlias=True, Color=argb(near), StrokeWidth=26 * u)
            x: float = -h
            while x < w + h:
                canvas.drawLine(x, 0, x + h * 0.6, h, stripe)
                x += step
        else:  # plain: a quiet accent dot grid in one corner
            dots = skia.Paint(AntiAlias=True, Color=argb(pal.accent, 0.5))
            x0 = w * (0.06 if flip else 0.74)
            for i in range(5):
                for j in range(4):
                    canvas.drawCircle(x0 + i * 42 * u, h * 0.9 + j * 30 * u - 90 * u, 5 * u, dots)

    def _shapes(self, canvas: skia.Canvas, p: float) -> None:
        """A large soft disc and an accent ring, in corners that change from scene to scene."""
        w, h, u = self.fmt.width, self.fmt.height, self.u
        pal = self.look.palette
        drift = ease_in_out(p)
        (cx, cy), (rx, ry) = self._SHAPE_SPOTS[self.scene.index % 3]
        # shapes stay close to the background so text over them keeps its contrast
        fill = argb(mix(self.bg_top, "#FFFFFF", 0.1) if self.dark
                    else mix(self.bg_top, pal.accent, 0.14))
        canvas.drawCircle(cx * w - 40 * u * drift, cy * h + 60 * u * drift,
                          0.46 * min(w, h), skia.Paint(AntiAlias=True, Color=fill))
        ring = skia.Paint(AntiAlias=True, Color=argb(pal.accent, 0.55 if self.dark else 0.35),
                          Style=skia.Paint.kStroke_Style, StrokeWidth=6 * u)
        canvas.drawCircle(rx * w + 30 * u * drift, ry * h - 50 * u * drift, 0.16 * min(w, h), ring)

    def _media_motion(self, p: float, t: float) -> tuple[float, float, float]:
        """(scale, dx, dy) of the product for scene progress ``p`` (``t`` s into the scene):
        the scene's move, with a jump re-frame in every other shot when the shots have no
        closer crops of their own (a cut-out, a small photo)."""
        scale, dx, dy = self._move(p)
        if not self.shot_media and self.shot_at(t) % 2:
            scale *= JUMP_SCALE
        return scale, dx, dy

    def _move(self, p: float) -> tuple[float, float, float]:
        e = ease_in_out(p)
        u = self.u
        motion = self.scene.motion
        if motion == "push_in":
            return 1.0 + 0.08 * e, 0.0, 0.0
        if motion == "pull_out":
            return 1.08 - 0.08 * e, 0.0, 0.0
        if motion == "pan_left":
            return 1.03, 40 * u - 80 * u * e, 0.0
        if motion == "pan_right":
            return 1.03, -40 * u + 80 * u * e, 0.0
        if motion == "parallax":
            return 1.02 + 0.03 * e, 0.0, 50 * u - 100 * u * e
        return 1.0 + 0.03 * e, 0.0, 0.0  # "static" still breathes a little

    def product_rect(self, k: int) -> Box | None:
        """Where frame ``k`` shows the product itself (its shadow left out)."""
        if self.media is None or self.media_box is None:
            return None
        scale, dx, dy = self._media_motion(k / max(1, self.scene.frame_count - 1), k / FPS)
        box = self.media_box
        cy = box.cy + dy + self._media_rise(k / FPS) * 60 * self.u
        return Box(box.cx + dx - box.w * scale / 2, cy - box.h * scale / 2,
                   box.w * scale, box.h * scale)

    def _media_rise(self, t: float) -> float:
        # already on its way on the first frame: a scene never opens on an empty background
        return 1 - ease_out(clamp01((t + 0.1) / 0.6))

    def _media_rect(self, k: int) -> Box:
        """Where frame ``k`` draws the product image (its shadow included)."""
        assert self.media is not None and self.media_box is not None
        scale, dx, dy = self._media_motion(k / max(1, self.scene.frame_count - 1), k / FPS)
        box = self.media_box
        w, h = self.media.width() * scale, self.media.height() * scale
        cy = box.cy + dy + self._media_rise(k / FPS) * 60 * self.u
        return Box(box.cx + dx - w / 2, cy - h / 2, w, h)

    def shot_at(self, t: float) -> int:
        """Which shot (0-based) of the scene is on screen at ``t``."""
        return sum(1 for start in self.shots if round(start * FPS) <= round(t * FPS))

    def _beat(self, t: float) -> tuple[int, float] | None:
        """(shot, progress 0..1) while a shot's accent block sweeps in; None otherwise."""
        shot = self.shot_at(t)
        if shot == 0:
            return None
        p = (t - self.shots[shot - 1]) / BEAT
        return (shot, p) if p <= 1.0 + 1 / (FPS * BEAT) else None

    def _shot_media(self) -> list[tuple[skia.Image, np.ndarray]]:
        """A closer crop of the photo for each later shot (photo cards only, and only when the
        photo has the pixels for it: the upscale limit still holds)."""
        look, crop, box = self.look, self.media_crop, self.media_box
        if (self.media is None or box is None or look.photo is None or not self.shots
                or self.shot == "split"
                or (self.scene.product == "hero" or self.scene.is_end_card)
                and look.cutout is not None):
            return []
        photo = look.photo
        crop = crop or Box(0, 0, photo.width(), photo.height())
        shown = box.w / crop.w
        zoom = min(1.6, MAX_PHOTO_UPSCALE / (shown * 1.08))
        if zoom < 1.15:
            return []
        out = []
        for shot in range(1, len(self.shots) + 1):
            detail = detail_crop(crop, photo.width(), photo.height(), look.spec.photo_focal,
                                 zoom if shot % 2 else (1 + zoom) / 2, shot)
            image = self._decorated(photo, box, card=True, crop=detail)
            out.append((image, _bgra(image)))
        return out

    def _draw_media(self, canvas: skia.Canvas, p: float) -> None:
        if self.media is None or self.media_box is None:
            return
        shot = self.shot_at(self._t)
        if shot and self.shot_media:
            image, pixels = self.shot_media[shot - 1]
            scale, dx, dy = self._media_motion(p, self._t)
            box = self.media_box
            self._draw_resampled(canvas, image, pixels, scale, box.cx + dx, box.cy + dy)
            return
        scale, dx, dy = self._media_motion(p, self._t)
        box = self.media_box
        rise = self._media_rise(self._t)
        cx, cy = box.cx + dx, box.cy + dy + rise * 60 * self.u
        paint = skia.Paint(Alpha=round(255 * (1 - rise)))
        assert self.media_bgra is not None
        self._draw_resampled(canvas, self.media, self.media_bgra, scale, cx, cy, paint)

    def _draw_resampled(self, canvas: skia.Canvas, image: skia.Image, pixels: np.ndarray,
                        scale: float, cx: float, cy: float, paint: skia.Paint | None = None
                        ) -> None:
        """``image`` (whose BGRA premultiplied ``pixels`` are given) scaled by ``scale`` about
        its centre and centred on ``(cx, cy)``, bilinear.

        Under a scale-and-translate matrix (every frame, transitions included) OpenCV
        resamples the part that lands inside the frame onto whole pixels (fixed-point
        bilinear, about 2.5x faster than skia's in this build) and skia blends that patch
        unscaled; any other matrix is left to skia."""
        matrix = canvas.getTotalMatrix()
        if not matrix.isScaleTranslate() or matrix.getScaleX() != matrix.getScaleY():
            canvas.save()
            canvas.translate(cx, cy)
            canvas.scale(scale, scale)
            canvas.drawImage(image, -image.width() / 2, -image.height() / 2,
                             skia.SamplingOptions(skia.FilterMode.kLinear), paint)
            canvas.restore()
            return
        zoom = matrix.getScaleX()
        scale *= zoom
        cx, cy = cx * zoom + matrix.getTranslateX(), cy * zoom + matrix.getTranslateY()
        h, w = pixels.shape[0] * scale, pixels.shape[1] * scale
        left, top = cx - w / 2, cy - h / 2
        if scale == 1.0 and left.is_integer() and top.is_integer():  # nothing to resample
            placed, x0, y0 = image, int(left), int(top)
        else:
            x0, y0 = max(0, math.floor(left)), max(0, math.floor(top))
            x1 = min(self.fmt.width, math.ceil(left + w))
            y1 = min(self.fmt.height, math.ceil(top + h))
            if x1 <= x0 or y1 <= y0:
                return
            # patch pixel (i, j) samples the source at ((x0 + j + 0.5 - left) / s - 0.5, ...)
            inverse = np.array([[1 / scale, 0.0, (x0 + 0.5 - left) / scale - 0.5],
                                [0.0, 1 / scale, (y0 + 0.5 - top) / scale - 0.5]])
            self._patch = cv2.warpAffine(pixels, inverse, (x1 - x0, y1 - y0),
                                         flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                                         borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0))
            placed = skia.Image.fromarray(  # borrows the patch's memory (kept in self._patch)
                self._patch, colorType=skia.kBGRA_8888_ColorType,
                alphaType=skia.kPremul_AlphaType, copy=False)
        canvas.save()
        canvas.resetMatrix()
        canvas.drawImage(placed, x0, y0, skia.SamplingOptions(), paint)
        canvas.restore()

    def _solid(self, color: str) -> np.ndarray:
        """A frame-sized opaque BGRA array of ``color`` (kept: a transition lasts frames)."""
        if self._fill is None or self._fill[1] != color:
            r, g, b = parse_hex(color)
            fill = np.empty((self.fmt.height, self.fmt.width, 4), np.uint8)
            fill[:] = (b, g, r, 255)
            self._fill = (fill, color)
        return self._fill[0]

    def _draw_text(self, canvas: skia.Canvas, text: str, x: float, y: float, font: skia.Font,
                   paint: skia.Paint) -> None:
        """The shaped text, through its outline made once per text and size."""
        key = (text, font.getSize(), font.getTypeface().uniqueID())
        if key not in self._paths:
            self._paths[key] = text_path(text, font)
        path = self._paths[key]
        if path is None:
            draw_shaped(canvas, shape(text, font_face(font)), x, y, font.getSize(), paint)
            return
        canvas.save()
        canvas.translate(x, y)
        canvas.drawPath(path, paint)
        canvas.restore()

    def scene_time_fraction(self, start: float, length: float) -> float:
        """Progress (0..1) of an animation that starts ``start`` s into the scene."""
        return clamp01((self._t - start) / length) if length > 0 else 1.0

    def _draw_headline(self, canvas: skia.Canvas, t: float) -> None:
        fitted = self.headline
        if fitted is None:
            return
        font = make_font(fitted.typeface, fitted.size)
        box = self.layout.headline
        top = box.y + (box.h - fitted.height) / 2 if self.scene.product == "none" else box.y
        canvas.save()
        if self.scene.product == "none":  # no photo: the type itself gets the slow push-in
            grow = 1 + 0.05 * ease_in_out(t / self.scene.duration)
            if self.shot_at(t) % 2:  # a jump cut on the type: every other shot re-frames it
                grow *= JUMP_SCALE
            canvas.translate(box.x, top + fitted.height / 2)
            canvas.scale(grow, grow)
            canvas.translate(-box.x, -(top + fitted.height / 2))
        reach = 0.1 * box.w + fitted.size  # italics, overhangs, the push-in
        marked = self._marked_word(t)
        for word in self.headline_words:
            p = ease_out((t - self.headline_delay - word.index * WORD_STAGGER) / WORD_RISE)
            if p <= 0:
                continue
            y = top + word.baseline + (1 - p) * 46 * self.u
            line = skia.Rect.MakeLTRB(box.x - reach, y - 1.3 * fitted.size, box.right + reach,
                                      y + 0.5 * fitted.size)
            if canvas.quickReject(line):  # outside the region being repainted: skip shaping
                continue
            color = self.ink
            text, x = word.text, word.x
            if self.shot == "counter" and number_spans(word.text):
                text, x, color = self._counting(word, t)
            if marked is not None and marked[0] == word.index:
                color = self._mark(canvas, word, y, font, marked[1])
            paint = skia.Paint(AntiAlias=True, Color=argb(color, p))
            self._draw_text(canvas, text, x, y, font, paint)
        if not self.scene.is_end_card:
            self._accent_bar(canvas, t, top + fitted.height + 26 * self.u)
        canvas.restore()

    def _word_appears(self, index: int) -> float:
        return self.headline_delay + index * WORD_STAGGER

    def _counting(self, word: _Word, t: float) -> tuple[str, float, str]:
        """A word with a number, counting up as it rises: (text now, x, colour). The text is
        right-aligned on the word's final width, so the unit after the number stays put."""
        assert self.headline is not None
        fitted = self.headline
        text = counting_text(word.text, count_progress(t, self._word_appears(word.index)))
        shift = (measure(word.text, fitted.typeface, fitted.size)
                 - measure(text, fitted.typeface, fitted.size))
        accent = self.look.palette.accent
        color = accent if contrast_ratio(accent, self.bg_top) >= 3 else self.ink
        return text, word.x + shift, color

    def _marked_word(self, t: float) -> tuple[int, float] | None:
        """(word index, sweep 0..1) of the headline word the current shot puts a block behind:
        the longest words in turn, one per shot."""
        shot = self.shot_at(t)
        if shot == 0 or not self.headline_words:
            return None
        ranked = sorted(self.headline_words, key=lambda w: (-len(w.text), w.index))
        word = ranked[(shot - 1) % len(ranked)]
        return word.index, ease_out((t - self.shots[shot - 1]) / BEAT)

    def _mark(self, canvas: skia.Canvas, word: _Word, y: float, font: skia.Font,
              sweep: float) -> str:
        """Sweep an accent block in behind ``word``; returns the colour to write it in."""
        assert self.headline is not None
        size, u = self.headline.size, self.u
        width = measure(word.text, self.headline.typeface, size)
        rect = skia.Rect.MakeLTRB(word.x - 10 * u, y - 0.82 * size,
                                  word.x - 10 * u + (width + 20 * u) * sweep, y + 0.24 * size)
        pal = self.look.palette
        canvas.drawRect(rect, skia.Paint(AntiAlias=True, Color=argb(pal.accent)))
        return pal.text_on_accent if sweep > 0.5 else self.ink

    def _accent_bar(self, canvas: skia.Canvas, t: float, y: float) -> None:
        grow = ease_out((t - self.headline_delay - 0.2) / 0.5)
        if grow <= 0:
            return
        x = self.layout.headline.x
        if self.treatment.align == "center":  # grows out from the middle under centred type
            x = self.layout.headline.cx - 75 * self.u * grow
        rect = skia.Rect.MakeXYWH(x, y, 150 * self.u * grow, 12 * self.u)
        canvas.drawRRect(
            skia.RRect.MakeRectXY(rect, 6 * self.u, 6 * self.u),
            skia.Paint(AntiAlias=True, Color=argb(self.look.palette.accent)),
        )

    def _draw_logo(self, canvas: skia.Canvas, t: float) -> None:
        box = self.layout.logo
        if box is None or self.logo_badge is None:
            return
        p = ease_out_back(self.scene_time_fraction(-0.15, 0.5))
        if p <= 0:
            return
        badge = self.logo_badge
        assert badge is not None
        canvas.save()
        canvas.translate(box.cx, box.cy)
        canvas.scale(p, p)
        canvas.drawImage(badge, -badge.width() / 2, -badge.height() / 2,
                         skia.SamplingOptions(skia.FilterMode.kLinear))
        canvas.restore()

    def _logo_badge(self) -> skia.Image | None:
        """The logo on a white rounded badge with its shadow, drawn once.

        Logos without transparency sit on the badge, so their own background reads as part of
        a deliberate tile rather than a box pasted onto the scene."""
        box, logo = self.layout.logo, self.look.logo
        if box is None or logo is None:
            return None
        margin = round(box.w * 0.25)
        side = round(box.w)
        surface = skia.Surface(side + 2 * margin, side + 2 * margin)
        canvas = surface.getCanvas()
        canvas.clear(skia.ColorTRANSPARENT)
        badge = skia.Rect.MakeXYWH(margin, margin, side, side)
        radius = side * 0.24
        canvas.drawRRect(skia.RRect.MakeRectXY(badge.makeOffset(0, 10 * self.u), radius, radius),
                         skia.Paint(AntiAlias=True, Color=argb("#000000", 0.25),
                                    MaskFilter=skia.MaskFilter.MakeBlur(
                                        skia.kNormal_BlurStyle, 14 * self.u + 0.5)))
        canvas.drawRRect(skia.RRect.MakeRectXY(badge, radius, radius),
                         skia.Paint(AntiAlias=True, Color=argb("#FFFFFF")))
        fit = contain(logo.width(), logo.height(), Box(margin, margin, side, side).inset(side * 0.1))
        canvas.drawImageRect(logo, skia.Rect.MakeXYWH(fit.x, fit.y, fit.w, fit.h),
                             skia.SamplingOptions(skia.CubicResampler.Mitchell()))
        return surface.makeImageSnapshot()

    def _draw_cta(self, canvas: skia.Canvas, t: float) -> None:
        box = self.layout.cta
        if box is None:
            return
        p = ease_out_back(self.scene_time_fraction(0.55, 0.45))
        if p <= 0:
            return
        pulse = 1 + 0.03 * math.sin(max(0.0, t - 1.0) * 2 * math.pi / 1.4)
        pal = self.look.palette
        fill, ink = pal.accent, pal.text_on_accent
        shot = self.shot_at(t)
        if shot % 2:  # a later shot of a long card: the button turns over and pops once
            fill, ink = self.ink, self.bg_top
            pulse += 0.1 * math.sin(math.pi * clamp01((t - self.shots[shot - 1]) / 0.35))
        fitted = fit_text(
            self.cta_text,
            width=box.w * 0.82,
            height=box.h * 0.62,
            typeface=self.look.heading_heavy,
            max_lines=1,
            min_size=max(4.0, 16 * self.u),
            max_size=64 * self.u,
        )
        canvas.save()
        canvas.translate(box.cx, box.cy)
        canvas.scale(p * pulse, p * pulse)
        rect = skia.Rect.MakeXYWH(-box.w / 2, -box.h / 2, box.w, box.h)
        canvas.drawRRect(
            skia.RRect.MakeRectXY(rect, box.h / 2, box.h / 2),
            skia.Paint(AntiAlias=True, Color=argb(fill)),
        )
        if fitted is not None:
            font = make_font(fitted.typeface, fitted.size)
            y = -fitted.height / 2 + fitted.ascent
            x = -fitted.width / 2
            self._draw_text(canvas, fitted.lines[0], x, y, font,
                            skia.Paint(AntiAlias=True, Color=argb(ink)))
        canvas.restore()

    def active_cue(self, t: float) -> CaptionCue | None:
        for i, cue in enumerate(self.cues):
            nxt = self.cues[i + 1].start if i + 1 < len(self.cues) else math.inf
            until = nxt if nxt - cue.end < 0.6 else cue.end + 0.3
            if cue.start - 0.05 <= t < until:
                return cue
        return None

    @property
    def captions_area(self) -> Box:
        return self._captions_area

    @property
    def _captions_area(self) -> Box:
        """Where the caption pill can draw, its pop and highlight included."""
        return self.layout.captions.inset(-40 * self.u, -30 * self.u)

    def caption_state(self, t: float) -> tuple[float, float, tuple[bool, ...]] | None:
        """Everything the captions' pixels depend on at ``t``: equal states draw the same."""
        cue = self.active_cue(t)
        return None if cue is None else _cue_state(cue, t)

    def _draw_captions(self, canvas: skia.Canvas, t: float) -> None:
        cue = self.active_cue(t)
        if cue is None:
            return
        area = self._captions_area
        if canvas.quickReject(skia.Rect.MakeXYWH(area.x, area.y, area.w, area.h)):
            return
        _, pop, spoken_words = _cue_state(cue, t)
        size = self.caption_size
        face = self.look.body
        font = make_font(face, size)
        pad = 26 * self.u
        space = measure(" ", face, size) + 14 * self.u
        widths = [measure(w.text, face, size) for w in cue.words]
        total = sum(widths) + space * (len(widths) - 1)
        box = self.layout.captions
        canvas.save()
        canvas.translate(box.cx, box.cy)
        canvas.scale(pop, pop)
        height = size * 1.45
        pill = skia.Rect.MakeXYWH(-total / 2 - pad, -height / 2, total + 2 * pad, height)
        pal = self.look.palette
        style = self.treatment.captions
        plain_ink = "#FFFFFF"
        if style == "pill":
            canvas.drawRRect(skia.RRect.MakeRectXY(pill, 18 * self.u, 18 * self.u),
                             skia.Paint(AntiAlias=True, Color=argb("#111111", 0.72)))
        elif style == "bar":  # a square block in the brand's primary colour
            canvas.drawRect(pill, skia.Paint(AntiAlias=True, Color=argb(pal.primary)))
            plain_ink = pal.text_on_primary
        else:  # plain: the words alone, in the scene's ink, over an underline
            plain_ink = self.ink
            canvas.drawRect(skia.Rect.MakeLTRB(pill.left() + pad, pill.bottom() - 5 * self.u,
                                               pill.right() - pad, pill.bottom()),
                            skia.Paint(AntiAlias=True, Color=argb(pal.accent)))
        x = -total / 2
        baseline = size * 0.36
        for word, width, spoken in zip(cue.words, widths, spoken_words, strict=True):
            if spoken:
                hl = skia.Rect.MakeXYWH(
                    x - 8 * self.u,
                    -height / 2 + 7 * self.u,
                    width + 16 * self.u,
                    height - 14 * self.u,
                )
                canvas.drawRRect(
                    skia.RRect.MakeRectXY(hl, 12 * self.u, 12 * self.u),
                    skia.Paint(AntiAlias=True, Color=argb(pal.accent)),
                )
            color = pal.text_on_accent if spoken else plain_ink
            self._draw_text(canvas, word.text, x, baseline, font,
                            skia.Paint(AntiAlias=True, Color=argb(color)))
            x += width + space
        canvas.restore()

    # ------------------------------------------------------------------ transitions

    def _exit_p(self, k: int) -> float:
        left = self.scene.frame_count - k
        if self.scene.transition_out in ("none", "cut") or left > EXIT_FRAMES:
            return 0.0
        return (EXIT_FRAMES - left + 1) / EXIT_FRAMES

    def _enter_p(self, k: int) -> float:
        if self.scene.transition_in == "cut" or k >= ENTER_FRAMES:
            return 1.0
        return k / ENTER_FRAMES

    def _transition_transform(self, k: int) -> tuple[float, float, float]:
        enter, leave = self._enter_p(k), self._exit_p(k)
        w = self.fmt.width
        scale, dx = 1.0, 0.0
        if enter < 1.0:
            kind = self.scene.transition_in
            if kind == "zoom":
                scale = 1.18 - 0.18 * ease_out(enter)
            elif kind == "slide":  # the scene follows the band in, a little
                dx = 0.06 * w * (1 - ease_out(enter))
        if leave > 0.0:
            kind = self.scene.transition_out
            if kind == "zoom":
                scale = 1.0 + 0.2 * ease_in_out(leave)
            elif kind == "slide":
                dx = -0.06 * w * ease_in_out(leave)
        return scale, dx, 0.0

    def _transition_overlay(self, canvas: skia.Canvas, k: int,
                            pixels: np.ndarray | None = None) -> None:
        enter, leave = self._enter_p(k), self._exit_p(k)
        if enter < 1.0:
            self._overlay(canvas, self.scene.transition_in, 1 - ease_out(enter), entering=True,
                          pixels=pixels)
        if leave > 0.0:
            self._overlay(canvas, self.scene.transition_out, ease_in_out(leave), entering=False,
                          pixels=pixels)

    def _overlay(self, canvas: skia.Canvas, kind: str, cover: float, *, entering: bool,
                 pixels: np.ndarray | None = None) -> None:
        """Cover ``cover`` (0..1) of the transition with its colour.

        Never the whole frame: a dip stops at :data:`MAX_DIP` of a colour halfway between the
        brand's dark and light backgrounds (so a navy scene cut to a cream one passes through
        neither an empty frame nor a white flash), and slide/wipe panels are a band that
        travels across the frame, at the same place on both sides of the cut."""
        w, h = self.fmt.width, self.fmt.height
        pal = self.look.palette
        if kind in ("crossfade", "zoom"):
            color = mix(self.look.dark, pal.background, 0.5)
            amount = MAX_DIP * cover
            if pixels is None:
                canvas.drawRect(skia.Rect.MakeWH(w, h), skia.Paint(Color=argb(color, amount)))
            else:
                cv2.addWeighted(pixels, 1.0 - amount, self._solid(color), amount, 0.0, dst=pixels)
        elif kind in ("slide", "wipe"):
            # the band's leading edge runs from the far side to the middle while the scene
            # leaves, and from the middle on out while the next one enters
            span = w if kind == "slide" else h
            middle = span * (0.5 + BAND / 2)  # the lead when the band is centred
            lead = middle * cover if entering else middle * (2 - cover)
            lo, hi = lead - BAND * span, lead
            if kind == "slide":
                rect = skia.Rect.MakeLTRB(lo, 0, hi, h)
                color = pal.accent
            else:
                rect = skia.Rect.MakeLTRB(0, span - hi, w, span - lo)
                color = pal.primary
            canvas.drawRect(rect, skia.Paint(Color=argb(color)))
