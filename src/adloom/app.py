"""The web application factory: one place wires settings, the runtime, routes and errors."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from adloom.accounts.throttle import SignInThrottle
from adloom.hosts import is_loopback_host
from adloom.pipeline.queue import is_shared_queue
from adloom.pipeline.runtime import Runtime
from adloom.secret_key import resolve_secret_key
from adloom.settings import Settings, load_settings
from adloom.uploads import install_body_limit

log = logging.getLogger("adloom.app")


def _warm_storyboard() -> None:
    import importlib

    importlib.import_module("adloom.assets.video.storyboard")


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
            rt.start_workers(warm_up=True)
        # The scenes gate's storyboard should answer in < 1 s; its painter takes seconds to import.
        threading.Thread(target=_warm_storyboard, daemon=True, name="adloom-storyboard-warm-up").start()
        try:
            yield
        finally:
            rt.stop_workers(graceful=False)

    app = FastAPI(title="Adloom", version="0.1.0", lifespan=lifespan,
                  description="Self-hosted production house for marketing campaigns.")
    app.state.runtime = rt
    app.state.settings = settings
    app.state.secret_key = secret_key
    app.state.on_loopback = is_loopback_host(bind_host)
    app.state.sign_in_throttle = SignInThrottle(settings)

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
