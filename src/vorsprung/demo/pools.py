"""Pools of names, streets and companies drawn from Faker once, then combined with
``random``: asking Faker for every row would be far too slow for a million leads."""

import bisect
import itertools
import random
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from faker import Faker

from vorsprung.demo.data import COUNTRIES, City, CountryProfile

POOL_SIZE = 1200

_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "o", "å": "aa", "&": " "}
)
_UK_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_WORD = re.compile(r"[a-z0-9]+")
_NAME = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


@lru_cache(maxsize=100_000)
def ascii_slug(text: str, separator: str = "-") -> str:
    """Lower-case ASCII words joined by ``separator``: "Müller & Söhne" → "mueller-soehne"."""
    text = text.lower().translate(_TRANSLITERATION)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return separator.join(_WORD.findall(text))


class DemoRandom(random.Random):
    """``random.Random`` whose ``choice``, ``randint`` and ``randrange`` take one float
    draw each: uniform enough for demo data, and several times faster than drawing bits
    until they fit, which matters at millions of calls."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randrange(self, start, stop=None, step=1):
        if stop is None:
            start, stop = 0, start
        if step != 1:
            return super().randrange(start, stop, step)
        return start + int(self.random() * (stop - start))

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))


class Weighted:
    """Picks one of several values with fixed weights (``random.choices`` for one pick,
    without recomputing the weights each time)."""

    def __init__(self, pairs: Iterable[tuple]):
        pairs = list(pairs)
        self.values = [value for value, _weight in pairs]
        self.cumulative = list(itertools.accumulate(weight for _value, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.total)]


@dataclass
class CountryPool:
    profile: CountryProfile
    male_first_names: list[str]
    female_first_names: list[str]
    last_names: list[str]
    streets: list[str]
    companies: list[str]

    def postcode(self, rng: random.Random, city: City) -> str:
        if self.profile.code == "GB":
            inward = rng.choice(_UK_INWARD_LETTERS) + rng.choice(_UK_INWARD_LETTERS)
            return f"{rng.choice(city.postcodes)} {rng.randint(1, 9)}{inward}"
        low, high = city.postcodes
        width = 4 if self.profile.code == "NO" else 5
        return f"{rng.randint(low, high):0{width}d}"

    def street_address(self, rng: random.Random) -> str:
        street = rng.choice(self.streets)
        number = rng.randint(1, 180)
        if self.profile.code in ("GB", "US"):
            return f"{number} {street}"
        return f"{street} {number}"

    def landline(self, rng: random.Random, city: City) -> str:
        return _number(rng, *city.landline)

    def mobile(self, rng: random.Random, city: City) -> str:
        if not self.profile.mobile:
            return self.landline(rng, city)
        return _number(rng, *rng.choice(self.profile.mobile))


def _number(rng: random.Random, prefix: str, first_digits: str, rest: int) -> str:
    return f"{prefix}{rng.choice(first_digits)}{rng.randrange(10**rest):0{rest}d}"


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def _names(values: list[str]) -> list[str]:
    # Faker's German lists hold abbreviations ("Klaus-D."), double first names and
    # particles ("van der Dussen", "Koch II") that make odd e-mail addresses.
    return [value for value in _unique(values) if _NAME.fullmatch(value)]


@lru_cache(maxsize=4)
def build_pools(seed: int) -> dict[str, CountryPool]:
    """One pool per country, reproducible for a seed. The pools are only read from."""
    pools = {}
    for profile in COUNTRIES:
        fake = Faker(profile.locale)
        fake.seed_instance(seed)
        pools[profile.code] = CountryPool(
            profile=profile,
            male_first_names=_names([fake.first_name_male() for _ in range(POOL_SIZE)]),
            female_first_names=_names([fake.first_name_female() for _ in range(POOL_SIZE)]),
            last_names=_names([fake.last_name() for _ in range(POOL_SIZE)]),
            streets=_unique([fake.street_name() for _ in range(POOL_SIZE // 2)]),
            companies=_unique([fake.company() for _ in range(POOL_SIZE // 2)]),
        )
    return pools
