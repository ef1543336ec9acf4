"""An unexpected failure while laying out one section, located for the person who reports it."""

from __future__ import annotations


class LayoutFailure(Exception):
    """Raised by ``render`` when something unexpected goes wrong; names the section being laid out.

    ``where`` reads like ``"the section 'Korea Regional Customs Laboratory Brief' (issues/079/issue.yaml:120)"``,
    or ``"the cover"``; ``cause`` is the original exception, for ``--debug``.
    """

    def __init__(self, where: str, cause: BaseException) -> None:
        self.where = where
        self.cause = cause
        super().__init__(f"internal error while laying out {where}: {type(cause).__name__}: {cause}")
