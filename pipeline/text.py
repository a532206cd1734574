"""Showing data text safely: Markdown shown literally, links only to http(s)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Every character Markdown (and Streamlit's extensions: :emoji:, $math$, :colour[...]) may act on.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")


def markdown_literal(text: str) -> str:
    """Backslash-escape Markdown so data shows as the literal characters it contains."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split("\n")))


def safe_http_url(url: object) -> str | None:
    """The URL if it is a plain http(s) link with a host, else None (no javascript:, data:, …)."""
    if not isinstance(url, str) or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url
