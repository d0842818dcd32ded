"""Database URLs as the user types them: which one is meant (`resolve_url`: --db, else
$CONFERENCE_REPORTS_DB), and the one place that masks secrets and refuses ambiguous ones.

SQLAlchemy and libpq accept a password in three places: the userinfo (`u:secret@host`, raw or
percent-encoded) and the `password` and `sslpassword` query parameters. `mask_url` hides all three;
`check_url` refuses a userinfo whose password holds an unencoded `@`, `:` or `/`, since no parser
can tell where such a password ends (and a mask would leak its tail).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from ..errors import ConnectionFailed

MASK = "***"
SECRET_PARAMS = frozenset({"password", "sslpassword"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")


def _split(url: str) -> tuple[str, str, str, str] | None:
    """(scheme://, userinfo, rest of the address, ?query) of a URL with a scheme; None without one."""
    match = _SCHEME.match(url)
    if match is None:
        return None
    head, tail = match.group(0), url[match.end():]
    address, mark, query = tail.partition("?")
    userinfo, at, host = address.rpartition("@")
    if not at:
        userinfo, host = "", address
    return head, userinfo, host, mark + query


def _masked_query(query: str) -> str:
    if not query:
        return ""
    pairs = []
    for pair in query[1:].split("&"):
        key, eq, _value = pair.partition("=")
        pairs.append(f"{key}={MASK}" if eq and unquote(key).lower() in SECRET_PARAMS else pair)
    return "?" + "&".join(pairs)


def mask_url(url: str) -> str:
    """The URL with every password form replaced by ***; text without a scheme is returned as is."""
    parts = _split(url)
    if parts is None:
        return url
    head, userinfo, host, query = parts
    if userinfo:
        user, colon, _password = userinfo.partition(":")
        userinfo = f"{user}:{MASK}@" if colon else f"{user}@"
    return f"{head}{userinfo}{host}{_masked_query(query)}"


def display_url(url: str) -> str:
    """How messages name a database: a SQLite file by its path, anything else as its masked URL."""
    if url.startswith("sqlite:///") and "?" not in url:
        return url[len("sqlite:///"):] or url
    return mask_url(url)


def describe_source(url: str) -> str:
    """How pages name their data source: a SQLite file by its name alone (no local path), any other
    database by its masked URL."""
    if url.startswith("sqlite:///") and "?" not in url:
        name = url.rstrip("/").rsplit("/", 1)[-1]
        return f"{name} (SQLite)"
    return mask_url(url)


def secrets_in(url: str) -> list[str]:
    """Every password value the URL carries, raw and decoded (to scrub them from driver messages)."""
    parts = _split(url)
    if parts is None:
        return []
    _, userinfo, _, query = parts
    found = []
    if ":" in userinfo:
        found.append(userinfo.partition(":")[2])
    for pair in query[1:].split("&") if query else []:
        key, eq, value = pair.partition("=")
        if eq and unquote(key).lower() in SECRET_PARAMS:
            found.append(value)
    return [s for raw in found if raw for s in {raw, unquote(raw)}]


def scrub(text: str, url: str) -> str:
    """`text` with any secret of `url` replaced by ***."""
    for secret in sorted(secrets_in(url), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def check_url(url: str) -> None:
    """Refuse a network URL whose userinfo is ambiguous: an unencoded `@`, `:` or `/` in it."""
    match = _SCHEME.match(url)
    if match is None or match.group(1).lower().startswith("sqlite"):
        return
    address = url[match.end():].partition("?")[0]
    if "@" not in address:
        return
    userinfo = address.rpartition("@")[0]
    if "@" in userinfo or userinfo.count(":") > 1 or "/" in userinfo:
        user = re.split(r"[:@/]", userinfo, maxsplit=1)[0]
        raise ConnectionFailed(
            f"the user name or password in the database URL for user {user!r} holds an unencoded "
            "'@', ':' or '/': percent-encode them (@ as %40, : as %3A, / as %2F)"
        )


ENV_VAR = "CONFERENCE_REPORTS_DB"


def sqlite_url(path: str | os.PathLike[str]) -> str:
    """The SQLAlchemy URL of a SQLite file path (made absolute)."""
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def resolve_url(url: str | None) -> str | None:
    """--db value, else $CONFERENCE_REPORTS_DB, else None (the caller picks a default).

    An empty --db or an empty variable is an error naming where it came from.
    """
    if url is not None:
        chosen, origin = url, "--db"
    elif ENV_VAR in os.environ:
        chosen, origin = os.environ[ENV_VAR], f"${ENV_VAR}"
    else:
        return None
    if not chosen.strip():
        raise ConnectionFailed(f"{origin} is empty: give a database URL or a SQLite file path")
    check_url(chosen)
    return chosen if "://" in chosen else sqlite_url(chosen)
