"""Newsletter files the way editors receive them, written by the tests themselves: a .docx
through python-docx, and a plain one-font PDF written by hand (pypdf only reads)."""

from __future__ import annotations

from pathlib import Path


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    """Lines starting with '#' become Word headings; the rest are paragraphs."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        if text.startswith("#"):
            level = len(text) - len(text.lstrip("#"))
            document.add_heading(text.lstrip("#").strip(), level=min(level, 3))
        elif text.strip():
            document.add_paragraph(text)
    document.save(str(path))
    return path


def write_pdf(path: Path, lines: list[str]) -> Path:
    """One page, Helvetica in WinAnsiEncoding (which has æ, ø, å and the en dash)."""
    def literal(text: str) -> str:
        out = []
        for byte in text.encode("cp1252"):
            char = chr(byte)
            if char in "()\\":
                out.append("\\" + char)
            elif 32 <= byte < 127:
                out.append(char)
            else:
                out.append(f"\\{byte:03o}")
        return "(" + "".join(out) + ")"

    stream = "BT /F1 10 Tf 40 800 Td 14 TL\n" + "".join(
        f"{literal(line)} Tj T*\n" for line in lines) + "ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    body += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
             f"startxref\n{xref}\n%%EOF\n").encode()
    path.write_bytes(body)
    return path
