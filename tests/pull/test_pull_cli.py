"""`calfeed pull` as an operator runs it, and `sources:` / `hide:` as the editor writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from calfeed.cli import main
from calfeed.errors import SourceError
from calfeed.source import parse_source
from tests.support.upstream import Upstream

HEAD = """calendar:
  title: KOM
  uid_domain: kalender.example.no
"""


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> object:
    monkeypatch.setenv("CALFEED_DATABASE_URL", f"sqlite:///{tmp_path / 'calfeed.db'}")
    monkeypatch.setenv("CALFEED_DATA", str(tmp_path / "events.yaml"))
    monkeypatch.setenv("CALFEED_LOG_LEVEL", "warning")
    monkeypatch.setenv("CALFEED_LANGUAGE", "en")
    monkeypatch.setenv("CALFEED_PULL_ALLOW_PRIVATE", "1")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_pull_prints_each_sources_outcome_with_progress(
        cli: object, upstream: Upstream, tmp_path: Path) -> None:
    (tmp_path / "events.yaml").write_text(HEAD + f"""sources:
  dep:
    url: {upstream.url("regjeringen.rss")}
    format: rss
  broken:
    url: {upstream.url("google.ics", "error")}
    format: ics
""", encoding="utf-8")
    code, out, err = cli("pull")  # type: ignore[operator]
    assert code == 4  # a source failed; the others were pulled
    assert "[1/2] " in err and "[2/2] " in err
    lines = out.splitlines()
    assert lines[0] == ("dep: 3 added, 0 changed, 0 cancelled, 0 unchanged, 1 skipped "
                        "— HTTP 200, 2.5 kB")
    assert lines[1].startswith("  skipped 'Orientering om arbeidet med ny barnevernslov'")
    assert "no deadline found" in lines[1]
    assert lines[2] == ("broken: kept the last good 0 entries — failed: HTTP 500 Internal "
                        "Server Error")
    assert lines[3].startswith("published: 3 added")
    code, out, _ = cli("pull", "dep")  # type: ignore[operator]
    assert code == 0
    assert out.splitlines() == [
        "dep: 0 added, 0 changed, 0 cancelled, 3 unchanged, 0 skipped — HTTP 304 not modified",
        "nothing changed; nothing published"]


def test_pull_of_an_unknown_name_is_a_usage_error(cli: object, tmp_path: Path) -> None:
    (tmp_path / "events.yaml").write_text(HEAD, encoding="utf-8")
    code, _, err = cli("pull", "nope")  # type: ignore[operator]
    assert code == 2 and "no source named nope" in err


def test_sources_and_hide_are_read_and_checked_with_their_places() -> None:
    source = parse_source(HEAD + """sources:
  rvts-ost:
    url: https://example.org/kalender.ics
    format: ics
    type: course
    tags: [menneskehandel]
    organizer: RVTS Øst
    include: [menneskehandel, utnyttelse]
    exclude: [avlyst-internt]
    every: 6h
hide: [rvts-ost-3f2a9c1b]
""").source
    partner = source.sources["rvts-ost"]
    assert (partner.format, partner.type, partner.tags, partner.every.total_seconds()) == (
        "ics", "course", ("menneskehandel",), 6 * 3600)
    assert source.hide == ("rvts-ost-3f2a9c1b",)
    with pytest.raises(SourceError) as caught:
        parse_source(HEAD + """sources:
  Rvts Ost:
    url: javascript:alert(1)
    format: icalendar
    every: 10s
hide: [Not A Slug]
""", "events.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith("events.yaml:5:3: source name 'Rvts Ost'") for m in messages)
    assert any(m.startswith("events.yaml:6:10:") and "http and https" in m for m in messages)
    assert any(m.startswith("events.yaml:7:13: unknown format 'icalendar'") for m in messages)
    assert any(m.startswith("events.yaml:8:12: '10s' is not an interval") for m in messages)
    assert any(m.startswith("events.yaml:9:8:") for m in messages)


def test_the_shipped_files_commented_sources_are_valid_and_show_each_format() -> None:
    shipped = Path(__file__).parent.parent.parent / "data" / "events.yaml"
    lines = shipped.read_text(encoding="utf-8").splitlines()
    start = lines.index("# sources:")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("# hide:"))
    uncommented = [line[2:] for line in lines[start:end + 1]]
    text = "\n".join(lines[:start] + uncommented + lines[end + 1:]) + "\n"
    source = parse_source(text, "events.yaml").source
    assert sorted(p.format for p in source.sources.values()) == ["atom", "ics", "jsonld", "rss"]
    assert source.hide


def test_pull_speaks_the_calendars_language(cli: object, upstream: Upstream, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALFEED_LANGUAGE", "nb")
    (tmp_path / "events.yaml").write_text(HEAD + f"""sources:
  dep:
    url: {upstream.url("regjeringen.rss")}
    format: rss
""", encoding="utf-8")
    code, out, _ = cli("pull")  # type: ignore[operator]
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("dep: 3 lagt til, 0 endret, 0 avlyst, 0 uendret, 1 hoppet over "
                        "— HTTP 200, 2.5 kB")
    assert lines[1].startswith("  hoppet over 'Orientering om")
    assert lines[2].startswith("publisert: 3 lagt til, 0 endret, 0 fjernet")
    _, again, _ = cli("pull")  # type: ignore[operator]
    assert again.splitlines()[-1] == "ingenting endret; ingenting publisert"
