"""Provenance rules: which hosts may be cited, how a page relates to the work it carries,
translations beside non-English quotes, and an original publisher behind every event.

The host rules are data (`events/hosts.yaml`); this module applies them. Every function is
pure: records and their origins in, problems out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pipeline.problems import Problem
from pipeline.schema import (
    ACCESS_FOR_ROLE,
    ACCESS_LABELS,
    ELLIPSES,
    LANGUAGE_CODES,
    ORIGINAL_FIELDS,
    READER_LANGUAGE,
    SOURCE_KIND_LABELS,
    Access,
    Citation,
    HostRecord,
    HostRole,
    SourceKind,
    SourceRecord,
)

if TYPE_CHECKING:
    from pipeline.validate import Origin, Report

HOSTS_FILE = "events/hosts.yaml"


def host_of(url: str) -> str:
    """The lower-case host of a URL, without a trailing dot ('' when there is none)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def matching_host(url: str, hosts: Mapping[str, HostRecord]) -> HostRecord | None:
    """The most specific hosts.yaml entry for a URL: its host, else the nearest parent domain."""
    labels = host_of(url).split(".")
    for start in range(len(labels) - 1):
        entry = hosts.get(".".join(labels[start:]))
        if entry is not None:
            return entry
    return None


def is_original(source: SourceRecord, hosts: Mapping[str, HostRecord]) -> bool:
    """The publisher's own page on an original publisher's host."""
    entry = matching_host(source.url, hosts)
    return source.access is Access.ORIGINAL and entry is not None and entry.role is HostRole.ORIGINAL


def _url_problems(
    url: str,
    field: str,
    origin: Origin,
    hosts: Mapping[str, HostRecord],
    report: Report,
    *,
    allowed: tuple[HostRole, ...],
) -> list[Problem]:
    entry = matching_host(url, hosts)
    host = host_of(url)
    if entry is None:
        return [
            report.at(
                origin,
                (field,),
                f"host {host!r} is not in {HOSTS_FILE}",
                f"a host listed in {HOSTS_FILE} with its role (original, reference, repost, mirror)",
            )
        ]
    if entry.role is HostRole.WEAK:
        why = f" ({entry.note})" if entry.note else ""
        return [
            report.at(
                origin,
                (field,),
                f"{host!r} is a weak host{why} and may never be cited",
                "the original publisher's page",
            )
        ]
    if entry.role not in allowed:
        return [
            report.at(
                origin,
                (field,),
                f"{host!r} is a {entry.role.value} host",
                "a host of role " + " or ".join(role.value for role in allowed),
            )
        ]
    return []


def source_problems(
    source: SourceRecord, origin: Origin, hosts: Mapping[str, HostRecord], report: Report
) -> list[Problem]:
    """A source's host, access, original-work fields, language and archive link."""
    citable = (HostRole.ORIGINAL, HostRole.REFERENCE, HostRole.REPOST, HostRole.MIRROR)
    problems = _url_problems(source.url, "url", origin, hosts, report, allowed=citable)
    entry = matching_host(source.url, hosts)
    if not problems and entry is not None and source.access.value not in ACCESS_FOR_ROLE[entry.role]:
        problems.append(
            report.at(
                origin,
                ("access",),
                f"access {source.access.value!r} contradicts {host_of(source.url)!r}, a {entry.role.value} host in "
                f"{HOSTS_FILE}",
                "access " + " or ".join(ACCESS_FOR_ROLE[entry.role]),
            )
        )
    missing = [name for name in ORIGINAL_FIELDS if getattr(source, name) is None]
    if source.access is not Access.ORIGINAL and missing:
        problems.append(
            report.at(
                origin,
                (),
                f"missing {', '.join(missing)} for a {source.access.value}",
                f"{', '.join(ORIGINAL_FIELDS)} naming the work this page republishes",
            )
        )
    if source.original_url is not None:
        problems += _url_problems(
            source.original_url,
            "original_url",
            origin,
            hosts,
            report,
            allowed=(HostRole.ORIGINAL, HostRole.REFERENCE),
        )
    if source.archived_url is not None:
        problems += _url_problems(
            source.archived_url, "archived_url", origin, hosts, report, allowed=(HostRole.MIRROR,)
        )
    if source.language not in LANGUAGE_CODES:
        problems.append(
            report.at(
                origin,
                ("language",),
                f"unknown language code {source.language!r}",
                "an ISO 639-1 code such as en, km, ko, fr",
            )
        )
    return problems


def citation_problems(
    citations: Iterable[Citation], origin: Origin, sources: Mapping[str, SourceRecord], report: Report
) -> list[Problem]:
    """Each quote a single verbatim passage, with an English translation when the page is not in English."""
    problems = []
    for position, citation in enumerate(citations):
        if any(mark in citation.quote for mark in ELLIPSES):
            problems.append(
                report.at(
                    origin,
                    ("sources", position, "quote"),
                    "quote contains an ellipsis",
                    "one verbatim passage per quote (cite the source again for another)",
                )
            )
        source = sources.get(citation.id)
        if source is not None and source.language != READER_LANGUAGE and citation.translation is None:
            problems.append(
                report.at(
                    origin,
                    ("sources", position),
                    f"quote from a {source.language!r} source has no translation",
                    "an English `translation` beside the verbatim quote",
                )
            )
    return problems


def original_problems(
    citations: Sequence[Citation],
    provenance_note: str | None,
    origin: Origin,
    *,
    sources: Mapping[str, SourceRecord],
    hosts: Mapping[str, HostRecord],
    report: Report,
) -> list[Problem]:
    """An event rests on at least one original publisher's page, or says why not."""
    if provenance_note is not None:
        return []
    cited = [sources[citation.id] for citation in citations if citation.id in sources]
    if len(cited) < len(citations) or any(is_original(source, hosts) for source in cited):
        return []  # unknown sources are reported elsewhere
    return [
        report.at(
            origin,
            ("sources",),
            "no source is an original publisher's own page",
            "a source with access: original on an original host, or a provenance_note saying why no "
            "original exists and what was searched",
        )
    ]


def host_problems(hosts: Iterable[tuple[HostRecord, Origin]], report: Report) -> list[Problem]:
    """Each host listed once."""
    seen: dict[str, Origin] = {}
    problems = []
    for record, origin in hosts:
        first = seen.setdefault(record.host, origin)
        if first is not origin:
            first_line = report.line(first, "host")
            problems.append(
                report.at(
                    origin,
                    ("host",),
                    f"duplicate host {record.host!r} (first at {first.file}:{first_line})",
                    "each host listed once",
                )
            )
    return problems


def source_provenance_line(source: Mapping[str, Any]) -> str:
    """'news report · repost of “Title”, Publisher, 2011-12-20 · in Korean (ko)' for one exported source dict."""
    parts = [SOURCE_KIND_LABELS[SourceKind(source["kind"])]]
    if source["access"] == Access.ORIGINAL:
        parts.append("original publisher's page" if source["is_original"] else "reference work")
    else:
        work = ", ".join(
            text
            for text in (f"“{source['original_title']}”", source["original_publisher"], source["original_date"])
            if text and text != "“”"
        )
        parts.append(f"{ACCESS_LABELS[Access(source['access'])]} of {work}")
    parts.append(f"language: {source['language']}")
    return " · ".join(parts)
