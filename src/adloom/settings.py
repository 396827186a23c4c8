"""Adloom's settings: environment variables prefixed ``ADLOOM_`` and an optional ``.env`` file.

Every field is documented in ``docs/settings.md`` (a test checks it). Settings are built once by
:func:`load_settings` and passed explicitly; nothing reads them at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from adloom.assets import registry

WRITER_PRICES: dict[str, int] = {
    "strategy": 0,
    "ideas": 0,
    "ideas_reroll": 2,
    "script": 2,
    "script_premium": 5,
    "scenes": 0,
}


def default_prices() -> dict[str, int]:
    """The writer's prices and each registered kind's own entries (its ``spec.prices``)."""
    return {**WRITER_PRICES, **registry.default_prices()}


DEFAULT_PRICES: dict[str, int] = default_prices()


class Settings(BaseSettings):
    """All of Adloom's configuration. See docs/settings.md for each field."""

    model_config = SettingsConfigDict(env_prefix="ADLOOM_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Folder for the SQLite database, files and queue.")
    database_url: str = Field(default="", description="SQLAlchemy URL; empty means SQLite in data_dir.")
    queue_url: str = Field(default="", description="'' or sqlite:// for the embedded queue, redis://… for Redis, 'immediate' to run tasks inline.")
    storage_url: str = Field(default="", description="'' for local files in data_dir/files; s3://bucket/prefix for S3.")
    secret_key: str = Field(default="", description="Signs sessions and CSRF tokens; empty means a random key generated on first start and kept in data_dir/secret_key (mode 0600). Known placeholders and keys under 32 characters are refused.")
    base_url: str = Field(default="http://127.0.0.1:8000", description="Public URL of the web app (links in emails and webhooks).")
    welcome_credits: int = Field(default=250, ge=0, description="Credits granted to every new workspace (set 0 on a public instance).")
    prices: dict[str, int] = Field(default_factory=default_prices, description="Price list overrides as JSON.")
    lease_seconds: float = Field(default=10.0, gt=0, description="How long a worker's lease on a step lasts without a heartbeat (a killed worker's step restarts elsewhere after about this plus sweep_seconds).")
    sweep_seconds: float = Field(default=3.0, gt=0, description="How often the sweeper looks for expired leases.")
    worker_threads: int = Field(default=2, ge=1, description="Threads of the embedded or standalone worker.")
    workspace_concurrency: int = Field(default=0, ge=0, description="Steps one workspace may run at once (0: no limit); more wait queued.")
    writer: str = Field(default="local", description="Copy provider: local, openai or anthropic.")
    llm_base_url: str = Field(default="", description="Base URL of the LLM endpoint (OpenAI-compatible or Anthropic).")
    llm_api_key: str = Field(default="", description="API key for the LLM endpoint.")
    llm_model_standard: str = Field(default="", description="Model for the standard tier.")
    llm_model_premium: str = Field(default="", description="Model for the premium tier.")
    llm_timeout: float = Field(default=60.0, gt=0, description="Seconds before an LLM request times out.")
    generators: dict[str, str] = Field(default_factory=dict, description="Override the generator of a kind: JSON {kind: 'module:Class'}.")
    log_level: str = Field(default="INFO", description="Logging level.")
    max_upload_mb: int = Field(default=25, ge=1, description="Largest accepted upload, in MiB.")
    max_clip_mb: int = Field(default=200, ge=1, description="Largest accepted video clip (MP4, MOV, WebM), in MiB.")
    max_clip_seconds: int = Field(default=300, ge=1, le=3600, description="Longest accepted video clip, in seconds.")
    # Security (docs/deploy.md, "Security").
    webhook_allow_private: bool = Field(default=False, description="Allow webhook receivers on private, loopback or link-local addresses (on-premises installs only).")
    signup: str = Field(default="", description="Who may sign up: open, invite or closed; empty means open when serving on loopback, closed otherwise.")
    cookie_secure: bool = Field(default=False, description="Always set the Secure flag on session cookies (set it behind HTTPS).")
    metrics_token: str = Field(default="", description="Bearer token for /metrics; empty means /metrics answers on loopback only.")
    login_rate_account: str = Field(default="5/minute", description="Sign-in attempts allowed per account (a 'limits' rate string).")
    login_rate_address: str = Field(default="20/minute", description="Sign-in and sign-up attempts allowed per client address (a 'limits' rate string).")
    soundfont_dir: Path | None = Field(default=None, description="Folder of SoundFonts (.sf2) that jingles may name; empty means only the bundled banks.")
    segmentation_model: Path | None = Field(default=None, description="A local ONNX segmentation model for product cut-outs; empty means the classic segmenter only. Nothing is downloaded.")
    admin_emails: str = Field(default="", description="Comma-separated e-mail addresses of the instance administrators: they grant credits to any workspace from the dashboard's Credits page.")
    voices_dir: Path | None = Field(default=None, description="Folder of extra Piper voices (name.onnx + name.onnx.json, optional name.license) that jingles and videos may name; empty means only the shipped voice.")
    step_max_failures: int = Field(default=3, ge=1, description="Failures of a step in the same way after which it stops retrying and asks for an edit.")

    @field_validator("signup")
    @classmethod
    def _signup_policy(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in ("", "open", "invite", "closed"):
            raise ValueError("signup must be open, invite or closed (or empty for the loopback default)")
        return value

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @model_validator(mode="after")
    def _complete_prices(self) -> Settings:
        self.prices = {**default_prices(), **self.prices}
        return self

    @property
    def admin_email_list(self) -> list[str]:
        """The instance administrators' addresses, lower-cased, in the order given."""
        return [e.strip().lower() for e in self.admin_emails.split(",") if e.strip()]

    def is_admin(self, email: str) -> bool:
        """Whether the signed-in person with this address administers this Adloom instance."""
        return email.strip().lower() in self.admin_email_list

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'adloom.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment (and .env), with explicit overrides on top."""
    return Settings(**overrides)
