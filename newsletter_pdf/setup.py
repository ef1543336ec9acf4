"""Process-wide settings of the libraries the pipeline uses, set in one place.

ReportLab and Pillow read a few module-level settings. The pipeline sets them here, in
:func:`configure`, which the entry points call before any work (``layout.render``, the
picture pipeline and its worker processes; calling it again is harmless). Nothing else
in the package sets a library's global state.
"""

from __future__ import annotations

# Pillow refuses to open a picture above this many pixels (a decompression bomb). Its
# default (about 89 million, with a warning, and an error at twice that) is raised to a
# round 100 million pixels: a 12,000 x 8,000 scan still opens, anything larger is an
# input error that names the file (``issue/validate.py``, ``output/images.py``).
MAX_IMAGE_PIXELS = 100_000_000

def configure() -> None:
    """Set the libraries' process-wide settings for the pipeline (idempotent and cheap)."""
    from PIL import Image
    from reportlab import rl_config

    # ReportLab ASCII85-encodes every stream by default (``useA85=1``): a quarter larger and,
    # in pure Python, slow (measured: 6.91 MB in 0.90 s against 5.53 MB in 0.02 s for one
    # large JPEG). Streams are Flate-compressed binary instead.
    rl_config.useA85 = 0
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
