"""Dependency audit against PyPI's advisory data for every pinned package in constraints.txt.

Why not plain `pip-audit` here: it asks PyPI for `/pypi/<name>/<version>/json`, which the
package mirror these machines reach does not serve, so it silently skips every package and
still reports "No known vulnerabilities found". This asks the same PyPI advisory data
(the `vulnerabilities` field, fed by the PyPA advisory database / OSV) through
`/pypi/<name>/json` when the pin is the latest release, and through the versioned URL
otherwise. Exit 1 when a pinned version has a known advisory. A pin that can be checked
neither way (not the latest release, versioned API unavailable) is listed as unaudited: a
warning, not a failure, since a new upstream release must not break the build by itself.
Streamlit, the one dependency that faces readers, must then at least be at or above
STREAMLIT_FLOOR, the release that fixed the last advisory published for it that we know of.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYPI = "https://pypi.org/pypi"
# Streamlit advisories known to us: CVE-2022-35918 and CVE-2023-27494 (fixed 1.11.1),
# CVE-2024-42474 (fixed 1.37.0), and the file-uploader type-check bypass (fixed 1.43.2).
STREAMLIT_FLOOR = (1, 43, 2)
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;#]+)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(constraints: Path) -> dict[str, str]:
    found = {}
    for line in constraints.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            found[normalized(match.group(1))] = match.group(2)
    return found


def direct_dependencies(pyproject: Path) -> set[str]:
    project = tomllib.loads(pyproject.read_text())["project"]
    names = list(project["dependencies"]) + [
        d for extra in project.get("optional-dependencies", {}).values() for d in extra
    ]
    return {normalized(re.split(r"[<>=!~\[; ]", name, maxsplit=1)[0]) for name in names}


def fetch(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - fixed https URL
            data: dict[str, Any] = json.loads(response.read())
            return data
    except (urllib.error.URLError, TimeoutError, ValueError):
        return None


def advisories(name: str, version: str) -> tuple[str, list[dict[str, Any]]]:
    """('ok'|'unaudited', advisories affecting this exact version)."""
    latest = fetch(f"{PYPI}/{name}/json")
    if latest and latest.get("info", {}).get("version") == version:
        return "ok", list(latest.get("vulnerabilities") or [])
    exact = fetch(f"{PYPI}/{name}/{version}/json")
    if exact is not None:
        return "ok", list(exact.get("vulnerabilities") or [])
    return "unaudited", []


def main() -> int:
    pinned = pins(ROOT / "constraints.txt")
    direct = direct_dependencies(ROOT / "pyproject.toml")
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = dict(zip(pinned, pool.map(lambda item: advisories(*item), pinned.items()), strict=True))
    failures = 0
    unaudited = []
    for name, (status, found) in sorted(results.items()):
        if found:
            failures += 1
            for advisory in found:
                print(f"VULNERABLE {name}=={pinned[name]}: {advisory.get('id')} fixed in {advisory.get('fixed_in')}")
        elif status == "unaudited":
            unaudited.append(name)
    audited = len(pinned) - len(unaudited)
    print(
        f"audited {audited} of {len(pinned)} pinned packages against PyPI advisories; "
        f"{failures} with known vulnerabilities"
    )
    if unaudited:
        print(
            "not auditable from here (pin is not the latest release and the versioned API is unavailable): "
            + ", ".join(unaudited)
        )
    missing_direct = sorted(direct & set(unaudited))
    if missing_direct:
        print("warning: direct dependencies not audited: " + ", ".join(missing_direct))
    streamlit_version = tuple(int(part) for part in re.findall(r"\d+", pinned.get("streamlit", "0"))[:3])
    if streamlit_version < STREAMLIT_FLOOR:
        print(
            f"streamlit {pinned.get('streamlit')} is below {'.'.join(map(str, STREAMLIT_FLOOR))}, "
            "which fixed its last known advisory",
            file=sys.stderr,
        )
        return 1
    if "streamlit" in unaudited:
        print("warning: streamlit not audited online; the pin is above the last known advisory's fix")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
