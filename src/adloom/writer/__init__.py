"""The creative engine: strategy -> ideas -> script -> scenes, for every asset kind.

``get_writer("local")`` is the offline default; ``"openai"`` (any OpenAI-compatible endpoint)
and ``"anthropic"`` are optional upgrades configured with base_url, api_key, model_standard,
model_premium and timeout.
"""

from __future__ import annotations

import importlib
from typing import Any

from adloom.errors import InvalidOption
from adloom.writer.base import Writer

# Provider name -> "module:Class"; imported on first use so importing adloom.writer stays cheap.
WRITERS: dict[str, str] = {
    "local": "adloom.writer.local:LocalWriter",
    "openai": "adloom.writer.llm:OpenAIWriter",
    "anthropic": "adloom.writer.llm:AnthropicWriter",
}


def get_writer(provider: str = "local", **config: Any) -> Writer:
    """The writer for a provider name, configured with ``config``."""
    target = WRITERS.get(provider)
    if target is None:
        raise InvalidOption(
            f"Unknown writer provider '{provider}'.",
            hint=f"Use one of: {', '.join(sorted(WRITERS))}.",
        )
    module_name, class_name = target.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    writer: Writer = cls(**config)
    return writer


__all__ = ["WRITERS", "get_writer"]
