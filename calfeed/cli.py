"""The command line: check, sync, serve, build. Domain errors become messages and exit codes
here and nowhere else."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from . import __version__
from .errors import CalfeedError, Problem, RemovalsHeldError, SourceError, SyncBusyError
from .failures import database_failure, file_failure
from .messages import language_of, line, problem_text, say
from .settings import Settings, configure_logging, get_settings
from .source import Loaded, load_source

# EXIT_BUSY: nothing is wrong with the file; the same command may work when tried again.
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
# A partner source failed; its last good entries are kept and the others were pulled.
EXIT_PULL_FAILED = 4
# The sync would remove most of the published entries; nothing changed until confirmed.
EXIT_HELD = 5
# The database or the file system failed (unreachable, full, read-only, permissions); the
# file is fine and nothing was half-applied: fix the cause and run the command again.
EXIT_STORAGE = 6


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        settings = get_settings()
    except ValidationError as exc:
        for error in exc.errors():
            name = "CALFEED_" + "_".join(str(part) for part in error["loc"]).upper()
            print(f"error: {name}: {error['msg']}", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(settings)
    lang = language_of(_source_path(args, settings), settings.language)
    args.lang_messages = lang
    try:
        result: int = args.run(args, settings)
    except SourceError as exc:
        _print_problems(exc.problems + exc.warnings, lang)
        count = len(exc.problems)
        print(line(lang, "errors", n=count, s="s" if count != 1 else ""), file=sys.stderr)
        return EXIT_INVALID
    except SyncBusyError as exc:
        print(f"error: {exc}{line(lang, 'busy_suffix')}", file=sys.stderr)
        return EXIT_BUSY
    except RemovalsHeldError as exc:
        print(f"error: {exc}. If that is meant, run it again with --allow-removals.",
              file=sys.stderr)
        return EXIT_HELD
    except CalfeedError as exc:
        print(f"error: {say(str(exc), lang)}", file=sys.stderr)
        return EXIT_INVALID
    except SQLAlchemyError as exc:
        return _storage_failure(database_failure(exc, settings.database_url, lang), args,
                                settings)
    except OSError as exc:
        return _storage_failure(file_failure(exc, lang), args, settings)
    return result


def _storage_failure(message: str, args: argparse.Namespace, settings: Settings) -> int:
    if getattr(args, "debug", False) or settings.log_level.upper() == "DEBUG":
        traceback.print_exc(file=sys.stderr)
    print(message, file=sys.stderr)
    return EXIT_STORAGE


def _source_path(args: argparse.Namespace, settings: Settings) -> Path:
    file = getattr(args, "file", None)
    return file if isinstance(file, Path) and file.suffix in (".yaml", ".yml") else settings.data


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="calfeed",
        description="Publish events.yaml as calendar subscriptions, feeds, an API and a page.",
    )
    parser.add_argument("--version", action="version", version=f"calfeed {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    check = commands.add_parser("check", help="validate the source; print every error")
    check.add_argument("file", nargs="?", type=Path, help="default: $CALFEED_DATA")
    check.set_defaults(run=_check)

    sync = commands.add_parser("sync", help="validate and apply the source to the database")
    sync.add_argument("file", nargs="?", type=Path, help="default: $CALFEED_DATA")
    sync.add_argument("--allow-removals", action="store_true",
                      help="publish even when most of the published entries would be removed")
    sync.set_defaults(run=_sync)

    serve = commands.add_parser("serve", help="sync, then serve; re-sync when the file changes")
    serve.add_argument("--host", help="default: $CALFEED_HOST (127.0.0.1)")
    serve.add_argument("--port", type=_port, help="default: $CALFEED_PORT (8000)")
    serve.set_defaults(run=_serve)

    pull = commands.add_parser(
        "pull", help="fetch the partner sources (sources: in the file) and publish them")
    pull.add_argument("names", nargs="*", metavar="NAME", help="default: every source")
    pull.add_argument("--force", action="store_true",
                      help="take what upstream gives even if it is far fewer entries than before")
    pull.set_defaults(run=_pull)

    build = commands.add_parser("build", help="write every public URL as static files")
    build.add_argument("outdir", type=Path, help="folder to write (created if missing)")
    build.set_defaults(run=_build)

    extract = commands.add_parser(
        "extract", help="read a newsletter (.txt .md .pdf .docx); print proposed entries as YAML")
    extract.add_argument("file", type=Path, help="the newsletter")
    extract.add_argument("--year", type=_year, help="year for dates written without one "
                         "(default: the year the text uses most)")
    extract.set_defaults(run=_extract)

    digest = commands.add_parser(
        "digest", help="write the newsletter's events and deadlines sections for a period")
    digest.add_argument("--from", dest="first", type=_date, required=True, metavar="DATE",
                        help="first day, like 2024-07-01")
    digest.add_argument("--to", dest="last", type=_date, required=True, metavar="DATE",
                        help="last day (inclusive), like 2024-09-30")
    digest.add_argument("--format", choices=("md", "html"), default="md",
                        help="Markdown (default) or HTML to paste into an e-mail or Word")
    digest.add_argument("--lang", choices=("nb", "en"),
                        help="default: the calendar's language")
    digest.add_argument("file", nargs="?", type=Path, help="default: $CALFEED_DATA")
    digest.set_defaults(run=_digest)
    for command in commands.choices.values():
        command.add_argument("--debug", action="store_true",
                             help="print the traceback of a database or file-system failure")
    return parser


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-07-01") from None


def _digest(args: argparse.Namespace, settings: Settings) -> int:
    from .formats.digest import digest

    if args.last < args.first:
        print(f"error: --to {args.last} is before --from {args.first}", file=sys.stderr)
        return EXIT_USAGE
    source = _load(args.file or settings.data, args.lang_messages).source
    sys.stdout.write(digest(source, args.first, args.last, fmt=args.format, language=args.lang))
    return EXIT_OK


def _year(text: str) -> int:
    if not text.isdigit() or not 1900 <= int(text) <= 2999:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year like 2024")
    return int(text)


def _extract(args: argparse.Namespace, settings: Settings) -> int:
    from .extract import extract
    from .extract_yaml import extract_yaml
    from .textin import read_lines

    proposals, year = extract(read_lines(args.file), year=args.year)
    sys.stdout.write(extract_yaml(proposals, source=args.file.name, year=year,
                                  year_given=args.year is not None))
    if year is None:
        print(line(args.lang_messages, "no_year", path=args.file), file=sys.stderr)
    return EXIT_OK


def _load(path: Path, lang: str) -> Loaded:
    loaded = load_source(path)
    _print_problems(loaded.warnings, lang)
    return loaded


def _check(args: argparse.Namespace, settings: Settings) -> int:
    path = args.file or settings.data
    lang = args.lang_messages
    source = _load(path, lang).source
    entries = source.entries
    deadlines = sum(1 for e in entries if e.is_deadline)
    recurring = sum(1 for e in entries if e.repeat)
    print(line(lang, "ok", path=path, entries=_count(lang, len(entries), "entry", "entries"),
               deadlines=_count(lang, deadlines, "deadline", "deadlines"), recurring=recurring,
               feeds=_count(lang, len(source.feeds), "feed", "feeds")))
    return EXIT_OK


def _sync(args: argparse.Namespace, settings: Settings) -> int:
    from .publish import late_warnings, publish
    from .store import create_db_engine

    path = args.file or settings.data
    lang = args.lang_messages
    loaded = _load(path, lang)
    engine = create_db_engine(settings.database_url)
    now = datetime.now(UTC)
    try:
        publication = publish(settings, engine, loaded.source, now, str(path),
                              allow_removals=args.allow_removals)
    finally:
        engine.dispose()
    report = publication.report
    _print_problems(late_warnings(loaded, publication, now, str(path)), lang)
    for label, ids in (("added", report.added), ("changed", report.changed),
                       ("removed", report.removed), ("restored", report.restored)):
        for entry_id in ids:
            print(f"{line(lang, label)}: {entry_id}")
    summary = line(lang, "summary", added=len(report.added), changed=len(report.changed),
                   removed=len(report.removed), restored=len(report.restored),
                   unchanged=len(report.unchanged), revision=report.revision)
    print(f"{path}: {summary}")
    return EXIT_OK


def _pull(args: argparse.Namespace, settings: Settings) -> int:
    from .harvest import pull
    from .store import create_db_engine

    source = _load(settings.data, args.lang_messages).source
    unknown = [n for n in args.names if n not in source.sources]
    if unknown:
        known = ", ".join(source.sources) or "none"
        print(f"error: no source named {', '.join(unknown)} under 'sources:' in "
              f"{settings.data} (there: {known})", file=sys.stderr)
        return EXIT_USAGE
    chosen = [source.sources[n] for n in (args.names or source.sources)]
    if not chosen:
        print(f"{settings.data}: {line(args.lang_messages, 'pull_none')} (README: Partner "
              "sources)")
        return EXIT_OK
    done: list[str] = []

    def progress(name: str, result: Any) -> None:
        done.append(name)
        print(f"[{len(done)}/{len(chosen)}] {name}: {result.describe()} "
              f"({result.seconds:.1f} s)", file=sys.stderr, flush=True)

    engine = create_db_engine(settings.database_url)
    try:
        run = pull(engine, source, chosen, datetime.now(UTC), settings=settings,
                   source_name=str(settings.data), progress=progress, force=args.force)
    finally:
        engine.dispose()
    lang = args.lang_messages
    for result in run.sources:
        print(f"{result.name}: {result.summary(lang)} — {result.http}")
        for reason in result.skipped:
            print(line(lang, "pull_skipped", what=reason))
    if run.published is not None:
        report = run.published.report
        summary = line(lang, "summary", added=len(report.added), changed=len(report.changed),
                       removed=len(report.removed), restored=len(report.restored),
                       unchanged=len(report.unchanged), revision=report.revision)
        print(f"{line(lang, 'pull_published')}: {summary}")
    else:
        print(line(lang, "pull_nothing"))
    return EXIT_PULL_FAILED if run.failed else EXIT_OK


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from .web import create_app

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = settings.model_copy(update=overrides)
    busy = _cannot_listen(settings.host, settings.port, args.lang_messages)
    if busy:  # uvicorn would exit 3, our code for a busy database
        print(f"error: {busy}", file=sys.stderr)
        return EXIT_USAGE
    # The app publishes the file before taking traffic (its lifespan), then whenever it
    # changes; a broken file is reported and the last good data served.
    # The access log is calfeed's own (web/accesslog.py, a combined-format line on standard
    # output); uvicorn's goes through logging per request and halved the rate of a 304.
    sys.stdout.flush()
    app = create_app(settings, watch=True,
                     access_log=sys.stdout.fileno() if settings.access_log else None)
    options: dict[str, Any] = {
        "host": settings.host, "port": settings.port, "log_level": settings.log_level.lower(),
        "proxy_headers": True, "access_log": False,
        "server_header": False,  # no advertising of the server software
        # httptools with the request head bounded (a 431 past 64 KiB) and a response's head
        # and body written together (web/protocol.py)
        "http": "calfeed.web.protocol:HttpProtocol",
    }
    if settings.workers == 1:
        uvicorn.run(app, **options)
    else:
        # Each worker process builds its own app from the environment (the same settings);
        # each watches the file too, and their syncs take turns on the database's lock.
        uvicorn.run("calfeed.web.app:create_serving_app", factory=True,
                    workers=settings.workers, **options)
    return EXIT_OK


def _cannot_listen(host: str, port: int, lang: str) -> str | None:
    """Why the server could not listen on host:port (bound the way uvicorn binds), or None."""
    import socket

    where = f"{host}:{port}"
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        return line(lang, "port_busy", where=where, reason=exc.strerror or exc)
    return None


def _build(args: argparse.Namespace, settings: Settings) -> int:
    from .export import build_site
    from .swapdir import NotAnExportError

    try:
        site = build_site(settings, args.outdir)
    except NotAnExportError as exc:
        print(f"error: {say(str(exc), args.lang_messages)}", file=sys.stderr)
        return EXIT_USAGE
    if site is None:
        print("error: nothing has been synced yet; run 'calfeed sync' first", file=sys.stderr)
        return EXIT_INVALID
    total = sum(item.size for item in site.written)
    print(f"{args.outdir}: wrote {len(site.written)} URLs ({total:,} bytes) at revision "
          f"{site.revision}, with .gz twins and nginx.conf.sample")
    return EXIT_OK


def _count(lang: str, n: int, one: str, many: str) -> str:
    return f"{n} {line(lang, one if n == 1 else many)}"


def _print_problems(problems: Sequence[Problem], lang: str) -> None:
    for problem in problems:
        print(problem_text(problem, lang), file=sys.stderr)
