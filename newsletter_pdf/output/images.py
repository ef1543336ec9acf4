"""Pictures for a profile, with Pillow: upright, flattened, downsampled to the resolution
they are printed at, re-encoded only when that saves bytes, and cached by content.

Photos are most of a newsletter's bytes and most of its build time. A 3000 x 2000
camera JPEG set 8 cm wide needs about 470 pixels across on screen (150 dpi): this is
where a 60 MB issue becomes a 2 MB one. The cache key is the picture's bytes plus
the settings, so a rebuild with unchanged pictures does no picture work at all.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps

from ..issue.errors import IssueError, Problem
from ..layout.pictures import ORIENTATION_TAG, Prepared, display_size
from ..model import Where
from ..setup import configure
from .profiles import Profile

PIPELINE_VERSION = "2"  # part of the cache key: bump when processing changes the output
PASS_THROUGH_SLACK = 1.15  # a JPEG up to 15 % larger than needed is embedded as it is


@dataclass
class _Request:
    path: Path
    width_pt: float
    height_pt: float
    where: list[Where | None] = field(default_factory=list)


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


class _Digests:
    """Content digests of pictures, remembered by file size and modification time.

    Hashing 60 MB of photos is a tenth of a second per build; a file whose size and
    time are unchanged is taken to be unchanged (a changed picture gets a new time).
    """

    def __init__(self, index: Path) -> None:
        self.index = index
        try:
            self.known: dict[str, list] = json.loads(index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.changed = False

    def __call__(self, path: Path) -> str:
        stat = path.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        entry = self.known.get(str(path))
        if entry and entry[:2] == stamp:
            return entry[2]
        digest = _digest(path)
        self.known[str(path)] = stamp + [digest]
        self.changed = True
        return digest

    def save(self) -> None:
        if self.changed:
            handle, temporary = tempfile.mkstemp(dir=self.index.parent, suffix=".part")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(self.known, stream, sort_keys=True)
            os.replace(temporary, self.index)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB or L with no alpha: transparency is composited on the white page (PDF/A forbids it unflattened)."""
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode == "1":
        return image.convert("L")
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        return image.point(lambda v: v / 256).convert("L") if image.mode.startswith("I;16") else image.convert("L")
    if image.mode not in ("RGB", "L"):
        return image.convert("RGB")  # CMYK, YCbCr, LAB...
    return image


def process(source: str, target: tuple[int, int], quality: int, out_stem: str) -> tuple[str, int, int]:
    """Make the embeddable version of ``source`` for ``target`` pixels; return (file, width, height).

    Runs in worker processes: plain arguments only.
    """
    path = Path(source)
    with Image.open(path) as image:
        original_format = image.format
        orientation = image.getexif().get(ORIENTATION_TAG, 1)
        upright_size = (image.size[1], image.size[0]) if orientation in (5, 6, 7, 8) else image.size
        scale = min(1.0, target[0] / upright_size[0], target[1] / upright_size[1])
        keep_as_is = (original_format == "JPEG" and image.mode in ("RGB", "L") and orientation in (1, None)
                      and scale * PASS_THROUGH_SLACK >= 1.0)
        if keep_as_is:
            image.load()  # a truncated file must fail here, not in the reader's viewer
            return source, image.size[0], image.size[1]
        if original_format == "JPEG":
            # Let the decoder skip detail we would throw away: much faster on camera JPEGs.
            wanted = (max(1, round(upright_size[0] * scale)), max(1, round(upright_size[1] * scale)))
            image.draft(image.mode, wanted if orientation not in (5, 6, 7, 8) else wanted[::-1])
        image.load()
        picture = _flatten(ImageOps.exif_transpose(image))
    size = (max(1, round(upright_size[0] * scale)), max(1, round(upright_size[1] * scale)))
    if picture.size != size:
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    few_colours = original_format in ("PNG", "GIF") and picture.getcolors(256) is not None
    buffer = io.BytesIO()
    if few_colours:  # line art and screenshots stay sharp as PNG
        picture.save(buffer, "PNG", optimize=True)
        out_file = out_stem + ".png"
    else:
        picture.save(buffer, "JPEG", quality=quality, optimize=True, subsampling="4:2:0")
        out_file = out_stem + ".jpg"  # ReportLab embeds a .jpg file's data as it is
    data = buffer.getvalue()
    if original_format == "JPEG" and image.mode in ("RGB", "L") and orientation in (1, None) \
            and len(data) >= path.stat().st_size:
        return source, upright_size[0], upright_size[1]  # re-encoding would not save bytes
    # Write under a temporary name, then rename: a parallel build never reads half a file.
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(out_file), suffix=".part")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, out_file)
    return out_file, picture.size[0], picture.size[1]


class PicturePipeline:
    """Collects the pictures a layout needs, prepares them (in parallel), hands out the results."""

    def __init__(self, profile: Profile, cache_dir: Path | None, jobs: int | None = None) -> None:
        configure()  # Pillow's decompression-bomb limit (setup.py)
        self.profile = profile
        self._temporary = None
        if cache_dir is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="newsletter-pictures-")
            cache_dir = Path(self._temporary.name)
        self.cache_dir = cache_dir
        self.jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        self.requests: dict[tuple[Path, int, int], _Request] = {}
        self.prepared: dict[tuple[Path, int, int], Prepared] = {}
        self.warnings: list[str] = []
        self.processed = 0  # pictures that needed work (not found in the cache)

    def _target(self, width_pt: float, height_pt: float) -> tuple[int, int]:
        return (max(1, round(width_pt / 72 * self.profile.dpi)), max(1, round(height_pt / 72 * self.profile.dpi)))

    def _key(self, path: Path, width_pt: float, height_pt: float) -> tuple[Path, int, int]:
        return (path, *self._target(width_pt, height_pt))

    def request(self, path: Path, width_pt: float, height_pt: float, where: Where | None = None) -> None:
        """Announce that ``path`` is placed at most ``width_pt`` x ``height_pt`` points."""
        key = self._key(path, width_pt, height_pt)
        entry = self.requests.setdefault(key, _Request(path, width_pt, height_pt))
        entry.where.append(where)

    def prepare_all(self) -> None:
        """Process every requested picture not in the cache; raise ``IssueError`` for unreadable ones."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        digests = _Digests(self.cache_dir / "digests.json")
        todo = []
        for key, request in self.requests.items():
            if key in self.prepared:
                continue
            target = key[1:]
            digest = hashlib.sha256(f"{digests(request.path)}|{target}|{self.profile.jpeg_quality}|"
                                    f"{PIPELINE_VERSION}".encode()).hexdigest()[:32]
            out_stem = self.cache_dir / digest
            marker = self.cache_dir / f"{digest}.txt"
            if marker.is_file():
                cached = self._from_marker(marker)
                if Path(cached.file).is_file():
                    self.prepared[key] = cached
                    continue
            todo.append((key, request, target, out_stem, marker, digest))
        problems: list[Problem] = []
        results = self._run(todo)
        for (key, request, _, _, marker, digest), outcome in zip(todo, results):
            if isinstance(outcome, Exception):
                for where in request.where or [None]:
                    label = os.path.relpath(request.path, Path(where.file).resolve().parent) if where else request.path
                    what = f"{label} is not a readable picture ({outcome.__class__.__name__}: {outcome})"
                    if where:
                        problems.append(Problem(where.file, where.line, where.column, where.loc, what))
                    else:
                        problems.append(Problem(str(request.path), 1, 1, "", what))
                continue
            file, width, height = outcome
            # A picture passed through is named by its own content, a prepared one by the cache key.
            token = digests(request.path) if file == str(request.path) else digest
            handle, temporary = tempfile.mkstemp(dir=self.cache_dir, suffix=".part")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:  # parallel builds never read half a marker
                stream.write(f"{file}\n{width}\n{height}\n{token}\n")
            os.replace(temporary, marker)
            self.prepared[key] = Prepared(file, width, height, token)
            self.processed += 1
        digests.save()
        if problems:
            raise IssueError(problems)
        self._warn_low_resolution()

    def _from_marker(self, marker: Path) -> Prepared:
        file, width, height, token = marker.read_text(encoding="utf-8").split("\n")[:4]
        return Prepared(file, int(width), int(height), token)

    def _run(self, todo) -> list:
        arguments = [(str(r.path), target, self.profile.jpeg_quality, str(stem)) for _, r, target, stem, _, _ in todo]
        if len(arguments) > 1 and self.jobs > 1:
            with ProcessPoolExecutor(max_workers=min(self.jobs, len(arguments)), initializer=configure) as pool:
                futures = [pool.submit(process, *a) for a in arguments]
                return [_outcome(f) for f in futures]
        return [_call(a) for a in arguments]

    def _warn_low_resolution(self) -> None:
        limit = self.profile.low_resolution_dpi
        if not limit:
            return
        seen = set()
        for request in self.requests.values():
            width, _ = display_size(request.path)
            effective = width / (request.width_pt / 72)
            if effective < limit and request.path not in seen:
                seen.add(request.path)
                self.warnings.append(f"{request.path.name}: {effective:.0f} dpi at its placed size "
                                     f"(below {limit} dpi for print)")

    def get(self, path: Path, width_pt: float, height_pt: float) -> Prepared:
        key = self._key(path, width_pt, height_pt)
        if key not in self.prepared:  # not announced: prepare it now, in this process
            self.request(path, width_pt, height_pt)
            self.prepare_all()
        return self.prepared[key]


def _call(arguments):
    try:
        return process(*arguments)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        return error


def _outcome(future):
    try:
        return future.result()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        return error
