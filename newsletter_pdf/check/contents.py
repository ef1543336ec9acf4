"""The contents, folios, bookmarks and contents links: each goes where it says."""

from __future__ import annotations

from dataclasses import dataclass

from .facts import FOOTER_LIMIT, LEADER, PdfFacts, Span, squash
from .result import CheckResult


@dataclass(frozen=True)
class Expected:
    """A contents entry as the issue file defines it: the text in the contents, and the title on the page."""

    contents_text: str
    title: str


def check_contents(facts: PdfFacts, expected: list[Expected] | None) -> tuple[list[tuple[str, int]], CheckResult]:
    """Each contents entry's number must be the folio of the page where its title is printed."""
    name = "contents page numbers"
    if not facts.contents_pages:
        return [], CheckResult(name, False, "no page headed 'Contents' found")
    entries = facts.contents
    titles = {squash(e.contents_text): e.title for e in expected or []}
    failures: list[str] = []
    if expected is not None:
        printed = {squash(e.text) for e in entries}
        failures += [f"'{e.contents_text}' is missing from the contents" for e in expected
                     if squash(e.contents_text) not in printed]
    starts: list[tuple[str, int]] = []
    last_contents = facts.contents_pages[-1]
    for entry in entries:
        title = titles.get(squash(entry.text), entry.text)
        # The foreword stands before the contents; everything else after. Two entries with the
        # same title (two groups called "News") are two headings: the second is sought after the first.
        after = max((page for text, page in starts if text == squash(entry.text)), default=last_contents)
        page = facts.title_page(title, after) or facts.title_page(title, -1)
        if page is None:
            failures.append(f"'{entry.text}' (contents: page {entry.number}): its title is printed on no page")
            continue
        starts.append((squash(entry.text), page))
        if facts.folios[page] != entry.number:
            failures.append(f"'{entry.text}': contents say page {entry.number}, but the title is on "
                            f"{facts.folio_text(page)}")
    detail = f"{len(entries)} entries on {len(facts.contents_pages)} page(s)"
    return starts, CheckResult(name, not failures, detail, tuple(failures))


def check_folios(facts: PdfFacts) -> CheckResult:
    """Printed folios count up one a page, and the viewer's page labels say the same."""
    failures: list[str] = []
    labels = facts.reader.page_labels
    previous: tuple[int, int] | None = None
    for index, folio in enumerate(facts.folios):
        if folio is None:
            continue
        if previous and folio != previous[1] + (index - previous[0]):
            failures.append(f"PDF page {index + 1} is numbered {folio}, expected {previous[1] + index - previous[0]}")
        if labels[index] != str(folio):
            failures.append(f"PDF page {index + 1} is numbered {folio} but its page label is '{labels[index]}'")
        previous = (index, folio)
    numbered = sum(f is not None for f in facts.folios)
    if numbered == 0:
        failures.append("no page carries a folio")
    return CheckResult("folios and page labels", not failures, f"{numbered} numbered pages", tuple(failures))


def check_bookmarks(facts: PdfFacts, starts: list[tuple[str, int]]) -> CheckResult:
    """Each bookmark goes to the page where its contents entry starts (bookmarks and entries in the same order)."""
    failures: list[str] = []
    outline = facts.outline
    if not outline:
        failures.append("the PDF has no bookmarks")
    unmatched = list(starts)
    for title, page in outline:
        match = next((item for item in unmatched if item[0] == squash(title)), None)
        if match is not None:
            unmatched = unmatched[unmatched.index(match) + 1:]
        start = match[1] if match else None
        if start is None:
            failures.append(f"bookmark '{title}' has no contents entry")
        elif page != start:
            failures.append(f"bookmark '{title}' goes to {facts.folio_text(page)}, but the section starts on "
                            f"{facts.folio_text(start)}")
    return CheckResult("bookmarks", not failures, f"{len(outline)} bookmarks", tuple(failures))


def check_contents_links(facts: PdfFacts, starts: list[tuple[str, int]]) -> CheckResult:
    """Each link on the contents pages goes to the page where the entry on its line starts."""
    failures: list[str] = []
    count = 0
    for index in facts.contents_pages:
        page = facts.reader.pages[index]
        # A line's words without its dot leader and page number.
        lines = [Span(LEADER.sub("", s.text), s.x, s.y, s.size) for s in facts.char_lines(index) if s.y > FOOTER_LIMIT]
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            destination = annotation.get("/Dest")
            if annotation.get("/Subtype") != "/Link" or not destination:
                continue
            count += 1
            target = facts.page_of(destination[0])
            # Link rectangles count from the media box; a print PDF's trim sits inside it.
            offset = float(page.trimbox.bottom)
            bottom, top = float(annotation["/Rect"][1]) - offset, float(annotation["/Rect"][3]) - offset
            on_line = squash("".join(s.text for s in lines if bottom - 1 <= s.y <= top + 1))
            candidates = [(key, start) for key, start in starts if on_line and on_line in key]
            if not candidates:
                failures.append(f"a contents link on {facts.folio_text(index)} is on no entry's line")
            elif all(start != target for _, start in candidates):
                failures.append(f"the contents link for '{on_line}' goes to {facts.folio_text(target)}, but the "
                                f"entry starts on {facts.folio_text(candidates[0][1])}")
    if count == 0:
        failures.append("the contents have no links")
    return CheckResult("contents links", not failures, f"{count} links", tuple(failures))
