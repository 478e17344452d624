"""Proposed entries as the YAML `calfeed extract` prints: an ``entries:`` list, each entry
commented with the line it came from and what the reader was unsure of, written so that,
pasted under ``entries:`` of events.yaml, it passes ``calfeed check``."""

from __future__ import annotations

from datetime import date, time

import yaml

from .extract import Proposal


def extract_yaml(proposals: list[Proposal], *, source: str, year: int | None,
                 year_given: bool) -> str:
    """A YAML document with ``entries:``, each proposal commented with its line and doubts;
    pasted under ``entries:`` of events.yaml it passes ``calfeed check``."""
    how = "from --year" if year_given else "read from the text"
    head = [f"# calfeed extract: {len(proposals)} proposed entries from {source}",
            f"# Year for dates written without one: {year if year else 'none found'} ({how}).",
            "# Check each entry against the text, add url and tags, then paste under `entries:`.",
            "entries:" if proposals else "entries: []"]
    body: list[str] = []
    for proposal in proposals:
        body.append("")
        where = f"line {proposal.line}"
        if proposal.also:
            where += " (also line " + ", ".join(str(n) for n in proposal.also) + ")"
        body.append(f"  # {source}, {where}: {_comment(proposal.quote)}")
        for doubt in proposal.unsure:
            body.append(f"  # unsure: {_comment(doubt)}")
        body.extend(_entry_lines(proposal))
    return "\n".join(head + body) + "\n"


def _entry_lines(p: Proposal) -> list[str]:
    fields: list[tuple[str, str]] = [("id", p.id), ("type", p.type), ("title", _scalar(p.title))]
    w = p.when
    if w.precision == "month":
        first = f"{w.start:%Y-%m}"
        fields.append(("due" if p.type == "deadline" else "start", first))
    elif p.type == "deadline":
        fields.append(("due", _when(w.end, w.start_time)))
    else:
        fields.append(("start", _when(w.start, w.start_time)))
        if w.end_time is not None:
            fields.append(("end", _when(w.end, w.end_time)))
        elif w.end != w.start:
            fields.append(("end", f"{w.end:%Y-%m-%d}"))
    for key, value in (("location", p.location), ("organizer", p.organizer),
                       ("description", p.description)):
        if value:
            fields.append((key, _scalar(value)))
    lines = []
    for n, (key, value) in enumerate(fields):
        lines.append(f"  {'- ' if n == 0 else '  '}{key}: {value}")
    if p.registration is not None:
        r = p.registration
        # registration.due is a day: for "påmeldingsfrist i september", the month's last
        # (named among the doubts)
        due = _when(r.end, None if r.precision == "month" else r.start_time)
        lines += ["    registration:", f"      due: {due}"]
        if p.registration_url:
            lines.append(f"      url: {_scalar(p.registration_url)}")
    return lines


def _when(day: date, at: time | None) -> str:
    return f"{day:%Y-%m-%d}" if at is None else f"{day:%Y-%m-%d} {at:%H:%M}"


def _scalar(text: str) -> str:
    """One line of YAML: plain where that reads back as the same text, else double-quoted."""
    dumped = yaml.safe_dump(text, allow_unicode=True, width=1 << 20, default_flow_style=True)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _comment(text: str) -> str:
    return text.replace("\n", " ")

