"""Who may call a dashboard route, declared once as FastAPI dependencies.

A route names the role it needs in its signature — ``viewer: SignedIn`` (any member),
``viewer: Editor`` (owners and editors: changes and spending credits) or ``viewer: Owner`` — and
FastAPI refuses the request before the route body runs: signed out → LoginRequired (a redirect
to /login), too weak a role → PermissionDenied (403). The routers' CSRF/Origin check
(:func:`adloom.web.auth.check_csrf`) runs before these. The viewer is resolved once per request
(:func:`adloom.web.common.signed_in_viewer`), so a route that then opens ``viewer_session`` gets
the same viewer without reading the session again.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from adloom.web.auth import Viewer, require_editor, require_owner
from adloom.web.common import runtime, signed_in_viewer


def signed_in(request: Request) -> Viewer:
    """The signed-in member of the current workspace."""
    with runtime(request).db.session() as session:
        return signed_in_viewer(request, session)


def editor(viewer: Annotated[Viewer, Depends(signed_in)]) -> Viewer:
    """A member who may change the workspace and spend its credits (owner or editor)."""
    require_editor(viewer)
    return viewer


def owner(viewer: Annotated[Viewer, Depends(signed_in)]) -> Viewer:
    """An owner of the current workspace."""
    require_owner(viewer)
    return viewer


SignedIn = Annotated[Viewer, Depends(signed_in)]
Editor = Annotated[Viewer, Depends(editor)]
Owner = Annotated[Viewer, Depends(owner)]
