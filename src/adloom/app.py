"""The web application factory: one place wires settings, the runtime, routes and errors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from adloom.pipeline.queue import is_shared_queue
from adloom.pipeline.runtime import Runtime
from adloom.settings import Settings, load_settings
from adloom.uploads import install_body_limit

log = logging.getLogger("adloom.app")


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None, workers: bool = True) -> FastAPI:
    """Build the FastAPI app. With ``workers`` (the embedded default) it consumes the queue in
    threads; with a Redis queue the separate ``adloom worker`` processes do the work."""
    settings = settings or load_settings()
    rt = runtime or Runtime(settings, migrate=True)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if workers and not is_shared_queue(settings):
            rt.start_workers(warm_up=True)
        try:
            yield
        finally:
            rt.stop_workers(graceful=False)

    app = FastAPI(title="Adloom", version="0.1.0", lifespan=lifespan,
                  description="Self-hosted production house for marketing campaigns.")
    app.state.runtime = rt
    app.state.settings = settings

    from adloom.web import errors, health, routes

    errors.install(app)
    install_body_limit(app, max_upload_mb=settings.max_upload_mb)  # 413 before a huge body is read
    app.include_router(health.router)
    app.include_router(__import__("adloom.observability").observability.router)  # /metrics
    routes.install(app)
    try:
        from adloom.api import routes as api_routes
    except ImportError:  # the REST API package is optional while it is being built
        api_routes = None  # type: ignore[assignment]
    if api_routes is not None and hasattr(api_routes, "install"):
        api_routes.install(app)
    return app
