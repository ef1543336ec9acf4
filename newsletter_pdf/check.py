"""Stage 5: verify a written PDF with pypdf, from the file alone.

Each check reads what a reader's viewer would see (fonts, page boxes, metadata),
never the layout engine's own bookkeeping, so a fault anywhere upstream shows here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import IndirectObject

A4_POINTS = (595.2756, 841.8898)


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""

    def __str__(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}" + (f": {self.detail}" if self.detail else "")


def check_pdf(path: Path | str, page_size: tuple[float, float] = A4_POINTS) -> list[CheckResult]:
    reader = PdfReader(str(path))
    return [
        _check_fonts_embedded(reader),
        _check_page_size(reader, page_size),
        _check_metadata(reader),
    ]


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def font_report(reader: PdfReader) -> dict[str, set[int]]:
    """Base font name -> pages (1-based) that use it without an embedded font file."""
    unembedded: dict[str, set[int]] = {}
    for number, page in enumerate(reader.pages, start=1):
        resources = _resolve(page.get("/Resources")) or {}
        fonts = _resolve(resources.get("/Font")) or {}
        for ref in fonts.values():
            font = _resolve(ref)
            descriptor = _font_descriptor(font)
            embedded = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            if not embedded:
                unembedded.setdefault(str(font.get("/BaseFont")), set()).add(number)
    return unembedded


def _font_descriptor(font):
    if "/FontDescriptor" in font:
        return _resolve(font["/FontDescriptor"])
    for descendant in _resolve(font.get("/DescendantFonts")) or []:
        descendant = _resolve(descendant)
        if "/FontDescriptor" in descendant:
            return _resolve(descendant["/FontDescriptor"])
    return None


def _check_fonts_embedded(reader: PdfReader) -> CheckResult:
    unembedded = font_report(reader)
    if not unembedded:
        return CheckResult("all fonts embedded", True)
    detail = "; ".join(f"{name} not embedded on page {', '.join(map(str, sorted(pages)[:5]))}"
                       for name, pages in sorted(unembedded.items()))
    return CheckResult("all fonts embedded", False, detail)


def _check_page_size(reader: PdfReader, expected: tuple[float, float]) -> CheckResult:
    wrong = []
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        size = (float(box.width), float(box.height))
        if abs(size[0] - expected[0]) > 0.5 or abs(size[1] - expected[1]) > 0.5:
            wrong.append(f"page {number} is {size[0]:.1f} x {size[1]:.1f} pt")
    expected_text = f"{expected[0]:.1f} x {expected[1]:.1f} pt"
    if wrong:
        return CheckResult("page size", False, f"expected {expected_text}; " + "; ".join(wrong[:5]))
    return CheckResult("page size", True, f"{len(reader.pages)} pages of {expected_text}")


def _check_metadata(reader: PdfReader) -> CheckResult:
    meta = reader.metadata or {}
    missing = [key for key in ("/Title", "/Author", "/CreationDate") if not meta.get(key)]
    if missing:
        return CheckResult("metadata", False, f"missing {', '.join(missing)}")
    return CheckResult("metadata", True, str(meta.get("/Title")))
