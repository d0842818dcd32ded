"""Sponsor levels, sponsors (most renewing by exact name, some inactive) and partly fulfilled benefits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .context import ConferenceContext
from .values import money, slugify

LEVELS_LARGE = (
    ("visionary", "Visionary", 150000, 12),
    ("sustainability", "Sustainability", 90000, 8),
    ("maintaining", "Maintaining", 60000, 6),
    ("contributing", "Contributing", 30000, 4),
    ("supporting", "Supporting", 15000, 2),
    ("partner", "Partner", 7500, 1),
    ("community", "Community", 2500, 0),
)
LEVELS_REGIONAL = (
    ("gold", "Gold", 10000, 4),
    ("silver", "Silver", 5000, 2),
    ("bronze", "Bronze", 2500, 1),
    ("community", "Community", 500, 0),
)
LEVEL_MIX_LARGE = (0.04, 0.08, 0.12, 0.16, 0.2, 0.2, 0.2)
LEVEL_MIX_REGIONAL = (0.15, 0.25, 0.35, 0.25)
# fmt: off
BENEFITS = (
    "Logo on website", "Booth in expo hall", "Sponsored blog post", "Social media shout-out",
    "Job board listing", "Sponsor workshop slot", "Keynote stage mention", "Lanyard branding",
    "Comp tickets delivered", "Attendee bag insert",
)
SPONSOR_NAMES = (
    "Acme Analytics", "Blue Heron Labs", "Northwind Data", "Quantum Pine", "Riverbend Software",
    "Copperleaf Systems", "Tidewater Cloud", "Lumen Robotics", "Granite Peak Bank", "Fjord AI",
    "Sunlit Health", "Orchard Logistics", "Mosaic Media", "Ironbark Energy", "Helix Genomics",
    "Pixel & Pine", "Saffron Security", "Kestrel Compute", "Marble Arch Insurance", "Nimbus Notebooks",
    "Obsidian Ops", "Prairie Payments", "Redwood Research", "Silverline Telecom", "Thistle Travel",
    "Umber Games", "Verdant Agritech", "Wavelength Audio", "Yellowfin Markets", "Zephyr Mobility",
    "Basalt Databases", "Cobalt Compilers", "Driftwood Design", "Ember Education", "Foxglove Pharma",
    "Glacier Storage", "Harbor Hosting", "Indigo Identity", "Juniper Jobs", "Kelp Climate",
    "Lantern Legal", "Meridian Maps", "Nettle Networks", "Oakmoss Observability", "Pinecone Payroll",
    "Quartz Quantum", "Rook Retail", "Sable Search", "Tundra Testing", "Upland Utilities",
)
# fmt: on


def generate_sponsors(ctx: ConferenceContext) -> None:
    ed, w, rng, hist = ctx.edition, ctx.writer, ctx.rng("sponsors"), ctx.history
    if ed.phase == "announced":
        return
    levels = LEVELS_LARGE if ed.series.large else LEVELS_REGIONAL
    mix = LEVEL_MIX_LARGE if ed.series.large else LEVEL_MIX_REGIONAL
    level_ids: dict[str, int] = {}
    created = ctx.created
    for order, (key, name, cost, comps) in enumerate(levels):
        level_ids[key] = w.add(
            "program_sponsors_sponsorlevel",
            {
                "conference_id": ctx.conference_id,
                "name": name,
                "slug": key,
                "cost": money(cost),
                "description": f"{name} sponsorship of {ed.name}.",
                "benefits_summary": "",
                "comp_ticket_count": comps,
                "order": order,
                "created_at": created,
                "updated_at": created,
            },
        )
    count = ed.content(18 if ed.series.large else 8)
    if ed.phase == "selling":
        count = round(count * 0.7)
    previous = hist.sponsors.get(ed.series.key, [])
    share = 0.5 if ed.phase == "selling" else 0.65  # some renewals are still being negotiated
    renewing = rng.sample(previous, min(len(previous), round(len(previous) * share)))
    names_taken = {name for name, _ in renewing}
    fresh_names = [n for n in _name_pool(ed.series.large, ed.index) if n not in names_taken]
    keys = [k for k, *_ in levels]
    sponsors: list[tuple[str, str]] = []
    for name, old_level in renewing:
        step = rng.choice((-1, 0, 0, 0, 1))  # most renew at the same level
        index = (
            min(max(keys.index(old_level) + step, 0), len(keys) - 1) if old_level in keys else len(keys) - 1
        )
        sponsors.append((name, keys[index]))
    while len(sponsors) < count and fresh_names:
        level = keys[_pick_index(rng.random(), mix)]
        sponsors.append((fresh_names.pop(0), level))
    hist.sponsors[ed.series.key] = sponsors
    fulfilment = 0.92 if ed.phase == "past" else 0.35
    for name, level in sorted(sponsors):
        active = rng.random() > 0.1
        sid = w.add(
            "program_sponsors_sponsor",
            {
                "conference_id": ctx.conference_id,
                "level_id": level_ids[level],
                "name": name,
                "slug": slugify(name),
                "external_id": "",
                "website_url": f"https://{slugify(name)}.example",
                "logo": "",
                "logo_url": "",
                "description": f"{name} builds things with Python.",
                "contact_name": "Partnerships team",
                "contact_email": f"sponsors@{slugify(name)}.example",
                "is_active": active,
                "created_at": created + dt.timedelta(days=rng.uniform(0, 90)),
                "updated_at": ctx.horizon,
            },
        )
        benefit_count = max(0, len(keys) - keys.index(level) + rng.choice((-2, -1, 0, 0, 1)))
        for benefit in rng.sample(BENEFITS, min(benefit_count, len(BENEFITS))):
            w.add(
                "program_sponsors_sponsorbenefit",
                {
                    "sponsor_id": sid,
                    "name": benefit,
                    "description": "",
                    "is_complete": rng.random() < fulfilment,
                    "notes": "",
                    "created_at": created,
                    "updated_at": ctx.horizon,
                },
            )


def _name_pool(large: bool, edition_index: int) -> list[str]:
    """Fresh sponsor names: the large series draws from the front, the regional one from the back."""
    names = list(SPONSOR_NAMES) if large else list(reversed(SPONSOR_NAMES))
    shift = (edition_index * 7) % len(names)
    return names[shift:] + names[:shift]


def _pick_index(point: float, weights: tuple[float, ...]) -> int:
    total = Decimal(0)
    for index, weight in enumerate(weights):
        total += Decimal(str(weight))
        if point < total:
            return index
    return len(weights) - 1
