"""PDF syntax of the written files: every stream's /Length is its data, and an EOL comes before ``endstream``.

ReportLab writes ``stream\\n<data>endstream``, with no end-of-line marker after the data
(ISO 32000-1 7.3.8.1 asks for one, not counted in /Length); Apache PDFBox Preflight then
reported "1.2.2 Expected 'EOL' before the endstream keyword" and "1.2.5 Stream length
is invalid" for every stream of the email and print PDFs. The project's canvas writes
the EOL (``layout/compat.py``: ``EndOfLineDocument``). These tests read the raw bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE, run_cli

MULTILINGUAL = ROOT / "tests" / "fixtures" / "multilingual"
BUILDS = {
    "email": (SAMPLE, "email"),
    "print": (SAMPLE, "print"),
    "archive": (SAMPLE, "archive"),
    "multilingual": (MULTILINGUAL, "email"),
}

_OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_STREAM = re.compile(rb"(?<![A-Za-z])stream(\r\n|\n)")
_ENDOBJ = re.compile(rb"\bendobj\b")
_LENGTH = re.compile(rb"/Length(?![A-Za-z0-9])\s+(\d+)(\s+(\d+)\s+R)?")


def stream_problems(data: bytes) -> tuple[int, list[str]]:
    """Read a PDF's top-level objects from its bytes: the number of streams, and what is wrong with them."""
    problems: list[str] = []
    streams = 0
    position = 0
    while match := _OBJECT.search(data, position):
        number = int(match.group(1))
        end = _ENDOBJ.search(data, match.end())
        stream = _STREAM.search(data, match.end())
        if stream is None or (end is not None and end.start() < stream.start()):
            position = end.end() if end else len(data)
            continue
        streams += 1
        dictionary = data[match.end():stream.start()]
        if not dictionary.rstrip().endswith(b">>"):
            problems.append(f"object {number}: 'stream' not after a dictionary")
        length = _LENGTH.search(dictionary)
        if length is None:
            problems.append(f"object {number}: stream without /Length")
            position = stream.end()
            continue
        size = int(length.group(1))
        if length.group(2):  # an indirect /Length: its object holds the number
            target = re.search(rb"(?<!\d)%d\s+%d\s+obj\s*(\d+)\s*endobj" % (size, int(length.group(3))), data)
            if target is None:
                problems.append(f"object {number}: /Length {size} 0 R not found")
                position = stream.end()
                continue
            size = int(target.group(1))
        start = stream.end()
        after = data[start + size:start + size + 11]
        if re.match(rb"(\r\n|\n|\r)endstream", after):
            position = start + size
        elif after.startswith(b"endstream"):
            problems.append(f"object {number}: no EOL before endstream")
            position = start + size
        else:
            found = data.find(b"endstream", start)
            problems.append(f"object {number}: /Length {size} but the data ends after {found - start} bytes"
                            if found >= 0 else f"object {number}: no endstream")
            position = found if found >= 0 else len(data)
    return streams, problems


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("syntax")
    out = {}
    for name, (issue, profile) in BUILDS.items():
        path = folder / f"{name}.pdf"
        code, _, stderr = run_cli("build", issue, "-o", path, "--profile", profile)
        assert code == 0, stderr
        out[name] = path
    return out


def test_the_byte_check_sees_a_missing_eol_and_a_wrong_length():
    good = b"1 0 obj\n<< /Length 5 >>\nstream\nabcde\nendstream\nendobj\n"
    no_eol = b"1 0 obj\n<< /Length 5 >>\nstream\nabcdeendstream\nendobj\n"
    wrong = b"1 0 obj\n<< /Length 9 >>\nstream\nabcde\nendstream\nendobj\n"
    indirect = b"1 0 obj\n<< /Length 2 0 R >>\nstream\nabcde\nendstream\nendobj\n2 0 obj\n5\nendobj\n"
    assert stream_problems(good) == (1, [])
    assert stream_problems(indirect) == (1, [])
    assert stream_problems(no_eol) == (1, ["object 1: no EOL before endstream"])
    assert stream_problems(wrong)[1] == ["object 1: /Length 9 but the data ends after 6 bytes"]


@pytest.mark.parametrize("name", list(BUILDS))
def test_every_stream_has_its_length_and_an_eol_before_endstream(pdfs, name):
    data = pdfs[name].read_bytes()
    streams, problems = stream_problems(data)
    assert streams > 20
    assert not problems, f"{name}: {len(problems)} of {streams} streams: {problems[:5]}"


@pytest.mark.parametrize("name", list(BUILDS))
def test_qpdf_finds_no_damage(pdfs, name):
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(pdfs[name]) as pdf:
        problems = pdf.check_pdf_syntax()
        streams = sum(isinstance(o, pikepdf.Stream) for o in pdf.objects)
    assert not problems
    assert streams == stream_problems(pdfs[name].read_bytes())[0], "the byte check saw every stream"


PREFLIGHT_JARS = ["preflight.jar", "pdfbox2.jar", "xmpbox.jar", "javax.activation.jar", "jaxb-api.jar",
                  "commons-logging.jar"]
JAVA_DIR = Path(os.environ.get("PREFLIGHT_JAVA_DIR", "/usr/share/java"))


# PDF/A-1 is PDF 1.4, which has no cross-reference streams; the files are PDF 1.5 or later, with their
# objects packed in object streams (output/compact.py), as PDF/A-2 allows. Any other 1.x rule holds.
PDF_1_4_ONLY = re.compile(r"/XRef cross reference streams are not allowed")


@pytest.mark.parametrize("name", list(BUILDS))
def test_pdfbox_preflight_finds_no_syntax_error(pdfs, name):
    """Apache PDFBox Preflight's file-syntax rules (1.x) hold. Its other rules are about PDF/A-1b, which
    only the archive profile aims at (as PDF/A-2a), so they are not asked here. Skipped without java or
    Debian's libpdfbox2-java (``.ci/run`` installs both)."""
    java = shutil.which("java")
    jars = [JAVA_DIR / jar for jar in PREFLIGHT_JARS]
    if java is None or not all(j.is_file() for j in jars):
        pytest.skip("java or PDFBox Preflight (libpdfbox2-java libactivation-java libjaxb-api-java) not installed")
    result = subprocess.run([java, "-cp", os.pathsep.join(map(str, jars)), "org.apache.pdfbox.preflight.Validator_A1b",
                             str(pdfs[name])], capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert "is a valid PDF/A-1b file" in output or "error(s)" in output, output[-2000:]
    syntax = [line for line in output.splitlines() if re.match(r"\s*1\.\d+(\.\d+)?\s*:", line)
              and not PDF_1_4_ONLY.search(line)]
    assert not syntax, f"{name}: {len(syntax)} syntax errors: {syntax[:5]}"
