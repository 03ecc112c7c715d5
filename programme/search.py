"""Catalogue search: what a member types, matched the way they meant it.

A query is cut into folded words (no accents, case or hyphens: "Burn-out" is "burnout"),
function words dropped ("un atelier sur le sommeil" looks for "atelier" and "sommeil").
Each word stands for itself, its synonyms (SearchSynonyms, edited by managers), its
singular ("ateliers") and the same word with two neighbouring letters swapped
("sommiel"). A module matches when every word, in one of its forms, is in its search
text. On PostgreSQL a word also stands for the catalogue's words that are similar to it
(pg_trgm's word similarity over SearchWord, with its trigram index), which forgives most
other typos; SQLite keeps the simpler path. Modules are ranked by how directly they
match.
"""

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)

from .models import Module, SearchSynonyms, SearchWord, search_fold
from .search_synonyms import DEFAULT_SYNONYMS

MAX_WORDS = 10
# Words shorter than this are matched as typed: a typo in a short word is another word.
FUZZY_MIN_LENGTH = 5

# Words that say nothing about a module, in the three languages of the catalogue.
STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "la",
        "le",
        "les",
        "leur",
        "mes",
        "mon",
        "ma",
        "nos",
        "notre",
        "ou",
        "par",
        "pour",
        "qui",
        "que",
        "sans",
        "se",
        "ses",
        "sur",
        "ta",
        "te",
        "tes",
        "ton",
        "un",
        "une",
        "vos",
        "votre",
        "je",
        "tu",
        "il",
        "on",
        "nous",
        "vous",
        "d",
        "l",
        "j",
        "m",
        "n",
        "s",
        "t",
        "qu",
        "c",
        "comment",
        "quoi",
        "est",
        "suis",
        "de",
        "het",
        "een",
        "en",
        "van",
        "voor",
        "met",
        "op",
        "in",
        "te",
        "bij",
        "naar",
        "over",
        "hoe",
        "wat",
        "mijn",
        "je",
        "ik",
        "zijn",
        "is",
        "om",
        "the",
        "an",
        "and",
        "of",
        "for",
        "to",
        "with",
        "in",
        "on",
        "at",
        "my",
        "your",
        "how",
        "what",
        "is",
        "are",
        "i",
        "me",
    ]
)


@dataclass(frozen=True)
class Term:
    """One word of the query: the forms that mean it, and its likely typos."""

    word: str
    forms: tuple[str, ...]
    typos: tuple[str, ...]


def _swaps(word: str) -> list[str]:
    """The word with two neighbouring letters swapped, each way it can be."""
    if len(word) < FUZZY_MIN_LENGTH:
        return []
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]


def _singular(word: str) -> list[str]:
    if len(word) >= FUZZY_MIN_LENGTH and word[-1] in "sx":
        return [word[:-1]]
    return []


def synonyms_by_language() -> dict[str, SearchSynonyms]:
    """Each language's synonyms: the managers' once they saved some, the programme's
    defaults (programme.search_synonyms) until then. One query."""
    saved = {s.language: s for s in SearchSynonyms.objects.all()}
    return {
        language: saved.get(language) or SearchSynonyms(language=language, groups=groups)
        for language, groups in DEFAULT_SYNONYMS.items()
    }


def synonym_index() -> Mapping[str, frozenset[str]]:
    """Each word of a synonym group, with every word of its groups (all languages): a
    Dutch speaker may type a French word, and the catalogue mixes languages."""
    return _index_of(tuple(s.groups for s in synonyms_by_language().values()))


@functools.lru_cache(maxsize=4)
def _index_of(texts: tuple[str, ...]) -> Mapping[str, frozenset[str]]:
    # Built once per version of the synonyms: folding every word of every group made
    # up a good part of a search's cost in Python (bench/search.py).
    index: dict[str, set[str]] = {}
    for text in texts:
        for group in SearchSynonyms(groups=text).word_groups():
            for word in group:
                index.setdefault(word, set()).update(group)
    return MappingProxyType({word: frozenset(group) for word, group in index.items()})


def query_terms(query: str, synonyms: Mapping[str, frozenset[str]]) -> list[Term]:
    words = [w for w in search_fold(query).split() if w not in STOP_WORDS]
    if not words:
        # Only function words ("comment"): search for them rather than for nothing.
        words = search_fold(query).split()
    terms = []
    for word in list(dict.fromkeys(words))[:MAX_WORDS]:
        forms = {word, *_singular(word), *synonyms.get(word, ())}
        for singular in _singular(word):
            forms.update(synonyms.get(singular, ()))
        terms.append(Term(word, tuple(sorted(forms)), tuple(_swaps(word))))
    return terms


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


class _HoldsOneOf(Func):
    """`search_text` holds one of `words` (the query's word in its forms and likely
    typos), each a substring of it. One condition whatever the number of words: built as
    Django lookups, a dozen of them took longer to compile than to run (bench/search.py).
    The words are folded like search_text, so no case or wildcard is left to handle."""

    output_field = BooleanField()

    def __init__(self, words: Sequence[str]):
        super().__init__(F("search_text"))
        self.words = list(words)

    def _any(self, compiler: Any, test: str) -> tuple[str, list]:
        column, params = compiler.compile(self.source_expressions[0])
        tests = " OR ".join(test.format(column=column) for _ in self.words) or "1 = 0"
        return f"({tests})", [*(p for word in self.words for p in (*params, word))]

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:  # type: ignore[override]
        return self._any(compiler, "instr({column}, %s) > 0")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        return self._any(compiler, "strpos({column}, %s) > 0")


class _HoldsASimilarWord(Func):
    """`search_text` holds one of the catalogue's words that pg_trgm finds similar to
    `word` (`%>`: word similarity), on PostgreSQL. The words are looked up once per
    statement, in the small SearchWord table and its trigram index: comparing the typed
    word with every module's whole text made a search cost several times the plain list
    (bench/search.py)."""

    output_field = BooleanField()

    def __init__(self, word: str):
        super().__init__(F("search_text"))
        self.word = word

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:  # type: ignore[override]
        column, params = compiler.compile(self.source_expressions[0])
        # LIKE's own wildcard "_" can be in a word (\w); "%" cannot.
        words = (
            f"SELECT '%%' || replace(word, '_', '\\_') || '%%' "
            f"FROM {SearchWord._meta.db_table} WHERE word %%> %s"
        )
        return f"({column} LIKE ANY (ARRAY({words})))", [*params, self.word]


def _term_matches(term: Term) -> Q:
    matches = Q(_HoldsOneOf((*term.forms, *term.typos)))
    if _is_postgresql() and len(term.word) >= FUZZY_MIN_LENGTH:
        matches |= Q(_HoldsASimilarWord(term.word))
    return matches


# How directly a module matches one word of the query: the word as typed, one of its
# forms (a synonym, the singular), or only a likely typo or a similar word.
AS_TYPED, AS_A_FORM, AS_A_TYPO = 1.0, 0.5, 0.25


def _relevance(terms: list[Term]) -> Expression:
    """Sum over the words of how directly the module matches each: a module that has the
    typed word ranks before one found through a synonym or a plural, which ranks before one
    found through a typo. Substring tests on the module's text, already read by the
    filter: a trigram similarity per word and module made a search cost several times
    the plain list (bench/search.py)."""
    total: Expression = Value(0.0, output_field=FloatField())
    for term in terms:
        total = total + Case(
            When(_HoldsOneOf([term.word]), then=Value(AS_TYPED)),
            When(_HoldsOneOf(term.forms), then=Value(AS_A_FORM)),
            default=Value(AS_A_TYPO),
            output_field=FloatField(),
        )
    return total


def modules_matching(modules: QuerySet[Module], query: str) -> QuerySet[Module]:
    """The modules of `modules` that match every word of the query, annotated with
    `relevance` (higher is closer). A fixed number of queries: one for the synonyms,
    whatever the query."""
    terms = query_terms(query, synonym_index())
    for term in terms:
        modules = modules.filter(_term_matches(term))
    if terms:
        modules = modules.annotate(relevance=_relevance(terms))
    return modules
