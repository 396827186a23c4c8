"""Webhook subscriptions (CRUD), a test ping, and the delivery log with every attempt."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response

from adloom.webhooks import service as webhooks

from . import schemas as s
from .auth import Reader, Writer, runtime_of
from .errors import error_responses
from .idempotency import run_once
from .views import delivery_out, dump, webhook_out

router = APIRouter(tags=["webhooks"], responses=error_responses())
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=255,
                                       description="Makes the create safe to retry.")]


@router.get("/webhooks", response_model=list[s.WebhookOut], summary="List webhook subscriptions")
def list_webhooks(request: Request, principal: Reader) -> Any:
    with runtime_of(request).db.session() as session:
        return [webhook_out(w) for w in webhooks.list_subscriptions(session, workspace_id=principal.workspace_id)]


@router.post("/webhooks", status_code=201, response_model=s.WebhookOut,
             summary="Subscribe a URL to project status changes")
def create_webhook(request: Request, body: s.WebhookCreate, principal: Writer, idempotency_key: IdemKey = None) -> Response:
    rt = runtime_of(request)

    def action() -> tuple[int, Any]:
        with rt.db.session() as session:
            sub = webhooks.create_subscription(session, workspace_id=principal.workspace_id, url=body.url,
                                               events=body.events, description=body.description,
                                               allow_private=rt.settings.webhook_allow_private)
            return 201, dump(webhook_out(sub, reveal_secret=True))  # the only time the secret is shown

    return run_once(rt, workspace_id=principal.workspace_id, key=idempotency_key, method="POST", path="/webhooks",
                    payload=body.model_dump(mode="json"), action=action)


@router.get("/webhooks/{webhook_id}", response_model=s.WebhookOut, summary="Read a subscription")
def get_webhook(request: Request, webhook_id: str, principal: Reader) -> Any:
    with runtime_of(request).db.session() as session:
        return webhook_out(webhooks.get_subscription_or_raise(session, webhook_id, workspace_id=principal.workspace_id))


@router.patch("/webhooks/{webhook_id}", response_model=s.WebhookOut,
              summary="Change URL, events, pause (active=false) or rotate the secret")
def update_webhook(request: Request, webhook_id: str, body: s.WebhookUpdate, principal: Writer) -> Any:
    rt = runtime_of(request)
    with rt.db.session() as session:
        sub = webhooks.get_subscription_or_raise(session, webhook_id, workspace_id=principal.workspace_id)
        changed = webhooks.update_subscription(session, sub, changes=body.model_dump(exclude_unset=True),
                                               allow_private=rt.settings.webhook_allow_private)
        return webhook_out(changed, reveal_secret=body.rotate_secret)  # a new secret is shown once


@router.delete("/webhooks/{webhook_id}", status_code=204, summary="Delete a subscription and its log")
def delete_webhook(request: Request, webhook_id: str, principal: Writer) -> Response:
    with runtime_of(request).db.session() as session:
        sub = webhooks.get_subscription_or_raise(session, webhook_id, workspace_id=principal.workspace_id)
        webhooks.delete_subscription(session, sub)
    return Response(status_code=204)


@router.post("/webhooks/{webhook_id}/test", status_code=202, response_model=s.TestDeliveryOut,
             summary="Send a signed webhook.test event to this subscription")
def test_webhook(request: Request, webhook_id: str, principal: Writer) -> Any:
    dispatcher = webhooks.dispatcher_of(runtime_of(request))
    return s.TestDeliveryOut(delivery_id=dispatcher.send_test(workspace_id=principal.workspace_id,
                                                              subscription_id=webhook_id))


@router.get("/webhooks/{webhook_id}/deliveries", response_model=list[s.DeliveryOut],
            summary="The delivery log of a subscription, newest first")
def list_deliveries(request: Request, webhook_id: str, principal: Reader,
                    limit: Annotated[int, Query(ge=1, le=200)] = 50) -> Any:
    with runtime_of(request).db.session() as session:
        webhooks.get_subscription_or_raise(session, webhook_id, workspace_id=principal.workspace_id)
        rows = webhooks.list_deliveries(session, workspace_id=principal.workspace_id, subscription_id=webhook_id,
                                        limit=limit)
        return [delivery_out(session, d) for d in rows]


@router.get("/webhooks/{webhook_id}/deliveries/{delivery_id}", response_model=s.DeliveryOut,
            summary="One delivery with every attempt")
def get_delivery(request: Request, webhook_id: str, delivery_id: str, principal: Reader) -> Any:
    with runtime_of(request).db.session() as session:
        delivery = webhooks.get_delivery_or_raise(session, delivery_id, workspace_id=principal.workspace_id)
        if delivery.subscription_id != webhook_id:
            raise webhooks.WebhookNotFound(f"There is no delivery '{delivery_id}' for webhook '{webhook_id}'.")
        return delivery_out(session, delivery)
