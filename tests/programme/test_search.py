"""Catalogue search: accents, case, hyphens, synonyms, plurals and typos, in FR, NL, EN."""

import io

import pytest
from django.db import transaction

from demo import programme as demo_programme
from programme.models import SearchSynonyms, SearchWord
from programme.search import query_terms, synonyms_by_language
from tests.concurrency import postgres_only
from tests.programme.factories import ModuleFactory

pytestmark = pytest.mark.django_db

URL = "/fr/programme/"


def titles(response) -> list[str]:
    return [m.title for m in response.context["modules"]]


@pytest.fixture
def demo_catalogue(db):
    demo_programme.seed(io.StringIO())


@pytest.fixture(scope="class")
def demo_catalogue_for_the_class(django_db_setup, django_db_blocker):
    """The demo catalogue, seeded once for a class of tests that only read it and rolled
    back after them: seeding it for each took longer than the tests. Each test runs in a
    savepoint of its own inside, as in its own transaction. (pytest-django runs
    transactional tests, which commit, after the others: they take demo_catalogue.)"""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_programme.seed(io.StringIO())
        yield
        transaction.set_rollback(True)


# What a member types, and a module (title start) it must find on the first page.
CORPUS = [
    ("burn-out", "Atelier : prévenir l'épuisement"),
    ("burnout", "Atelier : prévenir l'épuisement"),
    ("BURN-OUT", "Atelier : prévenir l'épuisement"),
    ("épuisement", "Atelier : prévenir l'épuisement"),
    ("stress", "Stress d'entrepreneur"),
    ("anxiété", "Stress d'entrepreneur"),
    ("angoisse", "Stress d'entrepreneur"),
    ("sommeil", "Atelier sommeil et récupération"),
    ("insomnie", "Bien dormir quand on dirige"),
    ("dormir", "Bien dormir quand on dirige"),
    ("sommiel", "Atelier sommeil et récupération"),
    ("solitude", "Cercle d'entrepreneurs : rompre l'isolement"),
    ("isolement", "Cercle d'entrepreneurs : rompre l'isolement"),
    ("eenzaamheid", "Ondernemerscafé: samen minder alleen"),
    ("slapeloosheid", "Workshop: beter slapen"),
    ("vermoeidheid", "Workshop: beter slapen"),
    ("slaap", "Workshop: beter slapen"),
    ("deconnexion", "Déconnexion : poser des limites"),
    ("déconnecter", "Atelier : se déconnecter pendant"),
    ("ateliers", "Atelier sommeil et récupération"),
    ("atelier sommeil", "Atelier sommeil et récupération"),
    ("un atelier sur le sommeil", "Atelier sommeil et récupération"),
    ("klanten", "Digitaal loskoppelen zonder klanten"),
    ("klant", "Workshop: nee zeggen tegen een klant"),
    ("administratie", "Administratie de baas"),
    ("paperasse", "Surcharge administrative"),
    ("TVA", "Surcharge administrative"),
    ("maladie", "Entreprendre avec une maladie chronique"),
    ("chronique", "Entreprendre avec une maladie chronique"),
    ("respiration", "Evoluno : ton programme"),
    ("breathing", "Video: breathing exercises"),
    ("E-learning", "E-learning : gérer son énergie"),
    ("elearning", "E-learning : gérer son énergie"),
    ("ÉVOLUNO", "Evoluno : ton programme"),
    ("signaux faibles", "Repérer les signaux faibles"),
    ("uitputting", "Administratie de baas zonder opgebrand"),
    ("loneliness", "Entrepreneurs and stress"),
]

# Typos that only the trigram similarity of PostgreSQL forgives (a letter missing).
POSTGRES_CORPUS = [
    ("someil", "Atelier sommeil et récupération"),
    ("respiraton", "Evoluno : ton programme"),
    ("epuisment", "Atelier : prévenir l'épuisement"),
    ("isolemnt", "Cercle d'entrepreneurs : rompre l'isolement"),
]


def finds(client, query: str, expected: str) -> bool:
    found = titles(client.get(URL, {"q": query}))
    return any(title.startswith(expected) for title in found)


@postgres_only
def test_postgresql_forgives_other_typos_and_ranks_by_relevance(client, demo_catalogue):
    misses = [(q, want) for q, want in POSTGRES_CORPUS if not finds(client, q, want)]
    assert misses == []
    # The module that says "sommeil" in its title comes before those that only mean it.
    assert titles(client.get(URL, {"q": "sommeil"}))[0] == "Atelier sommeil et récupération"


def test_hyphens_join_words_both_ways(client):
    ModuleFactory(title="Prévenir le burn-out")
    ModuleFactory(title="Burnout: herkennen")
    assert set(titles(client.get(URL, {"q": "burnout"}))) == {
        "Prévenir le burn-out",
        "Burnout: herkennen",
    }
    assert len(titles(client.get(URL, {"q": "burn-out"}))) == 2


def test_a_manager_s_synonyms_are_used_at_once(client, manager_user):
    ModuleFactory(title="Gérer sa trésorerie")
    assert titles(client.get(URL, {"q": "cashflow"})) == []
    client.force_login(manager_user)
    current = {language: s.groups for language, s in synonyms_by_language().items()}
    response = client.post(
        "/fr/programme/manage/search/",
        {**current, "fr": current.get("fr", "") + "\ntrésorerie, cashflow, liquidités"},
    )
    assert response.status_code == 302
    assert titles(client.get(URL, {"q": "cashflow"})) == ["Gérer sa trésorerie"]
    assert titles(client.get(URL, {"q": "liquidites"})) == ["Gérer sa trésorerie"]


def test_the_synonyms_page_is_for_managers_only(client, member_user, advisor_user):
    assert client.get("/fr/programme/manage/search/").status_code == 302
    for user in (member_user, advisor_user):
        client.force_login(user)
        assert client.get("/fr/programme/manage/search/").status_code == 403


def test_a_group_of_too_many_words_is_refused_beside_its_language(client, manager_user):
    client.force_login(manager_user)
    before = {language: s.groups for language, s in synonyms_by_language().items()}
    line = ", ".join(f"mot{n}" for n in range(25))
    response = client.post("/fr/programme/manage/search/", {"fr": line, "nl": "", "en": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["fr"]
    # Nothing half-written: the other languages kept their words too.
    assert {language: s.groups for language, s in synonyms_by_language().items()} == before
    assert not SearchSynonyms.objects.exists()


def test_function_words_are_dropped_but_a_query_of_only_them_is_kept():
    assert [t.word for t in query_terms("un atelier sur le sommeil", {})] == [
        "atelier",
        "sommeil",
    ]
    assert [t.word for t in query_terms("comment", {})] == ["comment"]


def test_a_module_found_by_the_word_as_typed_ranks_first(client):
    # Created in the reverse order of the expected ranking, with no session to order them.
    ModuleFactory(title="Un sommiel réparateur")  # only a likely typo of the word
    ModuleFactory(title="Vaincre l'insomnie")  # a synonym of it
    ModuleFactory(title="Le sommeil des dirigeants")  # the word as typed
    assert titles(client.get(URL, {"q": "sommeil"})) == [
        "Le sommeil des dirigeants",
        "Vaincre l'insomnie",
        "Un sommiel réparateur",
    ]


def test_the_words_of_a_saved_module_are_kept_for_the_typo_search():
    from programme import services

    module = services.module_create(
        themes=[], title="Respiration consciente", summary="Souffler", format="webinar"
    )
    assert {"respiration", "consciente", "souffler"} <= set(
        SearchWord.objects.values_list("word", flat=True)
    )
    services.module_update(module=module, title="Cohérence cardiaque")
    assert "coherence" in set(SearchWord.objects.values_list("word", flat=True))


@postgres_only
def test_a_typo_finds_a_module_saved_a_moment_ago(client):
    from programme import services

    services.module_create(
        themes=[],
        title="Gérer sa trésorerie",
        summary="Ta trésorerie",
        format="webinar",
        is_published=True,
    )
    assert titles(client.get(URL, {"q": "tresorrie"})) == ["Gérer sa trésorerie"]


@pytest.mark.usefixtures("demo_catalogue_for_the_class")
class TestOnTheDemoCatalogue:
    """Searches in the demo catalogue, seeded once for them all."""

    def test_the_corpus_finds_what_members_mean(self, client):
        assert len(CORPUS) >= 30
        misses = [(q, want) for q, want in CORPUS if not finds(client, q, want)]
        assert misses == []

    def test_every_word_must_be_found(self, client):
        assert titles(client.get(URL, {"q": "sommeil klanten"})) == []
        assert titles(client.get(URL, {"q": "zzzz qqqq"})) == []

    @pytest.mark.parametrize("query", ["!!!", "?? -- ''", "x" * 500, "le la les", "’"])
    def test_odd_queries_get_a_page_not_an_error(self, client, query):
        response = client.get(URL, {"q": query})
        assert response.status_code == 200

    def test_search_query_count_is_fixed(self, client, django_assert_max_num_queries):
        # Whatever the number of words, one query for the synonyms and the page's own.
        with django_assert_max_num_queries(6) as short:
            one_word = client.get(URL, {"q": "stress"})
        with django_assert_max_num_queries(6) as long:
            five_words = client.get(URL, {"q": "atelier prévenir stress épuisement burn-out"})
        assert titles(one_word) and titles(five_words)
        assert len(short.captured_queries) == len(long.captured_queries)
