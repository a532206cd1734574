"""Text safety in one place: which characters data may hold, how data text is shown in
messages and on the page, and how names are compared.

* `FORBIDDEN` — control characters (C0 but tab/LF/CR, DEL, C1), invisible format
  characters (Unicode category Cf: bidi overrides and isolates, zero-width spaces and
  joiners, the BOM, soft hyphen, …) and the line/paragraph separators U+2028/U+2029.
  No events file may contain them, written or produced by a YAML escape.
* `for_message` — data text made safe for a one-line terminal message.
* `markdown_literal` — data text shown as the literal characters it holds on the page.
* `name_key` — the form names and aliases are compared in (NFKC, confusables folded, case folded).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# Category Cf, Zl and Zp as of Unicode 14 (Python 3.11), plus the Unicode 15 additions
# (Egyptian hieroglyph format controls); tests/test_text.py checks this against unicodedata.
_FORMAT_RANGES = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)  # fmt: skip
_FORMAT_CLASS = "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _FORMAT_RANGES)
FORBIDDEN = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_FORMAT_CLASS}]")
# What `for_message` escapes: the forbidden characters and every line break or tab.
_UNPRINTABLE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_FORMAT_CLASS}]")


_ASCII_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_forbidden(text: str) -> bool:
    """Whether `text` holds a forbidden character; fast on long text: the full class is only
    tried on each distinct non-ASCII character."""
    if _ASCII_FORBIDDEN.search(text):
        return True
    if text.isascii():
        return False
    return any(FORBIDDEN.match(char) for char in set(text) if ord(char) > 0x7E)


def describe_char(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def forbidden_char(text: str) -> str | None:
    """The first character `text` may not hold, if any."""
    found = FORBIDDEN.search(text)
    return found.group() if found else None


def for_message(text: object, limit: int = 200) -> str:
    """Text from data (or a file name) for a one-line message: controls, line breaks and
    invisible format characters shown as escapes, at most `limit` characters."""
    shown = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def quoted(text: object) -> str:
    """repr-like quoting for messages, escaped by `for_message`: 'Hun Sen'."""
    return "'" + for_message(text).replace("'", "\\'") + "'"


# ---------------------------------------------------------------- names

# Letters of other scripts that look like Latin ones (after NFKC), folded to the Latin
# letter: the Cyrillic, Greek and Armenian homoglyphs of Unicode's confusables list that
# a Latin name could be spelled with.
_CONFUSABLE_PAIRS = (
    "аa сc еe һh іi јj ӏl оo рp ԛq ѕs ԝw хx уy ԁd"  # Cyrillic small
    " АA ВB СC ЕE НH ІI ЈJ КK МM ОO РP ЅS ТT ХX УY ҮY ԚQ ԜW"  # Cyrillic capital
    " αa οo ρp νv ιi κk υu ϲc ϳj"  # Greek small
    " ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX ϹC"  # Greek capital
    " օo սu հh ոn ցg"  # Armenian
)
_CONFUSABLES = {pair[0]: pair[1] for pair in _CONFUSABLE_PAIRS.split()}
_FOLD = str.maketrans(_CONFUSABLES)


def name_key(name: str) -> str:
    """The comparison form of a name: NFKC, confusable letters folded to Latin, case folded,
    marks and spacing kept. Two names with the same key are one name to a reader."""
    return " ".join(unicodedata.normalize("NFKC", name).translate(_FOLD).casefold().split())


def confusable_difference(name: str, other: str) -> str:
    """Why two different spellings with one `name_key` differ: the first differing character."""
    if unicodedata.normalize("NFKC", name) == unicodedata.normalize("NFKC", other):
        return "they differ only in Unicode normalization"
    for mine, theirs in zip(name, other, strict=False):
        if mine != theirs:
            return f"{describe_char(mine)} where the other has {describe_char(theirs)}"
    return "they differ in spacing or case"


# ---------------------------------------------------------------- the page

# Every character Markdown (and Streamlit's extensions: :emoji:, $math$, :colour[...]) may act on.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")
# What GitHub-flavoured Markdown turns into links by itself (remark's autolink-literal runs
# on the parsed text, after backslash escapes are resolved, so escaping cannot stop it):
# 'http://' / 'https://' / 'www.' and an '@' between word characters. A WORD JOINER
# (U+2060, invisible, never in data: see FORBIDDEN) breaks each pattern.
_AUTOLINK_TRIGGERS = re.compile(r"(?i)(?<=http)(?=s?://)|(?<=www)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def markdown_literal(text: str) -> str:
    """Backslash-escape Markdown and break autolinks, so data shows as the literal characters it holds."""
    flat = " ".join(str(text).split("\n"))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK_TRIGGERS.sub(WORD_JOINER, flat))


def safe_http_url(url: object) -> str | None:
    """The URL if it is a plain http(s) link with a host, else None (no javascript:, data:, …)."""
    if not isinstance(url, str) or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url
