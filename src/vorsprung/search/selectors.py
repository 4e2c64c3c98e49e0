"""Reads through the search index: which records of a list match a term, and the best
matches first for the header search.

A term is cut into words as documents are (see ``documents``); a record matches when
every word of the term starts a word of its document — so a full name is found in either
order, and an e-mail address or a domain by its parts. A term that looks like a phone
number matches by its digits, with or without a leading trunk or international prefix.
On PostgreSQL a single word of ``SIMILAR_MIN_LENGTH`` or more characters also matches
inside words, through the trigram index ("pharma" finds "Nordpharma"), unless it starts
``WORD_MATCHES`` records or more.

How a list finds a term's matches depends on how many there are, which neither database
guesses well on its own: a term with fewer than ``COMMON_MATCHES`` matches in the whole
table has them found through the index — on SQLite FTS5 gives their ids and the list is
narrowed to those; on PostgreSQL, once the planner's estimate says the term is rare, the
list is narrowed to the rows its GIN indexes find, and a page's keys are read from those
rows alone (``candidate_rows``, see ``core.pagination``). A commoner term is tested row by
row on the search document while the list walks its own order, which meets a page's
worth of matches early.
"""

import json
import re
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import BooleanField, Case, F, Q, QuerySet, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import Contains

from vorsprung.core.pagination import READING_CANDIDATE_ROWS, read_keys, rows_of_keys
from vorsprung.core.records import record_kinds
from vorsprung.search.documents import looks_like_phone, words
from vorsprung.search.schema import TSVECTOR, fts_table

COMMON_MATCHES = 5000
# The shortest word matched inside words (shorter ones are inside too many).
SIMILAR_MIN_LENGTH = 4
MAX_TERM_LENGTH = 200
# The header search ranks a common term's best matches among this many of its newest.
RANKED_CANDIDATES = 500
# On PostgreSQL, a term with fewer matches than this has its newest read through the
# full-text index; a commoner one by testing the newest rows (see _postgresql_newest_ids).
NEWEST_FROM_INDEX = 10000
# A term whose words start this many records or more (as PostgreSQL's planner estimates
# from its statistics) is not also looked for inside words: those matches would rank
# below all of them anyway, and the lookup would cost more than the rest.
WORD_MATCHES = 1000

EXACT, PREFIX, SIMILAR, MATCH = "exact", "prefix", "similar", "match"

# A document's words match a tsquery (the parameter), through the GIN full-text index.
FULL_TEXT_TEST = f"{TSVECTOR} @@ to_tsquery('simple'::regconfig, %s)"


@dataclass(frozen=True)
class Term:
    # Every group must match; a group matches when any of its alternatives does.
    groups: tuple[tuple[str, ...], ...]
    # The term's words as one phrase, matched inside words on PostgreSQL ("" for none).
    phrase: str


def parse_term(text: str) -> Term | None:
    """The term as the index reads it, or None when it holds no letter or digit."""
    text = (text or "").strip()[:MAX_TERM_LENGTH]
    if looks_like_phone(text):
        digits = re.sub(r"\D", "", text)
        alternatives = tuple(dict.fromkeys(d for d in (digits, digits.lstrip("0")) if d))
        return Term(groups=(alternatives,), phrase="")
    found = list(dict.fromkeys(words(text)))
    if not found:
        return None
    return Term(groups=tuple((word,) for word in found), phrase=" ".join(found))


@cache
def document_function(model):
    """The function computing a search document for ``model``'s records, or None (asked
    on every save; the registry is complete once Django has started)."""
    for kind in record_kinds():
        if kind.model is model and kind.search_document:
            return kind.search_document
    return None


def _similar_applies(term: Term) -> bool:
    return (
        connection.vendor == "postgresql"
        and len(term.groups) == 1
        and len(term.phrase) >= SIMILAR_MIN_LENGTH
    )


def _contains(text: str, *, on_candidates: bool) -> Q:
    """The document contains ``text``. On candidates already found through an index,
    the test is written on an expression no index covers, so that it stays a test of
    each candidate: the planner would otherwise let the trigram index take over,
    guessing from its statistics that it finds a hundredth of the rows it does. Walking
    a list, the test is written on the column, whose statistics tell the planner how
    common the term is."""
    if on_candidates:
        document = Coalesce(F("search_document"), Value(""), output_field=TextField())
        return Q(Contains(document, text))
    return Q(search_document__contains=text)


def _condition(term: Term, mode: str, *, similar: bool = True, on_candidates=False) -> Q:
    """The test of one record's document, as a filter the list can apply row by row
    (``on_candidates``: to the candidates an index found, see ``_contains``)."""

    def contains(text: str) -> Q:
        return _contains(text, on_candidates=on_candidates)

    if mode == SIMILAR:
        return contains(term.phrase)
    end = " " if mode == EXACT else ""
    condition = Q()
    for group in term.groups:
        alternatives = Q(pk__in=[])
        for word in group:
            alternatives |= contains(f" {word}{end}")
        condition &= alternatives
    if mode == MATCH and similar and _similar_applies(term):
        condition |= contains(term.phrase)
    return condition


def _fts_expression(term: Term, mode: str) -> str:
    star = "" if mode == EXACT else "*"
    return " AND ".join(
        "(" + " OR ".join(f'"{word}"{star}' for word in group) + ")" for group in term.groups
    )


def _tsquery(term: Term, mode: str) -> str:
    star = "" if mode == EXACT else ":*"
    return " & ".join(
        "(" + " | ".join(f"{word}{star}" for word in group) + ")" for group in term.groups
    )


def _single_letters(term: Term, mode: str) -> bool:
    # Every word of a term of single letters or digits starts thousands of records;
    # gathering them through the index would cost more than walking the list.
    return mode in (PREFIX, MATCH) and all(
        len(word) == 1 for group in term.groups for word in group
    )


def _sqlite_index_ids(model, term: Term, mode: str) -> list[int] | None:
    """The ids of every record of ``model`` whose document matches, read through FTS5,
    or None when there are ``COMMON_MATCHES`` or more. Words shorter than
    ``_shortest_looked_up()`` are left out of the lookup: they start too many others,
    and the caller tests the whole term on the ids."""
    if mode == SIMILAR:
        return []
    selective = _selective(term, _shortest_looked_up())
    if _single_letters(term, mode) or selective is None:
        return None
    fts = fts_table(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s LIMIT %s",
            [_fts_expression(selective, mode), COMMON_MATCHES],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return None if len(ids) >= COMMON_MATCHES else ids


def _rows_passing(table: str, tests, columns: str = "*") -> tuple[str, list]:
    """A query for the rows of ``table`` passing any of ``tests``, and its parameters.
    The test inside words comes first: its index makes every row it finds be tested
    again, and the full-text test would compute the row's vector."""
    ordered = sorted(tests, key=lambda test: not test[2])
    conditions = " OR ".join(f"({sql})" for sql, _, _ in ordered)
    return f'SELECT {columns} FROM "{table}" WHERE {conditions}', [p for _, p, _ in ordered]


def _shortest_looked_up() -> int:
    """The shortest word looked up in the index: FTS5's prefix index covers two letters
    and up; in PostgreSQL's GIN index a prefix of one or two letters expands to thousands
    of entries."""
    return 2 if connection.vendor == "sqlite" else 3


def _selective(term: Term, shortest: int) -> Term | None:
    """The term without its words shorter than ``shortest``; None when none is left."""
    groups = tuple(g for g in term.groups if all(len(word) >= shortest for word in g))
    return Term(groups=groups, phrase=term.phrase) if groups else None


def _postgresql_tests(table: str, term: Term, mode: str):
    """The tests through PostgreSQL's GIN indexes that find the term's matches
    (condition, parameter, whether it looks inside words), or None when its matches are
    common; and whether matches inside words count. Each index is asked for the
    planner's estimate of its matches, read from the index statistics: gathering a
    common prefix's matches from a GIN index takes longer than walking the list to a
    page of them."""
    if _single_letters(term, mode):
        return None, False
    candidates = []
    if mode != SIMILAR:
        selective = _selective(term, _shortest_looked_up())
        if selective is None:
            return None, False
        candidates.append((FULL_TEXT_TEST, _tsquery(selective, mode), False))
    if mode in (SIMILAR, MATCH) and _similar_applies(term):
        candidates.append(("search_document LIKE %s", f"%{term.phrase}%", True))
    tests = []
    similar = False
    words_expected = 0
    with connection.cursor() as cursor:
        for test, param, inside_words in candidates:
            if inside_words and mode == MATCH and words_expected >= WORD_MATCHES:
                break  # not looked for inside words: see WORD_MATCHES
            expected = _estimate(cursor, table, test, param)
            similar = similar or inside_words
            if not inside_words:
                words_expected = expected
            if expected >= COMMON_MATCHES:
                return None, similar
            tests.append((test, param, inside_words))
    return tests, similar


def _estimate(cursor, table: str, test: str, param) -> int:
    """How many rows PostgreSQL's planner expects ``test`` to match."""
    cursor.execute(f'EXPLAIN (FORMAT JSON) SELECT id FROM "{table}" WHERE {test}', [param])
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"]


class _FoundThroughIndex(RawSQL):
    """A row is among those the GIN indexes find for the term. A list's page reads its
    keys from those rows alone (``candidate_rows``, see ``core.pagination``), where this
    test is already true."""

    def __init__(self, table: str, tests):
        sql, params = _rows_passing(table, tests, "id")
        super().__init__(f'"{table}"."id" IN ({sql})', params, output_field=BooleanField())

    def as_sql(self, compiler, connection, *args, **kwargs):
        if getattr(compiler.query, READING_CANDIDATE_ROWS, False):
            return "TRUE", []
        return super().as_sql(compiler, connection, *args, **kwargs)


def search_filter(queryset: QuerySet, text: str, *, mode: str = MATCH) -> QuerySet:
    """``queryset`` narrowed to the records matching ``text``. Its order and the other
    filters stay; a text with no letter or digit matches nothing."""
    term = parse_term(text)
    if term is None:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _postgresql_filter(queryset, term, mode)
    ids = _sqlite_index_ids(queryset.model, term, mode)
    if ids is None:
        return queryset.filter(_condition(term, mode))
    if not ids:
        return queryset.none()
    # Given the ids as a list and an order, SQLite walks the list's order index hoping
    # to meet them; given a table of ids it reads those rows and sorts them.
    candidates = Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))
    return _few_candidates(queryset, term, mode, candidates, similar=False)


def _postgresql_filter(queryset: QuerySet, term: Term, mode: str) -> QuerySet:
    table = queryset.model._meta.db_table
    tests, similar = _postgresql_tests(table, term, mode)
    if tests is None:
        return queryset.filter(_condition(term, mode, similar=similar))
    if not tests:
        return queryset.none()
    candidates, rows = _index_candidates(table, tests)
    matches = _few_candidates(queryset, term, mode, candidates, similar=similar)
    matches.query.candidate_rows = rows
    return matches


def _index_candidates(table: str, tests) -> tuple[Q, tuple[str, list]]:
    """The rows the GIN indexes find: as a condition, and as the rows a list's keys are
    read from (``candidate_rows``, see ``core.pagination.read_keys``)."""
    return Q(_FoundThroughIndex(table, tests)), _rows_passing(table, tests)


def _few_candidates(queryset, term: Term, mode: str, candidates: Q, *, similar: bool):
    if _selective(term, _shortest_looked_up()) != term:
        # Some words were left out of the lookup: test the whole term on the candidates.
        candidates &= _condition(term, mode, similar=similar, on_candidates=True)
    matches = queryset.filter(candidates)
    # A page of these is best read in two steps (see core.pagination.keyset_page).
    matches.query.few_candidates = True
    return matches


def search_ranked(queryset: QuerySet, text: str, *, limit: int) -> list:
    """Up to ``limit`` records matching ``text``: whole-word matches first, then words
    that start with the term, then (PostgreSQL) the term inside a word; each group in
    the queryset's order. A common term is ranked among its ``RANKED_CANDIDATES`` newest
    matches (the list, filtered by the term, has them all): walking a list for the
    matches a user may see can read all of it when the user may see few."""
    term = parse_term(text)
    if term is None:
        return []
    candidates, similar, rows = _ranking_candidates(queryset.model, term)
    rank = Case(
        When(_condition(term, EXACT), then=Value(0)),
        When(_condition(term, PREFIX), then=Value(1)),
        default=Value(2),
    )
    order = queryset.query.order_by or queryset.model._meta.ordering
    # The index was asked for the term's longer words only: test the whole term.
    matching = queryset.filter(
        candidates & _condition(term, MATCH, similar=similar, on_candidates=True)
    )
    ranked = matching.annotate(search_rank=rank).order_by("search_rank", *order)
    # The best keys first, then their rows: joining each candidate's related records
    # before sorting costs more than a second query for a few rows.
    keys_query = ranked.values_list("pk", flat=True)[:limit]
    keys_query.query.candidate_rows = rows
    return rows_of_keys(queryset, read_keys(keys_query))


def _ranking_candidates(model, term: Term) -> tuple[Q, bool, tuple[str, list] | None]:
    """The records whose matches are ranked, as a condition; whether matches inside
    words count; and on PostgreSQL, for a rare term, the rows the index finds (see
    ``core.pagination.read_keys``). A rare term's matches are ranked, else the newest
    of a common term's."""
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        tests, similar = _postgresql_tests(table, term, MATCH)
        if tests:
            candidates, rows = _index_candidates(table, tests)
            return candidates, similar, rows
    else:
        ids = _sqlite_index_ids(model, term, MATCH)
        if ids is not None:
            return Q(pk__in=ids), False, None
    return Q(pk__in=_newest_index_ids(model, term)), False, None


def _newest_index_ids(model, term: Term) -> list[int]:
    """The ``RANKED_CANDIDATES`` newest records whose words start with the term's (its
    words shorter than ``_shortest_looked_up()`` left out; on SQLite through FTS5)."""
    table = model._meta.db_table
    if connection.vendor != "sqlite":
        return _postgresql_newest_ids(model, term)
    selective = _selective(term, _shortest_looked_up()) or term
    fts = fts_table(table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT %s",
            [_fts_expression(selective, PREFIX), RANKED_CANDIDATES],
        )
        return [row[0] for row in cursor.fetchall()]


def _postgresql_newest_ids(model, term: Term) -> list[int]:
    """The same on PostgreSQL, for the term's words of three letters or more (the
    ranking tests the whole term). The full-text index cannot give its matches newest
    first, and asked for them by id the planner walks the table computing every row's
    vector (0.6 s for a term with 5,000 matches). A term with up to
    ``NEWEST_FROM_INDEX`` matches has them all read through the index and sorted; a
    commoner one meets its newest matches soon when the newest rows are tested one by
    one."""
    table = model._meta.db_table
    selective = _selective(term, _shortest_looked_up())
    if selective is not None:
        param = _tsquery(selective, PREFIX)
        with connection.cursor() as cursor:
            if _estimate(cursor, table, FULL_TEXT_TEST, param) < NEWEST_FROM_INDEX:
                cursor.execute(
                    f'SELECT id FROM (SELECT id FROM "{table}" WHERE {FULL_TEXT_TEST} '
                    "OFFSET 0) found ORDER BY id DESC LIMIT %s",
                    [param, RANKED_CANDIDATES],
                )
                return [row[0] for row in cursor.fetchall()]
    newest = model._default_manager.filter(_condition(selective or term, PREFIX))
    newest = newest.order_by("-pk")
    return list(newest.values_list("pk", flat=True)[:RANKED_CANDIDATES])


def search_count(queryset: QuerySet, text: str, *, cap: int) -> int:
    """How many records match ``text``, counted up to ``cap`` (more count as ``cap``)."""
    # The keys, read as a list's are (from the rows the index finds, for a rare term).
    matches = search_filter(queryset, text).order_by().values_list("pk", flat=True)[:cap]
    return len(read_keys(matches))
