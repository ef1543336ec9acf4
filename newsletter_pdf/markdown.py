"""Markdown bodies -> model blocks, with markdown-it-py.

CommonMark plus GitHub tables, footnotes (mdit-py-plugins), clickable bare URLs and
e-mail addresses (linkify), typographic quotes and dashes, and ``<sup>``/``<sub>``/``<br>``
as the only inline HTML. Anything the pipeline cannot typeset is reported, not dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from . import model


def _linkify_to_note(state: StateInline, silent: bool) -> bool:
    """markdown-it's inline rule for ``scheme://`` links, except that a link ends before ``[^``.

    linkify-it takes ``[`` and ``^`` into a URL with a path (``https://example.org/a[^1]``),
    so a note marker right after a bare URL became part of the link and the note was
    refused as never referenced. A URL never holds ``[^`` unencoded.
    """
    if not state.md.options.linkify or state.linkLevel > 0:
        return False
    pos = state.pos
    if state.src[pos:pos + 3] != "://":
        return False
    match = _SCHEME.search(state.pending)
    if not match:
        return False
    proto = match.group(1)
    start = pos - len(proto)
    end = state.src.find("[^", pos)
    link = state.md.linkify.match_at_start(state.src[start:end] if end != -1 else state.src[start:])
    if not link:
        return False
    url = link.url.rstrip("*")  # as markdown-it: a '*' at the end belongs to emphasis
    full_url = state.md.normalizeLink(url)
    if not state.md.validateLink(full_url):
        return False
    if not silent:
        state.pending = state.pending[: -len(proto)]
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": full_url}
        token.markup, token.info = "linkify", "auto"
        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(url)
        token = state.push("link_close", "a", -1)
        token.markup, token.info = "linkify", "auto"
    state.pos += len(url) - len(proto)
    return True


_SCHEME = re.compile(r"(?:^|[^a-z0-9.+-])([a-z][a-z0-9.+-]*)$", re.IGNORECASE)
_PARSER = (
    MarkdownIt("commonmark", {"typographer": True, "linkify": True})
    .enable(["table", "linkify", "replacements", "smartquotes"])
    .use(footnote_plugin)
)
_PARSER.inline.ruler.at("linkify", _linkify_to_note)
_UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")
_INLINE_TAGS = {"<sup>": "sup", "</sup>": "/sup", "<sub>": "sub", "</sub>": "/sub"}


@dataclass
class ParsedBody:
    blocks: tuple[model.Block, ...]
    notes: tuple[model.Note, ...]
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line within the body, what)


def parse_body(text: str, where: Callable[[int], model.Where], picture_path: Callable[[str], Path]) -> ParsedBody:
    """Parse one section's Markdown; ``where(line)`` gives the source position of a body line."""
    env: dict = {}
    tokens = _PARSER.parse(text, env)
    converter = _Converter(where, picture_path)
    body_tokens, note_tokens = _split_notes(tokens)
    blocks = converter.blocks(body_tokens)
    notes = tuple(
        model.Note(number, converter.blocks(inner)) for number, inner in note_tokens
    )
    _check_notes(text, env, converter)
    return ParsedBody(blocks, notes, converter.problems)


def _split_notes(tokens: list[Token]) -> tuple[list[Token], list[tuple[int, list[Token]]]]:
    body: list[Token] = []
    notes: list[tuple[int, list[Token]]] = []
    current: list[Token] | None = None
    for token in tokens:
        if token.type in ("footnote_block_open", "footnote_block_close"):
            continue
        if token.type == "footnote_open":
            current = []
            notes.append((token.meta["id"] + 1, current))
        elif token.type == "footnote_close":
            current = None
        elif current is not None:
            current.append(token)
        else:
            body.append(token)
    return body, notes


def _check_notes(text: str, env: dict, converter: "_Converter") -> None:
    lines = text.splitlines()
    for key, number in env.get("footnotes", {}).get("refs", {}).items():
        if number == -1:
            label = key[1:]
            line = next((i for i, l in enumerate(lines) if l.lstrip().startswith(f"[^{label}]:")), 0)
            converter.problems.append((line, f"footnote [^{label}] is defined but never referenced"))


class _Converter:
    def __init__(self, where: Callable[[int], model.Where], picture_path: Callable[[str], Path]) -> None:
        self.where = where
        self.picture_path = picture_path
        self.problems: list[tuple[int, str]] = []

    def picture_file(self, src: str) -> Path:
        """markdown-it percent-encodes a link (``images/café.jpg`` becomes ``images/caf%C3%A9.jpg``);
        the file is named as written."""
        decoded = self.picture_path(unquote(src))
        if decoded.exists():
            return decoded
        raw = self.picture_path(src)
        return raw if raw.exists() else decoded

    def blocks(self, tokens: list[Token]) -> tuple[model.Block, ...]:
        out: list[model.Block] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            end = _closing(tokens, i)
            inner = tokens[i + 1 : end]
            line = token.map[0] if token.map else 0
            kind = token.type
            if kind == "paragraph_open":
                out.append(self.paragraph(inner[0], line))
            elif kind == "heading_open":
                level = int(token.tag[1])
                if level == 1:
                    self.problems.append((line, "a '#' heading inside a body; the section title is the level-1 heading, use '##' or '###'"))
                out.append(model.Heading(min(max(level, 2), 3), self.inline(inner[0], line), self.where(line)))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                out.append(self.list_block(token, inner))
            elif kind == "blockquote_open":
                out.append(model.Quote(self.blocks(inner)))
            elif kind == "table_open":
                out.append(self.table(inner, line))
            elif kind == "hr":
                out.append(model.Rule())
            elif kind in ("fence", "code_block"):
                for n, text in enumerate(token.content.rstrip("\n").split("\n")):
                    out.append(model.Paragraph((model.Run(text or "\u00a0", code=True),), self.where(line + n)))
            elif kind == "html_block":
                self.problems.append((line, f"HTML blocks are not supported: {token.content.strip()[:40]!r}"))
            else:
                self.problems.append((line, f"unsupported Markdown ({kind})"))
            i = end + 1
        return tuple(out)

    def paragraph(self, inline: Token, line: int) -> model.Block:
        children = [c for c in inline.children or [] if not (c.type == "softbreak" or (c.type == "text" and not c.content.strip()))]
        if children and all(c.type == "image" for c in children):
            pictures = tuple(
                model.Picture(
                    path=self.picture_file(str(c.attrs["src"])),
                    caption=self.runs(c.children or [], line),
                    credit=str(c.attrs["title"]) if c.attrs.get("title") else None,
                    alt=c.content or None,
                )
                for c in children
            )
            return model.Figure(pictures, self.where(line))
        return model.Paragraph(self.inline(inline, line), self.where(line))

    def list_block(self, token: Token, inner: list[Token]) -> model.ListBlock:
        items: list[tuple[model.Block, ...]] = []
        i = 0
        while i < len(inner):
            end = _closing(inner, i)
            items.append(self.blocks(inner[i + 1 : end]))
            i = end + 1
        ordered = token.type == "ordered_list_open"
        start = int(token.attrs.get("start", 1)) if ordered else 1
        return model.ListBlock(ordered, start, tuple(items))

    def table(self, inner: list[Token], line: int) -> model.Table:
        header: list[model.Inline] = []
        rows: list[tuple[model.Inline, ...]] = []
        aligns: list[str | None] = []
        row: list[model.Inline] | None = None
        in_head = False
        for token in inner:
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                row = []
            elif token.type == "tr_close" and row is not None:
                if in_head:
                    header = row
                else:
                    rows.append(tuple(row))
            elif token.type == "th_open":
                style = str(token.attrs.get("style", ""))
                aligns.append("right" if "right" in style else "center" if "center" in style
                              else "left" if "left" in style else None)  # None: the delimiter row says nothing
            elif token.type == "inline" and row is not None:
                row.append(self.inline(token, token.map[0] if token.map else line))
        return model.Table(tuple(header), tuple(rows), tuple(aligns), self.where(line))  # type: ignore[arg-type]

    def inline(self, token: Token, line: int) -> model.Inline:
        return self.runs(token.children or [], line)

    def runs(self, children: list[Token], line: int) -> model.Inline:
        out: list[model.Run] = []
        style = model.Run("")
        for child in children:
            kind = child.type
            if kind == "text":
                for match in _UNDEFINED_REF.finditer(child.content):
                    self.problems.append((line, f"footnote [^{match.group(1)}] is referenced but never defined"))
                out.append(replace(style, text=child.content))
            elif kind == "code_inline":
                out.append(replace(style, text=child.content, code=True))
            elif kind == "softbreak":
                out.append(replace(style, text=" "))
            elif kind == "hardbreak":
                out.append(model.Run("", line_break=True))
            elif kind in ("strong_open", "strong_close"):
                style = replace(style, bold=kind == "strong_open")
            elif kind in ("em_open", "em_close"):
                style = replace(style, italic=kind == "em_open")
            elif kind == "link_open":
                style = replace(style, href=str(child.attrs["href"]))
            elif kind == "link_close":
                style = replace(style, href=None)
            elif kind == "footnote_ref":
                out.append(model.Run(str(child.meta["id"] + 1), superscript=True, note=child.meta["id"] + 1))
            elif kind == "html_inline":
                tag = _INLINE_TAGS.get(child.content.strip().lower())
                if tag == "sup":
                    style = replace(style, superscript=True, subscript=False)
                elif tag == "sub":
                    style = replace(style, subscript=True, superscript=False)
                elif tag in ("/sup", "/sub"):
                    style = replace(style, superscript=False, subscript=False)
                elif re.fullmatch(r"<br\s*/?>", child.content.strip(), re.I):
                    out.append(model.Run("", line_break=True))
                else:
                    self.problems.append((line, f"inline HTML {child.content!r} is not supported (only <sup>, <sub> and <br>)"))
            elif kind == "image":
                self.problems.append((line, "a picture must stand on a line of its own to become a figure"))
            else:
                self.problems.append((line, f"unsupported inline Markdown ({kind})"))
        return _merge(out)


def _merge(runs: list[model.Run]) -> model.Inline:
    """Join neighbouring runs of the same style, so layout sees fewer, longer runs."""
    merged: list[model.Run] = []
    for run in runs:
        if merged and not run.line_break and not merged[-1].line_break and run.note is None and merged[-1].note is None \
                and replace(run, text="") == replace(merged[-1], text=""):
            merged[-1] = replace(run, text=merged[-1].text + run.text)
        elif run.text or run.line_break:
            merged.append(run)
    return tuple(merged)


def _closing(tokens: list[Token], i: int) -> int:
    """Index of the token that closes ``tokens[i]`` (itself for a token with no body)."""
    if tokens[i].nesting != 1:
        return i
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1
