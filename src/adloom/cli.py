"""The ``adloom`` command line (docs/cli.md documents every command; a test checks it)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from adloom.errors import AdloomError
from adloom.settings import Settings, load_settings

if TYPE_CHECKING:  # the runtime imports the database and queue stack: not for `adloom --help`
    from adloom.pipeline.runtime import Runtime

app = typer.Typer(help="Adloom: every asset of a marketing campaign, made locally.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
campaign_app = typer.Typer(help="Create, list and show campaigns.", no_args_is_help=True)
project_app = typer.Typer(help="Show, continue, retry or cancel a project.", no_args_is_help=True)
credits_app = typer.Typer(help="Grant credits and read the balance and ledger.", no_args_is_help=True)
users_app = typer.Typer(help="Create and list users.", no_args_is_help=True)
app.add_typer(campaign_app, name="campaign")
app.add_typer(project_app, name="project")
app.add_typer(credits_app, name="credits")
app.add_typer(users_app, name="users")
from adloom.api.cli import apikey_app

app.add_typer(apikey_app, name="apikey")

err = Console(stderr=True)
out = Console()
T = TypeVar("T")

WorkspaceOpt = Annotated[str | None, typer.Option("--workspace", "-w", help="Workspace id or slug (default: the local workspace).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _settings() -> Settings:
    return load_settings()


@contextmanager
def runtime(*, workers: bool = False) -> Iterator[Runtime]:
    """A migrated runtime; with ``workers`` it also consumes the embedded queue in threads."""
    from adloom.pipeline.runtime import open_runtime

    with open_runtime(_settings(), workers=workers) as rt:
        yield rt


def fail(exc: AdloomError, *, as_json: bool = False) -> None:
    if as_json:
        out.print_json(json.dumps({"error": exc.to_dict()}))
    else:
        err.print(f"[bold red]Error:[/] {exc.message}")
        if exc.hint:
            err.print(f"[dim]{exc.hint}[/]")
    raise typer.Exit(2)


def guarded(as_json: bool, fn: Callable[[], T]) -> T:
    try:
        return fn()
    except AdloomError as exc:
        fail(exc, as_json=as_json)
        raise  # unreachable


def workspace_id(rt: Runtime, ref: str | None) -> str:
    from adloom.accounts import service as accounts

    with rt.db.session() as session:
        if ref:
            return accounts.get_workspace_or_raise(session, ref).id
        return accounts.default_workspace(session, welcome_credits=rt.settings.welcome_credits).id


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


# ---------------------------------------------------------------------------- serve / worker


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    seed_demo: Annotated[bool | None, typer.Option("--seed-demo/--no-seed-demo", help="Create the demo user, workspace and campaign (default: only when --host is loopback).")] = None,
) -> None:
    """Start the web dashboard and API, with an embedded worker unless the queue is Redis."""
    import uvicorn

    from adloom.app import create_app
    from adloom.hosts import is_loopback_host

    settings = _settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    web = guarded(False, lambda: create_app(settings, bind_host=host))  # a weak secret key stops here
    # The demo password is published: a server others can reach gets the demo user only on request.
    should_seed = is_loopback_host(host) if seed_demo is None else seed_demo
    if should_seed:
        from adloom.demo import seed_demo_account

        with runtime() as rt:
            info = seed_demo_account(rt)
        err.print(
            f"[bold green]Adloom[/] on http://{host}:{port}/dashboard — sign in as "
            f"[bold]{info['email']}[/] / [bold]{info['password']}[/] (workspace '{info['workspace']}')."
        )
    # Live-update streams must not hold a shutdown up.
    uvicorn.run(web, host=host, port=port, log_level=settings.log_level.lower(), timeout_graceful_shutdown=5)


@app.command()
def worker(
    threads: Annotated[int | None, typer.Option(help="Worker threads (default ADLOOM_WORKER_THREADS).")] = None,
    queues: Annotated[str, typer.Option(help="Queues to take steps from, in priority order: light, render.")] = "light,render",
    grace: Annotated[float, typer.Option(help="Seconds to finish the steps in hand on SIGTERM before handing them back.")] = 30.0,
) -> None:
    """Consume the queue: run steps, heartbeat their leases and sweep expired ones."""
    import sys

    from adloom.observability import configure_logging
    from adloom.pipeline.runtime import Runtime

    settings = _settings()
    configure_logging(settings.log_level, json_lines=not sys.stderr.isatty())
    rt = Runtime(settings, migrate=True)
    rt.worker.start(threads, queues=[q.strip() for q in queues.split(",") if q.strip()], warm_up=True)
    err.print(f"Worker running with {threads or settings.worker_threads} thread(s). Ctrl+C to stop.")
    import signal
    import threading

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    err.print("Stopping: finishing the steps in hand…")
    rt.worker.stop(graceful=True, timeout=grace)
    rt.db.dispose()


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    with runtime():
        pass
    err.print("Database is up to date.")


# ---------------------------------------------------------------------------- campaigns


@campaign_app.command("create")
def campaign_create(
    brief: Annotated[Path, typer.Option("--from", help="Brief file (YAML or TOML).")],
    root: Annotated[Path | None, typer.Option(help="Folder the brief's file paths must stay in (default: the brief's folder and its parent).")] = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a campaign from a brief file."""
    from adloom.campaigns import service as campaigns
    from adloom.campaigns.brief import parse_brief_file
    from adloom.clip_uploads import ClipLimits

    with runtime() as rt:
        def run() -> dict[str, Any]:
            limits = ClipLimits.of(rt.settings.max_clip_mb, rt.settings.max_clip_seconds)
            parsed = parse_brief_file(brief, root=root, clip_limits=limits)
            ws = workspace_id(rt, workspace)
            with rt.db.session() as session:
                campaign = campaigns.create_campaign_from_brief(session, rt.storage, workspace_id=ws, parsed=parsed)
                return campaign_dict(session, campaign)

        data = guarded(as_json, run)
    if as_json:
        print_json(data)
    else:
        out.print(f"Created campaign [bold]{data['name']}[/] — id [cyan]{data['id']}[/]")
        for note in data["warnings"]:
            out.print(f"[yellow]Note:[/] {escape(note)}")
        out.print(f"Next: adloom generate video --campaign {data['id']} --autopilot")


def campaign_dict(session: Any, campaign: Any) -> dict[str, Any]:
    from adloom.campaigns import service as campaigns

    strategy = campaigns.current_strategy(session, campaign)
    return {
        "id": campaign.id,
        "name": campaign.name,
        "product": campaign.product,
        "event": campaign.event,
        "awareness_stage": campaign.awareness_stage,
        "persuasion_trigger": campaign.persuasion_trigger,
        "business_type": campaign.business_type,
        "industry": campaign.industry,
        "creative_style": campaign.creative_style,
        "language": campaign.language,
        "assets": campaign.assets_wanted,
        "strategy": {"version": strategy.version, "audience": strategy.audience,
                     "messaging": strategy.messaging, "goals": strategy.goals},
        "created_at": campaign.created_at.isoformat(),
        "warnings": campaigns.campaign_warnings(campaign),
    }


@campaign_app.command("list")
def campaign_list(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """List the workspace's campaigns."""
    from adloom.campaigns import service as campaigns

    with runtime() as rt:
        ws = guarded(as_json, lambda: workspace_id(rt, workspace))
        with rt.db.session() as session:
            rows = [campaign_dict(session, c) for c in campaigns.list_campaigns(session, workspace_id=ws)]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "name", "stage", "style", "created")
    for row in rows:
        table.add_row(row["id"], row["name"], row["awareness_stage"], row["creative_style"], row["created_at"][:16])
    out.print(table)


@campaign_app.command("show")
def campaign_show(campaign_id: str, workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Show a campaign with its strategy pillars and projects."""
    from adloom.campaigns import service as campaigns
    from adloom.projects import service as projects

    with runtime() as rt:
        def run() -> dict[str, Any]:
            ws = workspace_id(rt, workspace)
            with rt.db.session() as session:
                campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=ws)
                data = campaign_dict(session, campaign)
                data["projects"] = [
                    {"id": p.id, "kind": p.kind, "status": p.status, "title": p.title}
                    for p in projects.list_projects(session, workspace_id=ws, campaign_id=campaign.id)
                ]
                return data

        data = guarded(as_json, run)
    if as_json:
        print_json(data)
        return
    out.print(f"[bold]{data['name']}[/]  ({data['id']})")
    out.print(f"Product: {data['product']['name']} — {data['product']['description'].strip()}")
    for pillar in ("audience", "messaging", "goals"):
        out.print(f"[bold]{pillar.title()}[/] (v{data['strategy']['version']}): {data['strategy'][pillar].strip()}")
    for p in data["projects"]:
        out.print(f"  {p['id']}  {p['kind']:<7} {p['status']:<18} {p['title']}")


# ---------------------------------------------------------------------------- generate / projects


def _progress_wait(rt: Runtime, project_id: str, as_json: bool) -> Any:
    if as_json or not sys.stderr.isatty():
        return rt.wait_for(project_id)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.fields[status]}"),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("working", total=1.0, status="")

        def tick(project: Any) -> None:
            label = project.status + (f" · {project.detail}" if project.detail else "")
            bar.update(task, completed=project.progress, status=label, description=project.kind)

        return rt.wait_for(project_id, on_tick=tick)


def _report(rt: Runtime, project_id: str, *, as_json: bool, autopilot: bool) -> None:
    from adloom.projects import service as projects

    with rt.db.session() as session:
        project = projects.get_project_or_raise(session, project_id, workspace_id=None)
        data = projects.project_dict(session, project, rt.storage, with_steps=False)
    summary = {key: data[key] for key in ("project", "campaign", "kind", "status", "error", "credits_spent")}
    summary["assets"] = [
        {k: a[k] for k in ("role", "label", "path", "media_type", "width", "height", "duration", "bytes")}
        for a in data["assets"]
    ]
    if as_json:
        print_json(summary)
    else:
        _print_project(data)
    ok = data["status"] == "completed" if autopilot else data["status"] not in ("failed", "cancelled")
    if not ok:
        raise typer.Exit(1)


def _print_project(data: dict[str, Any]) -> None:
    out.print(f"Project [cyan]{data['project']}[/] ({data['kind']}): [bold]{data['status']}[/]")
    if data.get("error"):
        e = data["error"]
        out.print(f"[red]Failed at {e['stage']}:[/] {e['message']}")
        out.print(f"[dim]Next: {e['next_action']}[/]")
    for asset in data["assets"]:
        if asset["role"] in ("final", "poster", "captions", "zip", "contact_sheet", "sonic_logo", "bed", "midi", "preview"):
            out.print(f"  {asset['role']:<14} {asset['label']:<12} {asset['path']}")
    if data["status"] in ("ideas_ready", "script_ready", "scenes_ready"):
        out.print(f"Review it, then continue: adloom project advance {data['project']}")
    out.print(f"Credits spent: {data['credits_spent']}")


@app.command()
def generate(
    kind: Annotated[str, typer.Argument(help="video, banner, flyer or jingle.")],
    campaign: Annotated[str, typer.Option("--campaign", "-c", help="Campaign id.")],
    autopilot: Annotated[bool, typer.Option("--autopilot", help="Run through every review gate to the final files.")] = False,
    until: Annotated[str | None, typer.Option("--until", help="Run through the gates up to this one (ideas_ready, script_ready, scenes_ready).")] = None,
    option: Annotated[list[str] | None, typer.Option("--option", "-o", help="key=value, repeatable (seed, tier, length, formats, sizes, tone…).")] = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Generate an asset for a campaign: stops at the first review gate unless --autopilot/--until."""
    from adloom.pipeline import service as pipeline
    from adloom.projects.options import parse_pairs

    with runtime(workers=True) as rt:
        def run() -> str:
            options = parse_pairs(option or [])
            ws = workspace_id(rt, workspace)
            return pipeline.generate(rt, workspace_id=ws, campaign_id=campaign, kind=kind, options=options,
                                     autopilot=autopilot, until=until)

        project_id = guarded(as_json, run)
        if not as_json:
            err.print(f"Project {project_id} started.")
        _progress_wait(rt, project_id, as_json)
        _report(rt, project_id, as_json=as_json, autopilot=autopilot)


@project_app.command("show")
def project_show(project_id: str, workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Show a project: status, options, strategy version, assets and steps."""
    from adloom.projects import service as projects

    with runtime() as rt:
        def run() -> dict[str, Any]:
            ws = workspace_id(rt, workspace)
            with rt.db.session() as session:
                project = projects.get_project_or_raise(session, project_id, workspace_id=ws)
                return projects.project_dict(session, project, rt.storage)

        data = guarded(as_json, run)
    if as_json:
        print_json(data)
        return
    _print_project(data)
    for step in data["steps"]:
        out.print(f"  step {step['name']:<9} #{step['attempt']} {step['status']:<10} {step['provider'] or '':<8} "
                  f"{step['model'] or '':<22} credits {step['credits']}")


def _project_action(project_id: str, workspace: str | None, as_json: bool, autopilot: bool,
                    action: Callable[[Any, str], None]) -> None:
    with runtime(workers=True) as rt:
        def run() -> None:
            ws = workspace_id(rt, workspace)
            action(rt, ws)

        guarded(as_json, run)
        _progress_wait(rt, project_id, as_json)
        _report(rt, project_id, as_json=as_json, autopilot=autopilot)


@project_app.command("advance")
def project_advance(
    project_id: str,
    autopilot: Annotated[bool, typer.Option("--autopilot", help="Run to the end without stopping at gates.")] = False,
    until: Annotated[str | None, typer.Option("--until", help="Run through the gates up to this one.")] = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Continue a draft from the review gate where it rests."""
    from adloom.pipeline import service as pipeline

    _project_action(project_id, workspace, as_json, autopilot, lambda rt, ws: pipeline.advance(
        rt, workspace_id=ws, project_id=project_id, autopilot=autopilot, until=until))


@project_app.command("retry")
def project_retry(project_id: str, workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Resume a failed project at the stage that failed."""
    from adloom.pipeline import service as pipeline

    _project_action(project_id, workspace, as_json, False,
                    lambda rt, ws: pipeline.retry(rt, workspace_id=ws, project_id=project_id))


@project_app.command("reopen")
def project_reopen(
    project_id: str,
    at: Annotated[str, typer.Option("--at", help="The gate to go back to: script_ready or scenes_ready.")] = "scenes_ready",
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Take a failed project back to a review gate to edit what made it fail."""
    from adloom.pipeline import service as pipeline

    with runtime() as rt:
        guarded(as_json, lambda: pipeline.reopen(rt, workspace_id=workspace_id(rt, workspace), project_id=project_id,
                                                 gate=at))
        _report(rt, project_id, as_json=as_json, autopilot=False)


@project_app.command("cancel")
def project_cancel(project_id: str, workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Cancel a project at any stage; held credits are released."""
    from adloom.pipeline import service as pipeline

    with runtime() as rt:
        guarded(as_json, lambda: pipeline.cancel(rt, workspace_id=workspace_id(rt, workspace), project_id=project_id))
        _report(rt, project_id, as_json=as_json, autopilot=False)


@app.command("export")
def export(
    project_id: str,
    to: Annotated[Path, typer.Option("--to", help="Folder to copy the project's files into.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Copy a project's current files into a folder (named by role and label)."""
    from adloom.projects import service as projects

    with runtime() as rt:
        def run() -> list[Path]:
            ws = workspace_id(rt, workspace)
            with rt.db.session() as session:
                projects.get_project_or_raise(session, project_id, workspace_id=ws)
                assets = projects.current_assets(session, project_id)
            to.mkdir(parents=True, exist_ok=True)
            written = []
            for asset in assets:
                target = to / asset.role / asset.name
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as handle:
                    for chunk in rt.storage.open_stream(asset.storage_key):
                        handle.write(chunk)
                written.append(target)
            return written

        written = guarded(False, run)
    out.print(f"Exported {len(written)} file(s) to {to}")


# ---------------------------------------------------------------------------- credits and users


@credits_app.command("grant")
def credits_grant(
    amount: int,
    workspace: WorkspaceOpt = None,
    note: Annotated[str, typer.Option(help="Why (shown in the ledger).")] = "admin grant",
    key: Annotated[str | None, typer.Option("--idempotency-key", help="Replay-safe key.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Grant credits to a workspace (admin)."""
    import uuid

    from adloom.credits import service as credits

    with runtime() as rt:
        def run() -> dict[str, Any]:
            ws = workspace_id(rt, workspace)
            with rt.db.session() as session:
                credits.grant(session, workspace_id=ws, amount=amount, note=note,
                              idempotency_key=key or f"cli-grant:{uuid.uuid4().hex}")
                bal = credits.get_balance(session, workspace_id=ws)
            return {"workspace": ws, "available": bal.available, "held": bal.held}

        data = guarded(as_json, run)
    print_json(data) if as_json else out.print(f"Granted {amount}. Available: {data['available']}")


@credits_app.command("balance")
def credits_balance(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Show available and held credits."""
    from adloom.credits import service as credits

    with runtime() as rt:
        ws = guarded(as_json, lambda: workspace_id(rt, workspace))
        with rt.db.session() as session:
            bal = credits.get_balance(session, workspace_id=ws)
    data = {"workspace": ws, "available": bal.available, "held": bal.held}
    print_json(data) if as_json else out.print(f"Available: {bal.available}   Held: {bal.held}")


@credits_app.command("ledger")
def credits_ledger(
    workspace: WorkspaceOpt = None,
    limit: Annotated[int, typer.Option(help="Most recent entries to show.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Show the append-only credit ledger, newest first."""
    from adloom.credits import service as credits

    with runtime() as rt:
        ws = guarded(as_json, lambda: workspace_id(rt, workspace))
        with rt.db.session() as session:
            rows = [
                {"id": e.id, "kind": e.kind, "amount": e.amount, "held_delta": e.held_delta,
                 "project": e.project_id, "step": e.step_id, "note": e.note, "created_at": e.created_at.isoformat()}
                for e in credits.list_ledger(session, workspace_id=ws, limit=limit)
            ]
    if as_json:
        print_json(rows)
        return
    table = Table("when", "kind", "amount", "held", "project", "note")
    for r in rows:
        table.add_row(str(r["created_at"])[:19], str(r["kind"]), str(r["amount"]), str(r["held_delta"]),
                      str(r["project"] or ""), str(r["note"] or ""))
    out.print(table)


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Sign-in email.")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, help="At least 10 characters, not a common password.")],
    workspace: WorkspaceOpt = None,
    role: Annotated[str, typer.Option(help="owner, editor or viewer.")] = "owner",
    as_json: JsonOpt = False,
) -> None:
    """Create a user (in a workspace, or with a new workspace of their own)."""
    from adloom.accounts import service as accounts

    with runtime() as rt:
        def run() -> dict[str, Any]:
            with rt.db.session() as session:
                ws = accounts.get_workspace_or_raise(session, workspace) if workspace else None
                user = accounts.create_user(session, email=email, password=password, workspace=ws, role=role,
                                            welcome_credits=rt.settings.welcome_credits)
                member = accounts.memberships(session, user_id=user.id)[0]
                return {"id": user.id, "email": user.email, "workspace": member.workspace_id, "role": member.role}

        data = guarded(as_json, run)
    print_json(data) if as_json else out.print(f"Created {data['email']} ({data['role']} of {data['workspace']})")


@users_app.command("list")
def users_list(as_json: JsonOpt = False) -> None:
    """List users and their workspaces."""
    from sqlalchemy import select

    from adloom.accounts.models import Membership, User, Workspace

    with runtime() as rt, rt.db.session() as session:
        rows = [
            {"email": u.email, "workspace": w.slug, "role": m.role}
            for u, m, w in session.execute(
                select(User, Membership, Workspace).join(Membership, Membership.user_id == User.id)
                .join(Workspace, Workspace.id == Membership.workspace_id)
            )
        ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        out.print(f"{r['email']:<32} {r['workspace']:<24} {r['role']}")


# ---------------------------------------------------------------------------- demo and doctor


@app.command()
def demo(
    kinds: Annotated[str, typer.Option(help="Comma-separated kinds to generate (default: every installed one).")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Create the Northbound demo campaign and generate every installed asset kind."""
    from adloom.demo import run_demo

    with runtime(workers=True) as rt:
        result = guarded(as_json, lambda: run_demo(rt, kinds=[k for k in kinds.split(",") if k],
                                                   progress=None if as_json else err))
    if as_json:
        print_json(result)
        return
    out.print(f"Demo campaign [cyan]{result['campaign']}[/]")
    for item in result["projects"]:
        out.print(f"[bold]{item['kind']}[/]: {item['status']}")
        for path in item["files"]:
            out.print(f"   {path}")


@app.command()
def doctor(as_json: JsonOpt = False) -> None:
    """Check every dependency and provider before a run, and say what is wrong."""
    from adloom.doctor import run_checks

    results = run_checks(_settings())
    if as_json:
        print_json(results)
    else:
        for r in results:
            mark = "[green]ok[/]" if r["ok"] else "[red]FAIL[/]"
            out.print(f"{mark:<16} {r['name']:<14} {r['detail']}")
    if not all(r["ok"] for r in results if r.get("required", True)):
        raise typer.Exit(1)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    try:
        app()
    except AdloomError as exc:
        fail(exc)

