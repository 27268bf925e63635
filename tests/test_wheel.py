"""The built wheel is what users install: it holds all three packages, their templates and
type markers, and the Pelican namespace plugin, and a site builds from it (not from the
source tree)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hotpapers import __version__

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DATA = ROOT / "example_site" / "data"
PIP = (sys.executable, "-m", "pip", "--quiet")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        # No network: the build backend comes from the dev environment (extra `dev`).
        [
            *PIP,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (path,) = out.glob("hotpapers-*.whl")
    return path


def test_the_wheel_holds_every_package_and_the_pelican_namespace_plugin(wheel: Path) -> None:
    assert wheel.name.startswith(f"hotpapers-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "hotpapers/__init__.py",
        "hotpapers/site/plan.py",
        "hotpapers/py.typed",
        "hotpapers/site/templates/day_body.md.j2",
        "hotpapers/legacy/templates/gatsby.md.j2",
        "hotpapers/collect/sources/reddit.py",
        "mkdocs_hotpapers/plugin.py",
        "mkdocs_hotpapers/py.typed",
        "pelican_hotpapers/plugin.py",
        "pelican_hotpapers/py.typed",
        "pelican/plugins/hotpapers/__init__.py",
    ):
        assert required in names, required
    assert not any(name.startswith(("tests/", "example_site/", "bench/")) for name in names)
    metadata = zipfile.ZipFile(wheel).read(f"hotpapers-{__version__}.dist-info/entry_points.txt")
    assert b"hotpapers = mkdocs_hotpapers.plugin:HotPapersPlugin" in metadata


def test_a_site_builds_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    target = tmp_path / "installed"
    subprocess.run(
        [*PIP, "install", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(
        f"site_name: Lab\ntheme: mkdocs\nplugins:\n  - hotpapers:\n      data: {EXAMPLE_DATA}\n",
        encoding="utf-8",
    )
    # The installed copy comes first on the path; the source tree is not on it (cwd is
    # the site, and the editable install's path entry comes after PYTHONPATH).
    env = {**os.environ, "PYTHONPATH": str(target), "NO_MKDOCS_2_WARNING": "1"}
    probe = subprocess.run(
        [sys.executable, "-c", "import hotpapers, mkdocs_hotpapers; print(hotpapers.__file__)"],
        capture_output=True,
        text=True,
        cwd=site,
        env=env,
        check=True,
    )
    assert probe.stdout.startswith(str(target)), probe.stdout
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        capture_output=True,
        text=True,
        cwd=site,
        env=env,
        check=False,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    page = (site / "site" / "hot-papers" / "2021-06-29" / "index.html").read_text("utf-8")
    assert "Hot Papers 2021-06-29" in page and 'id="paper-2106-14108"' in page
