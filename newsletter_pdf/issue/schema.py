"""The issue file format, version 1, as typed models (see shared/issue-format.md).

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
    closing: str | None = None
    name: Text
    native_name: str | None = Field(None, description="The name in its own script (CJK, Korean, Thai, ...)")
    role: str | None = None


class Cover(Strict):
    image: str | None = Field(None, description="Path relative to issue.yaml")
    highlights: list[Text] = Field(default_factory=list, description='The "In this issue" list')


class Foreword(Strict):
    title: Text = "Foreword"
    body: str = Field(description="Markdown")
    signature: Signature | None = None


class Author(Strict):
    name: Text
    role: str | None = None
    photo: str | None = Field(None, description="Path relative to issue.yaml")


class Picture(Strict):
    file: Text = Field(description="Path relative to issue.yaml")
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None


class Section(Strict):
    title: Text
    toc_title: str | None = Field(None, description="Shorter title for the contents")
    kind: Literal["article", "report", "message"] = "article"
    authors: list[Author] = Field(default_factory=list)
    date: FreeText | None = None
    place: str | None = None
    images: list[Picture] = Field(default_factory=list)
    body: str = Field("", description="Markdown")
    signature: Signature | None = None


class Group(Strict):
    group: Text = Field(description="Heading in the contents; its sections are indented beneath")
    sections: list[Section] = Field(min_length=1)


def _entry_kind(value: Any) -> str:
    return "group" if isinstance(value, dict) and "group" in value else "section"


Entry = Annotated[
    Union[Annotated[Section, Tag("section")], Annotated[Group, Tag("group")]],
    Discriminator(_entry_kind),
]


class BackCover(Strict):
    organisation: str | None = None
    office: str | None = None
    address: str | None = None
    telephone: str | None = None
    email: str | None = None
    website: str | None = None
    staff: list[Text] = Field(default_factory=list)
    note: str | None = None


class IssueFile(Strict):
    """An issue of the newsletter, format version 1."""

    model_config = ConfigDict(title="Newsletter issue (format version 1)")

    schema_version: Literal[1] = Field(alias="schema")
    title: Text
    number: int = Field(ge=1, le=99999, strict=True, description="Issue number, 1 to 99999")
    date: datetime.date = Field(description="ISO YYYY-MM-DD; also the PDF's date")
    period: str | None = None
    publisher: Text
    language: str = Field("en", pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                          description="BCP 47 tag; it also chooses the forms of Han characters: ja Japanese, "
                                      "ko Korean, zh (zh-Hans, zh-CN) Simplified, zh-Hant (zh-TW, zh-HK) "
                                      "Traditional Chinese")
    theme: Text = "default"
    cover: Cover | None = None
    foreword: Foreword | None = None
    sections: list[Entry] = Field(min_length=1)
    back_cover: BackCover | None = None

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
