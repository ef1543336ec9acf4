"""``newsletter new``: a commented issue file that builds as it is."""

from __future__ import annotations

import datetime
from pathlib import Path

from .invocation import self_command

# The sample text of the template, each to be replaced before the issue goes out: a build
# names every one still in the file (issue/template_text.py), and --strict refuses them.
PLACEHOLDERS = (
    "First highlight of the issue",
    "Write the foreword here",
    "Your Name (Mr./Ms.)",
    "Title of the first article",
    "Author Name",
    "A heading inside the article",
    "Title of an event report",
    "What happened, who attended, what was decided.",
)

TEMPLATE = """\
# yaml-language-server: $schema=../../assets/schema/issue-v1.json
# Issue {number} of the newsletter. Every key is described in docs/issue-format.md;
# the keys commented out with '#' are optional: remove the '#' to use one.
#   {command} validate {folder}    checks this file without building
#   {command} build {folder}       makes the PDF (add --strict to refuse template text left in)
schema: 1
title: ROCB Asia/Pacific E-Newsletter
number: {number}
date: {date}                    # publication date, YYYY-MM-DD; also the date inside the PDF
period: {period}  # the months the issue covers, shown on the cover
publisher: World Customs Organization
language: en                        # en, fr, ja, ko, zh-Hans, zh-Hant, ...
# theme: default                    # a folder under assets/themes/

cover:
  # image: images/cover.jpg         # pictures live in images/ beside this file
  highlights:                       # the "In this issue" list on the cover
    - First highlight of the issue

foreword:
  # title: Foreword                 # the default
  body: |
    Dear Readers,

    Write the foreword here. Paragraphs are separated by a blank line;
    *italic*, **bold** and links such as https://www.wcoomd.org work.
  signature:
    closing: Kind regards,
    name: Your Name (Mr./Ms.)
    # native_name: 念本智物           # the name in its own script, if any
    role: Head of the ROCB A/P

sections:
  - title: Title of the first article
    # toc_title: Shorter title        # for the contents, if the title is long
    kind: article                   # article (new page) | report | message
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
        date: {report_date}
        place: Bangkok, Thailand
        # images:                     # two or more make a grid
        #   - file: images/event.jpg
        #     caption: What the photo shows
        #     credit: "Photo: ROCB A/P"
        #     alt: The same in words, for readers who cannot see it
        body: |
          What happened, who attended, what was decided.

  # - title: Farewell message
  #   kind: message                   # a letter, which may be signed
  #   body: |
  #     Dear colleagues, ...
  #   signature:
  #     closing: With gratitude,
  #     name: The Writer (Ms.)
  #     role: Program Manager

back_cover:
  organisation: WORLD CUSTOMS ORGANIZATION
  office: Asia/Pacific Regional Office for Capacity Building (ROCB A/P)
  # address: |
  #   1, Thai Customs Department, G Floor of 120 Years Building,
  #   Sunthornkosa Rd., Khlongtoey, Bangkok 10110 Thailand
  # telephone: +66-2-667-6777
  email: rocb@rocbap.org
  website: http://www.rocb-ap.org
  # staff:
  #   - Mr. Norikazu KURAMOTO, Head, WCO ROCB A/P
  # note: "Regular Supporters: ..."
"""


# English month names whatever the machine's locale (strftime's %B follows it).
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def covered_quarter(published: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last full quarter before the publication date: No. 79, out on 15 January 2023,
    covers October – December 2022."""
    first_month_now = 3 * ((published.month - 1) // 3) + 1
    end = datetime.date(published.year, first_month_now, 1) - datetime.timedelta(days=1)
    return datetime.date(end.year, end.month - 2, 1), end


def template_text(number: int, folder: Path, published: datetime.date) -> str:
    start, end = covered_quarter(published)
    period = f"{MONTHS[start.month - 1]} – {MONTHS[end.month - 1]} {end.year}"
    report_month = start.month + 1  # the 15th of the quarter's middle month: inside the period
    return TEMPLATE.format(number=number, folder=folder, command=self_command(), date=published.isoformat(),
                           period=period,
                           report_date=f"15 {MONTHS[report_month - 1]} {start.year}")


def write_template(number: int, issues_dir: Path, published: datetime.date | None = None) -> Path:
    folder = issues_dir / f"{number:03d}"
    target = folder / "issue.yaml"
    if target.exists():
        raise FileExistsError(str(target))
    (folder / "images").mkdir(parents=True, exist_ok=True)
    target.write_text(template_text(number, folder, published or datetime.date.today()), encoding="utf-8")
    return target
