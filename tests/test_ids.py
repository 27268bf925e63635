"""arXiv ids from every URL form people post."""

from __future__ import annotations

import pytest

from hotpapers.ids import ids_in, normalize

URL_FORMS = [
    ("https://arxiv.org/abs/2106.14108", ["2106.14108"]),
    ("https://arxiv.org/abs/2106.14108v2", ["2106.14108"]),
    ("http://arxiv.org/pdf/2106.14108", ["2106.14108"]),
    ("https://arxiv.org/pdf/2106.14108v1.pdf", ["2106.14108"]),
    ("https://arxiv.org/pdf/2106.14108.pdf", ["2106.14108"]),
    ("https://arxiv.org/html/2106.14108v3", ["2106.14108"]),
    ("arxiv.org/abs/2106.14108", ["2106.14108"]),
    ("https://www.arxiv.org/abs/1501.00001", ["1501.00001"]),
    ("http://export.arxiv.org/abs/2106.14108", ["2106.14108"]),
    ("https://arxiv.org/abs/0704.0001", ["0704.0001"]),
    ("https://arxiv.org/abs/hep-th/9901001", ["hep-th/9901001"]),
    ("https://arxiv.org/abs/hep-th/9901001v3", ["hep-th/9901001"]),
    ("https://arxiv.org/pdf/math.AG/0101001v2", ["math.AG/0101001"]),
    ("https://arxiv.org/abs/MATH.ag/0101001", ["math.AG/0101001"]),
    ("https://www.alphaxiv.org/abs/2401.00001", ["2401.00001"]),
    ("https://alphaxiv.org/abs/2401.00001v2", ["2401.00001"]),
    ("https://huggingface.co/papers/2401.12345", ["2401.12345"]),
    ("https://arxiv.org/abs/2106.14108?context=cs", ["2106.14108"]),
    ("https://arxiv.org/abs/2106.14108#S3", ["2106.14108"]),
    ("v1 https://arxiv.org/abs/2106.14108v1 and v2 arxiv.org/pdf/2106.14108v2", ["2106.14108"]),
    ("two: arxiv.org/abs/2106.14108 arxiv.org/abs/2107.00001", ["2106.14108", "2107.00001"]),
    ("https://notarxiv.org/abs/2106.14108", []),
    ("https://example.org/abs/2106.14108", []),
    ("https://arxiv.org/list/cs.LG/recent", []),
    ("https://arxiv.org/abs/21.0614108", []),
]


@pytest.mark.parametrize(("text", "expected"), URL_FORMS)
def test_ids_from_url_forms(text: str, expected: list[str]) -> None:
    assert ids_in(text) == expected


def test_normalize() -> None:
    assert normalize("2106.14108v12") == "2106.14108"
    assert normalize("hep-th/9901001") == "hep-th/9901001"
    assert normalize("2106.1410") == "2106.1410"
    assert normalize("nonsense") is None
