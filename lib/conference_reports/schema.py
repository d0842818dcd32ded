"""SQLAlchemy Core tables for the django-program columns the metrics read (DDL as Django migrates it)."""

from __future__ import annotations

import functools
import hashlib

from sqlalchemy import Boolean, Column, Date, Integer, MetaData, Table, Text

from .types import Money, UtcDateTime

metadata = MetaData()

auth_user = Table(
    "auth_user",
    metadata,
    Column("id", Integer),
    Column("password", Text),
    Column("last_login", UtcDateTime),
    Column("is_superuser", Boolean),
    Column("username", Text),
    Column("last_name", Text),
    Column("email", Text),
    Column("is_staff", Boolean),
    Column("is_active", Boolean),
    Column("date_joined", UtcDateTime),
    Column("first_name", Text),
)

conference = Table(
    "program_conference_conference",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("slug", Text),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("timezone", Text),
    Column("venue", Text),
    Column("website_url", Text),
    Column("pretalx_event_slug", Text),
    Column("stripe_secret_key", Text),
    Column("stripe_publishable_key", Text),
    Column("stripe_webhook_secret", Text),
    Column("is_active", Boolean),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("address", Text),
    Column("total_capacity", Integer),
    Column("grant_budget", Money),
    Column("revenue_budget", Money),
    Column("target_attendance", Integer),
    Column("qbo_access_token", Text),
    Column("qbo_client_id", Text),
    Column("qbo_client_secret", Text),
    Column("qbo_realm_id", Text),
    Column("qbo_refresh_token", Text),
    Column("qbo_token_expires_at", UtcDateTime),
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
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
)

expense_category = Table(
    "program_conference_expensecategory",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("slug", Text),
    Column("description", Text),
    Column("budget_amount", Money),
    Column("order", Integer),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
)

expense = Table(
    "program_conference_expense",
    metadata,
    Column("id", Integer),
    Column("description", Text),
    Column("amount", Money),
    Column("vendor", Text),
    Column("date", Date),
    Column("receipt_reference", Text),
    Column("notes", Text),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("created_by_id", Integer),
    Column("category_id", Integer),
)

ticket_type = Table(
    "program_registration_tickettype",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("slug", Text),
    Column("description", Text),
    Column("price", Money),
    Column("available_from", UtcDateTime),
    Column("available_until", UtcDateTime),
    Column("total_quantity", Integer),
    Column("limit_per_user", Integer),
    Column("requires_voucher", Boolean),
    Column("is_active", Boolean),
    Column("order", Integer),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("bulk_enabled", Boolean),
)

addon = Table(
    "program_registration_addon",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("slug", Text),
    Column("description", Text),
    Column("price", Money),
    Column("available_from", UtcDateTime),
    Column("available_until", UtcDateTime),
    Column("total_quantity", Integer),
    Column("is_active", Boolean),
    Column("order", Integer),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("bulk_enabled", Boolean),
)

voucher = Table(
    "program_registration_voucher",
    metadata,
    Column("id", Integer),
    Column("code", Text),
    Column("voucher_type", Text),
    Column("discount_value", Money),
    Column("max_uses", Integer),
    Column("times_used", Integer),
    Column("valid_from", UtcDateTime),
    Column("valid_until", UtcDateTime),
    Column("unlocks_hidden_tickets", Boolean),
    Column("is_active", Boolean),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
)

cart = Table(
    "program_registration_cart",
    metadata,
    Column("id", Integer),
    Column("status", Text),
    Column("expires_at", UtcDateTime),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("user_id", Integer),
    Column("voucher_id", Integer),
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
    Column("voucher_details", Text),
    Column("billing_name", Text),
    Column("billing_email", Text),
    Column("billing_company", Text),
    Column("reference", Text),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("user_id", Integer),
    Column("hold_expires_at", UtcDateTime),
    Column("utm_campaign", Text),
    Column("utm_medium", Text),
    Column("utm_source", Text),
)

order_line_item = Table(
    "program_registration_orderlineitem",
    metadata,
    Column("id", Integer),
    Column("description", Text),
    Column("quantity", Integer),
    Column("unit_price", Money),
    Column("discount_amount", Money),
    Column("line_total", Money),
    Column("created_at", UtcDateTime),
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
    Column("stripe_payment_intent_id", Text),
    Column("stripe_charge_id", Text),
    Column("reference", Text),
    Column("note", Text),
    Column("created_at", UtcDateTime),
    Column("created_by_id", Integer),
    Column("order_id", Integer),
    Column("status", Text),
)

credit = Table(
    "program_registration_credit",
    metadata,
    Column("id", Integer),
    Column("amount", Money),
    Column("status", Text),
    Column("note", Text),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("user_id", Integer),
    Column("applied_to_order_id", Integer),
    Column("source_order_id", Integer),
    Column("remaining_amount", Money),
)

attendee = Table(
    "program_registration_attendee",
    metadata,
    Column("id", Integer),
    Column("access_code", Text),
    Column("checked_in_at", UtcDateTime),
    Column("completed_registration", Boolean),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("user_id", Integer),
    Column("order_id", Integer),
)

letter_request = Table(
    "program_registration_letterrequest",
    metadata,
    Column("id", Integer),
    Column("passport_name", Text),
    Column("passport_number", Text),
    Column("nationality", Text),
    Column("date_of_birth", Date),
    Column("travel_from", Date),
    Column("travel_until", Date),
    Column("destination_address", Text),
    Column("embassy_name", Text),
    Column("status", Text),
    Column("rejection_reason", Text),
    Column("generated_pdf", Text),
    Column("reviewed_at", UtcDateTime),
    Column("sent_at", UtcDateTime),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("attendee_id", Integer),
    Column("conference_id", Integer),
    Column("reviewed_by_id", Integer),
    Column("user_id", Integer),
)

timeorstocklimitcondition = Table(
    "program_registration_timeorstocklimitcondition",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("description", Text),
    Column("is_active", Boolean),
    Column("priority", Integer),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("discount_type", Text),
    Column("discount_value", Money),
    Column("max_quantity", Integer),
    Column("start_time", UtcDateTime),
    Column("end_time", UtcDateTime),
    Column("limit", Integer),
    Column("times_used", Integer),
    Column("conference_id", Integer),
)

speakercondition = Table(
    "program_registration_speakercondition",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("description", Text),
    Column("is_active", Boolean),
    Column("priority", Integer),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("discount_type", Text),
    Column("discount_value", Money),
    Column("max_quantity", Integer),
    Column("is_presenter", Boolean),
    Column("is_copresenter", Boolean),
    Column("conference_id", Integer),
)

groupmembercondition = Table(
    "program_registration_groupmembercondition",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("description", Text),
    Column("is_active", Boolean),
    Column("priority", Integer),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("discount_type", Text),
    Column("discount_value", Money),
    Column("max_quantity", Integer),
    Column("conference_id", Integer),
)

includedproductcondition = Table(
    "program_registration_includedproductcondition",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("description", Text),
    Column("is_active", Boolean),
    Column("priority", Integer),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("discount_type", Text),
    Column("discount_value", Money),
    Column("max_quantity", Integer),
    Column("conference_id", Integer),
)

discountforproduct = Table(
    "program_registration_discountforproduct",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("description", Text),
    Column("is_active", Boolean),
    Column("priority", Integer),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("discount_type", Text),
    Column("discount_value", Money),
    Column("max_quantity", Integer),
    Column("start_time", UtcDateTime),
    Column("end_time", UtcDateTime),
    Column("limit", Integer),
    Column("times_used", Integer),
    Column("conference_id", Integer),
)

discountforcategory = Table(
    "program_registration_discountforcategory",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("description", Text),
    Column("is_active", Boolean),
    Column("priority", Integer),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("percentage", Money),
    Column("apply_to_tickets", Boolean),
    Column("apply_to_addons", Boolean),
    Column("start_time", UtcDateTime),
    Column("end_time", UtcDateTime),
    Column("limit", Integer),
    Column("times_used", Integer),
    Column("conference_id", Integer),
)

room = Table(
    "program_pretalx_room",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("description", Text),
    Column("capacity", Integer),
    Column("position", Integer),
    Column("synced_at", UtcDateTime),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("pretalx_id", Integer),
)

speaker = Table(
    "program_pretalx_speaker",
    metadata,
    Column("id", Integer),
    Column("pretalx_code", Text),
    Column("name", Text),
    Column("biography", Text),
    Column("avatar_url", Text),
    Column("email", Text),
    Column("synced_at", UtcDateTime),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("user_id", Integer),
)

talk = Table(
    "program_pretalx_talk",
    metadata,
    Column("id", Integer),
    Column("pretalx_code", Text),
    Column("title", Text),
    Column("abstract", Text),
    Column("description", Text),
    Column("submission_type", Text),
    Column("track", Text),
    Column("duration", Integer),
    Column("state", Text),
    Column("room_id", Integer),
    Column("slot_start", UtcDateTime),
    Column("slot_end", UtcDateTime),
    Column("synced_at", UtcDateTime),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("tags", Text),
)

talk_speakers = Table(
    "program_pretalx_talk_speakers",
    metadata,
    Column("id", Integer),
    Column("talk_id", Integer),
    Column("speaker_id", Integer),
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
    Column("synced_at", UtcDateTime),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("talk_id", Integer),
)

session_rating = Table(
    "program_pretalx_sessionrating",
    metadata,
    Column("id", Integer),
    Column("score", Integer),
    Column("comment", Text),
    Column("created_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("talk_id", Integer),
    Column("user_id", Integer),
)

sponsor_level = Table(
    "program_sponsors_sponsorlevel",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("slug", Text),
    Column("cost", Money),
    Column("description", Text),
    Column("benefits_summary", Text),
    Column("comp_ticket_count", Integer),
    Column("order", Integer),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
)

sponsor = Table(
    "program_sponsors_sponsor",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("slug", Text),
    Column("website_url", Text),
    Column("logo", Text),
    Column("description", Text),
    Column("contact_name", Text),
    Column("contact_email", Text),
    Column("is_active", Boolean),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("level_id", Integer),
    Column("external_id", Text),
    Column("logo_url", Text),
)

sponsor_benefit = Table(
    "program_sponsors_sponsorbenefit",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("description", Text),
    Column("is_complete", Boolean),
    Column("notes", Text),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("sponsor_id", Integer),
)

activity = Table(
    "program_programs_activity",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("slug", Text),
    Column("activity_type", Text),
    Column("description", Text),
    Column("location", Text),
    Column("start_time", UtcDateTime),
    Column("end_time", UtcDateTime),
    Column("max_participants", Integer),
    Column("requires_ticket", Boolean),
    Column("external_url", Text),
    Column("is_active", Boolean),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("pretalx_submission_type", Text),
    Column("room_id", Integer),
    Column("synced_at", UtcDateTime),
)

activity_signup = Table(
    "program_programs_activitysignup",
    metadata,
    Column("id", Integer),
    Column("note", Text),
    Column("created_at", UtcDateTime),
    Column("activity_id", Integer),
    Column("user_id", Integer),
    Column("cancelled_at", UtcDateTime),
    Column("status", Text),
)

travel_grant = Table(
    "program_programs_travelgrant",
    metadata,
    Column("id", Integer),
    Column("requested_amount", Money),
    Column("approved_amount", Money),
    Column("travel_from", Text),
    Column("reason", Text),
    Column("reviewer_notes", Text),
    Column("reviewed_at", UtcDateTime),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
    Column("reviewed_by_id", Integer),
    Column("user_id", Integer),
    Column("application_type", Text),
    Column("days_attending", Text),
    Column("experience_level", Text),
    Column("first_time", Boolean),
    Column("international", Boolean),
    Column("involvement", Text),
    Column("occupation", Text),
    Column("promo_code", Text),
    Column("request_type", Text),
    Column("sharing_expenses", Boolean),
    Column("travel_plans_airfare_amount", Money),
    Column("travel_plans_airfare_description", Text),
    Column("travel_plans_lodging_amount", Money),
    Column("travel_plans_lodging_description", Text),
    Column("travel_plans_transit_amount", Money),
    Column("travel_plans_transit_description", Text),
    Column("travel_plans_visa_amount", Money),
    Column("travel_plans_visa_description", Text),
    Column("traveling_with", Text),
    Column("status", Text),
    Column("disbursed_amount", Money),
    Column("disbursed_at", UtcDateTime),
    Column("disbursed_by_id", Integer),
)

survey = Table(
    "program_programs_survey",
    metadata,
    Column("id", Integer),
    Column("name", Text),
    Column("slug", Text),
    Column("survey_type", Text),
    Column("description", Text),
    Column("is_active", Boolean),
    Column("created_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("conference_id", Integer),
)

survey_response = Table(
    "program_programs_surveyresponse",
    metadata,
    Column("id", Integer),
    Column("score", Integer),
    Column("comment", Text),
    Column("created_at", UtcDateTime),
    Column("survey_id", Integer),
    Column("user_id", Integer),
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
def _pg_table(name: str) -> Table:
    return metadata.tables[name].to_metadata(_pg_metadata, name=django_truncate(name))


def for_dialect(dialect_name: str, table: Table) -> Table:
    """`table` as named on this backend."""
    if dialect_name == "postgresql" and len(table.name) > PG_MAX_IDENTIFIER:
        return _pg_table(table.name)
    return table
