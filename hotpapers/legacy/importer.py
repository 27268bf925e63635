"""Import of posts written by the old Gatsby system (``YYYY-MM-DD---Hot-Papers.md``).

A post becomes one `Day`. Mojibake (UTF-8 that was decoded as Mac Roman or
cp1252 and re-encoded) is repaired with ftfy before parsing.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass
from datetime import datetime

import ftfy

from hotpapers import ids
from hotpapers.errors import LegacyParseError
from hotpapers.model import Counts, Day, Mention, Paper, is_date

_HEADER = re.compile(r"^# (\d+)\. (.*)$")
_COUNTS = re.compile(
    r"^- retweets: (\d+), favorites: (\d+)(?: \((\d\d)/(\d\d)/(\d{4}) (\d\d:\d\d:\d\d)\))?\s*$"
)
_LINKS = re.compile(r"^- links: \[abs\]\((https?://(?:export\.)?arxiv\.org/abs/([^)\s]+))\)(.*)$")
_PDF = re.compile(r"\[pdf\]\(https?://(?:export\.)?arxiv\.org/pdf/[^)\s]+\)")
_CATEGORY = re.compile(r"\[([^\]]+)\]\(https?://arxiv\.org/list/[^)\s]+\)")
_TITLE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_COLLECTED = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d*)?Z$")
_TWEET_LINK = re.compile(
    r'href="(https?://(?:twitter|x)\.com/(\w+)/status/(\d+))(?:\?[^"]*)?"[^>]*>([^<]*)</a>'
    r"\s*</blockquote>\s*$"
)
_ATTRIBUTION = re.compile(r"&mdash;\s*(.*?)\s*\(@\w+\)\s*<a [^>]*>[^<]*</a>\s*</blockquote>\s*$")
_EMBED_SCRIPT = re.compile(r"^<script\b[^>]*></script>\s*$")


@dataclass(frozen=True)
class ImportedPost:
    day: Day
    repaired_encoding: bool


def import_post(text: str, where: str) -> ImportedPost:
    """Parse the text of one old post; `where` names it in errors (``file``)."""
    repaired = ftfy.fix_encoding(text)
    day = _Parser(repaired, where).parse()
    return ImportedPost(day, repaired != text)


class _Parser:
    def __init__(self, text: str, where: str) -> None:
        self.lines = text.splitlines()
        self.where = where

    def fail(self, line_index: int, message: str) -> LegacyParseError:
        return LegacyParseError(f"{self.where}:{line_index + 1}: {message}")

    def parse(self) -> Day:
        meta, body_start = self.front_matter()
        date = self.post_date(meta)
        collected_at = self.collected_at(meta)
        headers = [i for i in range(body_start, len(self.lines)) if _HEADER.match(self.lines[i])]
        for index in range(body_start, headers[0] if headers else len(self.lines)):
            if self.lines[index].strip():
                raise self.fail(index, "expected a paper heading like '# 1. Title'")
        bounds = [*headers, len(self.lines)]
        papers = [self.paper(start, end, collected_at) for start, end in itertools.pairwise(bounds)]
        seen: set[str] = set()
        for paper, start in zip(papers, headers, strict=True):
            if paper.id in seen:
                raise self.fail(start, f"paper {paper.id} is listed twice")
            seen.add(paper.id)
        return Day(date=date, collected_at=collected_at, papers=tuple(papers))

    def front_matter(self) -> tuple[dict[str, tuple[int, str]], int]:
        if not self.lines or self.lines[0].strip() != "---":
            raise self.fail(0, "expected front matter starting with '---'")
        meta: dict[str, tuple[int, str]] = {}
        for index in range(1, len(self.lines)):
            line = self.lines[index]
            if line.strip() == "---":
                return meta, index + 1
            key, colon, value = line.partition(":")
            if colon and not line.startswith((" ", "-")):
                meta[key.strip()] = (index, value.strip().strip('"'))
        raise self.fail(len(self.lines) - 1, "front matter is not closed with '---'")

    def post_date(self, meta: dict[str, tuple[int, str]]) -> str:
        for key in ("title", "slug", "description"):
            if key in meta:
                match = _TITLE_DATE.search(meta[key][1])
                if match and not is_date(match[1]):
                    raise self.fail(meta[key][0], f"front matter '{key}': {match[1]} is not a date")
                if match:
                    return match[1]
        raise self.fail(0, "no day (YYYY-MM-DD) in the front matter's title, slug or description")

    def collected_at(self, meta: dict[str, tuple[int, str]]) -> str:
        if "date" not in meta:
            raise self.fail(0, "front matter has no 'date'")
        index, value = meta["date"]
        match = _COLLECTED.match(value)
        if not match:
            raise self.fail(index, f"front matter 'date' is not a UTC time: {value!r}")
        return match[1] + "Z"

    def paper(self, start: int, end: int, collected_at: str) -> Paper:
        header = _HEADER.match(self.lines[start])
        assert header is not None
        title = header[2]
        rows = [(i, self.lines[i]) for i in range(start + 1, end) if self.lines[i].strip()]
        position = 0

        def peek() -> tuple[int, str]:
            return rows[position] if position < len(rows) else (end - 1, "")

        authors: tuple[str, ...] = ()
        if not peek()[1].startswith("- retweets:"):
            authors = tuple(name.strip() for name in peek()[1].split(",") if name.strip())
            position += 1
        index, line = peek()
        counts = _COUNTS.match(line)
        if not counts:
            raise self.fail(
                index,
                f"paper {header[1]}: expected '- retweets: R, favorites: F', got {line[:60]!r}",
            )
        position += 1
        counted_at = collected_at
        if counts[3]:
            month, day, year, clock = counts[3], counts[4], counts[5], counts[6]
            counted_at = f"{year}-{month}-{day}T{clock}Z"
        index, line = peek()
        links = _LINKS.match(line)
        if not links:
            raise self.fail(
                index, f"paper {header[1]}: expected '- links: [abs](...)', got {line[:60]!r}"
            )
        arxiv_id = ids.normalize(links[2].removesuffix(".pdf"))
        if arxiv_id is None:
            raise self.fail(index, f"paper {header[1]}: not an arXiv abs link: {links[1]!r}")
        has_pdf = bool(_PDF.search(links[3]))
        position += 1
        categories: tuple[str, ...] = ()
        index, line = peek()
        if line.startswith("- ["):
            categories = tuple(_CATEGORY.findall(line))
            position += 1
        abstract_lines: list[str] = []
        while position < len(rows) and not rows[position][1].startswith("<blockquote"):
            abstract_lines.append(rows[position][1])
            position += 1
        mentions: list[Mention] = []
        while position < len(rows):
            index, line = rows[position]
            block = [line]
            while "</blockquote>" not in block[-1]:
                position += 1
                if position >= len(rows):
                    raise self.fail(index, "embedded post is not closed with </blockquote>")
                block.append(rows[position][1])
            position += 1
            mentions.append(self.mention("\n".join(block), index))
            if position < len(rows) and _EMBED_SCRIPT.match(rows[position][1]):
                position += 1
            elif position < len(rows) and not rows[position][1].startswith("<blockquote"):
                raise self.fail(rows[position][0], "expected an embedded post (<blockquote>)")
        return Paper(
            id=arxiv_id,
            title=title,
            authors=authors,
            abstract="\n".join(abstract_lines),
            categories=categories,
            counted_at=counted_at,
            totals=Counts(int(counts[1]), int(counts[2])),
            mentions=tuple(mentions),
            pdf=has_pdf,
        )

    def mention(self, block: str, index: int) -> Mention:
        link = _TWEET_LINK.search(block)
        if not link:
            raise self.fail(index, "embedded post has no link to its status at the end")
        url, handle, status_id, date_text = link[1], link[2], link[3], link[4]
        attribution = _ATTRIBUTION.search(block)
        try:
            created_at = datetime.strptime(date_text.strip(), "%B %d, %Y").date().isoformat()
        except ValueError:
            created_at = None
        return Mention(
            source="x",
            id=status_id,
            url=url,
            reposts=None,
            likes=None,
            author=html.unescape(attribution[1]) if attribution else None,
            handle=handle,
            created_at=created_at,
            embed_html=block,
        )
