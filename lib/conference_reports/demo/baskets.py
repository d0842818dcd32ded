"""What a buyer picks: a segment, a ticket on sale, add-ons and perhaps a voucher."""

from __future__ import annotations

import datetime as dt
import random

from .catalog import Catalog, Product, Voucher
from .lineup import Edition
from .values import pick_weighted


class Shopper:
    """Chooses baskets for one conference (sharing the sales RNG, so draws stay in order)."""

    def __init__(self, edition: Edition, catalog: Catalog, rng: random.Random) -> None:
        self.ed = edition
        self.catalog = catalog
        self.rng = rng
        self.regular = "individual" if edition.series.large else "regular"

    def segment(self) -> str:
        if self.ed.series.large:
            options = (
                ("individual", 0.64),
                ("corporate", 0.2),
                ("student", 0.08),
                ("online", 0.04),
                ("volunteer", 0.02),
                ("pyladies", 0.02),
            )
        else:
            options = (("individual", 0.72), ("supporter", 0.08), ("student", 0.12), ("volunteer", 0.03))
        return str(pick_weighted(self.rng, options))

    def ticket(self, segment: str, when: dt.datetime) -> Product | None:
        t = self.catalog.tickets
        wanted = {
            "corporate": ["corporate"],
            "supporter": ["supporter"],
            "student": ["student"],
            "online": ["online"],
        }.get(segment, [])
        for key in [*wanted, "early", self.regular, "late"]:
            product = t.get(key)
            if product and product.on_sale(when) and product.has_stock():
                return product
        return None

    def basket(self, segment: str, when: dt.datetime, on_site: bool) -> list[tuple[Product, int]]:
        rng = self.rng
        ticket = self.ticket(segment, when)
        if ticket is None:
            return []
        quantity = rng.randint(2, 4) if ticket.key == "corporate" and rng.random() < 0.07 else 1
        items = [(ticket, quantity)]
        addons = self.catalog.addons
        wishes: list[tuple[str, float]]
        if ticket.key == "online":
            wishes = [("tshirt", 0.25)]
        elif self.ed.series.large:
            wishes = [
                ("tshirt", 0.5 if ticket.key == "corporate" else 0.28),
                ("dinner", 0.1),
                ("lunch", 0.12),
            ]
            tutorials = self.catalog.addon_group("tutorial")
            if tutorials and not on_site and rng.random() < 0.3:
                weights = [2.5 if i == 0 else 1.0 for i in range(len(tutorials))]
                count = 2 if rng.random() < 0.25 else 1
                for _ in range(count):
                    pick = tutorials[
                        int(pick_weighted(rng, list(zip(range(len(tutorials)), weights, strict=True))))
                    ]
                    if pick.on_sale(when) and pick.has_stock() and all(p is not pick for p, _ in items):
                        items.append((pick, 1))
        else:
            wishes = [("workshop", 0.22), ("dinner", 0.3), ("tshirt", 0.18)]
        for key, chance in wishes:
            product = addons.get(key)
            if product and rng.random() < chance and product.on_sale(when) and product.has_stock():
                items.append((product, 1))
        return items

    def voucher(self, segment: str, when: dt.datetime) -> Voucher | None:
        rng, yy = self.rng, self.ed.year % 100
        options: list[tuple[str, float]] = {
            "individual": [("PYLADIES20", 0.03), ("COMMUNITY15", 0.06)],
            "pyladies": [("PYLADIES20", 0.9)],
            "corporate": [("SPONSOR100", 0.15)],
            "supporter": [("PARTNER25", 0.3)],
            "volunteer": [(f"VOLUNTEER{yy}", 1.0)],
        }.get(segment, [])
        for code, chance in options:
            voucher = self.catalog.vouchers.get(code)
            if voucher and rng.random() < chance and voucher.usable(when):
                return voucher
        return None
