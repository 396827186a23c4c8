"""``POST /api/v1/creative/ideas``: Aytada's public ideas endpoint, served by the local writer.

Request and response follow Aytada's API so existing clients can point at a self-hosted Adloom:
``{"product": {name, description}, "avatar": {awareness_stage}, "config": {adType, industry}}``
-> ``{"status": "success", "data": {"ideas": [...]}}``; errors are ``{"status": "error", "message"}``.

Pricing (the price list's ``ideas`` and ``ideas_reroll`` actions): the first request for a given
product/stage/ad type/industry in a workspace costs ``ideas`` (0 by default); each repeat is a
reroll — it costs ``ideas_reroll`` (2 by default) and returns different ideas (the run number is
the writer's seed). The charge is a hold captured once the ideas are written, released on failure.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from adloom.assets import registry
from adloom.campaigns.brief import Industry
from adloom.credits import service as credits
from adloom.credits.models import LedgerEntry
from adloom.errors import AdloomError, PermissionDenied
from adloom.pipeline.runtime import Runtime
from adloom.writer.base import WriterRequest
from adloom.writer.schemas import AwarenessStage

from .auth import authenticate, aytada_header, bearer, runtime_of
from .idempotency import run_once
from .schemas import Kind

router = APIRouter(tags=["creative"])


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore")


class AytadaProduct(_Open):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=5000)


class AytadaAvatar(_Open):
    awareness_stage: AwarenessStage = AwarenessStage.problem_aware


class AytadaConfig(_Open):
    adType: Kind
    industry: str = Field(default="other", max_length=100)


class AytadaIdeasRequest(_Open):
    product: AytadaProduct
    avatar: AytadaAvatar = Field(default_factory=AytadaAvatar)
    config: AytadaConfig


class AytadaIdea(BaseModel):
    title: str
    reasoning: str
    hook: str
    narrative: str
    visuals: str
    sonic: str


class AytadaIdeasData(BaseModel):
    ideas: list[AytadaIdea]


class AytadaIdeasResponse(BaseModel):
    status: Literal["success"]
    data: AytadaIdeasData


class AytadaError(BaseModel):
    status: Literal["error"]
    message: str


_ERRORS = {
    401: "Missing or invalid API key.",
    402: "Not enough credits for this request.",
    403: "The API key is read-only.",
    404: "Not found.",
    409: "Conflict.",
    422: "Invalid request body.",
    429: "Rate limit exceeded (see Retry-After).",
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": AytadaError, "description": text} for code, text in _ERRORS.items()
}


def aytada_error(exc: AdloomError) -> JSONResponse:
    body: dict[str, Any] = {"status": "error", "message": exc.message}
    body.update({k: v for k, v in exc.fields.items() if k in ("needed", "available", "retry_after")})
    headers = {"Retry-After": str(exc.fields["retry_after"])} if "retry_after" in exc.fields else None
    return JSONResponse(body, status_code=exc.status, headers=headers)


def industry_of(value: str) -> str:
    slug = value.strip().lower().replace(" ", "_").replace("-", "_")
    return slug if slug in {i.value for i in Industry} else "other"


def writer_request(body: AytadaIdeasRequest) -> WriterRequest:
    return WriterRequest(
        kind=body.config.adType, product_name=body.product.name, product_description=body.product.description,
        brand_name=body.product.name, awareness_stage=body.avatar.awareness_stage.value,
        industry=industry_of(body.config.industry), copy=registry.get(body.config.adType).copy,
    )


def fingerprint(body: AytadaIdeasRequest) -> str:
    parts = (body.product.name.strip().lower(), body.product.description.strip().lower(), body.config.adType,
             body.avatar.awareness_stage.value, industry_of(body.config.industry))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def _runs(session: Any, workspace_id: str, prefix: str) -> int:
    return int(session.scalar(
        select(func.count()).where(LedgerEntry.workspace_id == workspace_id, LedgerEntry.kind == "hold",
                                   LedgerEntry.idempotency_key.like(prefix + "%"))
    ) or 0)


def write_ideas(rt: Runtime, *, workspace_id: str, body: AytadaIdeasRequest) -> tuple[list[dict[str, Any]], int]:
    """(ideas, credits charged) — hold, write, capture; the hold is released if writing fails."""
    prefix = f"creative:{workspace_id}:{fingerprint(body)}:"
    with rt.db.session() as session:
        run = _runs(session, workspace_id, prefix)
        price = rt.prices_for(session, workspace_id).get("ideas_reroll" if run else "ideas", 0)
        hold = credits.hold(session, workspace_id=workspace_id, amount=price, idempotency_key=f"{prefix}{run}")
        hold_id = hold.id
    try:
        result = rt.writer.ideas(writer_request(body), seed=run)
    except BaseException:
        with rt.db.session() as session:
            credits.release(session, hold_id=hold_id)
        raise
    with rt.db.session() as session:
        credits.capture(session, hold_id=hold_id)
    return [idea.model_dump(mode="json") for idea in result.value.ideas], price


@router.post("/creative/ideas", response_model=AytadaIdeasResponse, responses=RESPONSES,
             dependencies=[Depends(bearer), Depends(aytada_header)],
             summary="Three creative ideas for a product (Aytada-compatible)")
def creative_ideas(
    request: Request,
    body: AytadaIdeasRequest,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=255,
                                                  description="A retry with the same key is not charged again.")] = None,
) -> Any:
    charged = [0]

    def action() -> tuple[int, Any]:
        ideas, charged[0] = write_ideas(runtime_of(request), workspace_id=principal.workspace_id, body=body)
        payload = AytadaIdeasResponse(status="success", data=AytadaIdeasData(ideas=[AytadaIdea(**i) for i in ideas]))
        return 200, payload.model_dump(mode="json")

    try:
        principal = authenticate(request)
        if "write" not in principal.scopes:
            raise PermissionDenied("This API key is read-only; generating ideas needs the write scope.")
        response = run_once(runtime_of(request), workspace_id=principal.workspace_id, key=idempotency_key,
                            method="POST", path="/creative/ideas", payload=body.model_dump(mode="json"),
                            action=action)
    except AdloomError as exc:
        return aytada_error(exc)
    response.headers["X-Adloom-Credits-Charged"] = str(charged[0])
    return response
