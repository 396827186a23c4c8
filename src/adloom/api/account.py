"""Credits (balance, ledger, prices), brand kits and the calling key (/me)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from adloom.accounts.models import Workspace
from adloom.brands.models import BrandKit
from adloom.credits import service as credits
from adloom.errors import NotFoundError

from . import schemas as s
from .auth import Reader, Writer, runtime_of
from .errors import error_responses
from .idempotency import run_once
from .views import brand_out, dump, ledger_out

router = APIRouter(responses=error_responses())
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=255,
                                       description="Makes the create safe to retry.")]


@router.get("/me", response_model=s.MeOut, tags=["account"], summary="The calling API key and its workspace")
def me(request: Request, principal: Reader) -> Any:
    with runtime_of(request).db.session() as session:
        workspace = session.get(Workspace, principal.workspace_id)
        return s.MeOut(workspace_id=principal.workspace_id, workspace_name=workspace.name if workspace else "",
                       key_id=principal.key_id, scopes=list(principal.scopes),
                       rate_limit_per_minute=principal.rate_limit_per_minute)


@router.get("/credits/balance", response_model=s.BalanceOut, tags=["credits"], summary="Available and held credits")
def balance(request: Request, principal: Reader) -> Any:
    with runtime_of(request).db.session() as session:
        b = credits.get_balance(session, workspace_id=principal.workspace_id)
        return s.BalanceOut(available=b.available, held=b.held)


@router.get("/credits/ledger", response_model=list[s.LedgerEntryOut], tags=["credits"],
            summary="Credit movements, newest first")
def ledger(request: Request, principal: Reader, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Any:
    with runtime_of(request).db.session() as session:
        return [ledger_out(e) for e in credits.list_ledger(session, workspace_id=principal.workspace_id, limit=limit)]


@router.get("/credits/prices", response_model=dict[str, int], tags=["credits"], summary="The price list (credits per action)")
def prices(request: Request, principal: Reader) -> Any:
    rt = runtime_of(request)
    with rt.db.session() as session:
        return rt.prices_for(session, principal.workspace_id)


def _brand(session: Session, brand_id: str, workspace_id: str) -> BrandKit:
    brand = session.get(BrandKit, brand_id)
    if brand is None or brand.workspace_id != workspace_id:
        raise NotFoundError(f"There is no brand kit '{brand_id}' in this workspace.")
    return brand


@router.get("/brand-kits", response_model=list[s.BrandKitOut], tags=["brand kits"], summary="List brand kits")
def list_brands(request: Request, principal: Reader) -> Any:
    with runtime_of(request).db.session() as session:
        rows = session.scalars(select(BrandKit).where(BrandKit.workspace_id == principal.workspace_id)
                               .order_by(BrandKit.created_at))
        return [brand_out(b) for b in rows]


@router.post("/brand-kits", status_code=201, response_model=s.BrandKitOut, tags=["brand kits"],
             summary="Create a brand kit")
def create_brand(request: Request, body: s.BrandKitCreate, principal: Writer, idempotency_key: IdemKey = None) -> Response:
    rt = runtime_of(request)

    def action() -> tuple[int, Any]:
        with rt.db.session() as session:
            brand = BrandKit(workspace_id=principal.workspace_id, name=body.name, colors=body.colors.model_dump(),
                             heading_font=body.heading_font, body_font=body.body_font, tone=body.tone,
                             tagline=body.tagline)
            session.add(brand)
            session.flush()
            return 201, dump(brand_out(brand))

    return run_once(rt, workspace_id=principal.workspace_id, key=idempotency_key, method="POST",
                    path="/brand-kits", payload=body.model_dump(mode="json"), action=action)


@router.get("/brand-kits/{brand_kit_id}", response_model=s.BrandKitOut, tags=["brand kits"], summary="Read a brand kit")
def get_brand(request: Request, brand_kit_id: str, principal: Reader) -> Any:
    with runtime_of(request).db.session() as session:
        return brand_out(_brand(session, brand_kit_id, principal.workspace_id))


@router.patch("/brand-kits/{brand_kit_id}", response_model=s.BrandKitOut, tags=["brand kits"],
              summary="Update a brand kit (used by the next generations)")
def update_brand(request: Request, brand_kit_id: str, body: s.BrandKitUpdate, principal: Writer) -> Any:
    with runtime_of(request).db.session() as session:
        brand = _brand(session, brand_kit_id, principal.workspace_id)
        changes = body.model_dump(exclude_unset=True, exclude_none=True, mode="json")
        for field, value in changes.items():
            setattr(brand, field, value)
        session.flush()
        return brand_out(brand)


@router.delete("/brand-kits/{brand_kit_id}", status_code=204, tags=["brand kits"],
               summary="Delete a brand kit (campaigns using it keep their own snapshot)")
def delete_brand(request: Request, brand_kit_id: str, principal: Writer) -> Response:
    with runtime_of(request).db.session() as session:
        session.delete(_brand(session, brand_kit_id, principal.workspace_id))
    return Response(status_code=204)
