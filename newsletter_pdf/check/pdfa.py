"""PDF/A-2, read from the file: what an archive claims, and whether it holds.

No validator such as veraPDF is packaged for Debian or PyPI, so each property the pipeline
is responsible for is tested here: XMP metadata that declares the part and level and
agrees with the document information, uncompressed; the sRGB output intent; no
transparency; printable annotations; a trailer /ID and no encryption. Level A (accessible)
also asks for a tagged file with a document language; the structure itself is the
tagging check's (``tagging.py``).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from pypdf import PdfReader

from ..output.pdfa import PRINT_FLAG
from ..output.xmp import PDFUA_NAMESPACE, xmp_date
from .result import CheckResult

LEVELS = {"A": "accessible", "B": "basic", "U": "Unicode"}


def claimed_pdfa(reader: PdfReader) -> tuple[str, str] | None:
    """The PDF/A part and level the file's XMP declares (``("2", "A")``), or None."""
    return _claimed(_xmp(reader) or "")


def _claimed(xmp: str) -> tuple[str, str] | None:
    part = re.search(r"<pdfaid:part>\s*(\d+)\s*</pdfaid:part>", xmp)
    if part is None:
        return None
    level = re.search(r"<pdfaid:conformance>\s*([A-Za-z])\s*</pdfaid:conformance>", xmp)
    return part.group(1), level.group(1).upper() if level else ""


def _xmp(reader: PdfReader) -> str | None:
    metadata = reader.trailer["/Root"].get("/Metadata")
    if metadata is None:
        return None
    return metadata.get_object().get_data().decode("utf-8", "replace")


def check_pdfa(reader: PdfReader, required: tuple[str, str] | None = ("2", "A")) -> CheckResult:
    """The PDF/A-2 properties this pipeline is responsible for; ``required`` is the part and level
    the file must declare (None: whatever it declares)."""
    failures: list[str] = []
    root = reader.trailer["/Root"]
    info = reader.metadata or {}
    xmp = _xmp(reader) or ""
    claimed = _claimed(xmp)
    name = f"PDF/A-{required[0]}{required[1].lower()}" if required else \
        f"PDF/A-{claimed[0]}{claimed[1].lower()}" if claimed else "PDF/A"
    metadata = root.get("/Metadata")
    if metadata is None:
        failures.append("no XMP metadata stream")
    else:
        if "/Filter" in metadata.get_object():
            failures.append("the XMP metadata stream is compressed")
        if claimed is None or claimed[0] != "2" or claimed[1] not in LEVELS:
            failures.append("the XMP does not declare PDF/A-2 (pdfaid:part 2 and a conformance level)")
        elif required is not None and claimed != required:
            failures.append(f"the XMP declares PDF/A-{claimed[0]}{claimed[1].lower()}, not "
                            f"PDF/A-{required[0]}{required[1].lower()}")
        for key, tag in (("/Title", "dc:title"), ("/Author", "dc:creator"), ("/Producer", "pdf:Producer")):
            if info.get(key) and escape(str(info[key])) not in xmp:
                failures.append(f"XMP {tag} differs from the document information {key}")
        for key, tag in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
            if info.get(key) and f"<{tag}>{xmp_date(str(info[key]))}</{tag}>" not in xmp:
                failures.append(f"XMP {tag} differs from the document information {key}")
        if "pdfuaid:part" in xmp and f"<pdfaSchema:namespaceURI>{PDFUA_NAMESPACE}</pdfaSchema:namespaceURI>" not in xmp:
            failures.append("the XMP uses the PDF/UA schema (pdfuaid) without describing it in a PDF/A extension schema")
    if claimed is not None and claimed[1] == "A":
        if "/StructTreeRoot" not in root or not root.get("/MarkInfo", {}).get("/Marked", False):
            failures.append("level A asks for a tagged file: no structure tree, or /MarkInfo not /Marked true")
        if not str(root.get("/Lang", "")):
            failures.append("level A asks for the document's language: the catalog has no /Lang")
    intents = [i.get_object() for i in root.get("/OutputIntents") or []]
    if not any(i.get("/S") == "/GTS_PDFA1" and i.get("/DestOutputProfile") is not None for i in intents):
        failures.append("no PDF/A output intent with an ICC profile")
    if "/Encrypt" in reader.trailer:
        failures.append("the file is encrypted")
    if "/ID" not in reader.trailer:
        failures.append("the trailer has no /ID")
    for number, page in enumerate(reader.pages, start=1):
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for picture, xobject in (xobjects.get_object().items() if xobjects else []):
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image" and ("/SMask" in xobject or "/Mask" in xobject):
                failures.append(f"page {number}: picture {picture} has transparency")
        for annotation in page.get("/Annots") or []:
            flags = int(annotation.get_object().get("/F", 0))
            if not flags & PRINT_FLAG:
                failures.append(f"page {number}: an annotation is not marked for printing")
                break
    return CheckResult(name, not failures, "XMP, output intent, tagged with a language, no transparency",
                       tuple(failures[:10]))
