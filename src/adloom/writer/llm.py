"""LLM writers: any OpenAI-compatible chat endpoint, and Anthropic Messages.

Both ask for JSON matching the same pydantic schemas the local writer returns (the schema is
in the prompt), validate the reply, retry once with the validation errors, then fail with a
:class:`ProviderError` naming the provider and the model. A provider that cannot be reached
raises :class:`ProviderUnavailable`; nothing ever falls back silently to another writer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

import httpx
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from adloom.errors import InvalidOption, ProviderError, ProviderUnavailable
from adloom.writer.base import WriterRequest, WriterResult, kind_copy
from adloom.writer.context import build_context
from adloom.writer.schemas import Idea, IdeaSet, StrategyDraft

SYSTEM = (
    "You are a senior direct-response copywriter at an ad agency. Write for this product and this "
    "audience only, in plain words a 13-year-old can read (US grade 8 or lower). Never invent "
    "statistics, reviews or deadlines. Reply with one JSON object and nothing else; it must "
    "validate against the JSON schema given."
)


class LLMWriter:
    """Shared flow: build a prompt, call the endpoint, validate, retry once, raise clearly."""

    name = "llm"
    default_base_url = ""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str = "",
        model_standard: str = "",
        model_premium: str | None = None,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not model_standard:
            raise InvalidOption(
                f"The {self.name} writer needs a model name.",
                hint="Set model_standard (and optionally model_premium) in the writer settings.",
            )
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.api_key = api_key
        self.model_standard = model_standard
        self.model_premium = model_premium or model_standard
        self.timeout = timeout
        self.transport = transport

    # ------------------------------------------------------------------ Writer protocol

    def draft_strategy(self, req: WriterRequest) -> WriterResult[StrategyDraft]:
        task = "Draft the three strategy pillars (audience, messaging, goals) for this product."
        return self._ask(req, task, StrategyDraft)

    def ideas(self, req: WriterRequest, *, seed: int) -> WriterResult[IdeaSet]:
        task = (
            f"Write three clearly different {req.kind} ad concepts for the awareness stage "
            f"'{req.awareness_stage}' using the persuasion trigger '{req.persuasion_trigger}'. "
            f"Variation seed: {seed}."
        )
        if req.avoid_hooks:
            # A reroll: the project already showed these; new angles and hooks, not a reshuffle.
            shown = "; ".join(f"“{hook}”" for hook in req.avoid_hooks[-12:])
            task += f" Already shown to the user, do not reuse these hooks or their angles: {shown}."
        return self._ask(req, task, IdeaSet)

    def script(self, req: WriterRequest, idea: Idea, *, seed: int) -> WriterResult[BaseModel]:
        task = (
            f"Write the {req.kind} script for this concept: {_dump(idea)}. "
            f"{kind_copy(req).script_rules(req)} Variation seed: {seed}."
        )
        return self._ask(req, task, kind_copy(req).script_model)

    def scenes(
        self, req: WriterRequest, script: BaseModel, *, seed: int
    ) -> WriterResult[BaseModel]:
        task = (
            f"Break this {req.kind} script into scenes/layouts: {_dump(script)}. "
            f"{kind_copy(req).scene_rules(req)} Variation seed: {seed}."
        )
        return self._ask(req, task, kind_copy(req).scenes_model, check=_scene_check(req, script))

    def regenerate_scene(
        self, req: WriterRequest, script: BaseModel, scenes: BaseModel, index: int, *, seed: int
    ) -> WriterResult[BaseModel]:
        """Ask for one new item; splice it in so every other scene is kept as it was."""
        copy = kind_copy(req)
        items = list(_as_dict(scenes)[copy.items])
        if not 0 <= index < len(items):
            raise InvalidOption(f"There is no scene {index + 1}; this project has {len(items)}.")
        if copy.item_model is None:
            raise InvalidOption(f"A {req.kind} scene cannot be rewritten on its own.",
                                hint="Regenerate the scenes instead.")
        task = (
            f"Rewrite item {index} of these scenes with a fresh idea, keeping its role"
            f"{' and duration' if 'duration' in copy.keep_on_rewrite else ''}: {json.dumps(items[index])}. "
            f"Full context: {_dump(scenes)}. Variation seed: {seed}."
        )
        result = self._ask(req, task, copy.item_model)
        item = result.value.model_dump(mode="json")
        item.update({key: items[index][key] for key in copy.keep_on_rewrite if key in items[index]})
        items[index] = item
        merged = copy.scenes_model.model_validate({**_as_dict(scenes), copy.items: items})
        return WriterResult(merged, result.provider, result.model, result.prompt)

    # ------------------------------------------------------------------ the flow

    def model_for(self, req: WriterRequest) -> str:
        return self.model_premium if req.tier == "premium" else self.model_standard

    def _ask(
        self,
        req: WriterRequest,
        task: str,
        model_cls: type[BaseModel],
        *,
        check: Any = None,
    ) -> WriterResult[Any]:
        model = self.model_for(req)
        prompt = _user_prompt(req, task, model_cls)
        messages = [{"role": "user", "content": prompt}]
        problem = ""
        for _attempt in range(2):
            reply = self._complete(model, messages)
            try:
                value = model_cls.model_validate(_parse_json(reply))
                if check is not None:
                    check(value)
                return WriterResult(value, self.name, model, f"{SYSTEM}\n\n{prompt}")
            except (ValueError, PydanticValidationError) as exc:
                problem = _short_error(exc)
                messages = [
                    *messages,
                    {"role": "assistant", "content": reply},
                    {
                        "role": "user",
                        "content": f"That reply was not valid: {problem}. "
                        "Reply again with only the corrected JSON object.",
                    },
                ]
        raise ProviderError(
            f"The {self.name} writer (model {model}) returned invalid output twice: {problem}",
            hint="Try again, pick a stronger model for this tier, or switch the writer to 'local'.",
            provider=self.name,
            model=model,
        )

    def _complete(self, model: str, messages: list[dict[str, str]]) -> str:
        url, headers, body = self.build_request(model, messages)
        try:
            with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
                response = client.post(url, headers=headers, json=body)
        except (
            httpx.ConnectError,
            httpx.ConnectTimeout,
            httpx.ReadTimeout,
            httpx.RemoteProtocolError,
        ) as exc:
            raise ProviderUnavailable(
                f"Cannot reach the {self.name} writer at {self.base_url} ({type(exc).__name__}).",
                hint="Check the base URL and that the server is running, or switch the writer to 'local'.",
                provider=self.name,
            ) from exc
        if response.status_code >= 400:
            raise ProviderError(
                f"The {self.name} writer (model {model}) answered HTTP {response.status_code}: "
                f"{response.text[-300:]}",
                hint="Check the API key, the model name and your quota.",
                provider=self.name,
                model=model,
                status_code=response.status_code,
            )
        try:
            return self.read_reply(response.json())
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ProviderError(
                f"The {self.name} writer (model {model}) sent a reply in an unexpected format.",
                hint="Check that the base URL points at a compatible API.",
                provider=self.name,
                model=model,
            ) from exc

    def build_request(
        self, model: str, messages: list[dict[str, str]]
    ) -> tuple[str, dict[str, str], dict[str, Any]]:
        raise NotImplementedError

    def read_reply(self, data: Any) -> str:
        raise NotImplementedError


class OpenAIWriter(LLMWriter):
    """OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, LM Studio, llama.cpp server)."""

    name = "openai"
    default_base_url = "https://api.openai.com/v1"

    def build_request(
        self, model: str, messages: list[dict[str, str]]
    ) -> tuple[str, dict[str, str], dict[str, Any]]:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        body = {
            "model": model,
            "messages": [{"role": "system", "content": SYSTEM}, *messages],
            "response_format": {"type": "json_object"},
            "temperature": 0.7,
        }
        return f"{self.base_url}/chat/completions", headers, body

    def read_reply(self, data: Any) -> str:
        return str(data["choices"][0]["message"]["content"])


class AnthropicWriter(LLMWriter):
    """Anthropic Messages API."""

    name = "anthropic"
    default_base_url = "https://api.anthropic.com"

    def build_request(
        self, model: str, messages: list[dict[str, str]]
    ) -> tuple[str, dict[str, str], dict[str, Any]]:
        headers = {
            "x-api-key": self.api_key,
            "anthropic-version": "2023-06-01",
            "content-type": "application/json",
        }
        body = {"model": model, "max_tokens": 4096, "system": SYSTEM, "messages": messages}
        return f"{self.base_url}/v1/messages", headers, body

    def read_reply(self, data: Any) -> str:
        return "".join(part["text"] for part in data["content"] if part.get("type") == "text")


# ---------------------------------------------------------------------- prompt pieces


def _user_prompt(req: WriterRequest, task: str, model_cls: type[BaseModel]) -> str:
    ctx = build_context(req)
    brief = {
        "product": ctx.product,
        "description": ctx.description,
        "offer": ctx.offer,
        "price": ctx.price,
        "url": ctx.url,
        "brand": ctx.brand,
        "tone": ctx.tone,
        "tagline": ctx.tagline,
        "audience": ctx.inputs.get("audience", ""),
        "messaging": ctx.inputs.get("messaging", ""),
        "goals": ctx.inputs.get("goals", ""),
        "awareness_stage": req.awareness_stage,
        "persuasion_trigger": req.persuasion_trigger,
        "creative_style": req.creative_style,
        "industry": req.industry,
        "language": req.language,
        "event": dict(ctx.event),
        "options": dict(req.options),
        "suggested_cta": list(ctx.ctas),
    }
    schema = json.dumps(model_cls.model_json_schema(), separators=(",", ":"))
    return (
        f"TASK: {task}\n\nBRIEF (JSON): {json.dumps(brief, ensure_ascii=False, default=str)}\n\n"
        f"Write in the language '{req.language}'. Name the product and use the words of the "
        f"messaging. The CTA must fit the goal.\n\n"
        f"JSON SCHEMA of the reply: {schema}"
    )


def _scene_check(req: WriterRequest, script: BaseModel) -> Any:
    """Scenes of a timed kind (a ``length`` on both) last as long as the script."""

    def check(value: BaseModel) -> None:
        length = getattr(value, "length", None)
        if length is not None and length != getattr(script, "length", length):
            raise ValueError(f"length must be {getattr(script, 'length', '?')} s like the script")

    return check


def _parse_json(reply: str) -> Any:
    text = reply.strip()
    if text.startswith("```"):
        text = text.strip("`")
        text = text[text.find("{") :]
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ValueError("the reply contains no JSON object")
    return json.loads(text[start : end + 1])


def _short_error(exc: Exception) -> str:
    if isinstance(exc, PydanticValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:6]
        )
    return str(exc)[:300]


def _dump(value: BaseModel | Mapping[str, Any]) -> str:
    return json.dumps(_as_dict(value), ensure_ascii=False)


def _as_dict(value: object) -> dict[str, Any]:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return cast(dict[str, Any], dict(value))  # type: ignore[call-overload]
