"""The publisher's logo, from the theme (``logo: FILE`` in ``theme.yaml``), drawn in the cover's band.

An SVG is drawn as vectors (svglib turns it into a ReportLab drawing): sharp at any size, a
few kilobytes, and nothing to downsample. Its text must be outlines: svglib would set text
in a font the PDF does not embed, and every glyph of the PDF comes from an embedded font.
A PNG (or JPEG) is flattened onto the band's colour, where it is drawn, so that the PDF
holds no transparency (the archive profile allows none) and its edges still blend in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.lib.colors import Color
from reportlab.lib.utils import ImageReader

from .fonts import SANS

SVG_SUFFIXES = (".svg",)
BITMAP_SUFFIXES = (".png", ".jpg", ".jpeg")
MAX_PIXELS = 4000 * 4000


class LogoError(ValueError):
    """A logo file that cannot be drawn; the message says what to do."""


@dataclass(frozen=True)
class Logo:
    path: Path
    width: float  # its own size, in points (an SVG's) or pixels (a bitmap's): only the ratio counts
    height: float
    drawing: Drawing | None = None
    bitmap: Image.Image | None = None

    def fitted(self, max_width: float, max_height: float) -> tuple[float, float]:
        """Its size within ``max_width`` x ``max_height``, its proportions kept."""
        scale = min(max_width / self.width, max_height / self.height)
        return self.width * scale, self.height * scale

    def draw(self, canvas, right: float, top: float, max_width: float, max_height: float, background: Color) -> None:
        """Draw it with its top right corner at (``right``, ``top``), on ``background``."""
        width, height = self.fitted(max_width, max_height)
        x, y = right - width, top - height
        if self.drawing is not None:
            canvas.saveState()
            canvas.translate(x, y)
            canvas.scale(width / self.width, height / self.height)
            renderPDF.draw(self.drawing, canvas, 0, 0, showBoundary=False)
            canvas.restoreState()
            return
        flat = _flattened(self.bitmap, background)
        canvas.drawImage(ImageReader(flat), x, y, width, height)


def load_logo(path: Path) -> Logo:
    """The logo at ``path``; raises ``LogoError`` saying what to do."""
    if not path.is_file():
        raise LogoError(f"no logo file {path.name!r} in the theme's folder: put it there, or remove the key")
    suffix = path.suffix.lower()
    if suffix in SVG_SUFFIXES:
        return _load_svg(path)
    if suffix in BITMAP_SUFFIXES:
        return _load_bitmap(path)
    raise LogoError(f"a logo is an SVG (best: vectors stay sharp) or a PNG file, not {suffix or 'a file without a suffix'!r}")


def _load_svg(path: Path) -> Logo:
    from lxml import etree  # only themes with an SVG logo load svglib and lxml
    from svglib.svglib import svg2rlg

    try:  # svglib reads what it can of a broken file: it is refused whole, with the parser's word
        etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise LogoError(f"the logo {path.name!r} is not well-formed SVG ({error}): save it again as plain SVG") from None
    try:
        drawing = svg2rlg(str(path))
    except Exception as error:  # noqa: BLE001 - any parse failure is the file's problem
        raise LogoError(f"the logo {path.name!r} is not an SVG file svglib can read ({error}): "
                        f"save it again as plain SVG") from None
    if drawing is None:  # (svglib logs what it could not parse, and gives nothing)
        raise LogoError(f"the logo {path.name!r} is not an SVG file svglib can read: save it again as plain SVG")
    if not drawing.width or not drawing.height:
        raise LogoError(f"the logo {path.name!r} has no size: give its <svg> a width and height or a viewBox")
    if _has_text(drawing):
        raise LogoError(f"the logo {path.name!r} holds text: convert its text to outlines (paths) in your "
                        f"drawing program, as the PDF embeds only its own fonts")
    # The renderer starts by selecting its initial font, Helvetica by default, which the PDF would
    # name without embedding it: the project's own face instead (the logo has no text to set).
    drawing.initialFontName = SANS
    return Logo(path, float(drawing.width), float(drawing.height), drawing=drawing)


def _load_bitmap(path: Path) -> Logo:
    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_PIXELS:
                raise LogoError(f"the logo {path.name!r} is {image.width} x {image.height} pixels: "
                                f"a logo needs at most 4000 x 4000, save it smaller")
            image.load()
            bitmap = image.convert("RGBA")
    except (UnidentifiedImageError, OSError) as error:
        raise LogoError(f"the logo {path.name!r} cannot be read as a picture ({error}): save it again as PNG") from None
    return Logo(path, float(bitmap.width), float(bitmap.height), bitmap=bitmap)


def _flattened(bitmap: Image.Image, background: Color) -> Image.Image:
    red, green, blue = (round(channel * 255) for channel in background.rgb())
    ground = Image.new("RGBA", bitmap.size, (red, green, blue, 255))
    ground.alpha_composite(bitmap)
    return ground.convert("RGB")  # embedded losslessly (Flate): a logo's edges stay crisp


def _has_text(node) -> bool:
    if isinstance(node, String):
        return True
    if isinstance(node, (Group, Drawing)):
        return any(_has_text(child) for child in node.contents)
    return False
