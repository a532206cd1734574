"""The Frictionless Data Package: valid by the `frictionless` library, metadata naming the view, tables
generated from the schema, the codebook covering every value and column."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from pipeline import codebook
from pipeline.citation import permalink, view_state_for
from pipeline.export import to_csv_bytes
from pipeline.filters import filter_events, make_filter
from pipeline.lists import split_list
from pipeline.loading import Dataset, load_dataset
from pipeline.package import RESOURCE_FILES, PackageInput, package_bytes, table_schemas
from pipeline.schema import Access, Category, Dyad, Precision, Quad, SourceKind
from tests.conftest import SHIPPED_EVENTS, run_cli
from tests.versioned import write_versioned

CREATED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(write_versioned(tmp_path_factory.mktemp("package") / "events"), today=TODAY)


def build(dataset: Dataset, **filters: object) -> bytes:
    flt = make_filter(**filters, names=dataset.names, today=TODAY)  # type: ignore[arg-type]
    link = permalink("https://example.org/", view_state_for(flt), dataset.version)
    return package_bytes(PackageInput(dataset, filter_events(dataset.events, flt), flt, dataset.version, link, CREATED))


def unpack(payload: bytes, target: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        assert sorted(archive.namelist()) == sorted(["datapackage.json", "README.md", *RESOURCE_FILES])
        archive.extractall(target)
    return target / "datapackage.json"


def validate(descriptor: Path) -> frictionless.Report:
    return frictionless.validate(str(descriptor))


def test_package_validates_and_names_the_view(dataset: Dataset, tmp_path: Path) -> None:
    descriptor = unpack(build(dataset, dyads=["KHM-PRK"], date_from="2016"), tmp_path)
    report = validate(descriptor)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    meta = json.loads(descriptor.read_text())
    assert meta["name"] == "khm-korea-events" and meta["version"] == "1.1.0"
    assert meta["created"] == "2026-12-01T09:30:00+00:00"
    assert meta["licenses"][0]["name"] == "CC-BY-4.0" and "publishers' copyright" in meta["license_statement"]
    assert meta["filters"]["lanes"] == ["KHM-PRK"] and meta["filters"]["from"] == "2016-01-01"
    assert meta["filters"]["in_words"] == "lanes: Cambodia–North Korea; dates: 2016 to …"
    assert meta["permalink"] == "https://example.org/?lane=KHM-PRK&from=2016&v=1.1.0"
    assert "(Version 1.1.0)" in meta["citation"]["text"] and meta["citation"]["csl"]["version"] == "1.1.0"
    assert meta["data_version"]["content_hash"] == dataset.version.content_hash
    assert {s["path"] for s in meta["sources"]} == {"https://example.org/one", "https://example.org/two"}
    events = pd.read_csv(tmp_path / "events.csv", dtype=str, keep_default_na=False)
    assert list(events["id"]) == ["khm-prk-2016-05-visit"]
    readme = (tmp_path / "README.md").read_text()
    assert "lanes: Cambodia–North Korea; dates: 2016 to …" in readme and "1.1.0" in readme
    assert codebook.LIST_RULE in readme and "| `quad_label` |" in readme


def test_tables_hold_the_view(dataset: Dataset, tmp_path: Path) -> None:
    unpack(build(dataset), tmp_path)
    assert (tmp_path / "events.csv").read_bytes() == to_csv_bytes(dataset.events)
    long = pd.read_csv(tmp_path / "event_sources.csv", dtype=str, keep_default_na=False)
    assert len(long) == sum(len(s) for s in dataset.events["sources"])
    row = long[(long["event_id"] == "khm-prk-2016-05-visit") & (long["position"] == "2")].iloc[0]
    assert (row["source_id"], row["publisher"], row["kind"], row["quote"]) == (
        "src-two",
        "Example Archive",
        "archival_document",
        "Talks; more talks.",
    )
    assert {"access", "language", "archived_url", "original_url", "translation"} <= set(long.columns)
    sources = pd.read_csv(tmp_path / "sources.csv", dtype=str, keep_default_na=False)
    assert sorted(sources["id"]) == ["src-one", "src-two"]
    names = pd.read_csv(tmp_path / "names.csv", dtype=str, keep_default_na=False)
    assert split_list(names.set_index("name").loc["Kim Il Sung", "aliases"]) == ["Kim Il-sung"]
    periods = pd.read_csv(tmp_path / "periods.csv", dtype=str, keep_default_na=False)
    assert list(periods["lane_label"]) == ["Cambodia–South Korea"]


def test_frictionless_catches_a_broken_table(dataset: Dataset, tmp_path: Path) -> None:
    descriptor = unpack(build(dataset), tmp_path)
    events = (tmp_path / "events.csv").read_text(encoding="utf-8")
    (tmp_path / "events.csv").write_text(events.replace(",KHM-KOR,", ",KHM-JPN,", 1), encoding="utf-8")
    report = validate(descriptor)
    assert not report.valid
    assert any(error[3] == "dyad" for error in report.flatten(["type", "rowNumber", "note", "fieldName"]))


def test_empty_view_still_validates(dataset: Dataset, tmp_path: Path) -> None:
    descriptor = unpack(build(dataset, search="no such words"), tmp_path)
    assert validate(descriptor).valid
    assert json.loads(descriptor.read_text())["filters"]["events"] == 0


def test_same_inputs_give_the_same_bytes(dataset: Dataset) -> None:
    assert build(dataset, quads=["neutral"]) == build(dataset, quads=["neutral"])


def test_cli_package_of_the_shipped_data(tmp_path: Path) -> None:
    output = tmp_path / "x.zip"
    result = run_cli("package", "--dyad", "KHM-PRK", "--from", "2016", "-o", str(output), timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    descriptor = unpack(output.read_bytes(), tmp_path / "x")
    report = validate(descriptor)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    meta = json.loads(descriptor.read_text())
    shipped = load_dataset(SHIPPED_EVENTS)
    assert meta["version"] == shipped.version.label
    assert meta["filters"]["lanes"] == ["KHM-PRK"] and meta["filters"]["from"] == "2016-01-01"
    assert "lane=KHM-PRK" in meta["permalink"] and f"v={shipped.version.label}" in meta["permalink"]
    assert meta["citation"]["text"].startswith("Cambodia–Korea Relations Timeline project.")


@pytest.mark.parametrize(("name", "code"), [("x.csv", 2), ("-", 2), ("missing-folder/x.zip", 1), ("folder.zip", 1)])
def test_cli_package_refuses_bad_outputs(tmp_path: Path, name: str, code: int) -> None:
    (tmp_path / "folder.zip").mkdir()
    result = run_cli("package", "-o", name if name == "-" else str(tmp_path / name))
    assert result.returncode == code, result.stderr
    assert b"Traceback" not in result.stderr and result.stderr.count(b"\n") == 1
    assert [p.name for p in tmp_path.rglob("*")] == ["folder.zip"]


def test_the_codebook_covers_every_value_and_column() -> None:
    for meanings, values in (
        (codebook.DYAD_MEANINGS, Dyad),
        (codebook.CATEGORY_MEANINGS, Category),
        (codebook.QUAD_MEANINGS, Quad),
        (codebook.PRECISION_MEANINGS, Precision),
        (codebook.SOURCE_KIND_MEANINGS, SourceKind),
        (codebook.ACCESS_MEANINGS, Access),
    ):
        assert set(meanings) == set(values)
    for schema in table_schemas().values():
        for field in schema["fields"]:
            assert field["description"].strip(), field["name"]
    enums = {f["name"]: f["constraints"]["enum"] for f in table_schemas()["events"]["fields"] if "constraints" in f}
    assert enums["category"] == [c.value for c in Category] and enums["quad"] == [q.value for q in Quad]
