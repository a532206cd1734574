"""`python -m pipeline figure`: slide-ready SVG and PNG through kaleido and the system's Chromium."""

from __future__ import annotations

import html
import re
import struct
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM
from tests.conftest import DatasetWriter, run_cli

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="run `make chromium` (make test does)")
pytest.importorskip("kaleido")


def svg_text(svg: str) -> str:
    return html.unescape(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))


@needs_chromium
def test_svg_holds_title_filters_and_credit_with_the_data_version(make_dataset: DatasetWriter, tmp_path: Path) -> None:
    events = make_dataset()
    out = tmp_path / "t.svg"
    result = run_cli(
        "figure",
        "--format",
        "svg",
        "--dyad",
        "KHM-KOR",
        "--from",
        "1990",
        "--events",
        str(events),
        "-o",
        str(out),
        env={"BROWSER_PATH": CHROMIUM},
        timeout=180,
    )
    assert result.returncode == 0, result.stderr.decode()
    text = svg_text(out.read_text(encoding="utf-8"))
    assert "Cambodia and the two Koreas: events by lane" in text
    assert "filtered by lanes: Cambodia–South Korea; dates: 1990 to …" in text
    assert "Source: Cambodia–Korea relations timeline (this project)" in text
    assert re.search(r"data version \d+\.\d+\.\d+|unversioned data \(unversioned\+[0-9a-f]{8}\)", text)
    assert "?lane=KHM-KOR&from=1990" in text  # the permalink
    assert "Filled mark: dated to the day" in text
    assert "Cambodia–" in text and "Ties restored" not in text  # marks, not their titles, are drawn


@needs_chromium
def test_png_is_at_least_1600_px_wide_by_default(make_dataset: DatasetWriter, tmp_path: Path) -> None:
    out = tmp_path / "t.png"
    result = run_cli(
        "figure",
        "--format",
        "png",
        "--events",
        str(make_dataset()),
        "-o",
        str(out),
        env={"BROWSER_PATH": CHROMIUM},
        timeout=180,
    )
    assert result.returncode == 0, result.stderr.decode()
    payload = out.read_bytes()
    assert payload[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", payload[16:24])
    assert width >= 1600 and height >= 800


def test_figure_usage_errors_exit_2(make_dataset: DatasetWriter, tmp_path: Path) -> None:
    events = str(make_dataset())
    assert run_cli("figure", "--format", "gif", "--events", events, "-o", str(tmp_path / "x")).returncode == 2
    assert run_cli("figure", "--format", "png", "--events", events).returncode == 2  # -o is required
    too_wide = run_cli("figure", "--format", "png", "--width", "90000", "--events", events, "-o", str(tmp_path / "x"))
    assert too_wide.returncode == 2 and b"--width" in too_wide.stderr
    assert not (tmp_path / "x").exists()


@needs_chromium
def test_the_apps_png_download_is_a_titled_1600_px_image(
    make_dataset: DatasetWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.filters import filter_events, make_filter
    from pipeline.loading import load_dataset
    from views.compare import image_bytes

    monkeypatch.setenv("BROWSER_PATH", CHROMIUM)
    dataset = load_dataset(make_dataset())
    flt = make_filter(dyads=["KHM-KOR"])
    shown = filter_events(dataset.events, flt)
    png = image_bytes(dataset, shown, flt, None, "png")
    assert struct.unpack(">II", png[16:24])[0] >= 1600
    text = svg_text(image_bytes(dataset, shown, flt, None, "svg").decode("utf-8"))
    assert "events by lane" in text and "lanes: Cambodia–South Korea" in text and "this project" in text
