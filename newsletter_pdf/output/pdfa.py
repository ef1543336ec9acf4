"""The archive profile: turn the written PDF into PDF/A-2b, and check that it is one.

ReportLab writes no XMP and no output intent, so they are added afterwards with pypdf:
an XMP packet that repeats the document information (PDF/A requires the two to agree),
the sRGB output intent (assets/icc/sRGB.icc, stored so the bytes never change), and the
"print" flag on every annotation. Pictures arrive flattened from the picture pipeline,
so no transparency is left. No validator such as veraPDF is packaged for Debian or PyPI,
so ``check_pdfa`` tests each of these properties from the file itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject,
                           TextStringObject)

from .. import model
from ..check import CheckResult
from ..layout.compat import writer_add_object

SRGB = "sRGB IEC61966-2.1"
PRINT_FLAG = 4


def _xmp_date(pdf_date: str) -> str:
    """D:20230115000000+00'00' -> 2023-01-15T00:00:00+00:00"""
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([+-Z])(\d{2})?'?(\d{2})?", pdf_date)
    if not m:
        raise ValueError(f"unexpected PDF date {pdf_date!r}")
    y, mo, d, h, mi, s, sign, th, tm = m.groups()
    zone = "Z" if sign == "Z" else f"{sign}{th or '00'}:{tm or '00'}"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"


def xmp_packet(info: dict[str, str]) -> bytes:
    def text(key: str) -> str:
        return escape(str(info.get(key, "")))

    created, modified = _xmp_date(str(info["/CreationDate"])), _xmp_date(str(info["/ModDate"]))
    trapped = str(info.get("/Trapped", "/False")).lstrip("/")
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text("/Title")}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{text("/Author")}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text("/Subject")}</rdf:li></rdf:Alt></dc:description>
   <pdf:Keywords>{text("/Keywords")}</pdf:Keywords>
   <pdf:Producer>{text("/Producer")}</pdf:Producer>
   <pdf:Trapped>{trapped}</pdf:Trapped>
   <xmp:CreatorTool>{text("/Creator")}</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{modified}</xmp:ModifyDate>
   <xmp:MetadataDate>{modified}</xmp:MetadataDate>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


def make_pdfa(path: Path, issue: model.Issue, assets_dir: Path) -> None:
    """Rewrite ``path`` in place as PDF/A-2b."""
    writer = PdfWriter(clone_from=str(path))
    info = {str(k): v for k, v in (writer.metadata or {}).items()}

    metadata = DecodedStreamObject()  # PDF/A: the metadata stream is not compressed
    metadata.set_data(xmp_packet(info))
    metadata.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    writer.root_object[NameObject("/Metadata")] = writer_add_object(writer, metadata)

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


def check_pdfa(reader: PdfReader) -> CheckResult:
    """The PDF/A-2b properties this pipeline is responsible for, read from the file."""
    failures: list[str] = []
    root = reader.trailer["/Root"]
    info = reader.metadata or {}
    metadata = root.get("/Metadata")
    if metadata is None:
        failures.append("no XMP metadata stream")
    else:
        stream = metadata.get_object()
        if "/Filter" in stream:
            failures.append("the XMP metadata stream is compressed")
        xmp = stream.get_data().decode("utf-8", "replace")
        if "<pdfaid:part>2</pdfaid:part>" not in xmp or "<pdfaid:conformance>B</pdfaid:conformance>" not in xmp:
            failures.append("XMP does not declare PDF/A-2b")
        for key, tag in (("/Title", "dc:title"), ("/Author", "dc:creator"), ("/Producer", "pdf:Producer")):
            if info.get(key) and escape(str(info[key])) not in xmp:
                failures.append(f"XMP {tag} differs from the document information {key}")
        for key, tag in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
            if info.get(key) and f"<{tag}>{_xmp_date(str(info[key]))}</{tag}>" not in xmp:
                failures.append(f"XMP {tag} differs from the document information {key}")
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
        for name, xobject in (xobjects.get_object().items() if xobjects else []):
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image" and ("/SMask" in xobject or "/Mask" in xobject):
                failures.append(f"page {number}: picture {name} has transparency")
        for annotation in page.get("/Annots") or []:
            flags = int(annotation.get_object().get("/F", 0))
            if not flags & PRINT_FLAG:
                failures.append(f"page {number}: an annotation is not marked for printing")
                break
    return CheckResult("PDF/A-2b", not failures, "XMP, output intent, no transparency", tuple(failures[:10]))
