"""Where a problem is, and how pydantic's findings read to an editor.

The reader (``source.py``) keeps the YAML node tree (``yamlload.py``) and looks a place up in
it only for the values that have a problem: ``_at`` the value, ``_key`` its key.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import schema, yamlload
from . import validators as v
from .errors import Problem

Path_ = tuple[str | int, ...]


class Located:
    """Collects problems, each placed at a path of keys and indexes into the file."""

    def __init__(self, filename: str) -> None:
        self.file = filename
        self.root: Any = None  # the YAML node tree, once composed
        self.problems: list[Problem] = []
        self.errors = 0

    def _translate(self, exc: ValidationError, base: Path_, adapter: TypeAdapter[Any]) -> None:
        for error in exc.errors(include_url=False):
            loc = (*base, *error["loc"])
            kind = error["type"]
            if kind == "extra_forbidden":
                parent = _model_at(adapter, error["loc"][:-1])
                self._unknown_key(loc, tuple(parent.model_fields) if parent else ())
            elif kind == "missing":
                self._at(loc[:-1], f"missing required key '{loc[-1]}'")
            elif kind == "value_error" and isinstance(error.get("ctx", {}).get("error"),
                                                      v.Invalid):
                message = str(error["ctx"]["error"])
                self._at(loc, message if _is_self_describing(message) else
                         f"{loc[-1] if isinstance(loc[-1], str) else 'value'}: {message}")
            else:
                self._at(loc, f"{_field_name(loc)}: {schema.GENERIC.get(kind, error['msg'])}")

    def _check(self, adapter: TypeAdapter[Any], value: Any, path: Path_, what: str) -> Any:
        """The value at ``path`` as ``adapter`` reads it; None, its problems placed, when it is
        missing or invalid."""
        if value is None:
            if self._key_mark(path) is not None:  # the key is there, nothing under it
                self._key(path, f"'{what}' is empty; see the README for its keys")
            else:
                self._at(path, f"missing '{what}' section; see the README for its keys")
            return None
        try:
            return adapter.validate_python(value)
        except ValidationError as exc:
            self._translate(exc, path, adapter)
            return None

    def _unknown_key(self, loc: Path_, allowed: tuple[str, ...]) -> None:
        key = str(loc[-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" — did you mean '{close[0]}'?" if close else f" (allowed: {', '.join(allowed)})"
        self._key(loc, f"unknown key '{key}'{hint}")

    def _mark(self, loc: Path_) -> tuple[int, int]:
        """Where the value at ``loc`` starts, or its nearest enclosing value that exists."""
        node = self.root
        for part in loc:
            child = yamlload.child(node, part) if node is not None else None
            if child is None:
                break
            node = child[1]
        return yamlload.position(node) if node is not None else (1, 1)

    def _key_mark(self, loc: Path_) -> tuple[int, int] | None:
        parent = self.root
        for part in loc[:-1]:
            child = yamlload.child(parent, part) if parent is not None else None
            if child is None:
                return None
            parent = child[1]
        child = yamlload.child(parent, loc[-1]) if parent is not None and loc else None
        return yamlload.position(child[0]) if child is not None and child[0] is not None else None

    def _at(self, loc: Path_, message: str) -> None:
        self._add(*self._mark(loc), message)

    def _key(self, loc: Path_, message: str) -> None:
        self._add(*(self._key_mark(loc) or self._mark(loc)), message)

    def _add(self, line: int, col: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, col, message))
        self.errors += 1


def _is_self_describing(message: str) -> bool:
    return message.startswith(("'", "unknown", "only", "contains"))


def _field_name(loc: Path_) -> str:
    names = [str(part) for part in loc if isinstance(part, str)]
    return names[-1] if names else "value"


def _model_at(adapter: TypeAdapter[Any], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that a location inside ``adapter``'s type points at (for key hints)."""
    core: Any = adapter.core_schema
    if isinstance(core, dict) and core.get("type") == "definitions":  # nested models
        core = core.get("schema")
    model: Any = core.get("cls") if isinstance(core, dict) else None
    for part in loc:
        if model is None or not isinstance(part, str):
            continue
        annotation = model.model_fields.get(part)
        model = _model_of(annotation.annotation) if annotation else None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None
