"""Hugging Face daily papers for the date: upvotes count as likes (no reposts: null).

The mention is the paper's page on Hugging Face, dated when it joined the
day's list (`publishedAt`), or the day itself when the answer does not say.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar

from hotpapers import ids
from hotpapers.collect.http import get_json
from hotpapers.collect.sources import (
    MAX_POSTS,
    Context,
    Found,
    SourceOption,
    count,
    found,
    unseen,
    utc_moment,
)

TOKEN = "HOTPAPERS_HF_TOKEN"  # optional
PATH = "/api/daily_papers"
PAGE = 100


class HuggingFaceSource:
    name = "huggingface"
    default_base_url = "https://huggingface.co"
    options: ClassVar[Mapping[str, SourceOption]] = {"max_posts": MAX_POSTS}

    def missing_credentials(self, env: Mapping[str, str]) -> str | None:
        return None

    def search(self, context: Context, start: datetime, end: datetime) -> Iterator[Found]:
        url = context.base_url(self.default_base_url) + PATH
        token = context.env.get(TOKEN)
        headers = {"Authorization": f"Bearer {token}"} if token else None
        params: dict[str, Any] = {"date": start.date().isoformat(), "limit": PAGE, "p": 0}
        budget = context.option("max_posts")  # a day has far fewer
        read, seen = 0, set[str]()
        while read < budget:
            page = get_json(
                context.session,
                "huggingface",
                url,
                params=params,
                headers=headers,
                timeout=context.timeout,
            )
            entries = page if isinstance(page, list) else []
            new = unseen(entries, seen, _key)
            for entry in new[: budget - read]:
                read += 1
                found = _found(entry, start)
                if found is not None:
                    yield found
            context.progress(read)
            if len(entries) < PAGE or not new:
                break
            params["p"] += 1
        if read >= budget:
            context.notes.append(f"huggingface: stopped at max_posts ({budget})")


def _key(entry: Any) -> str:
    paper = entry.get("paper") if isinstance(entry, Mapping) else None
    return str(paper.get("id")) if isinstance(paper, Mapping) else repr(entry)


def _found(entry: Any, start: datetime) -> Found | None:
    if not isinstance(entry, Mapping):
        return None
    paper = entry.get("paper") or {}
    arxiv_id = ids.normalize(str(paper.get("id", "")))
    if arxiv_id is None:
        return None
    submitter = entry.get("submittedBy") or paper.get("submittedOnDailyBy") or {}
    return found(
        source="huggingface",
        id=arxiv_id,
        url=f"https://huggingface.co/papers/{arxiv_id}",
        arxiv_ids=(arxiv_id,),
        reposts=None,
        likes=count(paper.get("upvotes")),
        author=submitter.get("fullname") if isinstance(submitter, Mapping) else None,
        handle=submitter.get("name") if isinstance(submitter, Mapping) else None,
        created_at=utc_moment(entry.get("publishedAt")) or start.date().isoformat(),
        text=entry.get("title") or paper.get("title"),
    )
