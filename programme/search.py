"""Catalogue search: what a member types, matched the way they meant it.

A query is cut into folded words (no accents, case or hyphens: "Burn-out" is "burnout"),
function words dropped ("un atelier sur le sommeil" looks for "atelier" and "sommeil").
Each word stands for itself, its synonyms (SearchSynonyms, edited by managers), its
singular ("ateliers") and the same word with two neighbouring letters swapped
("sommiel"). A module matches when every word, in one of its forms, is in its search
text. On PostgreSQL a word also matches a similar word (pg_trgm's word similarity, with
the trigram index on search_text), which forgives most other typos, and modules are
ranked by how closely they match; SQLite keeps the simpler path.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Expression, FloatField, Q, QuerySet, Value

from .models import Module, SearchSynonyms, search_fold
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


def synonym_index() -> dict[str, set[str]]:
    """Each word of a synonym group, with every word of its groups (all languages): a
    Dutch speaker may type a French word, and the catalogue mixes languages."""
    index: dict[str, set[str]] = {}
    for synonyms in synonyms_by_language().values():
        for group in synonyms.word_groups():
            for word in group:
                index.setdefault(word, set()).update(group)
    return index


def query_terms(query: str, synonyms: dict[str, set[str]]) -> list[Term]:
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


def _term_matches(term: Term) -> Q:
    matches = Q()
    for form in (*term.forms, *term.typos):
        matches |= Q(search_text__contains=form)
    if _is_postgresql() and len(term.word) >= FUZZY_MIN_LENGTH:
        # pg_trgm's %> operator: a word of search_text similar enough to the typed one.
        matches |= Q(search_text__trigram_word_similar=term.word)
    return matches


def _relevance(terms: list[Term]) -> Expression:
    """Sum over the words of how closely the module matches the word as typed (1 when it
    is there). A module found through a synonym, a plural or a typo ranks after one that
    has the typed word. One similarity per word: each one reads the module's whole text,
    so one per synonym made a search cost several times the plain list (bench/search.py)."""
    from django.contrib.postgres.search import TrigramWordSimilarity

    total: Expression = Value(0.0, output_field=FloatField())
    for term in terms:
        # Value(word): the stubs want a str, which would name a column.
        total = total + TrigramWordSimilarity(Value(term.word), "search_text")  # type: ignore[arg-type]
    return total


def modules_matching(modules: QuerySet[Module], query: str) -> QuerySet[Module]:
    """The modules of `modules` that match every word of the query; on PostgreSQL
    annotated with `relevance` (higher is closer). A fixed number of queries: one for
    the synonyms, whatever the query."""
    terms = query_terms(query, synonym_index())
    for term in terms:
        modules = modules.filter(_term_matches(term))
    if terms and _is_postgresql():
        modules = modules.annotate(relevance=_relevance(terms))
    return modules
