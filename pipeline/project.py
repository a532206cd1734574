"""Who and what the project is: the names, licences and address that exports and citations state."""

from __future__ import annotations

import os
from typing import Final

PACKAGE_NAME: Final = "khm-korea-events"  # the data package's `name`, and the start of every export's file name
TITLE: Final = "Cambodia and the two Koreas, 1964–2026: a cited timeline of events"
SHORT_TITLE: Final = "Cambodia–Korea relations timeline"
AUTHOR: Final = "Cambodia–Korea Relations Timeline project"  # a group author, as APA and CSL write one
DESCRIPTION: Final = (
    "Cited events in Cambodia's relations with North Korea (DPRK) and South Korea (ROK), "
    "1964–2026, each with its sources and a short verbatim quote from each."
)

# The address of the running dashboard. A deployment sets it; the dashboard itself uses the
# address its reader sees, the command line (data packages, citations) uses this one.
SITE_URL_ENV: Final = "KHM_KOREA_SITE_URL"
DEFAULT_SITE_URL: Final = "http://localhost:8501/"

CODE_LICENSE: Final = {"name": "MIT", "title": "MIT License", "path": "https://opensource.org/license/mit"}
DATA_LICENSE: Final = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
DATA_LICENSE_STATEMENT: Final = (
    "The project's own text and structure (event titles, summaries, notes, codes, dates as coded, the "
    "registries) are licensed under CC BY 4.0: share and adapt them, citing this project and its data "
    "version. The quotes are short verbatim excerpts from the cited publications, reproduced to support "
    "each claim; they remain under their publishers' copyright, as do the publications' titles, and are "
    "not covered by this licence."
)
REPORT_ERRORS: Final = (
    "Report an error, a missing event or a better source through the project's issue "
    "tracker, naming the event id (shown in every export and in the link's `event=`) and "
    "the source that supports the correction."
)


def site_url() -> str:
    """The site address for links made outside the dashboard, always ending in '/'."""
    url = os.environ.get(SITE_URL_ENV, "").strip() or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"
