"""``newsletter new``: a commented issue file that builds as it is."""

from __future__ import annotations

import datetime
from pathlib import Path

TEMPLATE = """\
# yaml-language-server: $schema=../../assets/schema/issue-v1.json
# Issue {number} of the newsletter. The format is described in the README
# ("The issue file"); `newsletter validate {folder}` checks this file without
# building, and `newsletter build {folder}` makes the PDF.
schema: 1
title: ROCB Asia/Pacific E-Newsletter
number: {number}
date: {date}                    # publication date; also the date inside the PDF
period: January – March {year}  # shown on the cover
publisher: World Customs Organization
language: en

cover:
  # image: images/cover.jpg     # pictures live in images/ beside this file
  highlights:                   # the "In this issue" list on the cover
    - First highlight of the issue

foreword:
  body: |
    Dear Readers,

    Write the foreword here. Paragraphs are separated by a blank line;
    *italic*, **bold** and links such as https://www.wcoomd.org work.
  signature:
    closing: Kind regards,
    name: Your Name (Mr./Ms.)
    # native_name: 念本智物       # the name in its own script, if any
    role: Head of the ROCB A/P

sections:
  - title: Title of the first article
    kind: article               # article (new page) | report | message
    authors:
      - name: Author Name
        role: Program Manager
        # photo: images/author.jpg
    body: |
      ## A heading inside the article

      Text with a footnote.[^1]

      - a bullet list
      - of items

      | Column | Column |
      |---|---|
      | cell | cell |

      [^1]: The note, set at the foot of the page of its marker.

  - group: Workshops and Meetings
    sections:
      - title: Title of an event report
        kind: report
        date: 1 January {year}
        place: Bangkok, Thailand
        # images:
        #   - file: images/event.jpg
        #     caption: What the photo shows
        body: |
          What happened, who attended, what was decided.

back_cover:
  organisation: WORLD CUSTOMS ORGANIZATION
  office: Asia/Pacific Regional Office for Capacity Building (ROCB A/P)
  email: rocb@rocbap.org
  website: http://www.rocb-ap.org
"""


def write_template(number: int, issues_dir: Path) -> Path:
    folder = issues_dir / f"{number:03d}"
    target = folder / "issue.yaml"
    if target.exists():
        raise FileExistsError(str(target))
    (folder / "images").mkdir(parents=True, exist_ok=True)
    today = datetime.date.today()
    target.write_text(TEMPLATE.format(number=number, folder=folder, date=today.isoformat(), year=today.year),
                      encoding="utf-8")
    return target
