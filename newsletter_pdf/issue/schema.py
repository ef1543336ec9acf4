"""The issue file format, version 1, as typed models (described for people in docs/issue-format.md).

These models are the single statement of the format: validation, the JSON Schema
that editors use (``newsletter schema``), and the suggestions for misspelt keys
all come from here.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag


def _date_as_text(value: Any) -> Any:
    # YAML reads "2022-10-10" as a date; in a section it is free text shown as written.
    return value.isoformat() if isinstance(value, datetime.date) else value


FreeText = Annotated[str, BeforeValidator(_date_as_text)]
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=False)


class Signature(Strict):
    """A signature under the foreword or a message."""

    closing: str | None = Field(None, description='The words before the name, e.g. "Kind regards,"')
    name: Text = Field(description="The signer's name, e.g. Norikazu Kuramoto (Mr.)")
    native_name: str | None = Field(None, description="The name in its own script (CJK, Korean, Thai, ...), "
                                                      "set under the name")
    role: str | None = Field(None, description="The signer's position, e.g. Head of the ROCB A/P")


class Cover(Strict):
    """The front page."""

    image: str | None = Field(None, description="The cover picture: a path relative to issue.yaml, "
                                                "e.g. images/cover.jpg")
    highlights: list[Text] = Field(default_factory=list, description='The "In this issue" list on the cover, '
                                                                     "one line of text each")


class Foreword(Strict):
    """The editor's letter, after the contents; listed in the contents."""

    title: Text = Field("Foreword", description="Its heading and contents entry")
    body: str = Field(description="Markdown text (see docs/issue-format.md)")
    signature: Signature | None = Field(None, description="Closing, name and role under the text")


class Author(Strict):
    """One person in a section's byline."""

    name: Text = Field(description="The author's name, e.g. Ilkwon HAN (Gideon)")
    role: str | None = Field(None, description="The author's position, shown after the name")
    photo: str | None = Field(None, description="A portrait: a path relative to issue.yaml")


class Picture(Strict):
    """A picture shown with a section; two or more make a grid."""

    file: Text = Field(description="Path relative to issue.yaml, e.g. images/event.jpg")
    caption: str | None = Field(None, description="Text set under the picture")
    credit: str | None = Field(None, description="Who took or owns the picture, set after the caption")
    alt: str | None = Field(None, description="What the picture shows, in words, for readers who "
                                              "cannot see it")


class Section(Strict):
    """An article, an event report or a message."""

    title: Text = Field(description="The heading, also listed in the contents")
    toc_title: str | None = Field(None, description="Shorter title for the contents")
    kind: Literal["article", "report", "message"] = Field(
        "article", description="article: starts on a new page; report: an event report with a date and "
                               "place line, may follow another report on its page; message: a letter, "
                               "may carry a signature")
    authors: list[Author] = Field(default_factory=list, description="The byline: names, roles, photos")
    date: FreeText | None = Field(None, description="Free text shown under the title, e.g. 10 October 2022")
    place: str | None = Field(None, description="Free text shown with the date, e.g. Bangkok")
    images: list[Picture] = Field(default_factory=list, description="Pictures shown with the section")
    body: str = Field("", description="Markdown text (see docs/issue-format.md)")
    signature: Signature | None = Field(None, description="A signature under the text, for a message")


class Group(Strict):
    """A heading in the contents with sections beneath it."""

    group: Text = Field(description="Heading in the contents; its sections are indented beneath")
    sections: list[Section] = Field(min_length=1, description="The sections of the group, in order")


def _entry_kind(value: Any) -> str:
    return "group" if isinstance(value, dict) and "group" in value else "section"


Entry = Annotated[
    Union[Annotated[Section, Tag("section")], Annotated[Group, Tag("group")]],
    Discriminator(_entry_kind),
]


class BackCover(Strict):
    """The last page: who publishes the newsletter and how to reach them."""

    organisation: str | None = Field(None, description="e.g. WORLD CUSTOMS ORGANIZATION")
    office: str | None = Field(None, description="The office that makes the newsletter")
    address: str | None = Field(None, description="Postal address; use '|' for several lines")
    telephone: str | None = Field(None, description="e.g. +66-2-667-6777")
    email: str | None = Field(None, description="Contact e-mail address, clickable in the PDF")
    website: str | None = Field(None, description="Web address, clickable in the PDF")
    staff: list[Text] = Field(default_factory=list, description="The office's people, one line each")
    note: str | None = Field(None, description="A closing line, e.g. the regular supporters")


class IssueFile(Strict):
    """An issue of the newsletter, format version 1."""

    model_config = ConfigDict(title="Newsletter issue (format version 1)")

    schema_version: Literal[1] = Field(alias="schema", description="The format version: 1")
    title: Text = Field(description="The newsletter's name, e.g. ROCB Asia/Pacific E-Newsletter")
    number: int = Field(ge=1, le=99999, strict=True, description="Issue number, 1 to 99999")
    date: datetime.date = Field(description="Publication date, YYYY-MM-DD; also the PDF's date, so a "
                                            "rebuild gives the same bytes")
    period: str | None = Field(None, description="The months the issue covers, shown on the cover, "
                                                 "e.g. October – December 2022")
    publisher: Text = Field(description="e.g. World Customs Organization")
    language: str = Field("en", pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                          description="BCP 47 tag; it also chooses the forms of Han characters: ja Japanese, "
                                      "ko Korean, zh (zh-Hans, zh-CN) Simplified, zh-Hant (zh-TW, zh-HK) "
                                      "Traditional Chinese")
    theme: Text = Field("default", description="A theme folder under assets/themes/")
    cover: Cover | None = Field(None, description="The front page: picture and highlights")
    foreword: Foreword | None = Field(None, description="The editor's letter")
    sections: list[Entry] = Field(min_length=1, description="The content, in order: sections and groups")
    back_cover: BackCover | None = Field(None, description="The last page: contact details")

    def all_sections(self) -> list[tuple[tuple[int, ...], Section]]:
        """Every section with its index path: (i,) at top level, (i, j) inside group i."""
        out: list[tuple[tuple[int, ...], Section]] = []
        for i, entry in enumerate(self.sections):
            if isinstance(entry, Group):
                out.extend(((i, j), section) for j, section in enumerate(entry.sections))
            else:
                out.append(((i,), entry))
        return out


# The tags that pydantic puts into error locations to say which union member it tried.
UNION_TAGS = {"section": Section, "group": Group}


def json_schema() -> dict[str, Any]:
    schema = IssueFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://newsletter-pdf.invalid/schema/issue-v1.json"
    return schema
