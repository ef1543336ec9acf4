"""Pack a written PDF's small objects into compressed object streams (PDF 1.5).

A tagged PDF holds one small dictionary per structure element (a paragraph, a table
cell): about 800 in No. 79, some 90 bytes each as plain objects with their cross-reference
entries. ReportLab writes every object plainly; qpdf (through pikepdf) packs them into
object streams, with a cross-reference stream, which makes the tagged file smaller than the
untagged one was. Streams are copied as they are (the page contents and pictures are
compressed already); only the new object streams are compressed, and qpdf leaves an
archive's XMP metadata uncompressed, as PDF/A asks.

qpdf's output depends only on its input: no time and no random ID (``deterministic_id``);
``write.set_content_id`` then makes the ID a digest of the file, as for every profile.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf


def pack_objects(path: Path) -> None:
    """Rewrite ``path`` in place with its objects in object streams."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none, deterministic_id=True,
                 preserve_pdfa=True, fix_metadata_version=False)
