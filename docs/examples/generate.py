"""Regenerate the worked examples in this folder from the local writer (real output).

Run: python docs/examples/generate.py
Writes one Markdown file per awareness stage: the brief, the three ideas, the video script
(30 s) with its scenes, and the banner, flyer and jingle copy.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from adloom.writer.base import WriterRequest
from adloom.writer.local import LocalWriter
from adloom.writer.readability import fk_grade
from adloom.writer.schemas import BannerScript, FlyerScript, JingleScript, VideoScenes, VideoScript
from adloom.writer.text import word_count

HERE = Path(__file__).resolve().parent
EXAMPLES = {  # stage -> brief it is shown with
    "unaware": "northbound-coldbrew",
    "problem_aware": "northbound-coldbrew",
    "solution_aware": "launchpad-webinar",
    "product_aware": "northbound-coldbrew",
    "most_aware": "launchpad-webinar",
}
SEED = 1


def request(brief: dict, kind: str, stage: str, options: dict) -> WriterRequest:
    return WriterRequest(
        kind=kind,
        product_name=brief["product"]["name"],
        product_description=brief["product"]["description"],
        product_url=brief["product"].get("url"),
        offer=brief["product"].get("offer"),
        price=brief["product"].get("price"),
        brand_name=brief["brand"]["name"],
        brand_tone=brief["brand"].get("tone", ""),
        tagline=brief["brand"].get("tagline", ""),
        audience=brief["strategy"]["audience"],
        messaging=brief["strategy"]["messaging"],
        goals=brief["strategy"]["goals"],
        awareness_stage=stage,
        persuasion_trigger=brief["persuasion_trigger"],
        creative_style=brief["creative_style"],
        business_type=brief["business_type"],
        industry=brief["industry"],
        event={k: str(v) for k, v in (brief.get("event") or {}).items()} or None,
        options=options,
    )


def render(stage: str, brief_name: str) -> str:
    brief = yaml.safe_load((HERE / "briefs" / f"{brief_name}.yaml").read_text())
    writer = LocalWriter()
    out = [
        f"# Worked example: {stage.replace('_', '-')}\n",
        (
            f"Real output of the local writer (seed {SEED}) for the brief `{brief_name}` with the "
            f"awareness stage set to **{stage}**. Regenerate with `python docs/examples/generate.py`.\n"
        ),
        "## The brief\n",
        "```yaml",
        yaml.safe_dump(
            {**brief, "awareness_stage": stage}, sort_keys=False, allow_unicode=True
        ).strip(),
        "```\n",
    ]
    req = request(brief, "video", stage, {"length": 30})
    ideas = writer.ideas(req, seed=SEED).value
    out.append("## The three ideas\n")
    for number, idea in enumerate(ideas.ideas, start=1):
        out += [
            f"### {number}. {idea.title}\n",
            f"- **Hook:** {idea.hook}",
            f"- **Why:** {idea.reasoning}",
            f"- **Narrative:** {idea.narrative}",
            f"- **Visuals:** {idea.visuals}",
            f"- **Sonic:** {idea.sonic}\n",
        ]
    chosen = ideas.ideas[ideas.chosen]
    script = writer.script(req, chosen, seed=SEED).value
    scenes = writer.scenes(req, script, seed=SEED).value
    assert isinstance(script, VideoScript) and isinstance(scenes, VideoScenes)
    words = word_count(script.voiceover_text)
    out += [
        "## The script (video, 30 s, idea 1)\n",
        (
            f"{words} words of voiceover ({words / 30:.2f} words/s), Flesch-Kincaid grade "
            f"{fk_grade(script.voiceover_text):.1f}. CTA: **{script.cta}**.\n"
        ),
        "| time | beat | voiceover | on screen |",
        "| --- | --- | --- | --- |",
    ]
    out += [
        f"| {b.start:.1f}–{b.end:.1f} s | {b.purpose} | {b.voiceover} | {b.on_screen_text} |"
        for b in script.beats
    ]
    out += [
        "\n### Scenes\n",
        "| # | s | role | product | motion | transition | visual |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    out += [
        f"| {s.index + 1} | {s.duration:g} | {s.role} | {s.product}{' + logo' if s.logo else ''} | "
        f"{s.motion} | {s.transition} | {s.visual} |"
        for s in scenes.scenes
    ]
    out += _other_kinds(writer, brief, stage, chosen)
    return "\n".join(out) + "\n"


def _other_kinds(writer: LocalWriter, brief: dict, stage: str, idea) -> list[str]:
    out = []
    banner = writer.script(request(brief, "banner", stage, {}), idea, seed=SEED).value
    assert isinstance(banner, BannerScript)
    out += [
        "\n## Banner copy\n",
        "| headline | subhead | CTA | short headline |",
        "| --- | --- | --- | --- |",
    ]
    out += [
        f"| {v.headline} | {v.subhead} | {v.cta} | {v.short_headline} |" for v in banner.variants
    ]
    flyer = writer.script(request(brief, "flyer", stage, {}), idea, seed=SEED).value
    assert isinstance(flyer, FlyerScript)
    out += ["\n## Flyer copy\n", f"**{flyer.headline}**\n", f"{flyer.subhead}\n"]
    out += [f"- {point}" for point in flyer.body]
    if flyer.event:
        out.append(
            f"\nEvent: {flyer.event.title} · {flyer.event.date} {flyer.event.time or ''} · {flyer.event.venue}"
        )
    out += [f"\nOffer: {flyer.offer}" if flyer.offer else "", f"CTA: **{flyer.cta}** → {flyer.url}"]
    jingle = writer.script(request(brief, "jingle", stage, {}), idea, seed=SEED).value
    assert isinstance(jingle, JingleScript)
    plan = jingle.plan
    out += [
        "\n## Jingle\n",
        f"Tagline (sung): *{jingle.tagline}*\n",
        "Verse: " + " / ".join(jingle.lyrics) + "\n",
        (
            f"Plan: {plan.tempo} bpm, {plan.key} {plan.mode}, {plan.mood}; {', '.join(plan.instrumentation)}; "
            f"{' '.join(plan.progression)}; {plan.drum_pattern}; {' → '.join(plan.structure)}."
        ),
    ]
    return out


def main() -> None:
    for stage, brief_name in EXAMPLES.items():
        path = HERE / f"{stage}.md"
        path.write_text(render(stage, brief_name))
        print(f"wrote {path.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
