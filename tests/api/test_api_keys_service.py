"""API key secrets: format, hashing at rest, verification, scopes and revocation."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from adloom.accounts import apikeys
from adloom.accounts import service as accounts
from adloom.errors import AuthError, NotFoundError, ValidationError
from adloom.pipeline.runtime import Runtime
from adloom.settings import load_settings


@pytest.fixture()
def keys_rt(tmp_path: Path) -> Iterator[Runtime]:
    rt = Runtime(load_settings(data_dir=tmp_path, queue_url="immediate"), migrate=True)
    yield rt
    rt.close()


def test_secret_format_and_hash_at_rest(keys_rt: Runtime) -> None:
    with keys_rt.db.session() as s:
        ws = accounts.create_workspace(s, name="Acme", welcome_credits=0)
        key, secret = apikeys.create_api_key(s, workspace_id=ws.id, name="ci", scopes="write")
        assert re.fullmatch(r"adl_[a-z0-9]{8}_[A-Za-z0-9_-]{32}", secret)
        assert key.prefix == secret[4:12]
        assert key.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (key.secret_hash, key.prefix, key.name)
        assert key.scopes == "read,write"
        assert apikeys.verify_api_key(s, secret).id == key.id


def test_wrong_malformed_and_revoked_secrets_are_refused(keys_rt: Runtime) -> None:
    with keys_rt.db.session() as s:
        ws = accounts.create_workspace(s, name="Acme", welcome_credits=0)
        other = accounts.create_workspace(s, name="Other", welcome_credits=0)
        key, secret = apikeys.create_api_key(s, workspace_id=ws.id, name="ro", scopes=["read"])
        assert key.scopes == "read" and not apikeys.has_scope(key, "write")
        for bad in ("", "adl_", "nope", secret[:-1] + ("A" if secret[-1] != "A" else "B"), "adl_12345678x" + "a" * 32):
            with pytest.raises(AuthError):
                apikeys.verify_api_key(s, bad)
        with pytest.raises(NotFoundError):
            apikeys.revoke_api_key(s, workspace_id=other.id, key_id=key.id)
        revoked = apikeys.revoke_api_key(s, workspace_id=ws.id, key_id=key.id)
        first = revoked.revoked_at
        assert apikeys.revoke_api_key(s, workspace_id=ws.id, key_id=key.id).revoked_at == first
        with pytest.raises(AuthError, match="revoked"):
            apikeys.verify_api_key(s, secret)
        assert [k.id for k in apikeys.list_api_keys(s, workspace_id=ws.id, include_revoked=False)] == []


def test_unknown_scope_is_a_validation_error(keys_rt: Runtime) -> None:
    with keys_rt.db.session() as s:
        ws = accounts.create_workspace(s, name="Acme", welcome_credits=0)
        with pytest.raises(ValidationError):
            apikeys.create_api_key(s, workspace_id=ws.id, name="x", scopes="admin")


def test_download_names_say_campaign_kind_format_and_variant() -> None:
    from adloom.projects.downloads import disposition, download_name
    from adloom.projects.models import Asset

    def name(asset: Asset, campaign: str = "Saltmarsh Coffee", kind: str = "banner") -> str:
        return download_name(asset, campaign=campaign, kind=kind)

    assert name(Asset(name="v0.png", label="300x250", role="image")) == "Saltmarsh-Coffee-banner-300x250-v1.png"
    assert name(Asset(name="v1.png", label="728x90", role="image")) == "Saltmarsh-Coffee-banner-728x90-v2.png"
    assert name(Asset(name="v0.png", label="300x250", role="final")) == "Saltmarsh-Coffee-banner-300x250-final.png"
    assert name(Asset(name="northbound-300x250.zip", label="300x250", role="zip")) == \
        "Saltmarsh-Coffee-banner-northbound-300x250.zip"
    assert name(Asset(name="contact sheet.png", label="contact sheet", role="contact_sheet")) == \
        "Saltmarsh-Coffee-banner-contact-sheet.png"
    assert name(Asset(name="final.mp4", label="9:16", role="final"), "Café «Olé» & Co", "video") == \
        "Café-Olé-Co-video-9-16-final.mp4"
    hostile = name(Asset(name='a"b\r\n.p"ng', label="", role="image"))
    assert '"' not in hostile and "\r" not in hostile and "\n" not in hostile
    assert disposition("Café-video.mp4") == \
        "attachment; filename=\"Cafe-video.mp4\"; filename*=UTF-8''Caf%C3%A9-video.mp4"


def test_nul_characters_in_brief_data_are_located() -> None:
    from adloom.api.campaigns import nul_problems

    data = {"name": "ok", "product": {"photos": ["a.png", "b\x00.png"]}, "brand": {"logo": "\x00"}}
    assert nul_problems(data) == [("product.photos[1]", "contains a NUL character"),
                                  ("brand.logo", "contains a NUL character")]
    assert nul_problems({"name": "fine", "n": 3}) == []
