"""The XMP metadata packet: the document information again, in XML, and the file's claims.

Every profile writes one. It repeats the title, author, subject, keywords, producer and
dates of the document information (PDF/A requires the two to agree; PDF/UA requires a
``dc:title``), and states what the file claims to be:

* ``pdfuaid:part 1``: PDF/UA-1, in every profile, since every profile is tagged; the
  build's check verifies the structure before the file is put in place, so a file that
  does not meet the claim is never written;
* ``pdfaid:part 2`` with ``pdfaid:conformance A``: PDF/A-2a, for the archive. PDF/A allows
  in XMP only the schemas it predefines, and PDF/UA's identification schema is not one of
  them, so an archive also describes that schema in a PDF/A extension schema block.

The packet is written by hand rather than by an XMP library: its bytes must never change
for the same issue (archived issues rebuild byte for byte).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

PDFUA_NAMESPACE = "http://www.aiim.org/pdfua/ns/id/"
PDFA_NAMESPACE = "http://www.aiim.org/pdfa/ns/id/"


@dataclass(frozen=True)
class Claims:
    """What the file says it conforms to."""

    pdfua: bool = True
    pdfa_part: int | None = None  # 2 for PDF/A-2
    pdfa_conformance: str | None = None  # "A", "B" or "U"


def xmp_date(pdf_date: str) -> str:
    """D:20230115000000+00'00' -> 2023-01-15T00:00:00+00:00"""
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([+-Z])(\d{2})?'?(\d{2})?", pdf_date)
    if not m:
        raise ValueError(f"unexpected PDF date {pdf_date!r}")
    y, mo, d, h, mi, s, sign, th, tm = m.groups()
    zone = "Z" if sign == "Z" else f"{sign}{th or '00'}:{tm or '00'}"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"


# PDF/A-2 (ISO 19005-2, 6.6.2.3): a schema that PDF/A does not predefine is described here.
_PDFUA_EXTENSION = f"""
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>{PDFUA_NAMESPACE}</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>"""


def xmp_packet(info: dict[str, str], claims: Claims) -> bytes:
    """The packet for a file whose document information is ``info`` (keys as in the PDF: ``/Title``)."""
    def text(key: str) -> str:
        return escape(str(info.get(key, "")))

    created, modified = xmp_date(str(info["/CreationDate"])), xmp_date(str(info["/ModDate"]))
    trapped = str(info.get("/Trapped", "/False")).lstrip("/")
    namespaces = ['xmlns:dc="http://purl.org/dc/elements/1.1/"', 'xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
                  'xmlns:pdf="http://ns.adobe.com/pdf/1.3/"']
    claimed = []
    if claims.pdfa_part is not None:
        namespaces += [f'xmlns:pdfaid="{PDFA_NAMESPACE}"',
                       'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"',
                       'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"',
                       'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"']
        claimed += [f"   <pdfaid:part>{claims.pdfa_part}</pdfaid:part>",
                    f"   <pdfaid:conformance>{claims.pdfa_conformance}</pdfaid:conformance>"]
        if claims.pdfua:
            claimed.append(_PDFUA_EXTENSION.strip("\n"))
    if claims.pdfua:
        namespaces.append(f'xmlns:pdfuaid="{PDFUA_NAMESPACE}"')
        claimed.append("   <pdfuaid:part>1</pdfuaid:part>")
    declared = "\n    ".join(namespaces)
    claim_lines = "\n".join(claimed)
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    {declared}>
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
{claim_lines}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")
