"""Bytes on disk -> YAML node tree -> plain data, with every cost bounded before it is paid.

A source file comes from an editor, but also from whoever can write to the data directory, so
what reading it may cost is bounded, each bound refused at its line and column:

- the file's size, checked before it is read (and read no further than the bound);
- bytes that are not UTF-8, reported at the line and column of the first bad byte;
- nesting: libyaml stops at 1,000 levels itself; the walk to plain data stops at
  ``MAX_DEPTH``, which also ends a recursive alias (``&a [*a]``, a cycle in the node graph);
- aliases: the composer shares an anchored node among its aliases (the graph stays as small as
  the text), and the walk to plain data is where a "billion laughs" would expand; it counts
  the values it copies through aliases and stops at ``MAX_ALIASED_VALUES``;
- a single value's length (``MAX_SCALAR_CHARS``; each field has its own, smaller bound in
  ``validators.py``).

A loader subclass that counts during composition would need PyYAML's pure-Python composer,
about 6 times slower than libyaml's on a 10,000-entry file; counting in the walk bounds the
same thing, since composing never expands an alias.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, SourceError

try:  # the C composer is ~6x faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 16 * 1024 * 1024  # ~30,000 entries; a 10,000-entry file is about 5.5 MB
MAX_DEPTH = 20  # the schema needs 6 (file, entries, entry, title, language, text)
MAX_ALIASED_VALUES = 100_000  # values copied through '*name' aliases, in the whole file
MAX_SCALAR_CHARS = 100_000

NULL_TAG = "tag:yaml.org,2002:null"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))  # YAML 1.1's plain nulls

Report = Callable[[int, int, str], None]


class Loader(_YamlLoader):
    """Tags a plain scalar null or text, nothing else: we read every value as the text the
    editor wrote, so the composer need not try YAML 1.1's bool/int/float/timestamp patterns on
    each of them (a tenth of the time of composing a large file)."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return NULL_TAG if implicit[0] and value in _NULLS else self.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


def read_text(path: Path) -> str:
    """The file's text; SourceError if it is missing, too large or not UTF-8."""
    name = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)  # never more than the bound, even if growing
    except FileNotFoundError:
        raise SourceError([Problem(name, 1, 1, "file not found")]) from None
    if len(data) > MAX_FILE_BYTES:
        line = data.count(b"\n", 0, MAX_FILE_BYTES) + 1
        raise SourceError([Problem(
            name, line, 1, f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, "
            "more than calfeed reads; remove entries that are long past, or shorten long "
            "descriptions (the rest of the file was not read)")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(data, exc.start)
        raise SourceError([Problem(
            name, line, col, f"not UTF-8 (byte 0x{data[exc.start]:02X}: {exc.reason}); save "
            "the file as UTF-8")]) from None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters, as an editor counts) of the byte at ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    before = data[line_start:offset].decode("utf-8", errors="replace")
    return data.count(b"\n", 0, offset) + 1, len(before) + 1


def compose(text: str, report: Report) -> yaml.Node | None:
    """The node tree of ``text`` (None if empty), or None after reporting a syntax error."""
    try:
        return yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        if "mapping values are not allowed" in what:
            # The usual cause: a title like "Istanbulkonferansen: Hvordan …" unquoted.
            what += "; if the text contains ': ', put it in quotes (\"…\")"
        elif "maximum nesting depth" in what:
            what = what.replace("\n", " ") + f"; calfeed's file needs at most {MAX_DEPTH}"
        report(line, col, f"this is not valid YAML: {what}")
    except yaml.YAMLError as exc:
        report(1, 1, f"this is not valid YAML: {exc}")
    except RecursionError:  # pragma: no cover - only the pure-Python composer recurses
        report(1, 1, f"this is not valid YAML: nested more than {MAX_DEPTH} levels deep")
    return None


def position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class Plain:
    """Turns a node tree into dicts, lists, text and None, within the bounds above; reports
    each problem (with its place) and leaves the offending value out."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.seen: set[int] = set()
        self.aliased = 0
        self.stopped = False  # a bound was hit: the rest of the walk is skipped

    def convert(self, node: yaml.Node, depth: int = 1) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if self.stopped:
            return None
        if depth > MAX_DEPTH:
            self._stop(node, f"nested more than {MAX_DEPTH} levels deep (or an alias that "
                       "contains itself); calfeed's file needs at most 6: check the "
                       "indentation and brackets here")
            return None
        # Only lists and mappings are counted: an alias of a scalar shares its one string.
        if id(node) in self.seen:  # a second visit: an alias copies this list or mapping
            self.aliased += len(node.value)
            if self.aliased > MAX_ALIASED_VALUES:
                self._stop(node, f"aliases ('*name') repeat this value into more than "
                           f"{MAX_ALIASED_VALUES:,} values; write the values out, or use "
                           "fewer aliases")
                return None
        else:
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        return [self.convert(child, depth + 1) for child in node.value]

    def _scalar(self, node: yaml.ScalarNode) -> str | None:
        if node.tag == NULL_TAG:
            return None
        value: str = node.value
        if len(value) > MAX_SCALAR_CHARS:
            self.report(*position(node), f"this value is {len(value):,} characters long; "
                        f"calfeed reads at most {MAX_SCALAR_CHARS:,}: shorten it")
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        scalar = yaml.ScalarNode
        for key_node, value_node in node.value:
            if key_node.__class__ is not scalar:
                self.report(*position(key_node), "keys must be plain words")
                continue
            key = str(key_node.value)
            if len(key) > MAX_SCALAR_CHARS:
                self.report(*position(key_node), "this key is too long to be one of calfeed's")
                continue
            if key in result:
                self.report(*position(key_node), f"key '{key}' appears twice here; keep one")
                continue
            result[key] = self._scalar(value_node) if value_node.__class__ is scalar \
                else self.convert(value_node, depth + 1)
        return result

    def _stop(self, node: yaml.Node, message: str) -> None:
        self.report(*position(node), message)
        self.stopped = True


def child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    """The (key node, value node) that ``part`` names in ``node``, as :class:`Plain` read it:
    the first plain key of that name (a repeated key is an error and ignored), or an index."""
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and str(key_node.value) == part:
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
            and 0 <= part < len(node.value):
        return None, node.value[part]
    return None
