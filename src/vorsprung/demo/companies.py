"""Fictional companies and the people who work there, consistent within themselves:
names match industry and country, e-mail addresses the company's domain, phone numbers
the city."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from vorsprung.core.normalisers import LEGAL_FORMS
from vorsprung.customers.choices import Industry, Salutation
from vorsprung.demo.data import (
    COUNTRIES,
    DEAL_SIZE_BY_EMPLOYEES,
    DEFAULT_REVENUE_PER_EMPLOYEE,
    EMPLOYEE_RANGES,
    INDUSTRY_WORDS,
    JOB_TITLES,
    REVENUE_PER_EMPLOYEE,
    City,
    CountryProfile,
)
from vorsprung.demo.pools import CountryPool, Weighted, ascii_slug

LANGUAGE_INDEX = {"de": 0, "nb": 1, "en": 2}
INDUSTRIES = Weighted(
    (
        industry,
        {
            Industry.SOFTWARE: 10,
            Industry.MANUFACTURING: 10,
            Industry.LOGISTICS: 7,
            Industry.RETAIL: 7,
            Industry.CONSULTING: 6,
            Industry.ENGINEERING: 6,
            Industry.GOVERNMENT: 1,
            Industry.NONPROFIT: 1,
        }.get(industry, 3),
    )
    for industry in Industry.values
)


@dataclass
class Company:
    pool: CountryPool
    city: City
    name: str
    domain: str
    industry: str
    employees: int
    revenue_eur: Decimal
    street: str
    postal_code: str
    phone: str
    email_style: int
    # Local parts of the addresses handed out at this company.
    mailboxes: set[str] = field(default_factory=set)

    @property
    def profile(self) -> CountryProfile:
        return self.pool.profile

    @property
    def website(self) -> str:
        return f"https://www.{self.domain}"

    def revenue_local(self) -> Decimal:
        """Annual revenue in the company's currency, to the thousand."""
        return Decimal(round(float(self.revenue_eur) * self.profile.per_euro, -3))


@dataclass
class Person:
    salutation: str
    first_name: str
    last_name: str
    email: str
    phone: str
    mobile: str
    job_title: str
    is_decision_maker: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CompanyFactory:
    """Makes companies and people; remembers the names and domains already used so each
    company has its own domain, and each company its addresses, so each person has their
    own."""

    def __init__(self, rng: random.Random, pools: dict[str, CountryPool], used_domains: set[str]):
        self.rng = rng
        self.pools = pools
        self.used_domains = used_domains
        self.used_names: set[str] = set()
        # Mailboxes taken at each free-mail provider.
        self.free_mailboxes: defaultdict[str, set[str]] = defaultdict(set)
        self._countries = Weighted((profile.code, profile.weight) for profile in COUNTRIES)
        self._employee_ranges = Weighted(EMPLOYEE_RANGES)
        self._legal_forms = {profile.code: Weighted(profile.legal_forms) for profile in COUNTRIES}

    def country(self) -> CountryPool:
        code = self._countries.pick(self.rng)
        return self.pools[code]

    def company(self, pool: CountryPool | None = None) -> Company:
        rng = self.rng
        pool = pool or self.country()
        city = rng.choice(pool.profile.cities)
        industry = INDUSTRIES.pick(rng)
        low, high = self._employee_ranges.pick(rng)
        employees = rng.randint(low, high)
        per_employee = REVENUE_PER_EMPLOYEE.get(industry, DEFAULT_REVENUE_PER_EMPLOYEE)
        revenue = Decimal(round(employees * per_employee * rng.uniform(0.6, 1.5), -3))
        name, base = self._name(pool, city, industry)
        return Company(
            pool=pool,
            city=city,
            name=name,
            domain=self._domain(base, pool.profile, city),
            industry=industry,
            employees=employees,
            revenue_eur=revenue,
            street=pool.street_address(rng),
            postal_code=pool.postcode(rng, city),
            phone=pool.landline(rng, city),
            email_style=3 if employees <= 10 and rng.random() < 0.5 else rng.randrange(3),
        )

    def _name(self, pool: CountryPool, city: City, industry: str) -> tuple[str, str]:
        """The company's name and the part of it without the legal form."""
        name = base = ""
        for attempt in range(5):
            name, base = self._name_candidate(pool, city, industry, with_city=attempt == 4)
            if name.lower() not in self.used_names:
                break
        self.used_names.add(name.lower())
        return name, base

    def _name_candidate(
        self, pool: CountryPool, city: City, industry: str, *, with_city: bool
    ) -> tuple[str, str]:
        rng = self.rng
        profile = pool.profile
        words = INDUSTRY_WORDS[industry][LANGUAGE_INDEX[profile.language]]
        word = rng.choice(words)
        last = rng.choice(pool.last_names)
        legal = self._legal_forms[profile.code].pick(rng)
        if industry == Industry.GOVERNMENT:
            base = {
                "DE": f"Stadtwerke {city.name}",
                "NO": f"{city.name} kommune",
                "GB": f"{city.name} City Council",
                "US": f"City of {city.name}",
            }[profile.code]
            if with_city or base.lower() in self.used_names:
                # A second utility or council in the same city: name it after its area.
                base = f"{base} {rng.choice(profile.name_prefixes)}"
            return base, base
        if industry == Industry.NONPROFIT:
            base = {
                "DE": f"{last}-Stiftung",
                "NO": f"{last}stiftelsen",
                "GB": f"{last} {word}",
                "US": f"{last} {word}",
            }[profile.code]
            if with_city:
                base = f"{base} {city.name}"
            return base, base
        pattern = rng.random()
        if pattern < 0.45:
            base = f"{last} {word}"
        elif pattern < 0.65:
            base = f"{last} & {rng.choice(pool.last_names)}"
        elif pattern < 0.85:
            base = f"{rng.choice(profile.name_prefixes)} {word}"
        else:
            name = rng.choice(pool.companies)
            words = name.replace(",", " ").split()
            base = " ".join(w for w in words if w.lower().strip(".") not in LEGAL_FORMS)
            return name, base or name
        if with_city:
            base = f"{base} {city.name}"
        return f"{base} {legal}", base

    def _domain(self, base: str, profile: CountryProfile, city: City) -> str:
        slug = ascii_slug(base)[:50].strip("-") or "company"
        candidates = [slug, slug.replace("-", ""), f"{slug}-{ascii_slug(city.name)}"]
        for candidate in candidates:
            domain = f"{candidate}.{profile.tld}"
            if domain not in self.used_domains:
                break
        else:
            number = 2
            while f"{slug}{number}.{profile.tld}" in self.used_domains:
                number += 1
            domain = f"{slug}{number}.{profile.tld}"
        self.used_domains.add(domain)
        return domain

    def person(
        self,
        company: Company | None,
        *,
        pool: CountryPool | None = None,
        decides: bool | None = None,
    ) -> Person:
        """Someone at ``company`` (with an address at its domain), or, without a company,
        someone writing from a free-mail address."""
        rng = self.rng
        pool = company.pool if company is not None else (pool or self.country())
        profile = pool.profile
        female = rng.random() < 0.5
        first = rng.choice(pool.female_first_names if female else pool.male_first_names)
        last = rng.choice(pool.last_names)
        salutation = Salutation.MS if female else Salutation.MR
        roll = rng.random()
        if profile.code == "DE" and roll < 0.05:
            salutation = Salutation.DR
        elif roll < 0.01:
            salutation = Salutation.PROF
        elif roll > 0.985:
            salutation = Salutation.MX
        if decides is None:
            decides = rng.random() < 0.3
        titles = JOB_TITLES[profile.language][0 if decides else 1]
        city = company.city if company is not None else rng.choice(profile.cities)
        if company is not None:
            local = _email_local(first, last, company.email_style)
            email = f"{_numbered(local, company.mailboxes)}@{company.domain}"
        else:
            local = f"{_email_local(first, last, rng.randrange(3))}{rng.randrange(10, 99)}"
            domain = rng.choice(profile.free_mail)
            email = f"{_numbered(local, self.free_mailboxes[domain])}@{domain}"
        return Person(
            salutation=salutation,
            first_name=first,
            last_name=last,
            email=email,
            phone=pool.landline(rng, city),
            mobile=pool.mobile(rng, city) if rng.random() < 0.6 else "",
            job_title=_title(rng.choice(titles), female) if company is not None else "",
            is_decision_maker=decides,
        )

    def deal_size(self, company: Company) -> Decimal:
        """A plausible deal amount in the company's currency, rounded to 500."""
        low, high = next(
            size for limit, size in DEAL_SIZE_BY_EMPLOYEES if company.employees <= limit
        )
        euros = self.rng.uniform(low, high) * company.profile.per_euro
        return Decimal(max(500, round(euros / 500) * 500))


def _numbered(value: str, taken: set[str]) -> str:
    """``value``, or ``value2``, ``value3`` … whichever is free; it is taken from now on."""
    candidate, number = value, 2
    while candidate in taken:
        candidate, number = f"{value}{number}", number + 1
    taken.add(candidate)
    return candidate


def _title(title: str | tuple[str, str], female: bool) -> str:
    if isinstance(title, tuple):
        return title[1] if female else title[0]
    return title


def _email_local(first: str, last: str, style: int) -> str:
    first_slug = ascii_slug(first, separator="")
    last_slug = ascii_slug(last, separator="")
    if not first_slug or not last_slug:
        return first_slug or last_slug or "contact"
    if style == 0:
        return f"{first_slug}.{last_slug}"
    if style == 1:
        return f"{first_slug[:1]}.{last_slug}"
    if style == 2:
        return f"{first_slug}{last_slug[:1]}"
    return first_slug
