"""Data versions: content hash, release record and changelog agree with the data, or validation says how not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main as cli
from pipeline.loading import load_dataset
from pipeline.version import Changes, link_notice, read_release, release_problems
from tests.conftest import EVENTS, SHIPPED_EVENTS, VALID_FILES, run_cli, write_files
from tests.versioned import write_versioned


def events_file(events_dir: Path) -> Path:
    return events_dir / "timeline" / "events.yaml"


def problems(events_dir: Path) -> list[str]:
    dataset = load_dataset(events_dir)
    return [str(p) for p in release_problems(events_dir, dataset.hashes, "events")]


def test_shipped_data_is_a_released_version() -> None:
    version = load_dataset(SHIPPED_EVENTS).version
    assert version.state == "released", version.in_words()
    assert release_problems(SHIPPED_EVENTS, load_dataset(SHIPPED_EVENTS).hashes, "events") == []


def test_the_hash_ignores_layout_and_sees_every_value(tmp_path: Path) -> None:
    base = load_dataset(write_files(tmp_path / "a", dict(VALID_FILES))).hashes
    # The same records, reformatted, commented and split into two files in another order.
    first, second = EVENTS.split("  - id: ctx-1975-approx")
    moved = {
        **VALID_FILES,
        "timeline/z.yaml": "# a comment\n" + first.replace("    ", "      ").replace("  - ", "    - "),
        "timeline/events.yaml": "events:\n  - id: ctx-1975-approx" + second,
    }
    assert load_dataset(write_files(tmp_path / "b", moved)).hashes == base
    edited = {**VALID_FILES, "timeline/events.yaml": EVENTS.replace("About 1975.", "About 1976.")}
    changed = load_dataset(write_files(tmp_path / "c", edited)).hashes
    assert changed.content_hash != base.content_hash
    assert {k for k in base.events if base.events[k] != changed.events[k]} == {"ctx-1975-approx"}
    # A source's registry entry belongs to each event citing it.
    retitled = {**VALID_FILES, "sources.yaml": VALID_FILES["sources.yaml"].replace("Second source", "2nd source")}
    cited = load_dataset(write_files(tmp_path / "d", retitled)).hashes
    assert {k for k in base.events if base.events[k] != cited.events[k]} == {"khm-prk-1965-visit", "ctx-1975-approx"}


def test_a_released_dataset_validates(tmp_path: Path) -> None:
    events_dir = write_versioned(tmp_path / "events")
    assert problems(events_dir) == []
    result = run_cli("validate", "--events", str(events_dir))
    assert result.returncode == 0 and b"data version 1.1.0, released 2026-11-15" in result.stdout


def test_a_change_without_a_version_bump_is_an_error(tmp_path: Path) -> None:
    events_dir = write_versioned(tmp_path / "events")
    path = events_file(events_dir)
    path.write_text(
        path.read_text()
        .replace("He went in 1965.", "He went in 1965, by train.")
        .replace("  - id: ctx-1975-approx", "  - id: ctx-1975-approx-renamed")
    )
    result = run_cli("validate", "--events", str(events_dir))
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr
    assert (
        f"{events_dir}/release.json:1: content_hash: the data changed since version 1.1.0 (released 2026-11-15) "
        "without a version bump: 1 event added, 1 changed, 1 removed (added: ctx-1975-approx-renamed; changed: "
        "khm-prk-1965-visit; removed: ctx-1975-approx) (expected a new version: run `python -m pipeline release "
        '--bump minor --summary "what and why"`'
    ) in stderr


def test_other_records_changing_is_named_too(tmp_path: Path) -> None:
    events_dir = write_versioned(tmp_path / "events")
    (events_dir / "names.yaml").write_text(VALID_FILES["names.yaml"].replace("[Sihanouk]", "[Sihanouk, Samdech]"))
    (found,) = problems(events_dir)
    assert "0 events added, 0 changed, 0 removed; names changed too" in found


def test_a_hand_edited_changelog_is_an_error(tmp_path: Path) -> None:
    events_dir = write_versioned(tmp_path / "events")
    changelog = events_dir / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("One new event", "Two new events"))
    (found,) = problems(events_dir)
    assert found.startswith("events/CHANGELOG.md:14: (file): does not match release.json")
    assert cli(["release", "--events", str(events_dir), "--changelog"]) == 0
    assert problems(events_dir) == []


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda data: data.update(version="9.9.9"), "version: '9.9.9' differs from the newest history entry"),
        (lambda data: data["history"].reverse(), "history[0].version: 1.0.0 is not above 1.1.0"),
        (lambda data: data["history"][0].update(released="soon"), "history[0].released: 'soon' is not a date"),
        (lambda data: data.pop("event_hashes"), "event_hashes: missing"),
    ],
)
def test_a_broken_release_record_is_reported(tmp_path: Path, edit: object, fragment: str) -> None:
    events_dir = write_versioned(tmp_path / "events")
    path = events_dir / "release.json"
    data = json.loads(path.read_text())
    edit(data)  # type: ignore[operator]
    path.write_text(json.dumps(data))
    (found,) = problems(events_dir)
    assert found.startswith("events/release.json:1: ") and fragment in found, found
    assert run_cli("validate", "--events", str(events_dir)).returncode == 1


def test_unversioned_datasets_validate_and_say_so(tmp_path: Path) -> None:
    events_dir = write_files(tmp_path / "events", dict(VALID_FILES))
    version = load_dataset(events_dir).version
    assert version.state == "unversioned" and version.label.startswith("unversioned+")
    assert problems(events_dir) == []


def test_release_command_records_what_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events_dir = write_versioned(tmp_path / "events")
    release = read_release(events_dir)
    assert not isinstance(release, Exception) and release is not None
    assert [entry.version for entry in release.history] == ["1.1.0", "1.0.0"]
    assert release.current.added == ("khm-prk-2016-05-visit",)
    assert release.current.changed == ("khm-kor-1997-10-30-ties",)
    changelog = (events_dir / "CHANGELOG.md").read_text()
    assert "## 1.1.0 — 2026-11-15\n\nOne new event; one summary corrected.\n" in changelog
    assert "  - `khm-kor-1997-10-30-ties`: the summary now says how long relations were severed" in changelog
    # Nothing changed: no release.
    capsys.readouterr()
    assert cli(["release", "--events", str(events_dir), "--bump", "patch", "--summary", "x"]) == 1
    assert "nothing changed since version 1.1.0" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--bump", "minor"], "--summary TEXT is required"),
        (["--version", "1.0.5", "--summary", "s"], "not above the current version 1.1.0"),
        (["--version", "two", "--summary", "s"], "expected MAJOR.MINOR.PATCH"),
        (["--bump", "minor", "--summary", "s", "--why", "khm-prk-1965-visit=x"], "did not change"),
        (["--bump", "minor", "--summary", "s", "--why", "no-equals"], "expected EVENT-ID=TEXT"),
        (["--bump", "minor", "--summary", "s", "--date", "2026-01-01"], "before the release of 1.1.0"),
    ],
)
def test_release_command_refuses_bad_requests(
    tmp_path: Path, args: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    events_dir = write_versioned(tmp_path / "events")
    path = events_file(events_dir)
    path.write_text(path.read_text().replace("About 1975.", "About 1975 (corrected)."))
    before = (events_dir / "release.json").read_bytes()
    capsys.readouterr()
    assert cli(["release", "--events", str(events_dir), *args]) == 2
    assert fragment in capsys.readouterr().err
    assert (events_dir / "release.json").read_bytes() == before


def test_patch_release_after_a_correction(tmp_path: Path) -> None:
    events_dir = write_versioned(tmp_path / "events")
    path = events_file(events_dir)
    path.write_text(path.read_text().replace("About 1975.", "About 1975 (corrected)."))
    assert problems(events_dir)
    assert (
        cli(
            [
                "release",
                "--events",
                str(events_dir),
                "--bump",
                "patch",
                "--summary",
                "Quote corrected.",
                "--date",
                "2026-11-20",
            ]
        )
        == 0
    )
    assert problems(events_dir) == []
    assert load_dataset(events_dir).version.label == "1.1.1"


def test_changes_since_an_old_version_are_net(tmp_path: Path) -> None:
    events_dir = write_versioned(tmp_path / "events")
    path = events_file(events_dir)
    text = path.read_text()
    # 1.2.0: the new event is removed again and another changes.
    path.write_text(text[: text.index("  - id: khm-prk-2016-05-visit")].replace("About 1975.", "About 1975!"))
    assert (
        cli(["release", "--events", str(events_dir), "--bump", "minor", "--summary", "s", "--date", "2026-11-30"]) == 0
    )
    release = read_release(events_dir)
    assert not isinstance(release, Exception) and release is not None
    assert release.changes_since("1.0.0") == Changes((), ("ctx-1975-approx", "khm-kor-1997-10-30-ties"), ())
    assert release.changes_since("1.1.0") == Changes((), ("ctx-1975-approx",), ("khm-prk-2016-05-visit",))
    assert release.changes_since("1.2.0") == Changes()
    assert release.changes_since("0.9.0") is None


def test_link_notices(tmp_path: Path) -> None:
    events_dir = write_versioned(tmp_path / "events")
    version = load_dataset(events_dir).version
    assert link_notice(None, version) is None
    assert link_notice("1.1.0", version) is None
    older = link_notice("1.0.0", version, ["khm-prk-2016-05-visit", "khm-prk-1965-visit"])
    assert older is not None and older.kind == "older"
    assert older.message == (
        "This link was made with data version 1.0.0 (released 2026-01-15); since then 1 event "
        "added, 1 changed, 0 removed, up to version 1.1.0. In this view, added: "
        "khm-prk-2016-05-visit."
    )
    whole = link_notice("1.0.0", version)
    assert (
        whole is not None
        and "Affected, added: khm-prk-2016-05-visit; changed: khm-kor-1997-10-30-ties." in whole.message
    )
    for unknown in ("7.0.0", "banana", "<script>"):
        notice = link_notice(unknown, version)
        assert notice is not None and notice.kind == "unknown" and "which this site does not know" in notice.message
        assert "<script>" not in notice.message


def test_unversioned_data_treats_every_linked_version_as_unknown(tmp_path: Path) -> None:
    version = load_dataset(write_files(tmp_path / "events", dict(VALID_FILES))).version
    assert link_notice(version.label, version) is None
    notice = link_notice("1.0.0", version)
    assert notice is not None and notice.kind == "unknown" and "showing unversioned data" in notice.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"version": "1.0.0",\n  "history": [}', "events/release.json:2: (json): not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "events/release.json:1: (json): nested too deeply"),
        ("\udcff".encode("utf-8", "surrogateescape").decode("latin-1"), "events/release.json:1: (json): not valid"),
        ('"a string"', "events/release.json:1: (file): is not a JSON object"),
    ],
)
def test_a_hostile_release_file_is_one_located_problem(tmp_path: Path, text: str, expected: str) -> None:
    events_dir = write_files(tmp_path / "events", dict(VALID_FILES))
    (events_dir / "release.json").write_text(text, encoding="utf-8")
    (found,) = problems(events_dir)
    assert found.startswith(expected), found
    result = run_cli("validate", "--events", str(events_dir))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
