"""Fixed tables the demo data is built from: real cities with their postcodes and phone
ranges, the words companies are named with, job titles, campaigns and activity subjects."""

from dataclasses import dataclass

from vorsprung.customers.choices import Industry


@dataclass(frozen=True)
class City:
    name: str
    region: str
    # Postcode: (lowest, highest) for numeric codes, or outward codes ("SW1A") for the UK.
    postcodes: tuple
    # Landline numbers: E.164 prefix, allowed first subscriber digits, digits after that.
    landline: tuple[str, str, int]


@dataclass(frozen=True)
class CountryProfile:
    code: str
    locale: str
    language: str
    currency: str
    # Units of the local currency per euro, to keep amounts comparable.
    per_euro: float
    tld: str
    weight: int
    legal_forms: tuple[tuple[str, int], ...]
    # Mobile numbers: E.164 prefixes with their allowed first digits and remaining length.
    mobile: tuple[tuple[str, str, int], ...]
    free_mail: tuple[str, ...]
    cities: tuple[City, ...]
    name_prefixes: tuple[str, ...]


GERMANY = CountryProfile(
    code="DE",
    locale="de_DE",
    language="de",
    currency="EUR",
    per_euro=1.0,
    tld="de",
    weight=40,
    legal_forms=(("GmbH", 60), ("AG", 10), ("GmbH & Co. KG", 20), ("KG", 5), ("SE", 2)),
    mobile=(
        ("+49151", "0123456789", 7),
        ("+49160", "0123456789", 6),
        ("+49170", "0123456789", 6),
        ("+49172", "0123456789", 6),
        ("+49176", "0123456789", 7),
        ("+49179", "0123456789", 7),
    ),
    free_mail=("gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de"),
    cities=(
        City("Berlin", "Berlin", (10115, 14199), ("+4930", "23456789", 7)),
        City("Hamburg", "Hamburg", (20095, 22769), ("+4940", "23456789", 7)),
        City("München", "Bayern", (80331, 81929), ("+4989", "23456789", 7)),
        City("Köln", "Nordrhein-Westfalen", (50667, 51149), ("+49221", "23456789", 6)),
        City("Frankfurt am Main", "Hessen", (60306, 60599), ("+4969", "23456789", 7)),
        City("Stuttgart", "Baden-Württemberg", (70173, 70629), ("+49711", "23456789", 6)),
        City("Düsseldorf", "Nordrhein-Westfalen", (40210, 40629), ("+49211", "23456789", 6)),
        City("Leipzig", "Sachsen", (4103, 4357), ("+49341", "23456789", 6)),
        City("Dresden", "Sachsen", (1067, 1328), ("+49351", "23456789", 6)),
        City("Hannover", "Niedersachsen", (30159, 30669), ("+49511", "23456789", 6)),
        City("Nürnberg", "Bayern", (90402, 90491), ("+49911", "23456789", 6)),
        City("Bremen", "Bremen", (28195, 28779), ("+49421", "23456789", 6)),
        City("Essen", "Nordrhein-Westfalen", (45127, 45359), ("+49201", "23456789", 6)),
        City("Dortmund", "Nordrhein-Westfalen", (44135, 44388), ("+49231", "23456789", 6)),
        City("Mannheim", "Baden-Württemberg", (68159, 68309), ("+49621", "23456789", 6)),
        City("Karlsruhe", "Baden-Württemberg", (76131, 76229), ("+49721", "23456789", 6)),
        City("Münster", "Nordrhein-Westfalen", (48143, 48167), ("+49251", "23456789", 6)),
        City("Kiel", "Schleswig-Holstein", (24103, 24159), ("+49431", "23456789", 6)),
        City("Rostock", "Mecklenburg-Vorpommern", (18055, 18147), ("+49381", "23456789", 6)),
        City("Freiburg im Breisgau", "Baden-Württemberg", (79098, 79117), ("+49761", "2345", 6)),
    ),
    name_prefixes=(
        "Nord",
        "Süd",
        "Rhein",
        "Elb",
        "Alpen",
        "Spree",
        "Hansa",
        "Mosel",
        "Main",
        "Isar",
        "Weser",
        "Ruhr",
        "Brocken",
        "Taunus",
        "Eifel",
    ),
)

NORWAY = CountryProfile(
    code="NO",
    locale="no_NO",
    language="nb",
    currency="NOK",
    per_euro=11.6,
    tld="no",
    weight=20,
    legal_forms=(("AS", 85), ("ASA", 10), ("SA", 1)),
    mobile=(("+474", "01678", 6), ("+479", "0123456789", 6)),
    free_mail=("online.no", "gmail.com", "hotmail.no", "outlook.com"),
    cities=(
        City("Oslo", "Oslo", (150, 1295), ("+472", "23", 6)),
        City("Bergen", "Vestland", (5003, 5099), ("+4755", "0123456789", 5)),
        City("Trondheim", "Trøndelag", (7010, 7099), ("+4773", "0123456789", 5)),
        City("Stavanger", "Rogaland", (4005, 4099), ("+4751", "0123456789", 5)),
        City("Kristiansand", "Agder", (4608, 4699), ("+4738", "0123456789", 5)),
        City("Tromsø", "Troms", (9006, 9099), ("+4777", "0123456789", 5)),
        City("Drammen", "Buskerud", (3001, 3049), ("+4732", "0123456789", 5)),
        City("Fredrikstad", "Østfold", (1601, 1639), ("+4769", "0123456789", 5)),
        City("Ålesund", "Møre og Romsdal", (6002, 6099), ("+4770", "0123456789", 5)),
        City("Bodø", "Nordland", (8001, 8049), ("+4775", "0123456789", 5)),
    ),
    name_prefixes=(
        "Nordlys",
        "Fjord",
        "Vest",
        "Polar",
        "Havbris",
        "Fjell",
        "Viking",
        "Midnattsol",
        "Skagerak",
        "Trollheim",
        "Nordkapp",
        "Kyst",
    ),
)

UNITED_KINGDOM = CountryProfile(
    code="GB",
    locale="en_GB",
    language="en",
    currency="GBP",
    per_euro=0.85,
    tld="co.uk",
    weight=20,
    legal_forms=(("Ltd", 80), ("plc", 8), ("LLP", 6)),
    mobile=(("+4474", "0123456789", 7), ("+4475", "0123456789", 7), ("+4478", "0123456789", 7)),
    free_mail=("gmail.com", "outlook.com", "hotmail.co.uk", "yahoo.co.uk", "icloud.com"),
    cities=(
        City(
            "London",
            "Greater London",
            ("EC1A", "EC2M", "WC2N", "W1T", "SW1E", "SE1", "E14", "N1", "NW1"),
            ("+4420", "378", 7),
        ),
        City(
            "Manchester", "Greater Manchester", ("M1", "M2", "M3", "M4"), ("+44161", "2345678", 6)
        ),
        City(
            "Birmingham", "West Midlands", ("B1", "B2", "B3", "B4", "B5"), ("+44121", "234567", 6)
        ),
        City("Leeds", "West Yorkshire", ("LS1", "LS2", "LS10", "LS11"), ("+44113", "2345", 6)),
        City("Glasgow", "Scotland", ("G1", "G2", "G3"), ("+44141", "2345678", 6)),
        City("Edinburgh", "Scotland", ("EH1", "EH2", "EH3", "EH6"), ("+44131", "2345678", 6)),
        City("Bristol", "Bristol", ("BS1", "BS2"), ("+44117", "2349", 6)),
        City("Liverpool", "Merseyside", ("L1", "L2", "L3"), ("+44151", "2345678", 6)),
        City("Sheffield", "South Yorkshire", ("S1", "S2", "S3"), ("+44114", "2345", 6)),
        City("Newcastle upon Tyne", "Tyne and Wear", ("NE1", "NE2"), ("+44191", "2345678", 6)),
        City("Cardiff", "Wales", ("CF10", "CF11"), ("+4429", "2", 7)),
        City("Belfast", "Northern Ireland", ("BT1", "BT2"), ("+4428", "9", 7)),
    ),
    name_prefixes=(
        "Albion",
        "Thames",
        "Pennine",
        "Crown",
        "Northern",
        "Highland",
        "Severn",
        "Cotswold",
        "Mersey",
        "Britannia",
        "Kingsway",
        "Chiltern",
    ),
)

UNITED_STATES = CountryProfile(
    code="US",
    locale="en_US",
    language="en",
    currency="USD",
    per_euro=1.08,
    tld="com",
    weight=20,
    legal_forms=(("Inc.", 60), ("LLC", 30), ("Corp.", 10)),
    mobile=(),
    free_mail=("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com"),
    cities=(
        City("New York", "NY", (10001, 10282), ("+1212", "23456789", 6)),
        City("San Francisco", "CA", (94102, 94134), ("+1415", "23456789", 6)),
        City("Chicago", "IL", (60601, 60661), ("+1312", "23456789", 6)),
        City("Boston", "MA", (2108, 2137), ("+1617", "23456789", 6)),
        City("Seattle", "WA", (98101, 98199), ("+1206", "23456789", 6)),
        City("Austin", "TX", (78701, 78759), ("+1512", "23456789", 6)),
        City("Denver", "CO", (80202, 80239), ("+1303", "23456789", 6)),
        City("Atlanta", "GA", (30303, 30363), ("+1404", "23456789", 6)),
        City("Miami", "FL", (33125, 33199), ("+1305", "23456789", 6)),
        City("Minneapolis", "MN", (55401, 55488), ("+1612", "23456789", 6)),
        City("Los Angeles", "CA", (90001, 90089), ("+1213", "23456789", 6)),
        City("Philadelphia", "PA", (19102, 19154), ("+1215", "23456789", 6)),
    ),
    name_prefixes=(
        "Summit",
        "Pioneer",
        "Liberty",
        "Pacific",
        "Great Lakes",
        "Keystone",
        "Lone Star",
        "Redwood",
        "Bluegrass",
        "Cascade",
        "Evergreen",
        "Granite",
    ),
)

COUNTRIES = (GERMANY, NORWAY, UNITED_KINGDOM, UNITED_STATES)

# The word a company in an industry puts in its name: German, Norwegian, English.
INDUSTRY_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    Industry.AGRICULTURE: (("Agrar", "Landhandel"), ("Landbruk", "Gård"), ("Farms", "Agri")),
    Industry.AUTOMOTIVE: (("Automobil", "Fahrzeugtechnik"), ("Bil",), ("Automotive", "Motors")),
    Industry.BANKING: (("Finanz", "Bankhaus"), ("Finans", "Kapital"), ("Capital", "Finance")),
    Industry.CHEMICALS: (("Chemie",), ("Kjemi",), ("Chemicals",)),
    Industry.CONSTRUCTION: (("Bau", "Hochbau"), ("Bygg", "Entreprenør"), ("Construction",)),
    Industry.CONSULTING: (("Beratung", "Consulting"), ("Rådgivning",), ("Consulting", "Advisory")),
    Industry.EDUCATION: (
        ("Akademie", "Bildungswerk"),
        ("Akademi", "Kurs"),
        ("Academy", "Learning"),
    ),
    Industry.ENERGY: (("Energie", "Solar"), ("Energi", "Kraft"), ("Energy", "Power")),
    Industry.ENGINEERING: (("Technik", "Anlagenbau"), ("Teknikk",), ("Engineering",)),
    Industry.ENTERTAINMENT: (("Medien", "Film"), ("Media", "Film"), ("Media", "Studios")),
    Industry.FOOD: (("Lebensmittel", "Feinkost"), ("Mat", "Sjømat"), ("Foods", "Bakeries")),
    Industry.GOVERNMENT: (("Stadtwerke",), ("kommune",), ("Council",)),
    Industry.HEALTHCARE: (("Medizintechnik", "Klinik"), ("Helse", "Medisinsk"), ("Health", "Care")),
    Industry.HOSPITALITY: (("Hotels", "Reisen"), ("Hotell", "Reiser"), ("Hotels", "Travel")),
    Industry.INSURANCE: (("Versicherung",), ("Forsikring",), ("Insurance", "Assurance")),
    Industry.LOGISTICS: (("Logistik", "Spedition"), ("Logistikk", "Transport"), ("Logistics",)),
    Industry.MANUFACTURING: (("Werke", "Metallbau"), ("Industri", "Mekaniske"), ("Manufacturing",)),
    Industry.MARITIME: (("Reederei", "Schiffahrt"), ("Rederi", "Shipping"), ("Shipping", "Marine")),
    Industry.NONPROFIT: (("Stiftung",), ("Stiftelse",), ("Foundation", "Trust")),
    Industry.OIL_GAS: (("Mineralöl",), ("Olje", "Offshore"), ("Petroleum", "Oil & Gas")),
    Industry.PHARMA: (("Pharma", "Biotech"), ("Pharma", "Biotek"), ("Pharma", "Biosciences")),
    Industry.REAL_ESTATE: (("Immobilien",), ("Eiendom",), ("Properties", "Realty")),
    Industry.RETAIL: (("Handel", "Großhandel"), ("Handel", "Engros"), ("Retail", "Wholesale")),
    Industry.SOFTWARE: (("Software", "Digital", "IT"), ("Data", "Digital"), ("Software", "Tech")),
    Industry.TELECOM: (("Telekom", "Netz"), ("Telekom", "Nett"), ("Telecom", "Networks")),
    Industry.OTHER: (("Service", "Dienstleistungen"), ("Service", "Tjenester"), ("Services",)),
}

# Revenue per employee, in euros, roughly by industry.
REVENUE_PER_EMPLOYEE = {
    Industry.BANKING: 400_000,
    Industry.INSURANCE: 350_000,
    Industry.OIL_GAS: 900_000,
    Industry.ENERGY: 450_000,
    Industry.RETAIL: 250_000,
    Industry.SOFTWARE: 180_000,
    Industry.CONSULTING: 140_000,
    Industry.EDUCATION: 70_000,
    Industry.NONPROFIT: 60_000,
    Industry.GOVERNMENT: 80_000,
    Industry.HOSPITALITY: 70_000,
}
DEFAULT_REVENUE_PER_EMPLOYEE = 160_000

# (employee range, weight) — most leads are small and mid-sized businesses.
EMPLOYEE_RANGES = (
    ((2, 10), 14),
    ((11, 50), 30),
    ((51, 200), 26),
    ((201, 1000), 18),
    ((1001, 5000), 8),
    ((5001, 60000), 4),
)

# Typical deal size in euros for a company with this many employees at most.
DEAL_SIZE_BY_EMPLOYEES = (
    (10, (2_000, 9_000)),
    (50, (5_000, 30_000)),
    (200, (15_000, 80_000)),
    (1000, (40_000, 250_000)),
    (5000, (100_000, 600_000)),
    (10**9, (250_000, 2_000_000)),
)

# Job titles per language: those who decide, and everyone else. A pair is the title for a
# man and for a woman.
JOB_TITLES = {
    "de": (
        (
            ("Geschäftsführer", "Geschäftsführerin"),
            ("Vorstand", "Vorständin"),
            ("Leiter Einkauf", "Leiterin Einkauf"),
            ("IT-Leiter", "IT-Leiterin"),
            "Head of Sales",
            "Kaufmännische Leitung",
            "CTO",
        ),
        (
            ("Einkäufer", "Einkäuferin"),
            ("Projektmanager", "Projektmanagerin"),
            "Assistenz der Geschäftsführung",
            ("Referent Marketing", "Referentin Marketing"),
            ("Systemadministrator", "Systemadministratorin"),
            ("Teamleiter Logistik", "Teamleiterin Logistik"),
            ("Vertriebsingenieur", "Vertriebsingenieurin"),
            ("Controller", "Controllerin"),
            "Office Manager",
        ),
    ),
    "nb": (
        (
            "Daglig leder",
            "Administrerende direktør",
            "Innkjøpssjef",
            "IT-sjef",
            "Salgssjef",
            "Økonomisjef",
        ),
        (
            "Prosjektleder",
            "Innkjøper",
            "Rådgiver",
            "Systemansvarlig",
            "Markedskoordinator",
            "Driftsleder",
            "Controller",
        ),
    ),
    "en": (
        (
            "CEO",
            "Managing Director",
            "Head of Procurement",
            "IT Director",
            "VP Sales",
            "CFO",
            "COO",
        ),
        (
            "Procurement Manager",
            "Project Manager",
            "Operations Manager",
            "IT Administrator",
            "Marketing Coordinator",
            "Business Analyst",
            "Office Manager",
            "Sales Operations Lead",
        ),
    ),
}

NEEDS = (
    "Replace spreadsheets for tracking customer enquiries",
    "Consolidate three legacy CRM systems into one",
    "Faster quotes for the field sales team",
    "Customer data hosted in the EU, GDPR-compliant",
    "Pipeline reporting for the management board",
    "Integrate the web shop with sales follow-up",
    "Lead routing for a growing inside-sales team",
    "Track service contracts and renewals",
    "Mobile access for sales reps on the road",
    "Automate follow-up after trade shows",
)

DEAL_NAMES = (
    "Annual licence",
    "Pilot project",
    "Rollout phase 1",
    "Service contract",
    "Integration project",
    "Onboarding package",
    "Enterprise agreement",
    "Team expansion",
)

LOST_REASONS = (
    "Price too high",
    "Went with a competitor",
    "Project stalled, no decision",
    "Budget cut",
    "Missing integration with their ERP",
    "Timing: revisit next year",
)

NEXT_STEPS = (
    "Schedule demo with the IT team",
    "Send revised proposal",
    "Call the CFO about budget",
    "Reference call with an existing customer",
    "Security questionnaire",
    "Contract review with legal",
    "Workshop on requirements",
)

CAMPAIGNS = {
    "web_form": ("Contact form", "Demo request", "Pricing page: quote request"),
    "referral": ("Customer referral", "Referred by an existing customer"),
    "purchased_list": ("Data vendor list Q1", "Data vendor list Q3", "Industry directory"),
    "partner": ("Reseller partner", "Implementation partner", "Co-marketing webinar"),
    "trade_show": ("Hannover Messe", "Nor-Shipping", "CeBIT revival meetup", "SaaStr Europa"),
    "social_media": ("LinkedIn", "LinkedIn Ads", "YouTube"),
    "email_campaign": ("Spring newsletter", "Product launch mailing", "Webinar invitation"),
    "cold_outreach": ("Outbound sequence A", "Outbound sequence B", "Account-based campaign"),
    "advertising": ("Google Ads: brand", "Google Ads: competitor", "Trade magazine"),
    "other": ("", "Walk-in", "Press article"),
}

CONTENT_TITLES = (
    "CRM buyer's guide",
    "From lead to customer: a playbook",
    "GDPR checklist for sales teams",
    "Benchmark report: sales cycle length",
    "Case study: a logistics company doubles its win rate",
)

EVENTS = ("Hannover Messe", "Nor-Shipping", "Sales Summit London", "SaaStr Europa", "Web Summit")
