"""Database engine, sessions and the declarative base.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and every write transaction
starts with ``BEGIN IMMEDIATE`` so that concurrent writers queue instead of failing half-way.
PostgreSQL uses the same models and migrations.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import JSON, DateTime, MetaData, String, create_engine, event, inspect
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012 (SQLAlchemy reads it as is)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


def id_column() -> Any:
    return mapped_column(String(32), primary_key=True, default=new_id)


def created_column() -> Any:
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and immediate write transactions."""
    if url.startswith("sqlite"):
        # A pool keeps connections open: closing the last connection to a WAL database makes
        # SQLite checkpoint and fsync, which would cost ~20 ms per transaction.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=NullPool if ":memory:" in url else QueuePool,
            pool_size=8,
            max_overflow=56,
        )
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so that BEGIN IMMEDIATE is ours to issue.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _changed_values(obj: Any) -> Iterator[tuple[str, Any]]:
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if state.pending or history.added:
            yield attr.key, getattr(obj, attr.key)


def _refuse_nul_on_flush(session: Session, _context: Any, _instances: Any) -> None:
    """The last line against NUL characters, whatever path the text came in by: PostgreSQL
    refuses them with a raw DataError, SQLite would store them. Input models refuse them
    first with the field's name (``adloom.textcheck``); this names the column."""
    from adloom.errors import ValidationError
    from adloom.textcheck import NUL_MESSAGE, has_nul

    for obj in (*session.new, *session.dirty):
        for key, value in _changed_values(obj):
            if has_nul(value):
                raise ValidationError(f"{type(obj).__name__.lower()}.{key} {NUL_MESSAGE}.",
                                      hint="Remove the control character and try again; nothing was saved.",
                                      field=key)


class Database:
    """Owns the engine and hands out sessions; one per app/worker/CLI process."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.sessions, "before_flush", _refuse_nul_on_flush)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def rowcount(result: Any) -> int:
    """How many rows an UPDATE or DELETE matched. SQLAlchemy types ``Session.execute`` as a
    ``Result``; for DML it is a ``CursorResult``, which has ``rowcount``."""
    return int(cast("CursorResult[Any]", result).rowcount)
