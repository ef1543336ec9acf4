"""Stage 6, delivery: e-mail the checked issue to its readers, each exactly once.

``settings`` (distribution.yaml and the options), ``recipients`` (the CSV), ``pdf`` (the
checked PDF and its contents' page numbers), ``content`` and ``bodies`` (what the mail
says, as text and HTML), ``message`` (one ``email`` message per reader, attach or link),
``log`` (the SQLite send log), ``transport`` (SMTP), ``deliver`` (the run: pacing,
retries, the log's states), ``report`` (progress and summary), ``command`` (the command).
"""
