"""Check JSON-LD against schema.org's own definitions (an excerpt shipped in
tests/data/schemaorg/) and against Google's requirements for event results.

``violations(node)`` lists, with a path for each, every property a type does not have (by
``domainIncludes`` along ``subClassOf``), every value outside the property's ``rangeIncludes``
(nested nodes by type, enumeration members by their type, Text, URL, Date and DateTime by form),
and every unknown type.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

VOCABULARY = Path(__file__).parent.parent / "data" / "schemaorg" / "event-vocabulary.jsonld"
SCHEMA = "https://schema.org/"
_DATATYPES = {"Text", "URL", "Date", "DateTime"}


@dataclass
class Vocabulary:
    parents: dict[str, set[str]] = field(default_factory=dict)  # class -> direct superclasses
    domains: dict[str, set[str]] = field(default_factory=dict)  # property -> classes
    ranges: dict[str, set[str]] = field(default_factory=dict)  # property -> classes
    members: dict[str, str] = field(default_factory=dict)  # enumeration member -> its class

    def ancestors(self, name: str) -> set[str]:
        seen, todo = {name}, [name]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen


def _ids(value: Any) -> set[str]:
    items = value if isinstance(value, list) else [value]
    return {item["@id"].removeprefix("schema:") for item in items}


@cache
def vocabulary() -> Vocabulary:
    vocab = Vocabulary()
    for node in json.loads(VOCABULARY.read_text(encoding="utf-8"))["@graph"]:
        name = node["@id"].removeprefix("schema:")
        types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "rdfs:Class" in types:
            vocab.parents[name] = _ids(node.get("rdfs:subClassOf", []))
        elif "rdf:Property" in types:
            vocab.domains[name] = _ids(node["schema:domainIncludes"])
            vocab.ranges[name] = _ids(node["schema:rangeIncludes"])
        else:
            vocab.members[name] = types[0].removeprefix("schema:")
    return vocab


def _is_datatype(value: Any, datatype: str) -> bool:
    if not isinstance(value, str):
        return False
    if datatype == "Text":
        return True
    if datatype == "URL":
        return re.match(r"^https?://[^\s/]+", value) is not None
    if datatype == "Date":
        return re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None and bool(
            date.fromisoformat(value))
    if datatype == "DateTime":
        # schema.org's form: [-]CCYY-MM-DDThh:mm:ss[Z|(+|-)hh:mm]; an event's needs its offset.
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})", value):
            return False
        return datetime.fromisoformat(value).tzinfo is not None
    return False


def violations(node: dict[str, Any], path: str = "$") -> list[str]:
    vocab = vocabulary()
    problems: list[str] = []
    kind = node.get("@type")
    if not isinstance(kind, str) or kind not in vocab.parents or kind in _DATATYPES:
        return [f"{path}: @type {kind!r} is not a schema.org class"]
    lineage = vocab.ancestors(kind)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        where = f"{path}.{key}"
        if key not in vocab.domains:
            problems.append(f"{where}: not a schema.org property")
            continue
        if not vocab.domains[key] & lineage:
            problems.append(f"{where}: not a property of {kind}")
            continue
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            spot = f"{where}[{i}]" if isinstance(value, list) else where
            problems.extend(_value_violations(item, vocab.ranges[key], spot))
    return problems


def _value_violations(value: Any, allowed: set[str], path: str) -> list[str]:
    vocab = vocabulary()
    if isinstance(value, dict):
        inner = violations(value, path)
        kind = value.get("@type")
        if not inner and not vocab.ancestors(str(kind)) & allowed:
            inner.append(f"{path}: a {kind} where schema.org expects {sorted(allowed)}")
        return inner
    if isinstance(value, str) and value.startswith(SCHEMA) \
            and value.removeprefix(SCHEMA) in vocab.members:
        kind = vocab.members[value.removeprefix(SCHEMA)]
        if vocab.ancestors(kind) & allowed:
            return []
        return [f"{path}: {value} is a {kind}, not one of {sorted(allowed)}"]
    if any(_is_datatype(value, d) for d in allowed & _DATATYPES):
        return []
    return [f"{path}: {value!r} is not a valid {' or '.join(sorted(allowed))}"]


def google_event_problems(node: dict[str, Any]) -> list[str]:
    """What Google's event rich results require, and the recommended properties calfeed can
    know (developers.google.com/search/docs/appearance/structured-data/event)."""
    problems = [f"missing required {key}" for key in ("name", "startDate", "location")
                if key not in node]
    problems += [f"missing recommended {key}" for key in
                 ("endDate", "eventAttendanceMode", "eventStatus", "organizer")
                 if key not in node]
    locations = node.get("location", [])
    for place in locations if isinstance(locations, list) else [locations]:
        if not isinstance(place, dict):
            problems.append(f"location {place!r} is not a Place or VirtualLocation")
        elif place.get("@type") == "Place" and not place.get("address"):
            problems.append("a Place without address")
        elif place.get("@type") == "VirtualLocation" and not place.get("url"):
            problems.append("a VirtualLocation without url")
        elif place.get("@type") not in ("Place", "VirtualLocation"):
            problems.append(f"location of type {place.get('@type')}")
    organizer = node.get("organizer")
    if isinstance(organizer, dict) and not organizer.get("name"):
        problems.append("an organizer without name")
    return problems
