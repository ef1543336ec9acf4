"""The tagged structure, read from the file: what a screen reader gets.

* every text-showing and painting operator of a page lies in marked content: a sequence
  that belongs to a structure element (an MCID) or an ``/Artifact``;
* every MCID of a page resolves, through the ``/ParentTree``, to the element whose
  content it is, and that element lists it;
* headings nest (no level skipped), every ``Figure`` has ``/Alt``;
* ``/MarkInfo /Marked true``, ``/StructParents`` and ``/Tabs /S`` on each page.
"""

from __future__ import annotations

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, NumberObject

from .structure import CheckResult

NAME = "tagged structure (PDF/UA)"
_TEXT = {b"Tj", b"TJ", b"'", b'"'}
_PAINT = {b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b", b"b*", b"Do", b"sh"}
_OPERATOR_NAMES = {b"Tj": "text", b"TJ": "text", b"'": "text", b'"': "text", b"Do": "a picture or form", b"sh": "a shading"}


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _number_tree(node) -> dict[int, object]:
    node = _resolve(node)
    found: dict[int, object] = {}
    nums = node.get("/Nums")
    if nums is not None:
        for index in range(0, len(nums) - 1, 2):
            found[int(nums[index])] = nums[index + 1]
    for kid in node.get("/Kids", []):
        found.update(_number_tree(kid))
    return found


def _element_mcids(element, page_ref) -> set[tuple[int, int]]:
    """(page object number, MCID) pairs an element lists as its own content."""
    pairs: set[tuple[int, int]] = set()
    default_page = element.get("/Pg", page_ref)
    kids = element.get("/K")
    kids = kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
    for kid in kids:
        if isinstance(kid, NumberObject) or isinstance(kid, int):
            if default_page is not None:
                pairs.add((default_page.idnum, int(kid)))
            continue
        resolved = _resolve(kid)
        if isinstance(resolved, DictionaryObject) and resolved.get("/Type") == "/MCR":
            page = resolved.get("/Pg", default_page)
            if page is not None:
                pairs.add((page.idnum, int(resolved["/MCID"])))
    return pairs


def _walk(element, depth: int = 0):
    element = _resolve(element)
    yield element
    kids = element.get("/K")
    kids = kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
    for kid in kids:
        if isinstance(kid, IndirectObject):
            resolved = kid.get_object()
            if isinstance(resolved, DictionaryObject) and "/S" in resolved:
                yield from _walk(kid, depth + 1)


def check_tagging(reader: PdfReader) -> CheckResult:
    root = reader.trailer["/Root"]
    tree = _resolve(root.get("/StructTreeRoot"))
    mark_info = _resolve(root.get("/MarkInfo")) or {}
    if tree is None:
        return CheckResult(NAME, False, "the PDF has no structure tree: it is not tagged")
    failures: list[str] = []
    if not mark_info.get("/Marked"):
        failures.append("the catalog's /MarkInfo does not say /Marked true")
    parents = _number_tree(tree["/ParentTree"]) if "/ParentTree" in tree else {}
    elements = [e for kid in ([tree["/K"]] if not isinstance(tree.get("/K"), ArrayObject) else tree["/K"])
                for e in _walk(kid)]
    for element in elements:
        if element["/S"] == "/Figure" and not element.get("/Alt"):
            failures.append("a Figure has no /Alt text")
    levels = [int(e["/S"][2:]) for e in elements if e["/S"] in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")]
    previous = 0
    for level in levels:
        if level > previous + 1:
            failures.append(f"a heading skips a level: H{level} after H{previous or '(none)'}")
        previous = level
    for number, page in enumerate(reader.pages, start=1):
        failures += _page_faults(reader, page, number, parents)
    if failures:
        return CheckResult(NAME, False, f"{len(failures)} fault{'s' if len(failures) != 1 else ''}", tuple(failures))
    counts: dict[str, int] = {}
    for element in elements:
        counts[element["/S"][1:]] = counts.get(element["/S"][1:], 0) + 1
    shown = ", ".join(f"{count} {role}" for role, count in sorted(counts.items(), key=lambda item: -item[1])[:6])
    return CheckResult(NAME, True, f"{len(elements)} elements ({shown})")


def _page_faults(reader: PdfReader, page, number: int, parents: dict[int, object]) -> list[str]:
    faults: list[str] = []
    if page.get("/Tabs") != "/S":
        faults.append(f"page {number}: no /Tabs /S (tab order by structure)")
    key = page.get("/StructParents")
    owners = _resolve(parents.get(int(key))) if key is not None else None
    page_ref = page.indirect_reference
    contents = page.get_contents()
    if contents is None:
        return faults
    open_marks: list[bool] = []  # for each open sequence: whether it is tagged or an artifact
    untagged: dict[str, int] = {}
    for operands, operator in ContentStream(contents, reader).operations:
        if operator in (b"BDC", b"BMC"):
            tag = operands[0]
            properties = operands[1] if operator == b"BDC" and len(operands) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, DictionaryObject) else None
            counted = tag == "/Artifact" or mcid is not None or any(open_marks)
            open_marks.append(counted)
            if mcid is not None:
                owner = _resolve(owners[int(mcid)]) if owners is not None and int(mcid) < len(owners) else None
                if owner is None:
                    faults.append(f"page {number}: MCID {int(mcid)} is not in the /ParentTree")
                elif (page_ref.idnum, int(mcid)) not in _element_mcids(owner, page_ref):
                    faults.append(f"page {number}: MCID {int(mcid)}'s element in the /ParentTree does not list it")
        elif operator == b"EMC":
            if open_marks:
                open_marks.pop()
        elif (operator in _TEXT or operator in _PAINT) and not any(open_marks):
            what = _OPERATOR_NAMES.get(operator, "a path")
            untagged[what] = untagged.get(what, 0) + 1
    faults += [f"page {number}: {count} untagged {what} operator{'s' if count != 1 else ''}"
               for what, count in untagged.items()]
    return faults
