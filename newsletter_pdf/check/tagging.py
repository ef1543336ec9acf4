"""The tagged structure, read from the file: what a screen reader gets (PDF/UA-1).

* the catalog: a structure tree, ``/MarkInfo /Marked true``, ``/Lang``, and viewer
  preferences that show the title; XMP metadata that claims PDF/UA-1 (``pdfuaid:part``)
  and holds the title (``dc:title``);
* every text-showing and painting operator of a page lies in marked content: a sequence
  that belongs to a structure element (an MCID) or an ``/Artifact``;
* every MCID of a page resolves, through the ``/ParentTree``, to the element whose
  content it is, and that element lists it; each page has ``/StructParents`` and ``/Tabs /S``;
* headings nest (the first is H1, no level skipped), every ``Figure`` has ``/Alt``, every
  ``Table`` has a ``TH`` cell and every ``TH`` a scope, a ``TOC`` holds only ``TOCI`` items,
  an ``L`` only ``LI`` items (with a ``Caption``), an ``LI`` only ``Lbl`` and ``LBody``, a
  ``Table`` only rows (or their groups) and a ``TR`` only cells, and
  every ``Note`` has an ``/ID``;
* every link annotation has ``/Contents`` and is owned, through its ``/StructParent``, by a
  ``Link`` element that points back at it (an ``OBJR``).

Content streams are read with qpdf's parser (pikepdf), limited to the operators that
matter: all of No. 79 in about 30 ms.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

from .result import CheckResult

NAME = "tagged structure (PDF/UA)"
_MARKS = {"BDC", "BMC"}
_TEXT = {"Tj", "TJ", "'", '"'}
_PAINT = {"f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "Do", "sh"}
_WATCHED = " ".join(sorted(_MARKS | _TEXT | _PAINT | {"EMC"}))
_WHAT = {"Tj": "text", "TJ": "text", "'": "text", '"': "text", "Do": "picture or form", "sh": "shading"}
_HEADINGS = {f"/H{level}": level for level in range(1, 7)}
# The parts a grouping element may hold (ISO 32000-1, 14.8.4.3: lists and the table of contents).
_PARTS = {"/TOC": {"TOCI", "TOC", "Caption"}, "/L": {"LI", "L", "Caption"}, "/LI": {"Lbl", "LBody"},
          "/Table": {"TR", "THead", "TBody", "TFoot", "Caption"}, "/TR": {"TH", "TD"}}


def check_tagging(path: Path | str) -> CheckResult:
    with pikepdf.open(path) as pdf:
        return _check(pdf)


def _check(pdf: pikepdf.Pdf) -> CheckResult:
    root = pdf.Root
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return CheckResult(NAME, False, "the PDF has no structure tree: it is not tagged")
    failures: list[str] = []
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        failures.append("the catalog's /MarkInfo does not say /Marked true")
    if not str(root.get("/Lang", "")):
        failures.append("the catalog has no /Lang (the document's language)")
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        failures.append("/ViewerPreferences does not say /DisplayDocTitle true (a viewer shows the file name)")
    failures += _claim_faults(root)
    parents = _number_tree(tree.get("/ParentTree"))
    elements = list(_walk(tree))
    failures += _element_faults(elements)
    for number, page in enumerate(pdf.pages, start=1):
        failures += _page_faults(page, number, parents)
        failures += _link_faults(page, number, parents)
    if failures:
        return CheckResult(NAME, False, f"{len(failures)} fault{'s' if len(failures) != 1 else ''}", tuple(failures))
    counts: dict[str, int] = {}
    for element in elements:
        role = str(element.get("/S"))[1:]
        counts[role] = counts.get(role, 0) + 1
    shown = ", ".join(f"{count} {role}" for role, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:6])
    return CheckResult(NAME, True, f"{len(elements)} elements ({shown}, ...)")


def _claim_faults(root) -> list[str]:
    """PDF/UA-1 (ISO 14289-1, 5 and 7.1): the file identifies itself as PDF/UA, and its XMP holds the title."""
    metadata = root.get("/Metadata")
    if metadata is None:
        return ["the catalog has no XMP metadata: the file does not claim PDF/UA-1 (pdfuaid:part)"]
    xmp = metadata.read_bytes().decode("utf-8", "replace")
    faults = []
    part = re.search(r"<pdfuaid:part>\s*(\d+)\s*</pdfuaid:part>", xmp) or \
        re.search(r'pdfuaid:part="(\d+)"', xmp)
    if part is None:
        faults.append("the XMP metadata does not claim PDF/UA-1 (no pdfuaid:part)")
    elif part.group(1) != "1":
        faults.append(f"the XMP metadata claims PDF/UA part {part.group(1)}, not 1")
    title = re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.S)
    if title is None or not title.group(1).strip():
        faults.append("the XMP metadata has no dc:title (the document's title)")
    return faults


def _number_tree(node) -> dict[int, object]:
    found: dict[int, object] = {}
    if node is None:
        return found
    nums = node.get("/Nums")
    if nums is not None:
        for index in range(0, len(nums) - 1, 2):
            found[int(nums[index])] = nums[index + 1]
    for kid in node.get("/Kids", []):
        found.update(_number_tree(kid))
    return found


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(obj) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj and obj.get("/Type") not in ("/MCR", "/OBJR")


def _walk(node):
    """The structure elements below ``node``, in document order."""
    for kid in _kids(node):
        if _is_element(kid):
            yield kid
            yield from _walk(kid)


def _element_faults(elements: list) -> list[str]:
    faults: list[str] = []
    previous = 0
    for element in elements:
        role = str(element.get("/S"))
        level = _HEADINGS.get(role)
        if level is not None:
            if level > previous + 1:
                faults.append(f"a heading skips a level: H{level} after {f'H{previous}' if previous else 'no heading'}")
            previous = level
        elif role == "/Figure" and not str(element.get("/Alt", "")).strip():
            faults.append("a Figure has no /Alt text (what a screen reader says for the picture)")
        elif role == "/Table" and not any(str(cell.get("/S")) == "/TH" for cell in _walk(element)):
            faults.append("a Table has no TH header cell")
        elif role == "/TH":
            attributes = element.get("/A")
            attributes = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
            if not any(isinstance(a, pikepdf.Dictionary) and a.get("/Scope") in ("/Row", "/Column", "/Both")
                       for a in attributes):
                faults.append("a TH header cell has no /Scope (Row, Column or Both): which cells it heads is unknown")
        elif role == "/Note" and not bytes(element.get("/ID", b"")):
            faults.append("a Note has no /ID (PDF/UA asks every note for one)")
        else:
            allowed = _PARTS.get(role)
            if allowed is not None:
                others = {str(kid.get("/S"))[1:] for kid in _kids(element) if _is_element(kid)} - allowed
                if others:
                    faults.append(f"a{'n' if role[1] in 'LI' else ''} {role[1:]} holds {', '.join(sorted(others))}: "
                                  f"its parts must be {' or '.join(sorted(allowed))}")
    return faults


def _mcids_of(element, page) -> set[int]:
    """The MCIDs on ``page`` that ``element`` lists as its content."""
    found: set[int] = set()
    element_page = element.get("/Pg")
    for kid in _kids(element):
        if isinstance(kid, int):
            if element_page is not None and element_page.objgen == page.objgen:
                found.add(int(kid))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            kid_page = kid.get("/Pg", element_page)
            if kid_page is not None and kid_page.objgen == page.objgen:
                found.add(int(kid["/MCID"]))
    return found


def _page_faults(page, number: int, parents: dict[int, object]) -> list[str]:
    faults: list[str] = []
    if page.obj.get("/Tabs") != "/S":
        faults.append(f"page {number}: no /Tabs /S (the tab order is not the structure's)")
    key = page.obj.get("/StructParents")
    owners = parents.get(int(key)) if key is not None else None
    open_marks: list[bool] = []  # for each open sequence: whether what is drawn in it is tagged
    untagged: dict[str, int] = {}
    for operands, operator in pikepdf.parse_content_stream(page, _WATCHED):
        name = str(operator)
        if name in _MARKS:
            properties = operands[1] if name == "BDC" and len(operands) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            open_marks.append(operands[0] == "/Artifact" or mcid is not None or any(open_marks))
            if mcid is None:
                continue
            mcid = int(mcid)
            owner = owners[mcid] if owners is not None and mcid < len(owners) else None
            if not _is_element(owner):
                faults.append(f"page {number}: MCID {mcid} is not in the /ParentTree")
            elif mcid not in _mcids_of(owner, page):
                faults.append(f"page {number}: MCID {mcid}'s element in the /ParentTree does not list it")
        elif name == "EMC":
            if open_marks:
                open_marks.pop()
        elif not any(open_marks):
            what = _WHAT.get(name, "path")
            untagged[what] = untagged.get(what, 0) + 1
    faults += [f"page {number}: {count} untagged {what} operator{'s' if count != 1 else ''}"
               for what, count in untagged.items()]
    return faults


def _link_faults(page, number: int, parents: dict[int, object]) -> list[str]:
    faults: list[str] = []
    for annotation in page.obj.get("/Annots", []):
        if annotation.get("/Subtype") != "/Link":
            continue
        if not str(annotation.get("/Contents", "")).strip():
            faults.append(f"page {number}: a link has no /Contents (what a screen reader says for it)")
        key = annotation.get("/StructParent")
        owner = parents.get(int(key)) if key is not None else None
        if not _is_element(owner) or owner.get("/S") != "/Link":
            faults.append(f"page {number}: a link is not owned by a Link element (no /StructParent in the /ParentTree)")
        elif not any(isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
                     and kid.get("/Obj") is not None and kid["/Obj"].objgen == annotation.objgen
                     for kid in _kids(owner)):
            faults.append(f"page {number}: a link's Link element does not point back at it (no OBJR)")
    return faults
