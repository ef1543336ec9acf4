"""Pack a written PDF's small objects into compressed object streams (PDF 1.5).

A tagged PDF holds one small dictionary per structure element (a paragraph, a table
cell): about 800 in No. 79, some 90 bytes each as plain objects with their cross-reference
entries. ReportLab writes every object plainly; qpdf (through pikepdf) packs them into
object streams, with a cross-reference stream, which makes the tagged file smaller than the
untagged one was. Streams are copied as they are (the page contents and pictures are
compressed already); only the new object streams are compressed.

The XMP metadata packet (``xmp.py``), with the file's claims, is added in the same step:
qpdf never compresses a metadata stream, as PDF/A asks.

qpdf's output depends only on its input: no time and no random ID (``deterministic_id``);
``write.set_content_id`` then makes the ID a digest of the file, as for every profile.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from .xmp import Claims, xmp_packet


def pack_objects(path: Path, claims: Claims) -> None:
    """Rewrite ``path`` in place with its objects in object streams, and XMP metadata stating ``claims``."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        info = {str(key): str(value) for key, value in pdf.docinfo.items()}
        metadata = pikepdf.Stream(pdf, xmp_packet(info, claims))
        metadata.Type, metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        pdf.Root.Metadata = pdf.make_indirect(metadata)
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none, deterministic_id=True,
                 preserve_pdfa=True, fix_metadata_version=False)
