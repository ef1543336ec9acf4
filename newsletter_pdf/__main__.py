"""``python -m newsletter_pdf``: the ``newsletter`` command without its console script."""

from .cli import app

app(prog_name="newsletter")
