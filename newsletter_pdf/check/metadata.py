"""The document's metadata and its page size."""

from __future__ import annotations

from pypdf import PdfReader

from .result import CheckResult


def check_page_size(reader: PdfReader, expected: tuple[float, float]) -> CheckResult:
    wrong = []
    for number, page in enumerate(reader.pages, start=1):
        box = page.trimbox
        size = (float(box.width), float(box.height))
        if abs(size[0] - expected[0]) > 0.5 or abs(size[1] - expected[1]) > 0.5:
            wrong.append(f"page {number} is {size[0]:.1f} x {size[1]:.1f} pt")
    expected_text = f"{expected[0]:.1f} x {expected[1]:.1f} pt"
    if wrong:
        return CheckResult("page size", False, f"expected {expected_text}", tuple(wrong[:5]))
    return CheckResult("page size", True, f"{len(reader.pages)} pages of {expected_text}")


def check_metadata(reader: PdfReader) -> CheckResult:
    meta = reader.metadata or {}
    catalog = reader.trailer["/Root"]
    missing = [key for key in ("/Title", "/Author", "/Subject", "/CreationDate", "/ModDate") if not meta.get(key)]
    if "/Lang" not in catalog:
        missing.append("/Lang (document language)")
    if catalog.get("/PageMode") != "/UseOutlines":
        missing.append("/PageMode /UseOutlines (bookmarks panel open)")
    if missing:
        return CheckResult("metadata", False, f"missing {', '.join(missing)}")
    return CheckResult("metadata", True, f"{meta.get('/Title')}, {meta.get('/CreationDate')}")
