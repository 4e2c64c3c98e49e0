"""Stores demo data in bulk: the builder plans a chunk of leads with everything that
belongs to them, and each chunk is written in large batches in one transaction, so memory
stays flat however many leads are asked for."""

import gc
import operator
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vorsprung.activities.models import Activity
from vorsprung.core.doors import Door
from vorsprung.customers.models import Contact, Organization
from vorsprung.customers.search import contact_search_document, organization_search_document
from vorsprung.demo.builder import Batch, DemoBuilder
from vorsprung.demo.bulk import RowWriter
from vorsprung.demo.companies import CompanyFactory
from vorsprung.demo.pools import DemoRandom, build_pools
from vorsprung.demo.team import ensure_demo_staff
from vorsprung.history.choices import Action
from vorsprung.history.models import Change
from vorsprung.leads.models import Lead
from vorsprung.leads.search import lead_search_document
from vorsprung.sales.models import Opportunity, OpportunityContactRole, Pipeline
from vorsprung.sales.search import opportunity_search_document

MAX_LEADS = 5_000_000
CHUNK_SIZE = 5_000
SQLITE_CACHE_KIB = 256_000

# What is counted, in the order it is reported: plural, singular.
RECORD_KINDS = {
    "users": "user",
    "organizations": "organization",
    "contacts": "contact",
    "leads": "lead",
    "opportunities": "opportunity",
    "contact roles": "contact role",
    "activities": "activity",
    "history entries": "history entry",
}


class DemoError(Exception):
    """Demo data cannot be generated here; the message says why."""


@dataclass
class DemoResult:
    seed: int
    seconds: float = 0.0
    # Rows added, by kind of record (see RECORD_KINDS).
    counts: Counter = field(default_factory=Counter)


def _default_pipeline() -> tuple[Pipeline, list]:
    pipeline = Pipeline.objects.filter(is_default=True).first()
    if pipeline is None:
        raise DemoError(_("There is no default pipeline; run “vorsprung migrate” first."))
    stages = list(pipeline.stages.order_by("position", "id"))
    if not any(s.is_won for s in stages) or not any(s.is_lost for s in stages):
        raise DemoError(
            _("The default pipeline “%(name)s” needs a won and a lost stage.")
            % {"name": pipeline.name}
        )
    if not any(not s.is_won and not s.is_lost for s in stages):
        raise DemoError(
            _("The default pipeline “%(name)s” has no open stage.") % {"name": pipeline.name}
        )
    return pipeline, stages


def generate(
    leads: int,
    *,
    seed: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> DemoResult:
    """Add ``leads`` leads of demo data, with organizations (about one per five leads),
    contacts, opportunities, activities and history, and the demo sales teams if they are
    missing. Reproducible for a ``seed`` (relative to the current time). ``on_progress``
    is called with the number of leads stored so far after each chunk."""
    if not 0 <= leads <= MAX_LEADS:
        raise DemoError(
            _("The number of leads must be between 0 and %(max)s.") % {"max": f"{MAX_LEADS:,}"}
        )
    if not connection.features.can_return_rows_from_bulk_insert:
        raise DemoError(_("Demo data needs PostgreSQL or SQLite 3.35 or newer."))
    started = time.perf_counter()
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    result = DemoResult(seed=seed)
    pipeline, stages = _default_pipeline()
    staff = ensure_demo_staff()
    result.counts["users"] = staff.created_users
    if leads:
        rng = DemoRandom(seed)
        used_domains = set(
            Organization.objects.exclude(domain="")
            .values_list("domain", flat=True)
            .iterator(chunk_size=10_000)
        )
        builder = DemoBuilder(
            rng=rng,
            companies=CompanyFactory(rng, build_pools(seed), used_domains),
            staff=staff,
            pipeline=pipeline,
            stages=stages,
            now=timezone.now(),
            total_leads=leads,
        )
        _write(builder, leads, chunk_size, result.counts, on_progress)
    result.seconds = time.perf_counter() - started
    return result


def _write(
    builder: DemoBuilder,
    leads: int,
    chunk_size: int,
    counts: Counter,
    on_progress: Callable[[int], None] | None,
) -> None:
    writer = RowWriter()
    done = 0
    with _large_page_cache(), _without_cycle_collection():
        while done < leads:
            size = min(chunk_size, leads - done)
            batch = builder.build(size)
            with transaction.atomic():
                _store(writer, batch, counts)
            done += size
            if on_progress is not None:
                on_progress(done)


@contextmanager
def _large_page_cache() -> Iterator[None]:
    """On SQLite, keep more of the indexes in memory while writing: the default cache of
    2 MB makes every insert into a large table read index pages again."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The rows of a chunk hold no reference cycles, so reference counting frees them;
    the cycle collector would only walk the millions of live rows again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _by_time(rows: list, key: str) -> list:
    # Rows in time order go into the time indexes one after another, not all over them.
    return sorted(rows, key=operator.itemgetter(key))


def _add_search_documents(rows: list[dict], compute) -> None:
    # Rows written in bulk pass no save(), which writes a record's document otherwise.
    for row in rows:
        row["search_document"] = compute(row)


def _store(writer: RowWriter, batch: Batch, counts: Counter) -> None:
    """Write one chunk, parents first so that every reference has its id."""
    organizations = [plan.organization for plan in batch.organizations]
    _add_search_documents(organizations, organization_search_document)
    _add_search_documents(batch.contacts, contact_search_document)
    _add_search_documents(batch.leads, lead_search_document)
    _add_search_documents(batch.opportunities, opportunity_search_document)
    counts["organizations"] += writer.insert(
        Organization, _by_time(organizations, "created_at"), ids=True
    )
    counts["contacts"] += writer.insert(Contact, _by_time(batch.contacts, "created_at"), ids=True)
    counts["leads"] += writer.insert(Lead, batch.leads, ids=True)
    counts["opportunities"] += writer.insert(
        Opportunity, _by_time(batch.opportunities, "created_at"), ids=True
    )
    writer.update(
        Lead,
        "converted_opportunity_id",
        [(opportunity, lead) for lead, opportunity in batch.conversions],
    )
    counts["contact roles"] += writer.insert(OpportunityContactRole, batch.contact_roles, ids=False)
    counts["activities"] += writer.insert(
        Activity, _by_time(batch.activities, "created_at"), ids=False
    )
    history = [_history_row(entry, step) for entry in batch.history for step in entry.steps]
    counts["history entries"] += writer.insert(Change, _by_time(history, "at"), ids=False)


def _history_row(entry, step) -> dict:
    """One step of a record's status, stage or lifecycle path as the services record it:
    the first step is the record's creation; choice values are labelled when shown, a
    stage keeps its name."""
    if not step.from_value:
        action = Action.CREATED
    elif entry.field == "status" and step.to_value == "converted":
        action = Action.CONVERTED
    else:
        action = Action.UPDATED
    labelled = entry.field == "stage"
    return {
        "record_type": entry.record_type,
        "record_id": entry.record["id"],
        "action": action,
        "field": entry.field,
        "old_value": step.from_value,
        "new_value": step.to_value,
        "old_label": step.from_label if labelled else "",
        "new_label": step.to_label if labelled else "",
        "note": step.note[:255],
        "note_args": step.note_args,
        "actor_id": step.actor_id,
        "door": Door.SYSTEM,
        "at": step.at,
    }
