"""import-legacy then render --format gatsby gives the old pages back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotpapers.config import Options
from hotpapers.legacy.importer import import_post
from hotpapers.site.pages import render_day

from .helpers import CLEAN_OF_SEED, LEGACY, legacy_posts, normalize_blank_lines, run_cli


def _expected(post: Path) -> str:
    clean = CLEAN_OF_SEED.get(post.name, post.name)
    return (post.parent / clean).read_text(encoding="utf-8")


@pytest.mark.parametrize("post", legacy_posts(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_import_then_render_gatsby_gives_the_page_again(post: Path, tmp_path: Path) -> None:
    imported = run_cli("import-legacy", post, "--data", tmp_path)
    assert imported.code == 0, imported.stderr
    (day_file,) = tmp_path.glob("*.json")
    rendered = run_cli("render", day_file.stem, "--data", tmp_path, "--format", "gatsby")
    assert rendered.code == 0, rendered.stderr
    assert normalize_blank_lines(rendered.stdout) == normalize_blank_lines(_expected(post))


def test_newer_pages_are_reproduced_byte_for_byte() -> None:
    for name in (
        "2020-12-07---Hot-Papers.md",
        "2021-03-24---Hot-Papers.md",
        "2021-06-29---Hot-Papers.md",
    ):
        text = (LEGACY / name).read_text(encoding="utf-8")
        assert render_day(import_post(text, name).day, Options(), "gatsby") == text


def test_mojibake_seed_gives_exactly_the_records_of_the_clean_page(tmp_path: Path) -> None:
    seed_dir, clean_dir = tmp_path / "seed", tmp_path / "clean"
    seed = run_cli("import-legacy", LEGACY / "seed-2021-06-29-mojibake.md", "--data", seed_dir)
    clean = run_cli("import-legacy", LEGACY / "2021-06-29---Hot-Papers.md", "--data", clean_dir)
    assert seed.code == clean.code == 0
    assert "repaired mojibake" in seed.stdout
    assert "repaired mojibake" not in clean.stdout
    seed_bytes = (seed_dir / "2021-06-29.json").read_bytes()
    assert seed_bytes == (clean_dir / "2021-06-29.json").read_bytes()
    day = json.loads(seed_bytes)
    assert "Guillermo Valle-Pérez" in day["papers"][4]["authors"]
    assert "スマートコン" in json.dumps(day, ensure_ascii=False)


def test_records_carry_what_the_page_says(tmp_path: Path) -> None:
    run_cli("import-legacy", LEGACY / "2021-06-29---Hot-Papers.md", "--data", tmp_path)
    day = json.loads((tmp_path / "2021-06-29.json").read_text(encoding="utf-8"))
    assert day["schema"] == "hotpapers/1"
    assert day["collected_at"] == "2021-06-30T13:48:45Z"
    first = day["papers"][0]
    assert first["id"] == "2106.14108"
    assert first["title"].startswith("Inferring a Continuous Distribution")
    assert first["categories"] == ["cs.CE", "eess.IV"]
    assert first["totals"] == {"reposts": 12172, "likes": 26}
    assert first["counted_at"] == "2021-06-30T13:48:45Z"
    assert day["papers"][2]["counted_at"] == "2021-06-30T13:48:46Z"
    mention = first["mentions"][0]
    assert mention == {
        "source": "x",
        "id": "1409814232556838917",
        "url": "https://twitter.com/ORonneberger/status/1409814232556838917",
        "author": "Olaf Ronneberger",
        "handle": "ORonneberger",
        "created_at": "2021-06-29",
        "reposts": None,
        "likes": None,
        "embed_html": mention["embed_html"],
    }
    assert mention["embed_html"].startswith('<blockquote class="twitter-tweet">')
    assert "$C^\\infty$-ring" in day["papers"][8]["abstract"]
    assert [len(p["mentions"]) for p in day["papers"]].count(0) == 1
    assert sum(len(p["mentions"]) for p in day["papers"]) == 22


FRONT = """---
title: Hot Papers 2022-01-02
date: 2022-01-03T10:00:00.Z
template: "post"
draft: false
slug: "hot-papers-2022-01-02"
category: "arXiv"
tags:
  - "arXiv"
  - "Twitter"
  - "Machine Learning"
  - "Computer Science"
description: "Hot papers 2022-01-02"
socialImage: "/media/flying-marine.jpg"

---
"""
SCRIPT = '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'


def _tweet(handle: str, status: str, text: str) -> str:
    return (
        f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">{text}</p>&mdash; '
        f'Some One (@{handle}) <a href="https://twitter.com/{handle}/status/{status}'
        f'?ref_src=twsrc%5Etfw">January 2, 2022</a></blockquote>\n{SCRIPT}\n\n'
    )


def _paper(
    rank: int,
    arxiv_id: str,
    counts: tuple[int, int],
    *,
    abstract: str | None = "Text.",
    embeds: str = "",
    title: str = "A title",
    stamp: str = "01/03/2022 10:00:0",
) -> str:
    body = (
        f"\n# {rank}. {title}\n\nAda Lovelace, Émilie du Châtelet\n\n"
        f"- retweets: {counts[0]}, favorites: {counts[1]} ({stamp}{rank % 10})\n\n"
        f"- links: [abs](https://arxiv.org/abs/{arxiv_id}) | [pdf](https://arxiv.org/pdf/{arxiv_id})\n"
        f"- [cs.LG](https://arxiv.org/list/cs.LG/recent) | [math.AG](https://arxiv.org/list/math.AG/recent)\n\n"
    )
    if abstract is not None:
        body += f"{abstract}\n\n"
    return body + embeds + "\n\n"


EDGE_CASES = {
    "empty-day": FRONT,
    "no-abstract": FRONT
    + _paper(1, "2201.00001", (40, 20), abstract=None, embeds=_tweet("a", "1", "hello")),
    "no-embeds": FRONT + _paper(1, "2201.00002", (40, 20)),
    "ties-keep-page-order": FRONT
    + _paper(1, "2201.00009", (30, 28), embeds=_tweet("z", "9", "first"))
    + _paper(2, "2201.00003", (20, 38), embeds=_tweet("y", "8", "second"))
    + _paper(3, "2201.00005", (8, 50)),
    "tex-scripts-several-embeds": FRONT
    + _paper(
        1,
        "hep-th/9901001",
        (100, 5),
        title="On $\\mathcal{N}=4$ <b>super</b> Yang\u2013Mills * _",
        abstract="We show $\\alpha_1 < \\beta^2$ for 深層学習 and Ελληνικά & more.",
        embeds=_tweet("a", "11", "один") + _tweet("b", "12", "二つ") + _tweet("c", "13", "3"),
    ),
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_hand_made_edge_cases_round_trip(case: str, tmp_path: Path) -> None:
    post = tmp_path / f"{case}.md"
    post.write_text(EDGE_CASES[case], encoding="utf-8")
    data = tmp_path / "data"
    assert run_cli("import-legacy", post, "--data", data).code == 0
    rendered = run_cli("render", "2022-01-02", "--data", data, "--format", "gatsby")
    assert rendered.code == 0, rendered.stderr
    assert normalize_blank_lines(rendered.stdout) == normalize_blank_lines(EDGE_CASES[case])


def test_edge_case_records(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    post.write_text(EDGE_CASES["tex-scripts-several-embeds"], encoding="utf-8")
    (paper,) = import_post(post.read_text(encoding="utf-8"), str(post)).day.papers
    assert paper.id == "hep-th/9901001"
    assert paper.authors == ("Ada Lovelace", "Émilie du Châtelet")
    assert [m.id for m in paper.mentions] == ["11", "12", "13"]
    assert paper.counted_at == "2022-01-03T10:00:01Z"
    no_abstract = import_post(EDGE_CASES["no-abstract"], "x").day.papers[0]
    assert no_abstract.abstract == ""
    assert len(no_abstract.mentions) == 1


def test_unparseable_post_is_reported_and_the_others_are_imported(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "good.md").write_text(EDGE_CASES["no-embeds"], encoding="utf-8")
    broken = EDGE_CASES["no-embeds"].replace("- retweets: 40, favorites: 20", "- retweets: lots")
    (posts / "bad.md").write_text(broken, encoding="utf-8")
    (posts / "binary.md").write_bytes(b"---\n\xff\xfe\n")
    data = tmp_path / "data"
    result = run_cli("import-legacy", posts, "--data", data)
    assert result.code == 1
    assert "Traceback" not in result.stderr
    lines = broken.splitlines()
    bad_line = next(i for i, line in enumerate(lines, 1) if line.startswith("- retweets: lots"))
    assert f"bad.md:{bad_line}: paper 1: expected '- retweets: R, favorites: F'" in result.stderr
    assert "binary.md: not valid UTF-8" in result.stderr
    assert (data / "2022-01-02.json").is_file()
    assert "2 posts not imported" in result.stderr
