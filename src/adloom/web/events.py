"""Live status over server-sent events (``/dashboard/events``).

The runtime calls its ``on_status`` listeners from worker threads; :class:`EventHub` hands each
(project, status) to every open stream on its own event loop. A stream only forwards projects of
the viewer's workspace. Browsers reconnect on their own (``retry``), so a stream ends after 25 s
(a server shutdown never waits long for it), and polling remains the fallback (e.g. with Redis
workers in other processes, whose notifications never reach this process).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from adloom.projects.models import Project
from adloom.web.auth import resolve_viewer
from adloom.web.common import runtime

router = APIRouter(include_in_schema=False)
KEEPALIVE_SECONDS = 5.0
STREAM_SECONDS = 25.0  # short-lived: a server shutdown never waits long for an open stream

Subscriber = tuple[asyncio.AbstractEventLoop, "asyncio.Queue[tuple[str, str]]"]


class EventHub:
    """Fan-out of project status changes to the open SSE streams of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []

    def publish(self, project_id: str, status: str) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, (project_id, status))
            except RuntimeError:  # that loop has closed; the stream is gone
                self.unsubscribe((loop, queue))

    def subscribe(self) -> Subscriber:
        subscriber: Subscriber = (asyncio.get_running_loop(), asyncio.Queue(maxsize=1000))
        with self._lock:
            self._subscribers.append(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

    @property
    def listener(self) -> Callable[[str, str], None]:
        return self.publish


def sse(event: str, data: dict[str, str]) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def _workspace_of(request: Request, project_id: str) -> str | None:
    with runtime(request).db.session() as session:
        project = session.get(Project, project_id)
        return project.workspace_id if project else None


def _viewer_workspace(request: Request) -> str:
    with runtime(request).db.session() as session:
        return resolve_viewer(request, session).workspace_id


async def _stream(request: Request, hub: EventHub, workspace_id: str) -> AsyncIterator[str]:
    subscriber = hub.subscribe()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STREAM_SECONDS
    try:
        yield "retry: 3000\n\n"
        while loop.time() < deadline and not await request.is_disconnected():
            try:
                project_id, status = await asyncio.wait_for(subscriber[1].get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": keepalive\n\n"
                continue
            if await run_in_threadpool(_workspace_of, request, project_id) == workspace_id:
                yield sse("status", {"project": project_id, "status": status})
    finally:
        hub.unsubscribe(subscriber)


@router.get("/dashboard/events")
async def events(request: Request) -> StreamingResponse:
    workspace_id = await run_in_threadpool(_viewer_workspace, request)
    hub: EventHub = request.app.state.events
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(_stream(request, hub, workspace_id), media_type="text/event-stream", headers=headers)
