"""The public HSDS 3.0 API: every answer validates against the official schemas."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo import referrals as demo_referrals
from referrals.hsds import importer, package, schemas
from referrals.hsds.vocabulary import KIND, NEED, PORTAL, TAXONOMIES, term
from referrals.models import Partner
from tests.factories import staff

from .factories import CaseFactory, PartnerFactory

pytestmark = pytest.mark.django_db

API = "/api/hsds/"


def schema_errors(validator, data) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.fixture
def directory(db):
    demo_referrals.seed_partners()
    PartnerFactory(name="Retired partner", is_active=False)
    return Partner.objects.filter(is_active=True).order_by("name", "pk")


def test_index_points_to_the_openapi_document(client):
    data = get_json(client, API)
    assert data["version"] == "3.0"
    openapi = get_json(client, data["openapi_url"].replace("http://testserver", ""))
    assert openapi["openapi"].startswith("3.1")
    assert "/services/{id}" in openapi["paths"]


def test_every_service_and_its_full_form_validate(client, directory):
    page = get_json(client, f"{API}services?per_page=200")
    assert schema_errors(schemas.page_validator("compiled/service_list.json"), page) == []
    assert schema_errors(schemas.page_validator("service.json"), page) == []
    assert page["total_items"] == directory.count() > 10
    assert [item["name"] for item in page["contents"]] == [p.name for p in directory]
    for item in page["contents"]:
        full = get_json(client, f"{API}services/{item['id']}")
        assert schema_errors(schemas.validator("service.json"), full) == [], item["name"]
        assert full["organization"]["id"] == item["organization_id"]
        assert full["service_areas"] and full["languages"] and full["attributes"]


def test_full_forms_carry_the_partner(client):
    partner = PartnerFactory(
        name="Un pass dans l'impasse",
        needs=["stress", "business"],
        areas=["WLG", "BRU"],
        languages=["fr", "nl"],
        is_crisis_line=True,
        description_nl="Luisterlijn voor zelfstandigen.",
    )
    full = get_json(client, f"{API}services/{partner.hsds_id}")
    assert full["status"] == "active"
    assert full["phones"][0]["number"] == partner.phone
    assert full["schedules"][0]["description"] == partner.opening_hours
    assert {a["uri"] for a in full["service_areas"]} == {
        "urn:iso:std:iso:3166:-2:BE-WLG",
        "urn:iso:std:iso:3166:-2:BE-BRU",
    }
    assert {lang["code"] for lang in full["languages"]} == {"fr", "nl"}
    attributes = {a["taxonomy_term_id"]: a.get("value", "") for a in full["attributes"]}
    assert term(NEED, "business").id in attributes
    assert term(KIND, "psychological").id in attributes
    assert attributes[term(PORTAL, "crisis_line").id] == "true"
    assert attributes[term(PORTAL, "description_nl").id] == "Luisterlijn voor zelfstandigen."


def test_organizations_validate(client, directory):
    page = get_json(client, f"{API}organizations?per_page=5")
    assert schema_errors(schemas.page_validator("compiled/organization_list.json"), page) == []
    assert page["size"] == 5 and page["first_page"] and not page["last_page"]
    for item in page["contents"]:
        full = get_json(client, f"{API}organizations/{item['id']}")
        assert schema_errors(schemas.validator("organization.json"), full) == []
        assert len(full["services"]) == 1
        nested = get_json(client, f"{API}organizations/{item['id']}?full_service=true")
        assert schema_errors(schemas.validator("organization.json"), nested) == []
        assert nested["services"][0]["languages"]
    full_list = get_json(client, f"{API}organizations?full_service=true&per_page=3")
    assert schema_errors(schemas.page_validator("organization.json"), full_list) == []


def test_taxonomies_and_terms_validate(client):
    taxonomies = get_json(client, f"{API}taxonomies")
    assert schema_errors(schemas.page_validator("taxonomy.json"), taxonomies) == []
    assert taxonomies["total_items"] == len(TAXONOMIES)
    terms = get_json(client, f"{API}taxonomy_terms?per_page=200")
    assert schema_errors(schemas.page_validator("taxonomy_term.json"), terms) == []
    needs = get_json(client, f"{API}taxonomy_terms?taxonomy_id={TAXONOMIES[NEED].id}")
    assert {row["code"] for row in needs["contents"]} >= {"stress", "crisis"}
    one = get_json(client, f"{API}taxonomy_terms/{term(NEED, 'sleep').id}")
    assert schema_errors(schemas.validator("taxonomy_term.json"), one) == []
    assert get_json(client, f"{API}taxonomies/{TAXONOMIES[KIND].id}")["id"] == TAXONOMIES[KIND].id


def test_filters_are_cumulative(client):
    sleep = PartnerFactory(name="Sleep well", needs=["sleep"])
    PartnerFactory(name="Money", needs=["financial"])
    crisis = PartnerFactory(name="Night line", needs=["sleep"], is_crisis_line=True)
    by_term = get_json(client, f"{API}services?taxonomy_term_id={term(NEED, 'sleep').id}")
    assert {s["name"] for s in by_term["contents"]} == {sleep.name, crisis.name}
    both = get_json(
        client,
        f"{API}services?taxonomy_term_id={term(PORTAL, 'crisis_line').id}"
        f"&taxonomy_id={TAXONOMIES[NEED].id}&search=line",
    )
    assert [s["name"] for s in both["contents"]] == [crisis.name]
    org = get_json(client, f"{API}services/{sleep.hsds_id}")["organization_id"]
    mine = get_json(client, f"{API}services?organization_id={org}")
    assert [s["id"] for s in mine["contents"]] == [str(sleep.hsds_id)]
    assert get_json(client, f"{API}services?search=money")["total_items"] == 1
    unknown = "00000000-0000-4000-8000-000000000000"
    assert get_json(client, f"{API}services?taxonomy_id={unknown}")["empty"] is True
    assert get_json(client, f"{API}services?modified_after=2999-01-01")["empty"] is True
    recent = get_json(client, f"{API}services?modified_after=2000-01-01T00:00:00%2B01:00")
    assert recent["total_items"] == 3
    minimal = get_json(client, f"{API}services?minimal=true")
    assert set(minimal["contents"][0]) <= {"id", "name", "status", "last_modified"}


def test_pages_follow_the_page_structure(client):
    for i in range(7):
        PartnerFactory(name=f"Partner {i}")
    first = get_json(client, f"{API}services?per_page=3")
    last = get_json(client, f"{API}services?per_page=3&page=3")
    beyond = get_json(client, f"{API}services?per_page=3&page=9")
    assert (first["total_pages"], first["size"], first["first_page"]) == (3, 3, True)
    assert (last["size"], last["last_page"], last["first_page"]) == (1, True, False)
    assert beyond["contents"] == [] and beyond["empty"] is False


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "per_page=-1",
        "full=maybe",
        "minimal=2",
        "modified_after=yesterday",
        "modified_after=2026-02-30",
        "modified_after=2026-01-01T25:00",
    ],
)
def test_bad_query_is_a_400_in_json(client, query):
    assert "error" in get_json(client, f"{API}services?{query}", status=400)


@pytest.mark.parametrize(
    "path",
    ["services/not-a-uuid", "services/00000000-0000-4000-8000-000000000000", "organizations/x"],
)
def test_unknown_ids_are_a_404_in_json(client, path):
    get_json(client, API + path, status=404)


def test_only_public_data(client):
    hidden = PartnerFactory(name="Retired partner", is_active=False)
    shown = PartnerFactory(name="Active partner")
    CaseFactory()
    get_json(client, f"{API}services/{hidden.hsds_id}", status=404)
    body = json.dumps(get_json(client, f"{API}services?full=true"))
    body += client.get(f"{API}datapackage.json").content.decode()
    assert "Retired partner" not in body and shown.name in body
    for private in ("referral", "case", "member"):
        assert f'"{private}' not in body


def test_answers_are_public_and_cacheable(client):
    partner = PartnerFactory()
    response = client.get(f"{API}services/{partner.hsds_id}")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert not response.cookies
    assert client.post(f"{API}services").status_code == 405


def test_a_signed_in_manager_reads_the_same(client):
    partner = PartnerFactory()
    anonymous = client.get(f"{API}services/{partner.hsds_id}").json()
    client.force_login(staff("programme_manager"))
    assert client.get(f"{API}services/{partner.hsds_id}").json() == anonymous


def test_json_datapackage_validates(client, directory):
    response = client.get(f"{API}datapackage.json")
    assert response["Content-Disposition"].startswith("attachment")
    tables = json.loads(response.content)
    assert schema_errors(schemas.validator("compiled/tabular.json"), tables) == []
    assert len(tables["service"]) == len(tables["organization"]) == directory.count()


def test_csv_datapackage_has_the_official_columns(client, directory):
    response = client.get(f"{API}datapackage.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    for resource in descriptor["resources"]:
        header = archive.read(resource["path"]).decode().splitlines()[0]
        assert header.split(",") == package.columns(resource["name"])
    services = archive.read("services.csv").decode().splitlines()
    assert len(services) == 1 + directory.count()
    # Every CSV row, typed back, against the tabular schemas.
    assert importer.check(importer.read(response.content)) == []


def query_count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "services",
        "services?full=true",
        "organizations",
        "organizations?full_service=true",
        "datapackage.json",
        "datapackage.zip",
    ],
)
def test_lists_do_not_grow_with_the_directory(client, url):
    PartnerFactory()
    small = query_count(client, API + url)
    for _ in range(12):
        PartnerFactory(needs=["stress", "sleep"], areas=["BRU", "WLG"], languages=["fr", "nl"])
    assert query_count(client, API + url) == small <= 5
