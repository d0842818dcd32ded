"""SQLAlchemy Core tables: exactly the django-program tables and columns the metrics read.

Names and types follow the DDL Django migrates; the connection check requires each of these
columns, and nothing else, so a database from a django-program version that differs only in
columns no metric reads still works.
"""

from __future__ import annotations

import functools
import hashlib

from sqlalchemy import Boolean, Column, Integer, MetaData, Table, Text

from .types import CalendarDate, Money, UtcDateTime

metadata = MetaData()

auth_user = Table(
    "auth_user",
    metadata,
    Column("id", Integer),
    Column("username", Text),
    Column("email", Text),
)

conference = Table(
    "program_conference_conference",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("slug", Text),
    Column("start_date", CalendarDate),
    Column("end_date", CalendarDate),
    Column("timezone", Text),
    Column("total_capacity", Integer),
    Column("grant_budget", Money),
    Column("revenue_budget", Money),
    Column("target_attendance", Integer),
)

kpi_targets = Table(
    "program_conference_kpitargets",
    metadata,
    Column("id", Integer),
    Column("target_conversion_rate", Money),
    Column("target_refund_rate", Money),
    Column("target_checkin_rate", Money),
    Column("target_fulfillment_rate", Money),
    Column("target_revenue_per_attendee", Money),
    Column("target_room_utilization", Money),
    Column("conference_id", Integer),
)

expense_category = Table(
    "program_conference_expensecategory",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("budget_amount", Money),
    Column("order", Integer),
    Column("conference_id", Integer),
)

expense = Table(
    "program_conference_expense",
    metadata,
    Column("id", Integer),
    Column("amount", Money),
    Column("conference_id", Integer),
    Column("category_id", Integer),
)

ticket_type = Table(
    "program_registration_tickettype",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("available_from", UtcDateTime),
    Column("available_until", UtcDateTime),
    Column("total_quantity", Integer),
    Column("order", Integer),
    Column("conference_id", Integer),
)

addon = Table(
    "program_registration_addon",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("order", Integer),
    Column("conference_id", Integer),
)

voucher = Table(
    "program_registration_voucher",
    metadata,
    Column("id", Integer),
    Column("code", Text),
    Column("times_used", Integer),
    Column("is_active", Boolean),
    Column("conference_id", Integer),
)

cart = Table(
    "program_registration_cart",
    metadata,
    Column("id", Integer),
    Column("status", Text),
    Column("conference_id", Integer),
)

order = Table(
    "program_registration_order",
    metadata,
    Column("id", Integer),
    Column("status", Text),
    Column("subtotal", Money),
    Column("discount_amount", Money),
    Column("total", Money),
    Column("voucher_code", Text),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("user_id", Integer),
    Column("utm_campaign", Text),
    Column("utm_medium", Text),
    Column("utm_source", Text),
)

order_line_item = Table(
    "program_registration_orderlineitem",
    metadata,
    Column("id", Integer),
    Column("quantity", Integer),
    Column("unit_price", Money),
    Column("line_total", Money),
    Column("addon_id", Integer),
    Column("order_id", Integer),
    Column("ticket_type_id", Integer),
)

payment = Table(
    "program_registration_payment",
    metadata,
    Column("id", Integer),
    Column("method", Text),
    Column("amount", Money),
    Column("order_id", Integer),
    Column("status", Text),
    Column("created_at", UtcDateTime),
)

credit = Table(
    "program_registration_credit",
    metadata,
    Column("id", Integer),
    Column("amount", Money),
    Column("status", Text),
    Column("conference_id", Integer),
    Column("source_order_id", Integer),
    Column("remaining_amount", Money),
)

attendee = Table(
    "program_registration_attendee",
    metadata,
    Column("id", Integer),
    Column("checked_in_at", UtcDateTime),
    Column("completed_registration", Boolean),
    Column("created_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("user_id", Integer),
    Column("order_id", Integer),
)

checkin = Table(
    "program_registration_checkin",
    metadata,
    Column("id", Integer),
    Column("checked_in_at", UtcDateTime),
    Column("attendee_id", Integer),
)

letter_request = Table(
    "program_registration_letterrequest",
    metadata,
    Column("id", Integer),
    Column("nationality", Text),
    Column("status", Text),
    Column("reviewed_at", UtcDateTime),
    Column("created_at", UtcDateTime),
    Column("conference_id", Integer),
)

timeorstocklimitcondition = Table(
    "program_registration_timeorstocklimitcondition",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("is_active", Boolean),
    Column("priority", Integer),
    Column("discount_type", Text),
    Column("discount_value", Money),
    Column("limit", Integer),
    Column("times_used", Integer),
    Column("conference_id", Integer),
)

speakercondition = Table(
    "program_registration_speakercondition",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("is_active", Boolean),
    Column("priority", Integer),
    Column("discount_type", Text),
    Column("discount_value", Money),
    Column("conference_id", Integer),
)

groupmembercondition = Table(
    "program_registration_groupmembercondition",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("is_active", Boolean),
    Column("priority", Integer),
    Column("discount_type", Text),
    Column("discount_value", Money),
    Column("conference_id", Integer),
)

includedproductcondition = Table(
    "program_registration_includedproductcondition",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("is_active", Boolean),
    Column("priority", Integer),
    Column("discount_type", Text),
    Column("discount_value", Money),
    Column("conference_id", Integer),
)

discountforproduct = Table(
    "program_registration_discountforproduct",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("is_active", Boolean),
    Column("priority", Integer),
    Column("discount_type", Text),
    Column("discount_value", Money),
    Column("limit", Integer),
    Column("times_used", Integer),
    Column("conference_id", Integer),
)

discountforcategory = Table(
    "program_registration_discountforcategory",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("is_active", Boolean),
    Column("priority", Integer),
    Column("percentage", Money),
    Column("apply_to_tickets", Boolean),
    Column("apply_to_addons", Boolean),
    Column("limit", Integer),
    Column("times_used", Integer),
    Column("conference_id", Integer),
)

room = Table(
    "program_pretalx_room",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("capacity", Integer),
    Column("position", Integer),
    Column("conference_id", Integer),
)

speaker = Table(
    "program_pretalx_speaker",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("email", Text),
    Column("conference_id", Integer),
    Column("user_id", Integer),
)

talk = Table(
    "program_pretalx_talk",
    metadata,
    Column("id", Integer),
    Column("title", Text),
    Column("submission_type", Text),
    Column("track", Text),
    Column("state", Text),
    Column("conference_id", Integer),
)

schedule_slot = Table(
    "program_pretalx_scheduleslot",
    metadata,
    Column("id", Integer),
    Column("title", Text),
    Column("room_id", Integer),
    Column("start", UtcDateTime),
    Column("end", UtcDateTime),
    Column("slot_type", Text),
    Column("conference_id", Integer),
    Column("talk_id", Integer),
)

session_rating = Table(
    "program_pretalx_sessionrating",
    metadata,
    Column("id", Integer),
    Column("score", Integer),
    Column("conference_id", Integer),
    Column("talk_id", Integer),
)

sponsor_level = Table(
    "program_sponsors_sponsorlevel",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("slug", Text),
    Column("cost", Money),
    Column("order", Integer),
    Column("conference_id", Integer),
)

sponsor = Table(
    "program_sponsors_sponsor",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("is_active", Boolean),
    Column("conference_id", Integer),
    Column("level_id", Integer),
)

sponsor_benefit = Table(
    "program_sponsors_sponsorbenefit",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("is_complete", Boolean),
    Column("sponsor_id", Integer),
)

activity = Table(
    "program_programs_activity",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("activity_type", Text),
    Column("start_time", UtcDateTime),
    Column("max_participants", Integer),
    Column("conference_id", Integer),
)

activity_signup = Table(
    "program_programs_activitysignup",
    metadata,
    Column("id", Integer),
    Column("activity_id", Integer),
    Column("status", Text),
)

travel_grant = Table(
    "program_programs_travelgrant",
    metadata,
    Column("id", Integer),
    Column("requested_amount", Money),
    Column("approved_amount", Money),
    Column("conference_id", Integer),
    Column("application_type", Text),
    Column("first_time", Boolean),
    Column("international", Boolean),
    Column("status", Text),
    Column("disbursed_amount", Money),
)

survey = Table(
    "program_programs_survey",
    metadata,
    Column("id", Integer),
    Column("slug", Text),
    Column("survey_type", Text),
    Column("created_at", UtcDateTime),
    Column("conference_id", Integer),
)

survey_response = Table(
    "program_programs_surveyresponse",
    metadata,
    Column("id", Integer),
    Column("score", Integer),
    Column("survey_id", Integer),
)

discountforproduct_applicable_addons = Table(
    "program_registration_discountforproduct_applicable_addons",
    metadata,
    Column("id", Integer),
    Column("discountforproduct_id", Integer),
    Column("addon_id", Integer),
)

discountforproduct_applicable_ticket_types = Table(
    "program_registration_discountforproduct_applicable_ticket_types",
    metadata,
    Column("id", Integer),
    Column("discountforproduct_id", Integer),
    Column("tickettype_id", Integer),
)

groupmembercondition_applicable_addons = Table(
    "program_registration_groupmembercondition_applicable_addons",
    metadata,
    Column("id", Integer),
    Column("groupmembercondition_id", Integer),
    Column("addon_id", Integer),
)

groupmembercondition_applicable_ticket_types = Table(
    "program_registration_groupmembercondition_applicable_ticket_types",
    metadata,
    Column("id", Integer),
    Column("groupmembercondition_id", Integer),
    Column("tickettype_id", Integer),
)

includedproductcondition_applicable_addons = Table(
    "program_registration_includedproductcondition_applicable_addons",
    metadata,
    Column("id", Integer),
    Column("includedproductcondition_id", Integer),
    Column("addon_id", Integer),
)

includedproductcondition_applicable_ticket_types = Table(
    "program_registration_includedproductcondition_applicable_ticket_types",
    metadata,
    Column("id", Integer),
    Column("includedproductcondition_id", Integer),
    Column("tickettype_id", Integer),
)

speakercondition_applicable_addons = Table(
    "program_registration_speakercondition_applicable_addons",
    metadata,
    Column("id", Integer),
    Column("speakercondition_id", Integer),
    Column("addon_id", Integer),
)

speakercondition_applicable_ticket_types = Table(
    "program_registration_speakercondition_applicable_ticket_types",
    metadata,
    Column("id", Integer),
    Column("speakercondition_id", Integer),
    Column("tickettype_id", Integer),
)

timeorstocklimitcondition_applicable_addons = Table(
    "program_registration_timeorstocklimitcondition_applicable_addons",
    metadata,
    Column("id", Integer),
    Column("timeorstocklimitcondition_id", Integer),
    Column("addon_id", Integer),
)

timeorstocklimitcondition_applicable_ticket_types = Table(
    "program_registration_timeorstocklimitcondition_applicable_ticket_types",
    metadata,
    Column("id", Integer),
    Column("timeorstocklimitcondition_id", Integer),
    Column("tickettype_id", Integer),
)

# PostgreSQL identifiers stop at 63 bytes; Django shortens longer table names (several condition
# many-to-many tables) to their first 59 characters plus 4 hex digits of the full name's MD5.
PG_MAX_IDENTIFIER = 63
_pg_metadata = MetaData()


def django_truncate(name: str, length: int = PG_MAX_IDENTIFIER, hash_len: int = 4) -> str:
    """The table name Django gives `name` on a backend whose identifiers stop at `length`."""
    if len(name) <= length:
        return name
    return name[: length - hash_len] + hashlib.md5(name.encode()).hexdigest()[:hash_len]


@functools.cache
def pg_table(name: str) -> Table:
    """The declared table `name` under the name Django gives it on PostgreSQL."""
    if len(name) <= PG_MAX_IDENTIFIER:
        return metadata.tables[name]
    return metadata.tables[name].to_metadata(_pg_metadata, name=django_truncate(name))
