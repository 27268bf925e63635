"""A Markdown extension that rewrites every paragraph (gives each a class), as some do.

It moves the plugins off their fast path (see hotpapers.site.stash): the pages must
come out whole all the same.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class _ParagraphClass(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for paragraph in root.iter("p"):
            paragraph.set("class", "rewritten")


class ParagraphClassExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_ParagraphClass(md), "paragraph_class", 1)


def makeExtension(**kwargs: object) -> ParagraphClassExtension:
    return ParagraphClassExtension(**kwargs)
