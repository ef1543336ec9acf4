"""The output profiles in one place: every setting that differs between them."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm

from .xmp import Claims


@dataclass(frozen=True)
class Profile:
    name: str
    dpi: int  # pictures are downsampled to this resolution at their placed size
    jpeg_quality: int
    bleed: float = 0.0  # points of background drawn past the trim edge
    crop_marks: bool = False
    low_resolution_dpi: int | None = None  # warn about pictures below this effective resolution
    size_budget: int | None = None  # bytes; `build` warns above it
    archive: bool = False  # PDF/A-2a

    @property
    def claims(self) -> Claims:
        """Every profile is tagged (PDF/UA-1); the archive is PDF/A-2a as well."""
        return Claims(pdfua=True, pdfa_part=2, pdfa_conformance="A") if self.archive else Claims(pdfua=True)


PROFILES = {
    "email": Profile("email", dpi=150, jpeg_quality=80, size_budget=5 * 1024 * 1024),
    "print": Profile("print", dpi=300, jpeg_quality=92, bleed=3 * mm, crop_marks=True, low_resolution_dpi=150),
    "archive": Profile("archive", dpi=300, jpeg_quality=90, archive=True),
}
DEFAULT_PROFILE = "email"
