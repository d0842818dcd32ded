"""Vouchers (comp, percentage, fixed amount) and discount conditions offered by a conference."""

from __future__ import annotations

import datetime as dt

from .catalog import Catalog, Condition, add_voucher
from .lineup import Edition
from .values import money
from .writer import RowWriter

Window = tuple[dt.datetime, dt.datetime]
VoucherSpec = tuple[str, str, float, int, Window, tuple[str, ...], tuple[str, ...], bool]


def plan_vouchers(edition: Edition, catalog: Catalog, writer: RowWriter) -> None:
    """Shared codes (personal speaker codes are added with the programme)."""
    yy = edition.year % 100
    sales = (edition.sales_open, edition.sales_close)
    launch = (edition.sales_open, edition.sales_open + dt.timedelta(days=3))
    tutorials = tuple(a.key for a in catalog.addon_group("tutorial"))
    specs: list[VoucherSpec]
    # fmt: off
    if edition.series.large:
        specs = [  # code, type, value, max uses per unit of scale, window, ticket types, add-ons, active
            (f"VOLUNTEER{yy}", "comp", 0, 30, sales, ("individual",), ("tshirt",), True),
            ("PYLADIES20", "percentage", 20, 60, sales, ("early", "individual", "late"), tutorials, True),
            ("COMMUNITY15", "percentage", 15, 50, sales, ("individual", "late"), (), True),
            ("SPONSOR100", "fixed_amount", 100, 45, sales, ("corporate",), ("dinner",), True),
            (f"EARLY{yy}", "percentage", 10, 100, launch, ("individual",), (), False),
        ]
    else:
        specs = [
            (f"VOLUNTEER{yy}", "comp", 0, 10, sales, ("regular",), ("tshirt",), True),
            ("COMMUNITY15", "percentage", 15, 40, sales, ("early", "regular", "late"), ("workshop",), True),
            ("PARTNER25", "fixed_amount", 25, 20, sales, ("supporter", "regular"), ("dinner",), True),
        ]
    # fmt: on
    for code, kind, value, uses, window, tickets, addons, active in specs:
        add_voucher(
            catalog,
            writer,
            code,
            kind,
            value,
            edition.scaled(uses),
            window,
            tickets,
            addons,
            is_active=active,
        )


def plan_conditions(edition: Edition, catalog: Catalog, writer: RowWriter) -> None:
    t, a = catalog.tickets, catalog.addons
    launch = (edition.sales_open, edition.sales_open + dt.timedelta(days=7))
    mid = edition.sales_open + (edition.late_price_from - edition.sales_open) / 2
    flash = (mid, mid + dt.timedelta(days=3))

    def new(table: str, name: str, priority: int, kind: str, value: float, **kw: object) -> None:
        cid = writer.next_id(f"program_registration_{table}")
        catalog.conditions.append(Condition(cid, table, name, priority, kind, money(value), **kw))  # type: ignore[arg-type]

    regular = "individual" if edition.series.large else "regular"
    new(
        "timeorstocklimitcondition",
        "Launch week: 10% off",
        10,
        "percentage",
        10,
        ticket_ids=(t[regular].id,) + ((t["corporate"].id,) if "corporate" in t else ()),
        window=launch,
        limit=edition.scaled(60),
    )
    new(
        "speakercondition",
        "Speakers: half-price dinner",
        15,
        "percentage",
        50,
        addon_ids=(a["dinner"].id,),
        speakers_only=True,
        extra={"is_presenter": True, "is_copresenter": True},
    )
    if "corporate" in t:
        new(
            "includedproductcondition",
            "T-shirt included with Corporate",
            20,
            "percentage",
            100,
            addon_ids=(a["tshirt"].id,),
            enabling_ticket_ids=(t["corporate"].id,),
        )
        tutorials = tuple(p.id for p in catalog.addon_group("tutorial"))
        new(
            "discountforproduct",
            "Tutorial week: $20 off",
            30,
            "fixed_amount",
            20,
            addon_ids=tutorials,
            window=(mid - dt.timedelta(days=14), mid - dt.timedelta(days=4)),
            limit=edition.scaled(40),
        )
    new(
        "discountforcategory",
        "Flash sale: 15% off add-ons",
        40,
        "percentage",
        15,
        window=flash,
        whole_category=(False, True),
    )
    new(
        "groupmembercondition",
        "Volunteer team: 50% off",
        50,
        "percentage",
        50,
        ticket_ids=(t[regular].id,),
        is_active=edition.index > 0,
    )
