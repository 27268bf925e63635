"""Code the tests share: paths, the `hotpapers` command, and `hotpapers fetch` against the
local stand-ins (tests/fake_services.py). Fixtures live in conftest.py."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fake_services import (
    BSKY_HANDLE,
    BSKY_PASSWORD,
    DAY,
    REDDIT_ID,
    REDDIT_SECRET,
    X_TOKEN,
    FakeServices,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LEGACY = FIXTURES / "legacy"
# The steering repository's copy, present beside a checkout (and in CI).
SHARED_LEGACY = ROOT.parent / "shared" / "examples" / "legacy"
CLEAN_OF_SEED = {"seed-2021-06-29-mojibake.md": "2021-06-29---Hot-Papers.md"}


def legacy_posts() -> list[Path]:
    """Every legacy post: the committed fixtures and, when present, the shared originals."""
    posts = sorted(LEGACY.glob("*.md"))
    if SHARED_LEGACY.is_dir():
        posts += sorted(SHARED_LEGACY.glob("*.md"))
    return posts


def normalize_blank_lines(text: str) -> str:
    """Collapse runs of blank lines and drop trailing spaces (the round-trip comparison)."""
    text = re.sub(r"[ \t]+$", "", text, flags=re.MULTILINE)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path, cwd: Path | None = None) -> Result:
    """Run the real `hotpapers` command in a subprocess (what users and CI run)."""
    completed = subprocess.run(
        [sys.executable, "-m", "hotpapers", *map(str, args)],
        capture_output=True,
        cwd=cwd,
        check=False,
    )
    return Result(
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )


# --- `hotpapers fetch` against the stand-ins -------------------------------------

CREDENTIALS = {
    "HOTPAPERS_X_BEARER_TOKEN": X_TOKEN,
    "HOTPAPERS_BLUESKY_HANDLE": BSKY_HANDLE,
    "HOTPAPERS_BLUESKY_APP_PASSWORD": BSKY_PASSWORD,
    "HOTPAPERS_REDDIT_CLIENT_ID": REDDIT_ID,
    "HOTPAPERS_REDDIT_CLIENT_SECRET": REDDIT_SECRET,
}


def fetch_env(tmp_path: Path, credentials: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTPAPERS_")}
    env.update(XDG_CACHE_HOME=str(tmp_path / "xdg-cache"), COLUMNS="200")
    if credentials:
        env.update(CREDENTIALS)
    return env


def start_fetch(
    tmp_path: Path, services: FakeServices, extra_config: str = ""
) -> subprocess.Popen[bytes]:
    """`hotpapers fetch` of DAY started in the background (to be interrupted)."""
    config = services.config(tmp_path / "hotpapers.toml", extra_config)
    command = [sys.executable, "-m", "hotpapers", "fetch", "--date", DAY]
    command += ["--data", str(tmp_path / "data"), "--config", str(config)]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=fetch_env(tmp_path, True),
    )


def wait_until(process: subprocess.Popen[bytes], started: Callable[[], bool]) -> None:
    """Until `started()` holds or the process ended (60 s at most)."""
    for _ in range(600):
        if started() or process.poll() is not None:
            return
        threading.Event().wait(0.1)


def interrupted(process: subprocess.Popen[bytes]) -> bytes:
    """Ctrl-C; the process's stderr once it ended, which must be the exit of an
    interrupt: code 130, no traceback."""
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr.decode()
    assert b"interrupted" in stderr and b"Traceback" not in stderr
    return stderr


def fetch(
    tmp_path: Path,
    services: FakeServices,
    *args: str,
    credentials: bool = True,
    extra_config: str = "",
    keep_config: bool = False,
    **config_options: Any,
) -> Result:
    """`hotpapers fetch` of DAY; `keep_config` uses the hotpapers.toml already there."""
    config = tmp_path / "hotpapers.toml"
    if not keep_config:
        services.config(config, extra_config, **config_options)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "hotpapers",
            "fetch",
            "--date",
            DAY,
            "--data",
            str(tmp_path / "data"),
            "--config",
            str(config),
            *args,
        ],
        capture_output=True,
        env=fetch_env(tmp_path, credentials),
        check=False,
        timeout=120,
    )
    return Result(completed.returncode, completed.stdout.decode(), completed.stderr.decode())


def day_file(tmp_path: Path, day: str = DAY) -> dict[str, Any]:
    return json.loads((tmp_path / "data" / f"{day}.json").read_text(encoding="utf-8"))


def popular_scenario(services: FakeServices) -> None:
    """Three papers found through every source and many URL forms; one unknown to arXiv."""
    for arxiv_id in ("2611.00001", "2611.00002", "hep-th/9901001"):
        services.paper(arxiv_id)
    services.x_post("https://arxiv.org/abs/2611.00001v2", 40, 100, quotes=3)
    services.x_post("https://arxiv.org/pdf/2611.00001.pdf", 5, 20, new_names=True)
    services.x_post("http://export.arxiv.org/abs/hep-th/9901001", 30, 30)
    services.x_post("https://example.org/not-a-paper", 900, 900)
    services.bsky_post("https://arxiv.org/html/2611.00002v1", 10, 30)
    services.bsky_post("https://www.alphaxiv.org/abs/2611.00001", 2, 8, in_embed=True)
    services.hn_story("https://arxiv.org/abs/2611.00002", 120)
    services.hf_paper("2611.00001", 15)
    services.hf_paper("2611.99999", 400)  # arXiv does not know it
    services.reddit_post("https://arxiv.org/abs/2611.00001", 30, crossposts=2)


def record_calls(
    monkeypatch: Any, module: Any, name: str, label: Callable[[Any], str]
) -> list[str]:
    """From now on, each call of `module.name`, recorded as `label(first argument)`."""
    calls: list[str] = []
    original = getattr(module, name)

    def recording(first: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(label(first))
        return original(first, *args, **kwargs)

    monkeypatch.setattr(module, name, recording)
    return calls
