"""The campaign side of the marketer's journey: edit every field after creation (photos added
through the file input, removed and reordered; offer, price and URL; pillars as a new strategy
version), "Draft my strategy" for free, the Hub's strategy version and fonts, credit wording and
the instance administrator's grant from the dashboard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factories import make_settings
from fastapi.testclient import TestClient
from helpers_web import client_for, csrf_of, shared_file, sign_up
from sqlalchemy import select

from adloom.accounts.models import User, Workspace
from adloom.brands.models import BrandKit
from adloom.campaigns.models import Campaign, StrategyVersion
from adloom.credits import service as credits
from adloom.credits.models import LedgerEntry
from adloom.projects.models import Project

ADMIN = "admin@example.com"


@pytest.fixture
def rt(tmp_path: Path, database_url: str) -> Iterator[Any]:
    from adloom.pipeline.runtime import Runtime

    runtime = Runtime(make_settings(tmp_path, database_url=database_url, admin_emails=f"boss@x.org, {ADMIN}"),
                      migrate=True)
    yield runtime
    runtime.close()


def _file(name: str, media: str = "image/png") -> tuple[str, bytes, str]:
    return (name, shared_file("fixtures", "images", name).read_bytes(), media)


def _read(rt: Any, key: str) -> bytes:
    return b"".join(rt.storage.open_stream(key))


def _create(client: TestClient, *, photos: list[tuple[str, bytes, str]], **extra: str) -> str:
    fields = {"csrf_token": csrf_of(client, "/dashboard/campaigns/new"), "name": "Saltmarsh launch",
              "product_name": "Saltmarsh Coffee", "description": "Small-batch coffee roasted by the sea.",
              "offer": "10% off the first bag", "price": "€12", **extra}
    response = client.post("/dashboard/campaigns", data=fields, files=[("photos", p) for p in photos])
    assert response.status_code == 303, response.text[:1500]
    return str(response.headers["location"].rsplit("/", 1)[-1])


def _campaign(rt: Any, campaign_id: str) -> Campaign:
    with rt.db.session() as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        session.expunge(campaign)
        return campaign


def _edit_form(client: TestClient, campaign_id: str) -> dict[str, Any]:
    """The edit page's own values, as a browser would submit them unchanged."""
    page = client.get(f"/dashboard/campaigns/{campaign_id}/edit")
    assert page.status_code == 200, page.text[:800]
    text = page.text
    values: dict[str, Any] = {"csrf_token": csrf_of(client, f"/dashboard/campaigns/{campaign_id}/edit")}
    for name, value in re.findall(r'<input [^>]*?type="(?:text|url|color)" name="([a-z_]+)" value="([^"]*)"', text):
        values[name] = value
    for name, value in re.findall(r'<textarea [^>]*?name="([a-z_]+)"[^>]*>([^<]*)</textarea>', text):
        values[name] = value
    for name, body in re.findall(r'<select [^>]*?name="([a-z_]+)">(.*?)</select>', text):
        values[name] = re.search(r'<option value="([^"]+)" selected', body).group(1)  # type: ignore[union-attr]
    values["photo"] = re.findall(r'name="photo" value="([^"]+)"', text)
    values["photo_position"] = re.findall(r'name="photo_position" value="([^"]+)"', text)
    return values


def test_the_edit_page_adds_removes_and_reorders_photos(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "edit@example.com")
    campaign_id = _create(client, photos=[_file("coffee.png"), _file("rocket.jpg", "image/jpeg")])
    first, second = _campaign(rt, campaign_id).product["photos"]
    form = _edit_form(client, campaign_id)
    assert form["photo"] == [first, second] and form["name"] == "Saltmarsh launch"
    form["photo_position"] = ["2", "1"]  # swap them, and add the logo image as a third photo
    saved = client.post(f"/dashboard/campaigns/{campaign_id}/edit", data=form,
                        files=[("photos", _file("logo.png")), ("logo", _file("logo.png"))])
    assert saved.status_code == 303, saved.text[:1500]
    photos = _campaign(rt, campaign_id).product["photos"]
    with rt.db.session() as session:
        brand = session.get(BrandKit, _campaign(rt, campaign_id).brand_kit_id)
        assert brand is not None and brand.logo_key and _read(rt, brand.logo_key) == _file("logo.png")[1]
    assert photos[:2] == [second, first] and len(photos) == 3
    assert _read(rt, photos[2]) == _file("logo.png")[1]
    form = _edit_form(client, campaign_id)
    form["remove_photo"] = [second]
    assert client.post(f"/dashboard/campaigns/{campaign_id}/edit", data=form).status_code == 303
    assert _campaign(rt, campaign_id).product["photos"] == [first, photos[2]]
    hub = client.get(f"/dashboard/campaigns/{campaign_id}/photo/0")
    assert hub.content == _file("coffee.png")[1]


def test_an_invalid_edit_changes_nothing_and_says_which_field(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "bad@example.com")
    campaign_id = _create(client, photos=[])
    form = _edit_form(client, campaign_id)
    form.update(url="not a link", price="x" * 101)
    response = client.post(f"/dashboard/campaigns/{campaign_id}/edit", data=form,
                           files=[("photos", ("fake.png", b"not an image", "image/png"))])
    assert response.status_code == 422, response.status_code
    campaign = _campaign(rt, campaign_id)
    assert campaign.product["photos"] == [] and campaign.product["price"] == "€12"
    form = _edit_form(client, campaign_id)
    form.update(url="not a link", price="x" * 101)
    response = client.post(f"/dashboard/campaigns/{campaign_id}/edit", data=form)
    assert response.status_code == 422 and "product.url" in response.text and "product.price" in response.text


def test_offer_price_and_url_changes_show_on_the_hub_and_reach_the_next_project_only(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "offer@example.com")
    campaign_id = _create(client, photos=[_file("coffee.png")], messaging="Coffee that tastes of the sea.")
    token = csrf_of(client, f"/dashboard/campaigns/{campaign_id}")
    before = client.post(f"/dashboard/campaigns/{campaign_id}/projects", data={"kind": "flyer", "csrf_token": token})
    assert before.status_code == 303, before.text[:800]
    form = _edit_form(client, campaign_id)
    form.update(offer="Two bags for €20", price="€10", url="https://saltmarsh.example/shop",
                messaging="Roasted by the sea, delivered in two days.", awareness_stage="product_aware")
    assert client.post(f"/dashboard/campaigns/{campaign_id}/edit", data=form).status_code == 303
    hub = client.get(f"/dashboard/campaigns/{campaign_id}").text
    assert "Two bags for €20" in hub and "€10" in hub and "saltmarsh.example/shop" in hub
    assert "Strategy version 2" in hub and "Product aware" in hub  # the label, not the enum word
    token = csrf_of(client, f"/dashboard/campaigns/{campaign_id}")
    assert client.post(f"/dashboard/campaigns/{campaign_id}/projects",
                       data={"kind": "flyer", "csrf_token": token}).status_code == 303
    with rt.db.session() as session:
        old, new = session.scalars(select(Project).where(Project.campaign_id == campaign_id)
                                   .order_by(Project.created_at)).all()
        versions = session.scalars(select(StrategyVersion.version).where(
            StrategyVersion.campaign_id == campaign_id)).all()
        assert sorted(versions) == [1, 2]
        assert old.snapshot["product"]["offer"] == "10% off the first bag" and old.snapshot["strategy"]["version"] == 1
        assert old.snapshot["strategy"]["messaging"] == "Coffee that tastes of the sea."
        assert new.snapshot["product"]["offer"] == "Two bags for €20" and new.snapshot["product"]["price"] == "€10"
        assert new.snapshot["product"]["url"] == "https://saltmarsh.example/shop"
        assert new.snapshot["strategy"] == {**new.snapshot["strategy"], "version": 2,
                                            "messaging": "Roasted by the sea, delivered in two days."}
        assert new.snapshot["campaign"]["awareness_stage"] == "product_aware"


def test_an_unchanged_save_adds_no_strategy_version(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "same@example.com")
    campaign_id = _create(client, photos=[], audience="Coffee people.")
    assert client.post(f"/dashboard/campaigns/{campaign_id}/edit", data=_edit_form(client, campaign_id)).status_code == 303
    assert _campaign(rt, campaign_id).strategy_version == 1


def test_draft_my_strategy_fills_only_the_empty_pillars_for_free(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "draft@example.com")
    campaign_id = _create(client, photos=[], goals="Sell 200 bags by June.")
    hub = client.get(f"/dashboard/campaigns/{campaign_id}").text
    assert "Not written yet" not in hub and "Draft my strategy" in hub
    assert hub.count(">Draft my strategy · free</button>") == 1, "one action for the whole strategy, not one per empty pillar"
    assert sorted(re.findall(r'data-draft-one="([a-z]+)"', hub)) == ["audience", "messaging"]
    with rt.db.session() as session:
        workspace_id = _campaign(rt, campaign_id).workspace_id
        balance = credits.get_balance(session, workspace_id=workspace_id)
        ledger = len(credits.list_ledger(session, workspace_id=workspace_id, limit=100))
    token = csrf_of(client, f"/dashboard/campaigns/{campaign_id}")
    response = client.post(f"/dashboard/campaigns/{campaign_id}/strategy/draft", data={"csrf_token": token})
    assert response.status_code == 303
    with rt.db.session() as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None and campaign.strategy_version == 2
        strategy = session.scalars(select(StrategyVersion).where(StrategyVersion.campaign_id == campaign_id,
                                                                 StrategyVersion.version == 2)).one()
        assert strategy.goals == "Sell 200 bags by June."
        assert "coffee" in (strategy.audience + strategy.messaging).lower() and strategy.audience
        assert credits.get_balance(session, workspace_id=workspace_id) == balance
        assert len(credits.list_ledger(session, workspace_id=workspace_id, limit=100)) == ledger
    hub = client.get(f"/dashboard/campaigns/{campaign_id}").text
    assert "Draft my strategy" not in hub and "Strategy version 2" in hub


def test_a_pillar_opens_its_editor_on_click_and_the_header_follows_the_version(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "pillar@example.com")
    campaign_id = _create(client, photos=[], audience="Coffee people.")
    hub = client.get(f"/dashboard/campaigns/{campaign_id}").text
    text_div = re.search(r'<div class="pillar-text[^"]*"[^>]*>Coffee people\.', hub)
    assert text_div and f'hx-get="/dashboard/campaigns/{campaign_id}/pillars/audience?edit=1"' in text_div.group(0)
    assert hub.count("Strategy version 1") == 1 and "Strategy v1" not in hub
    token = csrf_of(client, f"/dashboard/campaigns/{campaign_id}")
    saved = client.post(f"/dashboard/campaigns/{campaign_id}/pillars/audience",
                        data={"text": "Coffee lovers by the coast.", "csrf_token": token}, headers={"HX-Request": "true"})
    assert re.search(r'id="strategy-version" hx-swap-oob="true">Strategy version 2<', saved.text), saved.text


def test_the_hub_names_the_fonts_the_renderers_use(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "fonts@example.com")
    campaign_id = _create(client, photos=[])
    hub = client.get(f"/dashboard/campaigns/{campaign_id}").text
    assert "Manrope (for Inter)" in hub and "Inter / Inter" not in hub


def test_credit_messages_do_not_offer_a_purchase_and_count_correctly(rt: Any) -> None:
    from adloom.errors import InsufficientCredits

    one = InsufficientCredits(needed=5, available=1)
    assert str(one.message) == "This needs 5 credits but only 1 credit is available."
    assert "buy" not in str(one).lower()
    assert InsufficientCredits(needed=1, available=0).message == "This needs 1 credit but only 0 credits are available."
    templates = Path(__file__).resolve().parents[2] / "src" / "adloom" / "web" / "templates"
    for page in templates.rglob("*.html"):
        words = page.read_text(encoding="utf-8").lower()
        assert "buy more" not in words and "are available. ask an owner" not in words, page


def _workspace_of(rt: Any, email: str) -> str:
    from adloom.accounts.models import Membership

    with rt.db.session() as session:
        user = session.scalars(select(User).where(User.email == email)).one()
        return str(session.scalars(select(Membership.workspace_id).where(Membership.user_id == user.id)).one())


def test_an_instance_admin_grants_credits_from_the_dashboard(rt: Any) -> None:
    owner = client_for(rt)
    sign_up(owner, "owner@example.com", workspace="Saltmarsh")
    admin = client_for(rt)
    sign_up(admin, ADMIN.upper())
    target = _workspace_of(rt, "owner@example.com")
    page = owner.get("/dashboard/credits").text
    assert "Grant credits" not in page
    assert "Ask your Adloom administrator (" in page and f"mailto:{ADMIN}" in page
    page = admin.get("/dashboard/credits").text
    assert "Grant credits" in page and f'value="{target}"' in page
    key = re.search(r'name="grant_key" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    with rt.db.session() as session:
        before = credits.get_balance(session, workspace_id=target).available
    data = {"workspace_id": target, "amount": "40", "note": "launch month", "grant_key": key,
            "csrf_token": csrf_of(admin, "/dashboard/credits")}
    assert admin.post("/dashboard/credits/grant", data=data).status_code == 303
    assert admin.post("/dashboard/credits/grant", data=data).status_code == 303  # a double submit grants once
    with rt.db.session() as session:
        assert credits.get_balance(session, workspace_id=target).available == before + 40
        grants = session.scalars(select(LedgerEntry).where(LedgerEntry.workspace_id == target,
                                                           LedgerEntry.kind == "grant", LedgerEntry.amount == 40)).all()
        assert len(grants) == 1 and grants[0].note == f"launch month (by {ADMIN})"
    assert "launch month" in owner.get("/dashboard/credits").text


def test_a_workspace_owner_who_is_not_an_admin_cannot_grant(rt: Any) -> None:
    owner = client_for(rt)
    sign_up(owner, "greedy@example.com")
    target = _workspace_of(rt, "greedy@example.com")
    with rt.db.session() as session:
        before = credits.get_balance(session, workspace_id=target).available
        assert session.get(Workspace, target) is not None
    data = {"workspace_id": target, "amount": "1000", "grant_key": "k1", "csrf_token": csrf_of(owner, "/dashboard/credits")}
    response = owner.post("/dashboard/credits/grant", data=data)
    assert response.status_code == 403, response.status_code
    with rt.db.session() as session:
        assert credits.get_balance(session, workspace_id=target).available == before


def test_draft_only_this_one_fills_that_pillar_and_a_last_empty_pillar_offers_no_second_button(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "one@example.com")
    campaign_id = _create(client, photos=[], goals="Sell 200 bags by June.")
    token = csrf_of(client, f"/dashboard/campaigns/{campaign_id}")
    response = client.post(f"/dashboard/campaigns/{campaign_id}/strategy/draft",
                           data={"csrf_token": token, "pillar": "messaging"})
    assert response.status_code == 303 and response.headers["location"].endswith("#pillar-messaging")
    with rt.db.session() as session:
        strategy = session.scalars(select(StrategyVersion).where(StrategyVersion.campaign_id == campaign_id,
                                                                 StrategyVersion.version == 2)).one()
        assert strategy.messaging and not strategy.audience and strategy.goals == "Sell 200 bags by June."
    hub = client.get(f"/dashboard/campaigns/{campaign_id}").text
    assert hub.count(">Draft my strategy · free</button>") == 1 and "data-draft-one" not in hub  # one empty pillar: one button
    assert f'hx-get="/dashboard/campaigns/{campaign_id}/pillars/audience?edit=1"' in hub  # and "Write it"
    token = csrf_of(client, f"/dashboard/campaigns/{campaign_id}")
    refused = client.post(f"/dashboard/campaigns/{campaign_id}/strategy/draft",
                          data={"csrf_token": token, "pillar": "budget"})
    assert refused.status_code == 422 and _campaign(rt, campaign_id).strategy_version == 2
    saved = client.post(f"/dashboard/campaigns/{campaign_id}/pillars/audience", headers={"HX-Request": "true"},
                        data={"text": "Coffee lovers by the coast.", "csrf_token": token})
    assert re.search(r'<span id="strategy-draft" hx-swap-oob="true"></span>', saved.text), saved.text


def _field_names(page: str) -> set[str]:
    return set(re.findall(r'<(?:input|textarea|select)\b[^>]*?\bname="([a-z_]+)"', page)) - {"csrf_token"}


def test_the_new_and_edit_forms_offer_the_same_campaign_fields(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "fields@example.com")
    new = client.get("/dashboard/campaigns/new").text
    form_part = new.split('action="/dashboard/campaigns"', 1)[1].split("</form>", 1)[0]
    campaign_id = _create(client, photos=[_file("coffee.png")])
    edit = client.get(f"/dashboard/campaigns/{campaign_id}/edit").text
    only_on_edit = {"photo", "photo_position", "remove_photo", "remove_logo"}
    only_on_new = {"clips"}  # video clips are added when the campaign is made; an edit keeps them
    assert _field_names(form_part) - only_on_new == _field_names(edit) - only_on_edit
    assert {"name", "offer", "price", "url", "awareness_stage", "primary", "logo", "photos"} <= _field_names(form_part)
    assert "remove_photo" in _field_names(edit)


def test_trigger_style_colours_and_logo_are_edited_and_reach_the_next_project(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "brand-edit@example.com")
    token = csrf_of(client, "/dashboard/campaigns/new")
    created = client.post("/dashboard/campaigns", files=[("logo", _file("logo.png"))],
                          data={"csrf_token": token, "name": "Tide", "product_name": "Tide Tea",
                                "description": "Loose-leaf tea blended on the coast."})
    campaign_id = str(created.headers["location"].rsplit("/", 1)[-1])
    form = _edit_form(client, campaign_id)
    assert form["persuasion_trigger"] != "scarcity" and form["creative_style"] != "ugc"
    form.update(persuasion_trigger="scarcity", creative_style="ugc", primary="#123456", accent="#abcdef",
                remove_logo="1")
    assert client.post(f"/dashboard/campaigns/{campaign_id}/edit", data=form).status_code == 303
    campaign = _campaign(rt, campaign_id)
    assert (campaign.persuasion_trigger, campaign.creative_style) == ("scarcity", "ugc")
    with rt.db.session() as session:
        brand = session.get(BrandKit, campaign.brand_kit_id)
        assert brand is not None and brand.logo_key is None
        assert (brand.colors["primary"].lower(), brand.colors["accent"].lower()) == ("#123456", "#abcdef")
    hub = client.get(f"/dashboard/campaigns/{campaign_id}").text
    assert "Scarcity" in hub and "UGC style" in hub
    token = csrf_of(client, f"/dashboard/campaigns/{campaign_id}")
    assert client.post(f"/dashboard/campaigns/{campaign_id}/projects",
                       data={"kind": "flyer", "csrf_token": token}).status_code == 303
    with rt.db.session() as session:
        project = session.scalars(select(Project).where(Project.campaign_id == campaign_id)).one()
        assert project.snapshot["campaign"]["persuasion_trigger"] == "scarcity"
        assert project.snapshot["campaign"]["creative_style"] == "ugc"
        assert project.snapshot["brand"]["colors"]["primary"].lower() == "#123456"
        assert not project.snapshot["brand"].get("logo_key")
