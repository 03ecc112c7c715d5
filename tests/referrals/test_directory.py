"""The public partner directory and the managers' partner pages."""

import pytest

from common.helplines import HELP_LINES
from referrals.models import Partner
from tests.factories import member

from .factories import PartnerFactory

pytestmark = pytest.mark.django_db

URL = "/en/listening-cell/partners/"


def names(response):
    return [p.name for p in response.context["partners"]]


@pytest.fixture
def directory(db):
    return {
        "crisis": PartnerFactory(
            name="Zelfmoordlijn 1813",
            needs=["crisis", "low_mood"],
            areas=["BE"],
            languages=["nl"],
            is_crisis_line=True,
            phone="1813",
        ),
        "liege": PartnerFactory(
            name="Aide Liège", needs=["financial"], areas=["WLG"], languages=["fr"]
        ),
        "brussels": PartnerFactory(
            name="Brussels help", needs=["legal"], areas=["BRU"], languages=["fr", "nl", "en"]
        ),
        "inactive": PartnerFactory(name="Closed down", is_active=False),
    }


def test_anyone_sees_active_partners_crisis_lines_first(client, directory):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Zelfmoordlijn 1813", "Aide Liège", "Brussels help"]
    page = response.content.decode()
    card = page.split(f'id="partner-{directory["crisis"].pk}"')[1].split("</article>")[0]
    assert 'href="tel:1813"' in card
    assert "(opens another site in a new tab)" in card


@pytest.mark.parametrize("url", [URL, "/en/listening-cell/request/"])
def test_the_crisis_lines_are_the_portals_own_and_can_be_dialled(client, url):
    client.force_login(member())
    page = client.get(url).content.decode()
    notice = page.split('class="alert alert-warning"')[1].split("</div>")[0]
    for line in HELP_LINES:
        assert f'href="{line.tel_uri}"' in notice
        assert line.number in notice


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("need=financial", ["Aide Liège"]),
        ("area=WLG", ["Zelfmoordlijn 1813", "Aide Liège"]),  # national partners serve Liège
        ("area=BE", ["Zelfmoordlijn 1813"]),
        ("language=en", ["Brussels help"]),
        ("need=legal&area=BRU&language=fr", ["Brussels help"]),
        ("need=legal&area=WLG", []),
    ],
)
def test_filters(client, directory, query, expected):
    assert names(client.get(f"{URL}?{query}")) == expected


def test_tampered_filters_are_explained_not_an_error(client, directory):
    response = client.get(f"{URL}?need=<script>&area=ZZ&language=nl&page=abc")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"need", "area"}
    assert names(response) == ["Zelfmoordlijn 1813", "Brussels help"]
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


# --- Staff pages -------------------------------------------------------------------------------

NEW = {
    "name": "Un pass dans l'impasse",
    "slug": "un-pass-dans-l-impasse",
    "alternate_name": "",
    "kind": "psychological",
    "description_fr": "Soutien psychologique pour les indépendants en difficulté.",
    "description_nl": "",
    "description_en": "",
    "phone": "081 77 71 71",
    "email": "",
    "url": "",
    "opening_hours": "Lun–ven",
    "last_verified_on": "2026-11-01",
    "is_active": "on",
    "needs": ["stress", "business"],
    "areas": ["WNA", "WLG"],
    "languages": ["fr"],
}


@pytest.fixture
def manager_client(client, manager_user):
    client.force_login(manager_user)
    return client


def test_a_manager_adds_a_partner(manager_client):
    response = manager_client.post("/en/listening-cell/staff/partners/new/", NEW)
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.phone == "081 77 71 71"
    assert sorted(n.need for n in partner.needs.all()) == ["business", "stress"]
    assert sorted(a.area for a in partner.areas.all()) == ["WLG", "WNA"]


def test_a_manager_edits_a_partner(manager_client):
    partner = PartnerFactory(needs=["stress"], areas=["BE"], languages=["fr"])
    response = manager_client.post(
        f"/en/listening-cell/staff/partners/{partner.pk}/edit/",
        {**NEW, "slug": partner.slug, "languages": ["fr", "nl"], "is_active": ""},
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert not partner.is_active
    assert sorted(lang.language for lang in partner.languages.all()) == ["fr", "nl"]
    # The list names the languages: "FR, NL" is read out letter by letter.
    row = manager_client.get("/en/listening-cell/staff/partners/").content.decode()
    assert "French, Dutch" in row.split("<tbody>")[1]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": "12"}, "phone"),
        ({"email": "nope"}, "email"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"needs": []}, "needs"),
        ({"areas": ["XX"]}, "areas"),
        ({"description_fr": "x" * 1501}, "description_fr"),
        ({"phone": "", "email": "", "url": ""}, None),
    ],
)
def test_bad_partner_input(manager_client, change, field):
    response = manager_client.post("/en/listening-cell/staff/partners/new/", {**NEW, **change})
    assert response.status_code == 200
    form = response.context["form"]
    if field:
        assert field in form.errors
    else:
        assert form.non_field_errors()
    assert not Partner.objects.exists()


def test_duplicate_slug_is_explained(manager_client):
    PartnerFactory(slug=NEW["slug"])
    response = manager_client.post("/en/listening-cell/staff/partners/new/", NEW)
    assert "slug" in response.context["form"].errors


def test_unknown_partner_is_a_404(manager_client):
    assert manager_client.get("/en/listening-cell/staff/partners/999/edit/").status_code == 404


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", "Si tu es en danger ou si tu penses au suicide"),
        ("nl", "Ben je in gevaar of denk je aan zelfdoding?"),
    ],
)
def test_the_crisis_notice_speaks_the_visitors_language(client, language, words):
    page = client.get(f"/{language}/listening-cell/partners/").content.decode()
    notice = page.split('class="alert alert-warning"')[1].split("</div>")[0]
    assert words in notice
