"""The REST API under /api/v1: routers, OpenAPI. ``install(app)`` wires it in."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from . import account, campaigns, creative, hooks, projects

PREFIX = "/api/v1"


def build_router() -> APIRouter:
    router = APIRouter(prefix=PREFIX)
    for module in (account, campaigns, projects, hooks, creative):
        router.include_router(module.router)
    return router


def install(app: FastAPI) -> None:
    """Called by the app factory: mount /api/v1 (its errors are rendered by adloom.http_errors)."""
    app.include_router(build_router())
