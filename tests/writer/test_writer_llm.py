"""LLM writers against small local HTTP servers speaking each provider's documented format."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

import pytest
from writer_briefs import request_from_brief

from adloom.assets.video.models import VideoScenes
from adloom.errors import ProviderError, ProviderUnavailable
from adloom.writer import get_writer
from adloom.writer.local import LocalWriter
from adloom.writer.schemas import IdeaSet


class FakeProvider:
    """A threaded HTTP server that answers with queued JSON texts and records every request."""

    def __init__(self, provider: str, replies: list[str]) -> None:
        self.provider = provider
        self.replies = replies
        self.requests: list[dict[str, Any]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}" + ("/v1" if self.provider == "openai" else "")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                text = fake.replies.pop(0) if len(fake.replies) > 1 else fake.replies[0]
                payload = fake.envelope(body["model"], text)
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                return None

        return Handler

    def envelope(self, model: str, text: str) -> dict[str, Any]:
        if self.provider == "openai":
            return {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": text},
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            }
        return {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 10, "output_tokens": 10},
        }

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


PROVIDERS = ("openai", "anthropic")


@pytest.fixture()
def req():
    return request_from_brief("northbound-coldbrew", "video", options={"length": 30})


@pytest.fixture()
def good_ideas(req) -> str:
    return LocalWriter().ideas(req, seed=1).value.model_dump_json()


def make(provider: str, fake: FakeProvider) -> Any:
    return get_writer(
        provider,
        base_url=fake.base_url,
        api_key="sk-test",
        model_standard="std-model",
        model_premium="pro-model",
        timeout=5,
    )


@pytest.mark.parametrize("provider", PROVIDERS)
def test_valid_reply_is_parsed_and_request_follows_the_provider_format(provider, req, good_ideas):
    with FakeProvider(provider, [good_ideas]) as fake:
        result = make(provider, fake).ideas(req, seed=3)
    assert isinstance(result.value, IdeaSet) and result.value.model_dump_json() == good_ideas
    assert result.provider == provider and result.model == "std-model"
    assert "JSON SCHEMA" in result.prompt and "Northbound Cold Brew" in result.prompt
    (sent,) = fake.requests
    if provider == "openai":
        assert sent["path"] == "/v1/chat/completions"
        assert sent["headers"]["Authorization"] == "Bearer sk-test"
        assert sent["body"]["response_format"] == {"type": "json_object"}
        assert sent["body"]["messages"][0]["role"] == "system"
    else:
        assert sent["path"] == "/v1/messages"
        assert sent["headers"]["x-api-key"] == "sk-test"
        assert sent["headers"]["anthropic-version"] == "2023-06-01"
        assert sent["body"]["max_tokens"] > 0 and "system" in sent["body"]
    assert sent["body"]["model"] == "std-model"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_premium_tier_uses_the_premium_model(provider, req, good_ideas):
    import dataclasses

    with FakeProvider(provider, [good_ideas]) as fake:
        result = make(provider, fake).ideas(dataclasses.replace(req, tier="premium"), seed=1)
    assert result.model == "pro-model" and fake.requests[0]["body"]["model"] == "pro-model"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_invalid_then_valid_reply_is_retried_once(provider, req, good_ideas):
    invalid = json.dumps({"ideas": [{"title": "only one"}]})
    with FakeProvider(provider, [invalid, good_ideas]) as fake:
        result = make(provider, fake).ideas(req, seed=1)
    assert isinstance(result.value, IdeaSet)
    assert len(fake.requests) == 2
    retry_messages = fake.requests[1]["body"]["messages"]
    assert "not valid" in retry_messages[-1]["content"] and "ideas" in retry_messages[-1]["content"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_always_invalid_reply_raises_provider_error_naming_provider_and_model(provider, req):
    with (
        FakeProvider(provider, ["Sure! Here are some ideas: none"]) as fake,
        pytest.raises(ProviderError) as caught,
    ):
        make(provider, fake).ideas(req, seed=1)
    assert provider in caught.value.message and "std-model" in caught.value.message
    assert len(fake.requests) == 2
    assert not isinstance(caught.value, ProviderUnavailable)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_unreachable_provider_raises_unavailable_naming_it(provider, req):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    writer = get_writer(
        provider, base_url=f"http://127.0.0.1:{port}", model_standard="m", timeout=2
    )
    with pytest.raises(ProviderUnavailable) as caught:
        writer.ideas(req, seed=1)
    assert provider in caught.value.message and str(port) in caught.value.message


@pytest.mark.parametrize("provider", PROVIDERS)
def test_scenes_and_one_scene_regeneration_keep_the_rest(provider, req):
    local = LocalWriter()
    idea = local.ideas(req, seed=1).value.ideas[0]
    script = local.script(req, idea, seed=1).value
    scenes = local.scenes(req, script, seed=1).value
    assert isinstance(scenes, VideoScenes)
    new_scene = scenes.scenes[1].model_copy(
        update={"visual": "A brand-new take on the scene", "duration": 99 / 10}
    )
    with FakeProvider(provider, [new_scene.model_dump_json()]) as fake:
        result = make(provider, fake).regenerate_scene(req, script, scenes, 1, seed=2)
    value = result.value
    assert isinstance(value, VideoScenes)
    assert value.scenes[1].visual == "A brand-new take on the scene"
    assert value.scenes[1].duration == scenes.scenes[1].duration  # the length still adds up
    assert [s for i, s in enumerate(value.scenes) if i != 1] == [
        s for i, s in enumerate(scenes.scenes) if i != 1
    ]


def test_unknown_provider_is_a_clear_error():
    from adloom.errors import InvalidOption

    with pytest.raises(InvalidOption, match="local"):
        get_writer("gpt-magic")
