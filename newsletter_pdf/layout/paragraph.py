"""A paragraph that lines itself up once per width.

Platypus breaks a paragraph into lines at every ``wrap`` call, and a paragraph is
measured several times before it is drawn: by the keeps that decide whether a heading
fits, by the footnote frame that reserves room for its notes, and by the frame that
places it. Its text never changes, so the lines found for a width stay valid.
"""

from __future__ import annotations

from reportlab.platypus import Paragraph as PlatypusParagraph


class Paragraph(PlatypusParagraph):
    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if getattr(self, "_wrapped_at", None) == available_width and "blPara" in self.__dict__:
            self.width = available_width
            return available_width, self.height
        result = super().wrap(available_width, available_height)
        self._wrapped_at = available_width
        return result
