"""The layers of the design, with imports pointing one way: model/source → formats, store →
publish → web/cli. A module may import from its own layer or the ones below, never from above;
formats/ (pure builders) and store/ (tables and bytes) do not know each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "calfeed"
LAYERS = [  # lowest first; a module belongs to the first prefix it matches
    ("model", ("calfeed", "calfeed.model", "calfeed.errors", "calfeed.settings",
               "calfeed.nbdates", "calfeed.derived", "calfeed.languages",
               "calfeed.partners", "calfeed.localtime", "calfeed.recurrence")),
    ("source", ("calfeed.yamlload", "calfeed.validators", "calfeed.rules", "calfeed.schema",
                "calfeed.located", "calfeed.source", "calfeed.extract", "calfeed.textin",
                "calfeed.extract_yaml", "calfeed.lint", "calfeed.messages",
                "calfeed.source_texts", "calfeed.source_tags", "calfeed.messages_nb")),
    ("pull", ("calfeed.pull",)),  # fetch and read partners' calendars into validated entries
    ("formats", ("calfeed.formats",)),
    ("store", ("calfeed.store",)),
    ("publish", ("calfeed.publish",)),
    ("edges", ("calfeed.web", "calfeed.export", "calfeed.swapdir", "calfeed.cli",
               "calfeed.__main__", "calfeed.harvest", "calfeed.failures")),
]


def layer(module: str) -> int:
    for rank, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or (p != "calfeed" and module.startswith(p + ".")) for p in prefixes):
            return rank
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The calfeed modules a file imports, relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("calfeed"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("calfeed"):
                found.add(target)
                # `from .. import web` imports the module calfeed.web, not calfeed.
                found.update(f"{target}.{a.name}" for a in node.names
                             if is_module(f"{target}.{a.name}"))
    return found


def is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_point_down(path: Path) -> None:
    own = layer(module_name(path))
    upward = {m for m in imports(path) if layer(m) > own}
    assert not upward, f"{module_name(path)} ({LAYERS[own][0]}) imports from above: {upward}"


def _importers(package: str, forbidden: tuple[str, ...]) -> dict[str, set[str]]:
    found = {}
    for path in (PACKAGE / package).rglob("*.py"):
        bad = {m for m in imports(path) if m.startswith(forbidden)}
        if bad:
            found[module_name(path)] = bad
    return found


def test_the_store_only_stores() -> None:
    # Tables, revisions and pieces as bytes: it neither renders nor serves.
    assert _importers("store", ("calfeed.formats", "calfeed.web", "calfeed.publish")) == {}


def test_the_builders_are_pure() -> None:
    # Entries and a context in, bytes out: no database, no HTTP.
    assert _importers("formats", ("calfeed.store", "calfeed.web", "calfeed.publish")) == {}


def test_the_web_layer_does_not_import_the_cli() -> None:
    for path in (PACKAGE / "web").rglob("*.py"):
        assert not {m for m in imports(path) if m.startswith("calfeed.cli")}, path
