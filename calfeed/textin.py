"""Newsletter text from a file: .txt and .md as they are, .pdf through pypdf, .docx through
python-docx. Returns lines, so a proposal can name the line it came from (for a PDF, the line
of the text pypdf gives, page after page; for a .docx, one paragraph is one line)."""

from __future__ import annotations

from pathlib import Path

from .errors import CalfeedError

SUFFIXES = (".txt", ".md", ".pdf", ".docx")


def read_lines(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    try:
        if suffix in (".txt", ".md", ""):
            return path.read_text(encoding="utf-8").splitlines()
        if suffix == ".pdf":
            return _pdf(path)
        if suffix == ".docx":
            return _docx(path)
    except FileNotFoundError:
        raise CalfeedError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise CalfeedError(f"{path}: not UTF-8 ({exc.reason}); save it as UTF-8 text") from None
    raise CalfeedError(f"{path}: cannot read '{suffix}' files; use {', '.join(SUFFIXES)}")


def _pdf(path: Path) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError) as exc:
        raise CalfeedError(f"{path}: not a readable PDF ({exc})") from None
    lines: list[str] = []
    for page in pages:
        lines.extend(page.splitlines())
        lines.append("")  # a page break ends a paragraph
    return lines


def _docx(path: Path) -> list[str]:
    from zipfile import BadZipFile

    import docx

    try:
        document = docx.Document(str(path))
    except (BadZipFile, KeyError, ValueError) as exc:
        raise CalfeedError(f"{path}: not a readable .docx ({exc})") from None
    lines: list[str] = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        text = paragraph.text
        # Word's headings become markdown headings, so the reader sees sections the same way.
        if style.startswith("Heading") and text.strip():
            level = style.removeprefix("Heading").strip()
            text = "#" * (int(level) if level.isdigit() else 2) + " " + text
        lines.extend([text, ""])
    return lines
