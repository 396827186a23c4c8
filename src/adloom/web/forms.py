"""Edit a stage's JSON output (script, scenes) as an HTML form, generically for every kind.

``fields_for`` flattens the output into labelled fields (strings, numbers, booleans; a Literal
becomes a select with its choices, read from the pydantic model's JSON schema). ``apply_fields``
writes the posted values back onto a copy of the output, coercing each to the type it had.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from adloom.assets import registry
from adloom.labels import WORDS
from adloom.labels import label as human

HIDDEN = frozenset({"kind", "index"})
PREFIX = "f."


@dataclass(frozen=True)
class FormField:
    path: str
    group: str
    label: str
    value: Any
    type: str  # text, textarea, number, bool, select
    choices: tuple[str, ...] = ()
    choice_labels: tuple[str, ...] = ()  # what each choice reads as on the page
    hint: str = ""

    @property
    def name(self) -> str:
        return PREFIX + self.path


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:
        options = [_resolve(schema, n) for n in node["anyOf"] if n.get("type") != "null"]
        return options[0] if options else node
    return node


def _choices(schema: dict[str, Any], parts: list[str]) -> tuple[str, ...]:
    node = _resolve(schema, schema)
    for part in parts:
        if part.isdigit():
            node = _resolve(schema, node.get("items", {}))
        else:
            node = _resolve(schema, node.get("properties", {}).get(part, {}))
    if "enum" in node:
        return tuple(str(v) for v in node["enum"])
    if "const" in node:
        return (str(node["const"]),)
    return ()


def _label(key: str, names: dict[str, str] | None = None) -> str:
    if names and key in names:
        return names[key]
    return WORDS.get(key) or key.replace("_", " ").capitalize()


def _group(parts: list[str]) -> str:
    if len(parts) >= 2 and parts[1].isdigit():
        return f"{_label(parts[0]).rstrip('s')} {int(parts[1]) + 1}"
    return "General"


def _walk(value: Any, parts: list[str], out: list[tuple[list[str], Any]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in HIDDEN:
                _walk(item, [*parts, key], out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, [*parts, str(index)], out)
    else:
        out.append((parts, value))


def _hint(kind: str, parts: list[str], output: dict[str, Any]) -> str:
    """The kind's line about a whole list, shown on its first item."""
    spec = registry.find(kind)
    if spec is None or len(parts) < 2 or parts[-1] != "0" or parts[-2] not in spec.field_hints:
        return ""
    items: Any = output
    for part in parts[:-1]:
        items = items[int(part)] if isinstance(items, list) else items.get(part, [])
    return spec.field_hints[parts[-2]](list(items)) if isinstance(items, list) else ""


def fields_for(model: type[BaseModel], output: dict[str, Any], kind: str = "") -> list[tuple[str, list[FormField]]]:
    """Grouped form fields for a stage output; ``kind`` names its choices and fields in words."""
    spec = registry.find(kind)
    names = dict(spec.field_labels) if spec else {}
    schema = model.model_json_schema()
    leaves: list[tuple[list[str], Any]] = []
    _walk(output, [], leaves)
    groups: dict[str, list[FormField]] = {}
    for parts, value in leaves:
        choices = _choices(schema, parts)
        label_parts = [p for p in parts[2:] if not p.isdigit()] if _group(parts) != "General" else parts
        label = " · ".join(_label(p, names) for p in label_parts if not p.isdigit()) or _label(parts[0], names)
        if parts[-1].isdigit():
            label = f"{label} {int(parts[-1]) + 1}"
        kind_of = ("bool" if isinstance(value, bool) else "select" if choices else
                "number" if isinstance(value, int | float) else
                "textarea" if isinstance(value, str) and len(value) > 70 else "text")
        field = FormField(".".join(parts), _group(parts), label, value, kind_of, choices,
                          tuple(human(c, kind) for c in choices), _hint(kind, parts, output))
        groups.setdefault(field.group, []).append(field)
    return list(groups.items())


def _coerce(old: Any, raw: str) -> Any:
    if isinstance(old, bool):
        return raw.lower() in ("1", "true", "on", "yes")
    if isinstance(old, int):
        try:
            return int(raw)
        except ValueError:
            return float(raw) if raw.replace(".", "", 1).isdigit() else raw
    if isinstance(old, float):
        try:
            return float(raw)
        except ValueError:
            return raw
    if old is None and raw == "":
        return None
    return raw


def _set(target: Any, parts: list[str], raw: str) -> None:
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = _coerce(target[int(last)], raw)
    elif isinstance(target, dict) and last in target:
        target[last] = _coerce(target[last], raw)


def apply_fields(output: dict[str, Any], posted: dict[str, str], bool_paths: list[str]) -> dict[str, Any]:
    """A copy of ``output`` with the posted ``f.<path>`` values; unticked booleans become False."""
    value = copy.deepcopy(output)
    for name, raw in posted.items():
        if name.startswith(PREFIX):
            try:
                _set(value, name[len(PREFIX):].split("."), raw)
            except (KeyError, IndexError, ValueError, TypeError):
                continue  # a path that is not in the output is ignored, never created
    for path in bool_paths:
        if PREFIX + path not in posted:
            try:
                _set(value, path.split("."), "false")
            except (KeyError, IndexError, ValueError, TypeError):
                continue
    return value


def bool_fields(groups: list[tuple[str, list[FormField]]]) -> list[str]:
    return [f.path for _, fields in groups for f in fields if f.type == "bool"]
