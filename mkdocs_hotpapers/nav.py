"""Navigation surgery: the days' section in a site without a blog."""

from __future__ import annotations

from typing import Any

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page


def _walk_pages(items: list[Any]) -> list[Page]:
    pages: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            pages.append(item)
        elif isinstance(item, Section):
            pages.extend(_walk_pages(item.children))
    return pages


def with_section(nav: Navigation, title: str, pages: list[Page]) -> Navigation:
    """Put the days in one section: where the user's nav names the index, else at the end."""
    section = Section(title, list(pages))
    for page in pages:
        page.parent = section
    placed = False

    def replace(items: list[Any], parent: Section | None) -> list[Any]:
        nonlocal placed
        result = []
        for item in items:
            if isinstance(item, Page) and pages and item is pages[0] and not placed:
                section.parent = parent
                result.append(section)
                placed = True
            elif isinstance(item, Page) and id(item) in unwanted:
                continue
            elif isinstance(item, Section):
                item.children = replace(item.children, item)
                if item.children:
                    result.append(item)
            else:
                result.append(item)
        return result

    unwanted = {id(p) for p in pages}
    items = replace(list(nav.items), None)
    if not placed:
        items.append(section)
    all_pages = _walk_pages(items)
    for previous, current in zip([None, *all_pages], all_pages, strict=False):
        current.previous_page = previous
        if previous is not None:
            previous.next_page = current
    if all_pages:
        all_pages[-1].next_page = None
    return Navigation(items, all_pages)
