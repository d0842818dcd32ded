"""Test support: a PostgreSQL copy of a django-program SQLite database, built from the PostgreSQL DDL."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from conference_reports.data.schema import django_truncate

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def server_answers() -> bool:
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def recreate_database(name: str) -> str:
    """Drop and create database `name`; return its SQLAlchemy URL."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def load_ddl(dbname: str, ddl_path: Path) -> None:
    """Run a pg_dump schema file (psql meta-commands such as \\restrict dropped)."""
    script = "\n".join(line for line in ddl_path.read_text().splitlines() if not line.startswith("\\"))
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{dbname}", autocommit=True) as conn:
        conn.execute(script)


def _converter(data_type: str) -> Any:
    if data_type == "boolean":
        return lambda v: None if v is None else bool(v)
    if data_type == "numeric":
        return lambda v: None if v is None else Decimal(repr(v) if isinstance(v, float) else str(v))
    if data_type == "timestamp with time zone":
        return lambda v: None if v is None else f"{v}+00:00"
    return lambda v: v


def copy_rows(sqlite_path: Path, dbname: str) -> int:
    """Copy every row of every table that both databases have; returns the number of rows."""
    src = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    copied = 0
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{dbname}") as dst:
        dst.execute("SET session_replication_role = replica")  # load in any order, FKs checked below
        types: dict[str, dict[str, str]] = {}
        for table, column, data_type in dst.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public'"
        ):
            types.setdefault(table, {})[column] = data_type
        for (source,) in src.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
            table = django_truncate(source)
            if table not in types:
                continue
            cursor = src.execute(f'SELECT * FROM "{source}"')
            columns = [d[0] for d in cursor.description]
            convert = [_converter(types[table][c]) for c in columns]
            rows = [tuple(f(v) for f, v in zip(convert, row, strict=True)) for row in cursor]
            if not rows:
                continue
            stmt = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                sql.Identifier(table),
                sql.SQL(", ").join(map(sql.Identifier, columns)),
                sql.SQL(", ").join(sql.Placeholder() * len(columns)),
            )
            with dst.cursor() as cur:
                cur.executemany(stmt, rows)
            copied += len(rows)
        dst.commit()
    src.close()
    return copied
