"""Footnotes: each note at the foot of its first marker's page, later markers linking back."""

from __future__ import annotations

from .facts import FOOTER_LIMIT, PdfFacts
from .result import CheckResult

BODY_MIN_SIZE = 9.0  # body text, headings and tables; notes are smaller


def _is_note_marker(annotation) -> bool:
    """Whether a link is a note marker: the pipeline describes each one as "Note N" (/Contents),
    as a screen reader announces it."""
    return str(annotation.get("/Contents", "")).startswith("Note ")


def check_footnotes(facts: PdfFacts) -> CheckResult:
    """Each note marker links to its note, which must start on the page of the note's first
    marker, below all body text; a later marker of the same note (a note referenced again,
    a marker in a repeated table header) links back to it.

    A note marker is a link described as "Note N"; any other link within the document is a
    cross-reference, which must lead to a page of the document.
    """
    failures: list[str] = []
    count = 0
    seen: set[tuple[int, float]] = set()
    contents = set(facts.contents_pages)
    for index, page in enumerate(facts.reader.pages):
        if index in contents:
            continue
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            destination = annotation.get("/Dest")
            if annotation.get("/Subtype") != "/Link" or not destination or len(destination) < 4:
                continue
            # ReportLab writes destinations relative to the trim box, even inside crop marks.
            target, note_top = facts.page_of(destination[0]), float(destination[3])
            if not _is_note_marker(annotation):
                continue  # a cross-reference: it resolved to a page, which is all it must do
            count += 1
            marker = f"the note marker at {facts.folio_text(index)}, line y={float(annotation['/Rect'][1]):.0f}"
            first = (target, round(note_top, 1)) not in seen
            seen.add((target, round(note_top, 1)))
            if not first:
                if target > index:
                    failures.append(f"{marker}: it refers again to a note set later, on {facts.folio_text(target)}")
                continue
            if target != index:
                failures.append(f"{marker}: its note starts on {facts.folio_text(target)}")
                continue
            below = [s for s in facts.spans(index)
                     if s.size >= BODY_MIN_SIZE and FOOTER_LIMIT < s.y < note_top - 2]
            if below:
                failures.append(f"{marker}: body text '{below[0].text.strip()[:30]}' is set below its note")
    return CheckResult("footnotes on their marker's page", not failures, f"{count} notes", tuple(failures))
