"""Plans one chunk of demo data in memory — organizations, contacts, leads, opportunities,
activities and history — each consistent with the others and with what the services would
have written; ``generator`` stores the chunk in bulk.

Every lead's history starts with its creation and ends in its current status along the
allowed moves; opportunities climb the stages of the pipeline and close won or lost; an
organization becomes a customer when it wins its first deal. Activities happen when the
history says they did: the first outbound call moves a lead to ``working``, a converted
lead's activities are on its contact, organization and opportunity as well."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from vorsprung.activities.choices import ActivityKind, Direction, Outcome
from vorsprung.core.normalisers import company_key, email_domain
from vorsprung.core.records import RecordType
from vorsprung.customers.choices import Lifecycle, size_band_for
from vorsprung.demo.bulk import Row
from vorsprung.demo.companies import Company, CompanyFactory, Person
from vorsprung.demo.data import (
    CAMPAIGNS,
    CONTENT_TITLES,
    DEAL_NAMES,
    EVENTS,
    LOST_REASONS,
    NEEDS,
    NEXT_STEPS,
)
from vorsprung.demo.pools import Weighted
from vorsprung.demo.team import DemoStaff
from vorsprung.leads.choices import DisqualificationReason, LeadSource, LeadStatus
from vorsprung.sales.choices import ContactRole, ForecastCategory
from vorsprung.sales.models import Pipeline, Stage

DAY = timedelta(days=1)
HISTORY_DAYS = 548
# Share of leads (in addition to the converted ones) that come with an account of their own.
STANDALONE_ORGANIZATIONS_PER_LEAD = 0.08

S = LeadStatus
STATUS_WEIGHTS_BY_AGE = (
    (14, {S.NEW: 45, S.WORKING: 33, S.NURTURING: 4, S.UNQUALIFIED: 10, S.CONVERTED: 8}),
    (90, {S.NEW: 10, S.WORKING: 30, S.NURTURING: 20, S.UNQUALIFIED: 27, S.CONVERTED: 13}),
    (None, {S.NEW: 3, S.WORKING: 12, S.NURTURING: 28, S.UNQUALIFIED: 43, S.CONVERTED: 14}),
)
SOURCE_WEIGHTS = {
    LeadSource.WEB_FORM: 22,
    LeadSource.REFERRAL: 8,
    LeadSource.PURCHASED_LIST: 8,
    LeadSource.PARTNER: 6,
    LeadSource.TRADE_SHOW: 10,
    LeadSource.SOCIAL_MEDIA: 8,
    LeadSource.EMAIL_CAMPAIGN: 12,
    LeadSource.COLD_OUTREACH: 14,
    LeadSource.ADVERTISING: 8,
    LeadSource.OTHER: 4,
}
# Leads that arrive on their own; the others a salesperson enters.
INBOUND_SOURCES = frozenset(
    {
        LeadSource.WEB_FORM,
        LeadSource.SOCIAL_MEDIA,
        LeadSource.EMAIL_CAMPAIGN,
        LeadSource.ADVERTISING,
        LeadSource.OTHER,
    }
)
QUALIFICATION_RATE = {
    S.NEW: 0.1,
    S.WORKING: 0.45,
    S.NURTURING: 0.5,
    S.UNQUALIFIED: 0.3,
    S.CONVERTED: 0.95,
}
INTERACTIONS = (
    (ActivityKind.CALL, 42),
    (ActivityKind.EMAIL, 38),
    (ActivityKind.MEETING, 10),
    (ActivityKind.SOCIAL, 5),
    (ActivityKind.SMS, 3),
    (ActivityKind.IN_PERSON, 2),
)
CALL_OUTCOMES = ((Outcome.CONNECTED, 55), (Outcome.LEFT_VOICEMAIL, 25), (Outcome.NO_ANSWER, 20))
MEETING_OUTCOMES = ((Outcome.HELD, 85), (Outcome.RESCHEDULED, 10), (Outcome.NO_SHOW, 5))
ORGANIZATION_KINDS = (("customer", 35), ("prospect", 45), ("partner", 8), ("former", 12))


@dataclass
class Step:
    from_value: str
    to_value: str
    at: datetime
    actor_id: int | None
    from_label: str = ""
    to_label: str = ""
    note: str = ""
    # Values of a note that is one of the application's own messages, translated when
    # shown (see history.services.SystemNote).
    note_args: dict | None = None


@dataclass
class History:
    record: Row
    record_type: str
    field: str
    steps: list[Step]


@dataclass
class OrganizationPlan:
    organization: Row
    company: Company
    kind: str
    owner_id: int | None
    contacts: list[Row] = field(default_factory=list)
    opportunities: list[Row] = field(default_factory=list)


@dataclass
class Batch:
    """Rows of one chunk, keyed by field attname; a foreign key may hold the row it
    points to until that row has an id."""

    organizations: list[OrganizationPlan] = field(default_factory=list)
    contacts: list[Row] = field(default_factory=list)
    leads: list[Row] = field(default_factory=list)
    opportunities: list[Row] = field(default_factory=list)
    # A converted lead and the opportunity it created, linked once both have ids.
    conversions: list[tuple[Row, Row]] = field(default_factory=list)
    contact_roles: list[Row] = field(default_factory=list)
    activities: list[Row] = field(default_factory=list)
    history: list[History] = field(default_factory=list)


class DemoBuilder:
    def __init__(
        self,
        *,
        rng: random.Random,
        companies: CompanyFactory,
        staff: DemoStaff,
        pipeline: Pipeline,
        stages: list[Stage],
        now: datetime,
        total_leads: int,
    ):
        self.rng = rng
        self.companies = companies
        self.staff = staff
        self.pipeline = pipeline
        self.open_stages = [s for s in stages if not s.is_won and not s.is_lost]
        self.won_stage = next(s for s in stages if s.is_won)
        self.lost_stage = next(s for s in stages if s.is_lost)
        self.stages = stages
        self.now = now
        self.timezone = timezone.get_current_timezone()
        self.today = now.astimezone(self.timezone).date()
        self.won_note = gettext_noop("Won “%(name)s”")
        self.leads_built = 0
        self.total_leads = max(1, total_leads)
        self.status_labels = {value: str(label) for value, label in S.choices}
        self.lifecycle_labels = {value: str(label) for value, label in Lifecycle.choices}
        self.statuses = list(S.values)
        self.sources = list(LeadSource.values)
        self.source_weights = Weighted(
            (source, SOURCE_WEIGHTS.get(source, 4)) for source in self.sources
        )
        self.status_tables = [
            (limit, Weighted(weights.items())) for limit, weights in STATUS_WEIGHTS_BY_AGE
        ]
        self.interactions = Weighted(INTERACTIONS)
        self.call_outcomes = Weighted(CALL_OUTCOMES)
        self.meeting_outcomes = Weighted(MEETING_OUTCOMES)
        self.organization_kinds = Weighted(ORGANIZATION_KINDS)
        self.contacts_per_organization = Weighted(((1, 25), (2, 45), (3, 30)))
        self.disqualification_reasons = [
            str(label) for value, label in DisqualificationReason.choices
        ]

    # --- helpers -------------------------------------------------------------------------

    def _between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        return start + (end - start) * self.rng.random()

    def _later(self, start: datetime, low: float, high: float) -> datetime:
        return start + (self.now - start) * self.rng.uniform(low, high)

    def _owner(self, country: str) -> int:
        team = self.staff.by_country[country]
        if self.rng.random() < 0.1:
            return team.manager.pk
        return self.rng.choice(team.reps).pk

    def _activity(
        self,
        batch: Batch,
        kind: str,
        subject: str,
        at: datetime,
        *,
        owner_id: int | None,
        direction: str = "",
        outcome: str = "",
        due_at: datetime | None = None,
        lead: Row | None = None,
        contact: Row | None = None,
        organization: Row | None = None,
        opportunity: Row | None = None,
    ) -> None:
        done = due_at is None
        batch.activities.append(
            {
                "kind": kind,
                "direction": direction,
                "subject": subject[:255],
                "occurred_at": at,
                "due_at": due_at,
                "done": done,
                "done_at": at if done else None,
                "outcome": outcome,
                "owner_id": owner_id,
                "lead_id": lead,
                "contact_id": contact,
                "organization_id": organization,
                "opportunity_id": opportunity,
                "created_at": at,
                "updated_at": at,
            }
        )

    def _interaction(self, batch: Batch, at: datetime, *, owner_id, name: str, **links) -> None:
        rng = self.rng
        kind = self.interactions.pick(rng)
        direction, outcome = Direction.OUTBOUND, ""
        if kind == ActivityKind.CALL:
            outcome = self.call_outcomes.pick(rng)
            subject = rng.choice(("Follow-up call", "Call about requirements", "Call: pricing"))
        elif kind == ActivityKind.EMAIL:
            if rng.random() < 0.3:
                direction, outcome = Direction.INBOUND, ""
                subject = rng.choice(("Re: Product overview", "Question about pricing"))
            else:
                subject = rng.choice(("Product overview", "Case study for you", "Next steps"))
        elif kind == ActivityKind.MEETING:
            outcome = self.meeting_outcomes.pick(rng)
            subject = rng.choice(("Product demo", "Video call with the team", "Site visit"))
        elif kind == ActivityKind.SOCIAL:
            subject = f"Connected with {name} on LinkedIn"
        elif kind == ActivityKind.SMS:
            subject = "Confirmed the meeting time"
        else:
            subject = f"Met {name} at {rng.choice(EVENTS)}"
        self._activity(
            batch,
            kind,
            subject,
            at,
            owner_id=owner_id,
            direction=direction,
            outcome=outcome,
            **links,
        )

    def _history(self, batch: Batch, record, record_type: str, field_name: str, steps) -> None:
        batch.history.append(History(record, record_type, field_name, steps))

    # --- chunk ---------------------------------------------------------------------------

    def build(self, lead_count: int) -> Batch:
        """Plan ``lead_count`` leads with their organizations, contacts, opportunities,
        activities and history."""
        batch = Batch()
        first_chunk = self.leads_built == 0
        standalone = round(lead_count * STANDALONE_ORGANIZATIONS_PER_LEAD)
        if lead_count and first_chunk:
            standalone = max(standalone, 1)
        for _index in range(standalone):
            self._standalone_organization(batch)
        accounts = [plan for plan in batch.organizations if plan.kind in ("customer", "prospect")]
        for _index in range(lead_count):
            self._lead(batch, accounts)
        if first_chunk:
            self._cover_every_stage(batch)
        for plan in batch.organizations:
            self._settle_lifecycle(batch, plan)
        return batch

    def _cover_every_stage(self, batch: Batch) -> None:
        """A small demo still shows every stage of the pipeline."""
        seen = {opportunity["stage_id"] for opportunity in batch.opportunities}
        candidates = [p for p in batch.organizations if p.kind in ("customer", "prospect")]
        if not candidates:
            return
        for stage in self.stages:
            if stage.pk in seen:
                continue
            plan = self.rng.choice(candidates)
            created = self._between(plan.organization["created_at"], self.now - 20 * DAY)
            self._opportunity(
                batch,
                plan,
                created=created,
                contact=plan.contacts[0] if plan.contacts else None,
                owner_id=plan.owner_id,
                name=f"{plan.organization['name']} – {self.rng.choice(DEAL_NAMES)}",
                amount=self.companies.deal_size(plan.company),
                currency=plan.company.profile.currency,
                stage=stage,
            )

    # --- organizations and contacts ------------------------------------------------------

    def _organization(self, company: Company, *, created: datetime, owner_id: int | None) -> Row:
        with_revenue = self.rng.random() < 0.6
        return {
            "name": company.name,
            "name_key": company_key(company.name),
            "website": company.website,
            "domain": company.domain,
            "industry": company.industry,
            "size_band": size_band_for(company.employees),
            "employee_count": company.employees,
            "annual_revenue": company.revenue_local() if with_revenue else None,
            "annual_revenue_currency": company.profile.currency if with_revenue else "",
            "phone": company.phone,
            "street": company.street,
            "postal_code": company.postal_code,
            "city": company.city.name,
            "region": company.city.region,
            "country": company.profile.code,
            "owner_id": owner_id,
            "created_at": created,
            "updated_at": created,
        }

    def _organization_from_lead(self, lead: Row, company: Company, created, owner_id) -> Row:
        """What conversion copies from the lead, plus the switchboard number and the
        currency the lead's revenue is in."""
        return {
            "name": lead["company"],
            "name_key": company_key(lead["company"]),
            "website": lead["website"],
            "domain": lead["domain"],
            "industry": lead["industry"],
            "size_band": lead["size_band"],
            "employee_count": lead["employee_count"],
            "annual_revenue": lead["annual_revenue"],
            "annual_revenue_currency": "EUR" if lead["annual_revenue"] is not None else "",
            "phone": company.phone,
            "street": lead["street"],
            "postal_code": lead["postal_code"],
            "city": lead["city"],
            "region": lead["region"],
            "country": lead["country"],
            "owner_id": owner_id,
            "created_at": created,
            "updated_at": created,
        }

    def _contact(
        self,
        batch: Batch,
        plan: OrganizationPlan,
        person: Person,
        created: datetime,
        *,
        with_address: bool,
    ) -> Row:
        company = plan.company
        contact = {
            "salutation": person.salutation,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "phone": person.phone,
            "mobile": person.mobile,
            "job_title": person.job_title,
            "organization_id": plan.organization,
            "is_decision_maker": person.is_decision_maker,
            "do_not_call": self.rng.random() < 0.03,
            "email_opt_out": self.rng.random() < 0.05,
            "street": company.street if with_address else "",
            "postal_code": company.postal_code if with_address else "",
            "city": company.city.name if with_address else "",
            "country": company.profile.code,
            "owner_id": plan.owner_id,
            "created_at": created,
            "updated_at": created,
        }
        plan.contacts.append(contact)
        batch.contacts.append(contact)
        return contact

    def _standalone_organization(self, batch: Batch) -> None:
        rng = self.rng
        company = self.companies.company()
        kind = self.organization_kinds.pick(rng)
        created = self.now - DAY * rng.uniform(45, 900)
        owner_id = self._owner(company.profile.code)
        organization = self._organization(company, created=created, owner_id=owner_id)
        plan = OrganizationPlan(organization, company, kind, owner_id)
        batch.organizations.append(plan)
        for index in range(self.contacts_per_organization.pick(rng)):
            person = self.companies.person(company, decides=True if index == 0 else None)
            self._contact(
                batch,
                plan,
                person,
                created + DAY * rng.uniform(0, 20 * index),
                with_address=rng.random() < 0.5,
            )
        contacts = plan.contacts
        name = organization["name"]

        def deal(created_at, stage=None, title=None):
            known = [c for c in contacts if c["created_at"] <= created_at] or contacts[:1]
            return self._opportunity(
                batch,
                plan,
                created=created_at,
                contact=rng.choice(known),
                owner_id=owner_id,
                name=f"{name} – {title or rng.choice(DEAL_NAMES)}",
                amount=self.companies.deal_size(company),
                currency=company.profile.currency,
                stage=stage,
            )

        if kind == "customer":
            won = deal(self._later(created, 0.0, 0.5), stage=self.won_stage)
            if rng.random() < 0.4:
                deal(self._between(won["closed_at"], self.now), title="Upsell")
            if rng.random() < 0.15:
                deal(self._later(created, 0.1, 0.9), stage=self.lost_stage)
        elif kind == "prospect" and rng.random() < 0.6:
            deal(self._later(created, 0.1, 0.95))
        elif kind == "former" and rng.random() < 0.5:
            deal(self._later(created, 0.3, 0.8), stage=self.lost_stage, title="Renewal")
        for _index in range(rng.choice((0, 0, 1, 2))):
            contact = rng.choice(contacts)
            self._interaction(
                batch,
                self._between(contact["created_at"], self.now),
                owner_id=owner_id,
                name=contact["first_name"],
                contact=contact,
                organization=organization,
            )
        if kind == "customer" and rng.random() < 0.5:
            self._activity(
                batch,
                ActivityKind.MEETING,
                "Quarterly business review",
                self._later(created, 0.5, 1.0),
                owner_id=owner_id,
                direction=Direction.OUTBOUND,
                outcome=Outcome.HELD,
                contact=contacts[0],
                organization=organization,
            )

    def _settle_lifecycle(self, batch: Batch, plan: OrganizationPlan) -> None:
        """The lifecycle follows the deals: a won opportunity makes a customer."""
        organization = plan.organization
        created = organization["created_at"]
        actor = plan.owner_id
        labels = self.lifecycle_labels
        L = Lifecycle
        if plan.kind == "partner":
            steps = [Step("", L.PARTNER, created, actor, "", labels[L.PARTNER])]
        elif plan.kind == "former":
            ended = self._later(created, 0.3, 0.9)
            steps = [
                Step("", L.CUSTOMER, created, actor, "", labels[L.CUSTOMER]),
                Step(
                    L.CUSTOMER,
                    L.FORMER_CUSTOMER,
                    ended,
                    actor,
                    labels[L.CUSTOMER],
                    labels[L.FORMER_CUSTOMER],
                    "Contract ended",
                ),
            ]
        else:
            steps = [Step("", L.PROSPECT, created, actor, "", labels[L.PROSPECT])]
            won = [o for o in plan.opportunities if o["is_won"]]
            if won:
                first = min(won, key=lambda o: o["closed_at"])
                steps.append(
                    Step(
                        L.PROSPECT,
                        L.CUSTOMER,
                        first["closed_at"],
                        actor,
                        labels[L.PROSPECT],
                        labels[L.CUSTOMER],
                        self.won_note,
                        {"name": first["name"]},
                    )
                )
        organization["lifecycle"] = steps[-1].to_value
        organization["updated_at"] = max(organization["updated_at"], steps[-1].at)
        organization["version"] = len(steps)
        self._history(batch, organization, RecordType.ORGANIZATION, "lifecycle", steps)

    # --- opportunities -------------------------------------------------------------------

    def _opportunity(
        self,
        batch: Batch,
        plan: OrganizationPlan,
        *,
        created: datetime,
        contact: Row | None,
        owner_id: int | None,
        name: str,
        amount: Decimal | None,
        currency: str,
        source: str = "",
        source_lead: Row | None = None,
        stage: Stage | None = None,
    ) -> Row:
        rng = self.rng
        open_stages = self.open_stages
        age_days = (self.now - created) / DAY
        if stage is None:
            if rng.random() < min(0.75, age_days / 200):
                stage = self.won_stage if rng.random() < 0.4 else self.lost_stage
            else:
                position = int(rng.random() * (1 + age_days / 25))
                stage = open_stages[min(len(open_stages) - 1, position)]
        if stage.is_won:
            reached = max(0, len(open_stages) - rng.choice((1, 1, 1, 2)))
        elif stage.is_lost:
            reached = rng.randrange(len(open_stages))
        else:
            reached = open_stages.index(stage)
        path = open_stages[: reached + 1] + ([stage] if stage.is_closed else [])
        moves = len(path) - 1
        if moves:
            end = self._later(created, 0.35, 0.95)
            times = [created, *sorted(self._between(created, end) for _ in range(moves - 1)), end]
        else:
            times = [created]
        lost_reason = rng.choice(LOST_REASONS) if stage.is_lost else ""
        if stage.is_closed:
            expected_close = times[-1].astimezone(self.timezone).date()
            forecast = stage.forecast_category or ForecastCategory.CLOSED
        else:
            expected_close = self.today + DAY * rng.randint(-20, 120)
            forecast = stage.forecast_category
        opportunity = {
            "name": name[:200],
            "organization_id": plan.organization,
            "primary_contact_id": contact,
            "amount": amount,
            "currency": currency,
            "pipeline_id": self.pipeline.pk,
            "stage_id": stage.pk,
            "probability": stage.probability,
            "forecast_category": forecast,
            "expected_close_date": expected_close,
            "next_step": "" if stage.is_closed else rng.choice(NEXT_STEPS),
            "is_closed": stage.is_closed,
            "is_won": stage.is_won,
            "closed_at": times[-1] if stage.is_closed else None,
            "lost_reason": lost_reason,
            "source": source,
            "source_lead_id": source_lead,
            "owner_id": owner_id,
            "created_at": created,
            "updated_at": times[-1],
            "version": len(path),
        }
        plan.opportunities.append(opportunity)
        batch.opportunities.append(opportunity)

        steps = [Step("", str(path[0].pk), created, owner_id, "", path[0].name)]
        links = {
            "owner_id": owner_id,
            "contact": contact,
            "organization": plan.organization,
            "opportunity": opportunity,
        }
        for previous, current, at in zip(path, path[1:], times[1:], strict=False):
            steps.append(
                Step(
                    str(previous.pk),
                    str(current.pk),
                    at,
                    owner_id,
                    previous.name,
                    current.name,
                    lost_reason if current.is_lost else "",
                )
            )
            self._stage_activity(batch, current, at, lost_reason, links)
        self._history(batch, opportunity, RecordType.OPPORTUNITY, "stage", steps)

        if not stage.is_closed and rng.random() < 0.6:
            self._activity(
                batch,
                ActivityKind.TASK,
                f"Follow up: {opportunity['next_step']}",
                self._between(times[-1], self.now),
                due_at=self.now + DAY * rng.uniform(-5, 21),
                **links,
            )
        if contact is not None:
            self._contact_roles(batch, plan, opportunity, contact, from_lead=source_lead)
        return opportunity

    def _stage_activity(self, batch, stage: Stage, at, lost_reason: str, links: dict) -> None:
        if stage.is_won:
            self._activity(batch, ActivityKind.NOTE, "Contract signed", at, **links)
        elif stage.is_lost:
            self._activity(batch, ActivityKind.NOTE, f"Lost: {lost_reason}", at, **links)
        else:
            position = self.open_stages.index(stage) % 3
            kind, subject, outcome = (
                (ActivityKind.CALL, f"{stage.name}: negotiation call", Outcome.CONNECTED),
                (ActivityKind.MEETING, f"{stage.name}: requirements workshop", Outcome.HELD),
                (ActivityKind.EMAIL, f"{stage.name}: proposal sent", ""),
            )[position]
            self._activity(
                batch, kind, subject, at, direction=Direction.OUTBOUND, outcome=outcome, **links
            )

    def _contact_roles(
        self,
        batch: Batch,
        plan: OrganizationPlan,
        opportunity: Row,
        contact: Row,
        *,
        from_lead: Row | None,
    ) -> None:
        rng = self.rng
        if from_lead is not None:
            # Conversion names the lead's person decision maker when they said they decide.
            if from_lead["is_decision_maker"]:
                batch.contact_roles.append(
                    {
                        "opportunity_id": opportunity,
                        "contact_id": contact,
                        "role": ContactRole.DECISION_MAKER,
                    }
                )
            return
        role = (
            ContactRole.DECISION_MAKER
            if contact["is_decision_maker"]
            else rng.choice((ContactRole.ECONOMIC_BUYER, ContactRole.INFLUENCER))
        )
        batch.contact_roles.append(
            {"opportunity_id": opportunity, "contact_id": contact, "role": role}
        )
        others = [
            c
            for c in plan.contacts
            if c is not contact and c["created_at"] <= opportunity["created_at"]
        ]
        if others and rng.random() < 0.4:
            batch.contact_roles.append(
                {
                    "opportunity_id": opportunity,
                    "contact_id": rng.choice(others),
                    "role": rng.choice((ContactRole.TECHNICAL_EVALUATOR, ContactRole.USER)),
                }
            )

    # --- leads ---------------------------------------------------------------------------

    def _created_at(self, index: int) -> datetime:
        """Leads arrive in order, oldest first, more of them recently than a year ago (the
        business is growing). In order, they also go into the indexes in order, which
        keeps writing fast."""
        share = 1 - (index + self.rng.random()) / self.total_leads
        age = HISTORY_DAYS * max(0.0, share) ** 1.4
        return self.now - DAY * age - timedelta(minutes=5)

    def _status(self, created: datetime) -> str:
        age_days = (self.now - created) / DAY
        for limit, statuses in self.status_tables:
            if limit is None or age_days < limit:
                return statuses.pick(self.rng)
        raise AssertionError("unreachable")

    def _status_path(self, status: str, created: datetime, owner_id, creator_id) -> list[Step]:
        """The status moves that led to ``status``, along the allowed moves."""
        rng = self.rng
        labels = self.status_labels
        route = [S.NEW]
        if status == S.WORKING:
            route += [S.WORKING]
            if rng.random() < 0.1:
                route += [S.NURTURING, S.WORKING]
        elif status == S.NURTURING:
            route += [S.WORKING, S.NURTURING]
        elif status == S.UNQUALIFIED:
            roll = rng.random()
            if roll < 0.35:
                route += [S.UNQUALIFIED]
            elif roll < 0.85:
                route += [S.WORKING, S.UNQUALIFIED]
            else:
                route += [S.WORKING, S.NURTURING, S.UNQUALIFIED]
        elif status == S.CONVERTED:
            route += [S.CONVERTED] if rng.random() < 0.15 else [S.WORKING, S.CONVERTED]
        steps = [Step("", S.NEW, created, creator_id, "", labels[S.NEW])]
        at = created
        for previous, current in zip(route, route[1:], strict=False):
            if previous == S.NEW:
                # First contact: within hours or days, rarely later.
                at = at + min(DAY * rng.expovariate(1 / 1.5), (self.now - at) * 0.5)
            else:
                at = self._later(at, 0.1, 0.6)
            steps.append(Step(previous, current, at, owner_id, labels[previous], labels[current]))
        return steps

    def _lead(self, batch: Batch, accounts: list[OrganizationPlan]) -> None:
        rng = self.rng
        index = self.leads_built
        self.leads_built += 1
        created = self._created_at(index)
        # The first leads of a run show every status and every source, however few.
        statuses, sources = self.statuses, self.sources
        status = statuses[index] if index < len(statuses) else self._status(created)
        source = sources[index] if index < len(sources) else self.source_weights.pick(rng)
        is_open = status in (S.NEW, S.WORKING, S.NURTURING)

        company: Company | None
        if is_open and accounts and rng.random() < 0.08:
            company = rng.choice(accounts).company
        elif status != S.CONVERTED and source in INBOUND_SOURCES and rng.random() < 0.06:
            company = None
        else:
            company = self.companies.company()
        if company is not None:
            profile = company.profile
            person = self.companies.person(company)
        else:
            pool = self.companies.country()
            profile = pool.profile
            person = self.companies.person(None, pool=pool)

        if status == S.NEW and source in INBOUND_SOURCES and rng.random() < 0.35:
            owner_id = None
        else:
            owner_id = self._owner(profile.code)
        creator_id = None if source in INBOUND_SOURCES else owner_id
        path = self._status_path(status, created, owner_id, creator_id)
        reason = ""
        if status == S.UNQUALIFIED:
            reason = rng.choice(self.disqualification_reasons)
            path[-1].note = reason

        lead = {
            "salutation": person.salutation,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "phone": person.phone if rng.random() < 0.85 else "",
            "mobile": person.mobile,
            "job_title": person.job_title,
            "company": "",
            "website": "",
            "domain": "",
            "industry": "",
            "size_band": "",
            "employee_count": None,
            "annual_revenue": None,
            "street": "",
            "postal_code": "",
            "city": "",
            "region": "",
            "country": profile.code,
            "source": source,
            "source_detail": rng.choice(CAMPAIGNS[source]),
            "status": status,
            "disqualification_reason": reason,
            "owner_id": owner_id,
            "is_decision_maker": None,
            "created_at": created,
            "updated_at": path[-1].at,
            "version": len(path),
        }
        if company is not None:
            self._company_fields(lead, company, complete=status == S.CONVERTED)
        if not lead["domain"]:
            lead["domain"] = email_domain(lead["email"])
        if rng.random() < QUALIFICATION_RATE[status]:
            self._qualify(lead, person, company, created)
        batch.leads.append(lead)

        links = {}
        if status == S.CONVERTED:
            links = self._convert(batch, lead, company, path[-1].at, owner_id)
        self._history(batch, lead, RecordType.LEAD, "status", path)
        self._lead_activities(batch, lead, path, owner_id, links)

    def _company_fields(self, lead: Row, company: Company, *, complete: bool) -> None:
        rng = self.rng
        lead["company"] = company.name
        if complete or rng.random() < 0.6:
            lead["website"] = company.website
            lead["domain"] = company.domain
        if complete or rng.random() < 0.5:
            lead["industry"] = company.industry
        if complete or rng.random() < 0.4:
            lead["employee_count"] = company.employees
            lead["size_band"] = size_band_for(company.employees)
        if rng.random() < 0.3:
            lead["annual_revenue"] = company.revenue_eur
        if rng.random() < (0.8 if complete else 0.35):
            lead["street"] = company.street
            lead["postal_code"] = company.postal_code
            lead["city"] = company.city.name
            lead["region"] = company.city.region

    def _qualify(self, lead: Row, person: Person, company: Company | None, created) -> None:
        rng = self.rng
        lead["need"] = rng.choice(NEEDS)
        lead["need_confirmed"] = rng.random() < 0.7
        if company is not None and rng.random() < 0.7:
            lead["budget_amount"] = self.companies.deal_size(company)
            lead["budget_currency"] = company.profile.currency
            lead["budget_confirmed"] = rng.random() < 0.5
        lead["is_decision_maker"] = person.is_decision_maker
        if not person.is_decision_maker and company is not None:
            boss = self.companies.person(company, decides=True)
            lead["decision_maker"] = f"{boss.full_name}, {boss.job_title}"[:200]
        decision = created + DAY * rng.randint(30, 150)
        lead["expected_decision_date"] = decision.astimezone(self.timezone).date()

    def _convert(self, batch: Batch, lead: Row, company: Company, at, owner_id) -> dict:
        """What ``lead_convert`` creates: an organization, a contact and usually an
        opportunity whose source is the lead."""
        rng = self.rng
        organization = self._organization_from_lead(lead, company, at, owner_id)
        plan = OrganizationPlan(organization, company, "prospect", owner_id)
        batch.organizations.append(plan)
        contact = {
            "salutation": lead["salutation"],
            "first_name": lead["first_name"],
            "last_name": lead["last_name"],
            "email": lead["email"],
            "phone": lead["phone"],
            "mobile": lead["mobile"],
            "job_title": lead["job_title"],
            "organization_id": organization,
            "is_decision_maker": bool(lead["is_decision_maker"]),
            "street": lead["street"],
            "postal_code": lead["postal_code"],
            "city": lead["city"],
            "country": lead["country"],
            "owner_id": owner_id,
            "created_at": at,
            "updated_at": at,
        }
        plan.contacts.append(contact)
        batch.contacts.append(contact)
        lead["converted_at"] = at
        lead["converted_contact_id"] = contact
        lead["converted_organization_id"] = organization
        links = {"contact": contact, "organization": organization}
        if rng.random() < 0.85:
            opportunity = self._opportunity(
                batch,
                plan,
                created=at,
                contact=contact,
                owner_id=owner_id,
                name=f"{lead['company']} – {rng.choice(DEAL_NAMES)}",
                amount=lead.get("budget_amount") or self.companies.deal_size(company),
                currency=lead.get("budget_currency") or company.profile.currency,
                source=lead["source"],
                source_lead=lead,
            )
            batch.conversions.append((lead, opportunity))
            links["opportunity"] = opportunity
        for _index in range(rng.choice((0, 1, 1, 2))):
            self._contact(
                batch,
                plan,
                self.companies.person(company),
                self._later(at, 0.05, 0.9),
                with_address=False,
            )
        return links

    def _marketing_touch(self, source: str) -> tuple[str, str] | None:
        rng = self.rng
        if source == LeadSource.WEB_FORM:
            return ActivityKind.FORM_SUBMITTED, rng.choice(CAMPAIGNS[source])
        if source == LeadSource.EMAIL_CAMPAIGN:
            if rng.random() < 0.5:
                return ActivityKind.NEWSLETTER_SIGNUP, "Signed up for the newsletter"
            return ActivityKind.CONTENT_DOWNLOADED, f"Downloaded “{rng.choice(CONTENT_TITLES)}”"
        if source == LeadSource.TRADE_SHOW:
            return ActivityKind.EVENT_ATTENDED, f"Visited our stand at {rng.choice(EVENTS)}"
        if source in (LeadSource.ADVERTISING, LeadSource.SOCIAL_MEDIA) and rng.random() < 0.7:
            if rng.random() < 0.5:
                return ActivityKind.WEBSITE_VISIT, "Visited the pricing page"
            return ActivityKind.CONTENT_DOWNLOADED, f"Downloaded “{rng.choice(CONTENT_TITLES)}”"
        return None

    def _lead_activities(self, batch: Batch, lead: Row, path: list[Step], owner_id, links):
        rng = self.rng
        name = lead["first_name"] or lead["email"]
        created = path[0].at
        targets = {"lead": lead, **links}

        touch = self._marketing_touch(lead["source"])
        if touch is not None:
            self._activity(
                batch, *touch, created, owner_id=None, direction=Direction.INBOUND, **targets
            )
        if rng.random() < 0.04 and lead["source"] in INBOUND_SOURCES:
            self._activity(
                batch,
                ActivityKind.TRIAL_STARTED,
                "Started a 14-day trial",
                self._between(created, path[1].at if len(path) > 1 else self.now),
                owner_id=None,
                direction=Direction.INBOUND,
                **targets,
            )
        for position, step in enumerate(path[1:], start=1):
            until = path[position + 1].at if position + 1 < len(path) else self.now
            if step.from_value == S.NEW and step.to_value != S.UNQUALIFIED:
                if step.to_value == S.CONVERTED:
                    kind, subject = ActivityKind.EMAIL, "Request for quote"
                    direction = Direction.INBOUND
                else:
                    kind = rng.choice((ActivityKind.CALL, ActivityKind.EMAIL))
                    subject = f"First contact with {name}"
                    direction = Direction.OUTBOUND
                outcome = self.call_outcomes.pick(rng) if kind == ActivityKind.CALL else ""
                self._activity(
                    batch,
                    kind,
                    subject,
                    step.at,
                    owner_id=owner_id,
                    direction=direction,
                    outcome=outcome,
                    **targets,
                )
            if step.to_value == S.WORKING:
                for _index in range(rng.choice((0, 0, 0, 1, 1, 2))):
                    self._interaction(
                        batch,
                        self._between(step.at, until),
                        owner_id=owner_id,
                        name=name,
                        **targets,
                    )
            elif step.to_value == S.NURTURING:
                if rng.random() < 0.4:
                    self._activity(
                        batch,
                        ActivityKind.EMAIL,
                        "Let's talk again in a few months",
                        step.at,
                        owner_id=owner_id,
                        direction=Direction.OUTBOUND,
                        **targets,
                    )
                if rng.random() < 0.2:
                    self._activity(
                        batch,
                        ActivityKind.CONTENT_DOWNLOADED,
                        f"Downloaded “{rng.choice(CONTENT_TITLES)}”",
                        self._between(step.at, until),
                        owner_id=None,
                        direction=Direction.INBOUND,
                        **targets,
                    )
            elif step.to_value == S.UNQUALIFIED and rng.random() < 0.4:
                self._activity(
                    batch,
                    ActivityKind.NOTE,
                    f"Disqualified: {step.note}",
                    step.at,
                    owner_id=owner_id,
                    **targets,
                )
            elif step.to_value == S.CONVERTED and step.from_value != S.NEW:
                self._activity(
                    batch,
                    ActivityKind.MEETING,
                    "Discovery meeting",
                    self._between(path[position - 1].at, step.at),
                    owner_id=owner_id,
                    direction=Direction.OUTBOUND,
                    outcome=Outcome.HELD,
                    **targets,
                )

        due = None
        status = lead["status"]
        if status == S.NEW and owner_id is not None and rng.random() < 0.5:
            due = created + DAY
            task_created = created
            subject = f"Call {name}"
        elif status == S.WORKING and rng.random() < 0.5:
            due = self.now + DAY * rng.uniform(-5, 14)
            task_created = self._between(path[-1].at, self.now)
            subject = f"Follow up with {name}"
        elif status == S.NURTURING and rng.random() < 0.4:
            due = self.now + DAY * rng.uniform(14, 120)
            task_created = self._between(path[-1].at, self.now)
            subject = f"Check back with {name} about timing"
        if due is not None:
            lead["next_follow_up_at"] = due
            self._activity(
                batch,
                ActivityKind.TASK,
                subject,
                task_created,
                owner_id=owner_id,
                due_at=due,
                lead=lead,
            )
