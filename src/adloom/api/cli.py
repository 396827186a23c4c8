"""``adloom apikey``: create, list and revoke API keys from the command line."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console

apikey_app = typer.Typer(help="API keys for the REST API (/api/v1).", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


def _workspace(session: object, ref: str | None, welcome: int) -> object:
    from adloom.accounts import service as accounts

    if ref:
        return accounts.get_workspace_or_raise(session, ref)  # type: ignore[arg-type]
    return accounts.default_workspace(session, welcome_credits=welcome)  # type: ignore[arg-type]


@apikey_app.command("create")
def create(
    workspace: Annotated[str | None, typer.Option(help="Workspace id or slug (default: the local workspace).")] = None,
    scope: Annotated[str, typer.Option(help="read, or write (which includes read).")] = "write",
    name: Annotated[str, typer.Option(help="A label to recognise the key by.")] = "cli",
    rate_limit: Annotated[int, typer.Option(help="Requests per minute.")] = 120,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (the secret included).")] = False,
) -> None:
    """Create a key and print its secret — once; only a hash is stored."""
    from adloom.accounts.apikeys import create_api_key
    from adloom.pipeline.runtime import open_runtime
    from adloom.settings import load_settings

    with open_runtime(load_settings()) as rt, rt.db.session() as session:
        ws = _workspace(session, workspace, rt.settings.welcome_credits)
        key, secret = create_api_key(session, workspace_id=ws.id, name=name, scopes=scope,  # type: ignore[attr-defined]
                                     rate_limit_per_minute=rate_limit)
        data = {"id": key.id, "workspace": ws.id, "workspace_slug": ws.slug, "name": key.name,  # type: ignore[attr-defined]
                "prefix": key.prefix, "scopes": key.scopes.split(","),
                "rate_limit_per_minute": key.rate_limit_per_minute, "secret": secret}
    if as_json:
        print(json.dumps(data, indent=2))
        return
    out.print(f"API key [bold]{data['name']}[/] ({data['prefix']}, {key.scopes}) for workspace {data['workspace_slug']}:")
    out.print(secret, markup=False)
    err.print("Store it now: it cannot be shown again.")


@apikey_app.command("list")
def list_keys(
    workspace: Annotated[str | None, typer.Option(help="Workspace id or slug.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List a workspace's keys (prefixes only, never secrets)."""
    from adloom.accounts.apikeys import list_api_keys
    from adloom.pipeline.runtime import open_runtime
    from adloom.settings import load_settings

    with open_runtime(load_settings()) as rt, rt.db.session() as session:
        ws = _workspace(session, workspace, rt.settings.welcome_credits)
        rows: list[dict[str, Any]] = [{"id": k.id, "name": k.name, "prefix": k.prefix, "scopes": k.scopes.split(","),
                 "revoked": k.revoked_at is not None,
                 "last_used_at": k.last_used_at.isoformat() if k.last_used_at else None}
                for k in list_api_keys(session, workspace_id=ws.id)]  # type: ignore[attr-defined]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        out.print(f"{row['id']}  adl_{row['prefix']}_…  {','.join(row['scopes'])}  {row['name']}"
                  f"{'  (revoked)' if row['revoked'] else ''}", markup=False)


@apikey_app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id (see 'adloom apikey list').")],
    workspace: Annotated[str | None, typer.Option(help="Workspace id or slug.")] = None,
) -> None:
    """Revoke a key: requests with it get 401 from now on."""
    from adloom.accounts.apikeys import revoke_api_key
    from adloom.pipeline.runtime import open_runtime
    from adloom.settings import load_settings

    with open_runtime(load_settings()) as rt, rt.db.session() as session:
        ws = _workspace(session, workspace, rt.settings.welcome_credits)
        revoke_api_key(session, workspace_id=ws.id, key_id=key_id)  # type: ignore[attr-defined]
    err.print(f"Revoked {key_id}.")
