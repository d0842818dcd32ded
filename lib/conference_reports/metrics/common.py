"""Definitions shared by the metric modules, and the figures several metrics read (once per compute)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import BigInteger, Connection, Row, Select, case, cast, func, literal, null, select, union_all
from sqlalchemy.sql import ColumnElement

from ..data import schema as t
from ..data.conferences import Conference
from ..data.dialect import sum_cents
from .numbers import PAID, ZERO, pct, ratio  # noqa: F401  (the metric modules take them from here)
from .registry import shared


def whole_sum(column: Any) -> ColumnElement[Any]:
    """SUM of integers as an integer (PostgreSQL sums bigints as numeric)."""
    return cast(func.sum(column), BigInteger)


def absent(type_: Any) -> ColumnElement[Any]:
    """A typed NULL, for a column one part of `read_parts` lacks (PostgreSQL types UNION columns
    pairwise, and an untyped NULL there becomes text)."""
    return cast(null(), type_)


def read_parts(conn: Connection, parts: Mapping[str, Select[Any]]) -> dict[str, list[Row[Any]]]:
    """Small selects with like columns read in one statement: {name: its rows}. Each select's first
    column, labelled "rank", orders its rows (UNION ALL alone keeps no order); the first select's
    labels name the columns, and a column a select lacks is `absent`."""
    union = union_all(*(query.add_columns(literal(name).label("part")) for name, query in parts.items()))
    every = union.subquery("parts")
    found: dict[str, list[Row[Any]]] = {name: [] for name in parts}
    for row in conn.execute(select(every).order_by(every.c.part, every.c.rank)):
        found[row.part].append(row)
    return found


@shared
def attendee_count(conn: Connection, conference: Conference) -> int:
    """The conference's attendee records (django-program's attendee total)."""
    a = t.attendee.c
    return conn.execute(select(func.count()).where(a.conference_id == conference.id)).scalar_one()


@shared
def paid_orders(conn: Connection, conference: Conference) -> Row[Any]:
    """Over the conference's paid orders: `orders`, the sums `subtotal`, `discount` and `total` in
    integer cents, and how many orders have a discount (`discounted`, > 0) or none (`undiscounted`)."""
    o = t.order.c
    return conn.execute(
        select(
            func.count().label("orders"),
            sum_cents(conn, o.subtotal).label("subtotal"),
            sum_cents(conn, o.discount_amount).label("discount"),
            sum_cents(conn, o.total).label("total"),
            func.count().filter(o.discount_amount > 0).label("discounted"),
            func.count().filter(o.discount_amount == 0).label("undiscounted"),
        ).where(o.conference_id == conference.id, o.status.in_(PAID))
    ).one()


def _sum_where(conn: Connection, column: Any, condition: Any) -> Any:
    """sum_cents of column over the rows meeting condition (0 when none)."""
    return sum_cents(conn, case((condition, column)))


@shared
def credit_sums(conn: Connection, conference: Conference) -> Row[Any]:
    """Over the conference's credits (integer cents): `credit_count`, `issued`, `refund_count` and
    `refunds` (credits with a source order), `outstanding` (remaining on available credits), `applied`."""
    c = t.credit.c
    return conn.execute(
        select(
            func.count().label("credit_count"),
            sum_cents(conn, c.amount).label("issued"),
            func.count(c.source_order_id).label("refund_count"),
            _sum_where(conn, c.amount, c.source_order_id.is_not(None)).label("refunds"),
            _sum_where(conn, c.remaining_amount, c.status == "available").label("outstanding"),
            _sum_where(conn, c.amount, c.status == "applied").label("applied"),
        ).where(c.conference_id == conference.id)
    ).one()
