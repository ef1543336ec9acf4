"""The archive profile: what PDF/A-2a asks of the file beyond what every profile writes.

Every profile is tagged and has XMP metadata (``xmp.py``, written when the objects are
packed: ``compact.py``). An archive also needs the sRGB output intent
(assets/icc/sRGB.icc, stored so the bytes never change), the "print" flag on every
annotation, and a PDF 1.7 header; pypdf adds them. Pictures arrive flattened from the
picture pipeline, so no transparency is left. ``check/pdfa.py`` verifies all of it from
the file.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject,
                           TextStringObject)

from ..layout.compat import writer_add_object

SRGB = "sRGB IEC61966-2.1"
PRINT_FLAG = 4


def make_pdfa(path: Path, assets_dir: Path) -> None:
    """Add to ``path``, in place, the output intent, the printable annotations and the header of PDF/A-2."""
    writer = PdfWriter(clone_from=str(path))
    profile = DecodedStreamObject()
    profile.set_data((assets_dir / "icc" / "sRGB.icc").read_bytes())
    profile.update({NameObject("/N"): NumberObject(3)})
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject(SRGB),
        NameObject("/Info"): TextStringObject(SRGB),
        NameObject("/DestOutputProfile"): writer_add_object(writer, profile),
    })
    writer.root_object[NameObject("/OutputIntents")] = ArrayObject([writer_add_object(writer, intent)])

    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            annotation.get_object()[NameObject("/F")] = NumberObject(PRINT_FLAG)
    writer.pdf_header = "%PDF-1.7"  # PDF/A-2 is based on PDF 1.7
    with open(path, "wb") as handle:
        writer.write(handle)
