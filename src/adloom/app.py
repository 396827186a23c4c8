"""The web application factory: one place wires settings, the runtime, routes and errors."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from adloom import http_errors, observability
from adloom.accounts.throttle import SignInThrottle
from adloom.api import routes as api_routes
from adloom.hosts import is_loopback_host
from adloom.pipeline.queue import is_shared_queue
from adloom.pipeline.runtime import Runtime
from adloom.secret_key import resolve_secret_key
from adloom.settings import Settings, load_settings
from adloom.uploads import install_body_limit
from adloom.web import health
from adloom.web import routes as web_routes

log = logging.getLogger("adloom.app")


def _warm_storyboard() -> None:
    """Load every kind's storyboard painter (seconds of imports) before the first still asks."""
    from adloom.pipeline.storyboard import load_painters

    load_painters()


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None, workers: bool = True,
               bind_host: str = "127.0.0.1") -> FastAPI:
    """Build the FastAPI app. With ``workers`` (the embedded default) it consumes the queue in
    threads; with a Redis queue the separate ``adloom worker`` processes do the work.

    ``bind_host`` is the interface ``adloom serve`` listens on: on loopback only this machine can
    reach the app, which opens sign-up by default. A weak ``ADLOOM_SECRET_KEY`` stops it here.
    """
    settings = settings or (runtime.settings if runtime is not None else load_settings())
    secret_key = resolve_secret_key(settings)
    rt = runtime or Runtime(settings, migrate=True)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if workers and not is_shared_queue(settings):
            rt.worker.start(warm_up=True)
        # The scenes gate's storyboard should answer in < 1 s; its painter takes seconds to import.
        threading.Thread(target=_warm_storyboard, daemon=True, name="adloom-storyboard-warm-up").start()
        try:
            yield
        finally:
            rt.worker.stop(graceful=False)

    app = FastAPI(title="Adloom", version="0.1.0", lifespan=lifespan,
                  description="Self-hosted production house for marketing campaigns.")
    app.state.runtime = rt
    app.state.settings = settings
    app.state.secret_key = secret_key
    app.state.on_loopback = is_loopback_host(bind_host)
    app.state.sign_in_throttle = SignInThrottle(settings)

    http_errors.install(app)  # every error handler, for the dashboard and the API, in one place
    install_body_limit(app, max_upload_mb=settings.max_upload_mb, max_clip_mb=settings.max_clip_mb)  # 413 before a huge body is read
    app.include_router(health.router)
    app.include_router(observability.router)  # /metrics
    web_routes.install(app)
    api_routes.install(app)
    return app
