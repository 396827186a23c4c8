"""Sign up, sign in, sign out, password change and reset, invitations, members and workspace switching."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from adloom.accounts import membership as people
from adloom.accounts import service as accounts
from adloom.accounts import sessions as signins
from adloom.accounts.models import Membership, User, Workspace
from adloom.accounts.throttle import SignInThrottle
from adloom.errors import AdloomError, TooManyAttempts
from adloom.web.auth import Viewer, choose_workspace, sign_in, sign_out
from adloom.web.common import redirect, render, runtime, viewer_session
from adloom.web.deps import Owner

log = logging.getLogger("adloom.web")
router = APIRouter(include_in_schema=False)


def _safe_next(url: str | None) -> str:
    return url if url and url.startswith("/dashboard") and "//" not in url else "/dashboard"


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "accounts/login.html", {"error": None, "next": _safe_next(next), "email": ""})


def _throttle(request: Request) -> SignInThrottle:
    throttle: SignInThrottle = request.app.state.sign_in_throttle
    return throttle


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _retry_headers(exc: AdloomError) -> dict[str, str]:
    return {"Retry-After": str(exc.fields["retry_after"])} if "retry_after" in exc.fields else {}


@router.post("/login")
def login(request: Request, email: str = Form(""), password: str = Form(""), next: str = Form("")) -> Response:
    context = {"next": _safe_next(next), "email": email}
    throttle, address = _throttle(request), _address(request)
    try:
        throttle.check_sign_in(email=email, address=address)
    except TooManyAttempts as exc:
        return render(request, "accounts/login.html", {**context, "error": str(exc)}, status_code=exc.status,
                      headers=_retry_headers(exc))
    with runtime(request).db.session() as session:
        user = accounts.authenticate(session, email=email, password=password)
    if user is None:
        throttle.record_failure(email=email, address=address)
        return render(request, "accounts/login.html",
                      {**context, "error": "That email and password do not match an account. Check them, or reset your password."},
                      status_code=401)
    response = redirect(request, _safe_next(next))
    sign_in(request, response, user)
    return response


def _signup_policy(request: Request) -> str:
    return people.signup_policy(runtime(request).settings.signup, on_loopback=request.app.state.on_loopback)


@router.get("/signup")
def signup_page(request: Request, invite: str | None = None) -> Response:
    policy = _signup_policy(request)
    return render(request, "accounts/signup.html",
                  {"error": None, "form": {}, "invite": invite or "", "policy": policy})


@router.post("/signup")
def signup(request: Request, email: str = Form(""), password: str = Form(""), name: str = Form(""),
           workspace: str = Form(""), invite: str = Form("")) -> Response:
    rt = runtime(request)
    policy = _signup_policy(request)
    try:
        _throttle(request).hit_sign_up(address=_address(request))
        with rt.db.session() as session:
            people.check_signup_allowed(session, policy=policy, invite=invite, email=email)
            user = people.sign_up(session, email=email, password=password, name=name, workspace_name=workspace,
                                  welcome_credits=rt.settings.welcome_credits)
            workspace_id = None
            if invite:
                workspace_id = people.accept_invitation(session, token=invite, user=user).workspace_id
    except AdloomError as exc:
        form = {"email": email, "name": name, "workspace": workspace}
        return render(request, "accounts/signup.html",
                      {"error": exc, "form": form, "invite": invite, "policy": policy},
                      status_code=exc.status, headers=_retry_headers(exc))
    response = redirect(request, "/dashboard")
    sign_in(request, response, user, workspace_id)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    response = redirect(request, "/login")
    sign_out(request, response)
    return response


@router.get("/reset")
def reset_page(request: Request) -> Response:
    return render(request, "accounts/reset_request.html", {"sent": False})


@router.post("/reset")
def reset_request(request: Request, email: str = Form("")) -> Response:
    rt = runtime(request)
    with rt.db.session() as session:
        token = people.start_password_reset(session, email=email)
    if token:
        link = f"{rt.settings.base_url.rstrip('/')}/reset/{token}"
        # No mail server: the link goes to the server log (and the console), for the admin to pass on.
        log.warning("Password reset link for %s: %s", email.strip().lower(), link)
        print(f"[adloom] password reset link for {email.strip().lower()}: {link}", flush=True)
    return render(request, "accounts/reset_request.html", {"sent": True})


@router.get("/reset/{token}")
def reset_form(request: Request, token: str) -> Response:
    with runtime(request).db.session() as session:
        people.check_reset_token(session, token=token)
    return render(request, "accounts/reset_form.html", {"token": token, "error": None})


@router.post("/reset/{token}")
def reset_finish(request: Request, token: str, password: str = Form("")) -> Response:
    try:
        with runtime(request).db.session() as session:
            user = people.finish_password_reset(session, token=token, password=password)
    except AdloomError as exc:
        return render(request, "accounts/reset_form.html", {"token": token, "error": exc}, status_code=exc.status)
    response = redirect(request, "/dashboard")
    sign_in(request, response, user)
    return response


@router.get("/invite/{token}")
def invitation_page(request: Request, token: str) -> Response:
    with runtime(request).db.session() as session:
        invitation = people.get_invitation(session, token=token)
        workspace = session.get(Workspace, invitation.workspace_id)
        context = {"token": token, "email": invitation.email, "role": invitation.role,
                   "workspace": workspace.name if workspace else ""}
    return render(request, "accounts/invite.html", context)


@router.post("/invite/{token}")
def invitation_accept(request: Request, token: str) -> Response:
    with viewer_session(request) as (session, viewer):
        user = session.get(User, viewer.user_id)
        assert user is not None
        membership = people.accept_invitation(session, token=token, user=user)
        workspace_id = membership.workspace_id
    response = redirect(request, "/dashboard")
    choose_workspace(request, response, workspace_id)
    return response


@router.post("/dashboard/workspace")
def switch_workspace(request: Request, workspace_id: str = Form("")) -> Response:
    with viewer_session(request) as (session, viewer):
        role = accounts.role_in(session, user_id=viewer.user_id, workspace_id=workspace_id)
        user = session.get(User, viewer.user_id)
    response = redirect(request, "/dashboard")
    if role and user is not None:
        choose_workspace(request, response, workspace_id)
    return response


def _members_context(session: Session, viewer: Viewer, **extra: object) -> dict[str, object]:
    return {
        "viewer": viewer,
        "members": people.members(session, workspace_id=viewer.workspace_id),
        "invitations": people.pending_invitations(session, workspace_id=viewer.workspace_id)
        if viewer.is_owner else [],
        "new_link": None,
        "account_error": None,
        "account_notice": None,
        "workspaces": _workspaces(session, viewer.user_id),
        **extra,
    }


@router.get("/dashboard/members")
def members_page(request: Request, notice: str | None = None) -> Response:
    notices = {"password": "Your password was changed; every other device was signed out."}
    with viewer_session(request) as (session, viewer):
        return render(request, "accounts/members.html",
                      _members_context(session, viewer, account_notice=notices.get(notice or "")))


def _workspaces(session: Session, user_id: str) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Workspace.id, Workspace.name).join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user_id).order_by(Workspace.name))
    return [(row[0], row[1]) for row in rows]


@router.post("/dashboard/members/invite")
def invite_member(request: Request, viewer: Owner, email: str = Form(""), role: str = Form("editor")) -> Response:
    rt = runtime(request)
    with runtime(request).db.session() as session:
        token = people.invite(session, workspace_id=viewer.workspace_id, email=email, role=role,
                              invited_by=viewer.user_id)
        link = f"{rt.settings.base_url.rstrip('/')}/invite/{token}"
        log.warning("Invitation link for %s (%s): %s", email.strip().lower(), role, link)
        return render(request, "accounts/members.html", _members_context(session, viewer, new_link=link))


@router.post("/dashboard/account/password")
def change_password(request: Request, current_password: str = Form(""), new_password: str = Form("")) -> Response:
    """Change your password: every session of yours ends, and this browser gets a fresh one."""
    try:
        with viewer_session(request) as (session, viewer):
            user = session.get(User, viewer.user_id)
            assert user is not None
            accounts.change_password(session, user=user, current=current_password, new=new_password)
            signins.revoke_user_sessions(session, user_id=user.id)
    except AdloomError as exc:
        with viewer_session(request) as (session, viewer):
            return render(request, "accounts/members.html", _members_context(session, viewer, account_error=exc),
                          status_code=exc.status)
    response = redirect(request, "/dashboard/members?notice=password")
    sign_in(request, response, user, viewer.workspace_id)
    return response


@router.post("/dashboard/account/sign-out-everywhere")
def sign_out_everywhere(request: Request) -> Response:
    """Sign out of every device, this one included (a lost laptop, a shared computer)."""
    with viewer_session(request) as (session, viewer):
        signins.revoke_user_sessions(session, user_id=viewer.user_id)
    response = redirect(request, "/login")
    sign_out(request, response)
    return response


@router.post("/dashboard/members/{user_id}/sign-out")
def sign_out_member(request: Request, viewer: Owner, user_id: str) -> Response:
    """An owner ends every session of a member of their workspace (a departing or compromised account)."""
    with runtime(request).db.session() as session:
        people.require_member(session, workspace_id=viewer.workspace_id, user_id=user_id)
        signins.revoke_user_sessions(session, user_id=user_id)
    return redirect(request, "/dashboard/members")


@router.post("/dashboard/members/{user_id}/role")
def change_role(request: Request, viewer: Owner, user_id: str, role: str = Form("")) -> Response:
    with runtime(request).db.session() as session:
        people.set_role(session, workspace_id=viewer.workspace_id, user_id=user_id, role=role)
    return redirect(request, "/dashboard/members")


@router.post("/dashboard/members/{user_id}/remove")
def remove_member(request: Request, viewer: Owner, user_id: str) -> Response:
    with runtime(request).db.session() as session:
        people.remove_member(session, workspace_id=viewer.workspace_id, user_id=user_id)
    return redirect(request, "/dashboard/members")


@router.post("/dashboard/invitations/{invitation_id}/revoke")
def revoke_invitation(request: Request, viewer: Owner, invitation_id: str) -> Response:
    with runtime(request).db.session() as session:
        people.revoke_invitation(session, workspace_id=viewer.workspace_id, invitation_id=invitation_id)
    return redirect(request, "/dashboard/members")
