"""HSDS in: the demo directory round-trips, re-importing changes nothing, bad files are
refused whole with every problem located (table, row, field), never a 500."""

import copy
import io
import json
import os
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo import referrals as demo_referrals
from members.roles import Role
from referrals import services
from referrals.hsds import importer, reader
from referrals.hsds.importer import ImportRefused, hsds_import, snapshot
from referrals.hsds.vocabulary import organization_id
from referrals.models import Partner
from tests.factories import UserFactory, member, staff

from .factories import PartnerFactory

pytestmark = pytest.mark.django_db

IMPORT_PAGE = "/en/listening-cell/staff/partners/import/"


def directory_rows():
    """Every partner as the directory holds it, keyed by its HSDS id."""
    return {
        str(p.hsds_id): (p.slug, snapshot(p))
        for p in Partner.objects.prefetch_related("needs", "areas", "languages")
    }


def export(client, fmt="json") -> bytes:
    response = client.get(f"/api/hsds/datapackage.{fmt}")
    assert response.status_code == 200
    return response.content


@pytest.fixture
def demo_directory(db):
    demo_referrals.seed_partners()
    assert Partner.objects.count() > 10
    return directory_rows()


@pytest.mark.parametrize("fmt", ["json", "zip"])
def test_the_demo_directory_round_trips(client, demo_directory, fmt):
    data = export(client, fmt)
    Partner.objects.all().delete()
    report = hsds_import(data=data, dry_run=False)
    assert len(report.created) == len(demo_directory)
    assert directory_rows() == demo_directory


@pytest.mark.parametrize("fmt", ["json", "zip"])
def test_reimporting_the_same_file_changes_nothing(client, demo_directory, fmt):
    data = export(client, fmt)
    stamps = dict(Partner.objects.values_list("pk", "updated_at"))
    for _ in range(2):
        report = hsds_import(data=data, dry_run=False)
        assert (len(report.created), len(report.updated)) == (0, 0)
        assert len(report.unchanged) == len(demo_directory)
    assert dict(Partner.objects.values_list("pk", "updated_at")) == stamps


def test_ids_in_capitals_are_the_same_ids(client, demo_directory):
    tables = json.loads(export(client))
    for rows in tables.values():
        for row in rows:
            for key in [k for k in row if k == "id" or k.endswith("_id")]:
                row[key] = row[key].upper()
    report = hsds_import(data=json.dumps(tables).encode(), dry_run=False)
    assert len(report.unchanged) == len(demo_directory)


def test_nested_services_from_the_api_import_too(client, demo_directory):
    page = client.get("/api/hsds/services?full=true&per_page=200").json()
    Partner.objects.all().delete()
    hsds_import(data=json.dumps(page).encode(), dry_run=False)
    assert directory_rows() == demo_directory
    report = hsds_import(data=json.dumps(page["contents"]).encode(), dry_run=True)
    assert len(report.unchanged) == len(demo_directory)


def test_a_dry_run_shows_the_changes_and_writes_nothing(client, demo_directory):
    tables = json.loads(export(client))
    tables["service"][0]["name"] = "Nouveau nom"
    new = copy.deepcopy(tables)
    report = hsds_import(data=json.dumps(new).encode(), dry_run=True)
    assert [(c.name, c.changed) for c in report.updated] == [("Nouveau nom", ["name"])]
    assert report.not_in_file == 0
    assert directory_rows() == demo_directory
    hsds_import(data=json.dumps(new).encode(), dry_run=False)
    assert Partner.objects.filter(name="Nouveau nom").count() == 1


def test_partners_not_in_the_file_are_left_alone(client):
    kept = PartnerFactory(name="Only here")
    other = PartnerFactory(name="Exported")
    data = json.loads(export(client))
    ids = {str(kept.hsds_id), organization_id(kept.hsds_id)}
    data = {
        table: [row for row in rows if not ids & set(map(str, row.values()))]
        for table, rows in data.items()
    }
    Partner.objects.filter(pk=other.pk).update(name="Renamed meanwhile")
    report = hsds_import(data=json.dumps(data).encode(), dry_run=False)
    assert report.not_in_file == 1 and len(report.updated) == 1
    assert Partner.objects.get(pk=kept.pk).name == "Only here"
    assert Partner.objects.get(pk=other.pk).name == "Exported"


# --- Bad input -------------------------------------------------------------------------------


@pytest.fixture
def tables(client):
    PartnerFactory(name="First")
    PartnerFactory(name="Second")
    return json.loads(export(client))


def refused(data) -> list[tuple]:
    count = Partner.objects.count()
    with pytest.raises(ImportRefused) as caught:
        hsds_import(
            data=data if isinstance(data, bytes) else json.dumps(data).encode(), dry_run=False
        )
    assert Partner.objects.count() == count
    return [(p.table, p.row, p.field) for p in caught.value.problems]


def test_missing_required_fields(tables):
    del tables["service"][1]["name"]
    del tables["organization"][0]["description"]
    del tables["attribute"][2]["link_entity"]
    assert refused(tables) == [
        ("organization", 1, "description"),
        ("service", 2, "name"),
        ("attribute", 3, "link_entity"),
    ]


def test_wrong_types(tables):
    tables["service"][0]["name"] = 42
    tables["service"][1]["status"] = "open"
    tables["phone"][0]["extension"] = "twelve"
    tables["service_area"] = "everywhere"
    problems = refused(tables)
    assert ("service", 1, "name") in problems
    assert ("service", 2, "status") in problems
    assert ("phone", 1, "extension") in problems
    assert ("service_area", None, "") in problems


def test_duplicate_ids(tables):
    tables["service"].append(dict(tables["service"][0]))
    tables["language"].append(dict(tables["language"][1]))
    assert refused(tables) == [("service", 3, "id"), ("language", 3, "id")]


def test_ids_that_are_not_uuids_or_point_nowhere(tables):
    tables["service"][0]["id"] = "partner-1"
    assert refused(tables) == [("service", 1, "id")]


def test_rows_pointing_nowhere(tables):
    tables["service"][0]["organization_id"] = "00000000-0000-4000-8000-000000000000"
    tables["phone"][1]["service_id"] = "00000000-0000-4000-8000-000000000001"
    assert refused(tables) == [("service", 1, "organization_id"), ("phone", 2, "service_id")]


def test_values_the_directory_refuses(tables):
    tables["phone"][0]["number"] = "not a phone"
    tables["service"][1]["name"] = "x" * 200
    tables["language"] = [
        row for row in tables["language"] if row["service_id"] != tables["service"][1]["id"]
    ]
    problems = refused(tables)
    assert ("phone", 1, "number") in problems
    assert ("service", 2, "name") in problems
    assert ("service", 2, "languages") in problems


def test_impossible_dates_and_long_hours(tables):
    tables["service"][0]["assured_date"] = "2026-02-30"
    tables["service"][1]["assured_date"] = "soon"
    tables["schedule"][1]["description"] = "x" * 201
    assert refused(tables) == [
        ("service", 1, "assured_date"),
        ("service", 2, "assured_date"),
        ("schedule", 2, "description"),
    ]


def test_an_organization_phone_is_located_in_its_table(tables):
    service = tables["service"][1]
    tables["phone"] = [p for p in tables["phone"] if p["service_id"] != service["id"]]
    tables["phone"].append(
        {
            "id": "6a1c1c1c-1c1c-4c1c-9c1c-1c1c1c1c1c1c",
            "organization_id": service["organization_id"],
            "number": "123",
        }
    )
    assert refused(tables) == [("phone", 2, "number")]


def test_a_partner_nobody_could_reach(tables):
    service = tables["service"][0]
    for key in ("email", "url"):
        service.pop(key)
    organization = next(o for o in tables["organization"] if o["id"] == service["organization_id"])
    organization.pop("email")
    organization.pop("website")
    tables["phone"] = [p for p in tables["phone"] if p["service_id"] != service["id"]]
    assert refused(tables) == [("service", 1, "")]


def test_one_bad_service_imports_nothing(tables):
    """Two valid new services and a third with no area, language nor need: none is created."""
    tables["service"].append(
        {**tables["service"][0], "id": "0f8f0c3a-3b7e-4b2b-9d1e-1c1c1c1c1c1c", "name": "Third"}
    )
    Partner.objects.all().delete()
    problems = refused(tables)
    assert ("service", 3, "service_areas") in problems
    assert ("service", 3, "languages") in problems
    assert not Partner.objects.exists()


def test_a_failure_while_writing_rolls_everything_back(client, tables, monkeypatch):
    Partner.objects.all().delete()
    calls = []
    real_create = services.partner_create

    def create_then_fail(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 2:
            raise importer.ValidationError("The database said no.")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "partner_create", create_then_fail)
    assert refused(tables) == [("", None, "")]
    assert len(calls) == 2 and not Partner.objects.exists()


@override_settings(HSDS_IMPORT_MAX_BYTES=5 * 1024 * 1024)
def test_ten_megabytes_of_junk_are_refused_unread():
    problems = refused(os.urandom(10 * 1024 * 1024))
    assert problems == [("", None, "")]


@pytest.mark.parametrize(
    "junk",
    [
        b"",
        os.urandom(200_000),
        b"PK\x03\x04" + os.urandom(5000),
        b"[" * 200_000,
        b'{"hello": "world"}',
        b"[1, 2, 3]",
        "é".encode("latin-1"),
    ],
    ids=["empty", "random", "fake-zip", "deep", "object", "numbers", "latin-1"],
)
def test_junk_is_refused_with_a_message(junk):
    with pytest.raises(ImportRefused) as caught:
        hsds_import(data=junk, dry_run=True)
    assert "HSDS" in caught.value.problems[0].message


def test_a_csv_zip_with_bad_cells(client):
    PartnerFactory()
    archive = zipfile.ZipFile(io.BytesIO(export(client, "zip")))
    files = {name: archive.read(name) for name in archive.namelist()}
    lines = files["phones.csv"].decode().splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("extension")] = "abc"
    files["phones.csv"] = "\r\n".join([lines[0], ",".join(cells)]).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, content in files.items():
            out.writestr(name, content)
    assert refused(buffer.getvalue()) == [("phone", 1, "extension")]


def test_nested_services_name_the_service_and_path(client):
    PartnerFactory()
    page = client.get("/api/hsds/services?full=true").json()
    page["contents"][0]["phones"][0].pop("number")
    assert refused(page) == [("service", 1, "phones.0.number")]


# --- The management command -----------------------------------------------------------------


def test_command_dry_run_then_import(client, tmp_path, demo_directory):
    path = tmp_path / "directory.json"
    path.write_bytes(export(client))
    Partner.objects.all().delete()
    out = io.StringIO()
    call_command("import_hsds", str(path), "--dry-run", stdout=out)
    assert "would be created" in out.getvalue() and not Partner.objects.exists()
    call_command("import_hsds", str(path), stdout=io.StringIO())
    assert directory_rows() == demo_directory
    out = io.StringIO()
    call_command("import_hsds", str(path), stdout=out)
    assert (
        f"0 partner(s) were created, 0 updated, {len(demo_directory)} left alone" in out.getvalue()
    )


def test_command_refuses_a_bad_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"service": [{"id": "x"}]}')
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_hsds", str(path), stderr=err)
    # In the default language (French), with the HSDS names of the table and the fields.
    assert "ligne 1" in err.getvalue() and "organization_id" in err.getvalue()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_hsds", str(tmp_path / "missing.json"))


def test_export_command_writes_what_the_api_serves(client, capsys):
    PartnerFactory()
    call_command("export_hsds")
    assert json.loads(capsys.readouterr().out) == json.loads(export(client))


# --- The managers' page ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "no-role", *Role], ids=str)
def test_only_partner_managers_open_the_import_page(client, role):
    if role == "no-role":
        client.force_login(UserFactory())
    elif role == Role.MEMBER:
        client.force_login(member())
    elif role is not None:
        client.force_login(staff(role))
    get, post = client.get(IMPORT_PAGE), client.post(IMPORT_PAGE, {"token": "x" * 64})
    if role == Role.PROGRAMME_MANAGER:
        assert get.status_code == 200
    elif role is None:
        assert (get.status_code, post.status_code) == (302, 302)
        assert "/accounts/login/" in get["Location"]
    else:
        assert (get.status_code, post.status_code) == (403, 403)


def test_a_manager_without_the_permission_is_refused(client):
    manager = staff(Role.PROGRAMME_MANAGER)
    manager.groups.first().permissions.remove(
        *manager.groups.first().permissions.filter(codename="manage_partners")
    )
    client.force_login(manager)
    assert client.get(IMPORT_PAGE).status_code == 403


def upload(client, data: bytes, name="directory.json"):
    return client.post(IMPORT_PAGE, {"file": io.BytesIO(data) | _named(name)}, follow=True)


class _named:
    def __init__(self, name):
        self.name = name

    def __ror__(self, buffer):
        buffer.name = self.name
        return buffer


def test_preview_then_confirm(client, manager_user):
    partner = PartnerFactory(name="Before")
    data = json.loads(export(client))
    data["service"][0]["name"] = "After"
    client.force_login(manager_user)
    page = upload(client, json.dumps(data).encode())
    assert page.status_code == 200
    html = page.content.decode()
    assert "After" in html and "Import these changes" in html
    partner.refresh_from_db()
    assert partner.name == "Before"
    token = page.context["token"]
    done = client.post(IMPORT_PAGE, {"token": token}, follow=True)
    assert done.redirect_chain[-1][0].endswith("/listening-cell/staff/partners/")
    assert "1 updated" in done.content.decode()
    partner.refresh_from_db()
    assert partner.name == "After"
    again = upload(client, json.dumps(data).encode())
    assert "the directory already matches this file" in again.content.decode()
    expired = client.post(IMPORT_PAGE, {"token": token}, follow=True)
    assert "This preview has expired" in expired.content.decode()


def test_another_managers_preview_is_not_mine(client, manager_user):
    PartnerFactory()
    data = json.loads(export(client))
    data["service"][0]["name"] = "Changed"
    client.force_login(manager_user)
    token = upload(client, json.dumps(data).encode()).context["token"]
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    client.post(IMPORT_PAGE, {"token": token})
    assert not Partner.objects.filter(name="Changed").exists()


def test_a_bad_file_lists_every_problem(client, manager_user, tables):
    del tables["service"][1]["name"]
    tables["service"][0]["status"] = "open"
    client.force_login(manager_user)
    page = upload(client, json.dumps(tables).encode())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nothing was imported: the file has 2 problems." in html
    assert "<td>service</td>" in html and "<td>name</td>" in html and "<td>status</td>" in html


@override_settings(HSDS_IMPORT_MAX_BYTES=1024 * 1024)
def test_a_huge_upload_is_a_form_error(client, manager_user):
    client.force_login(manager_user)
    page = upload(client, os.urandom(10 * 1024 * 1024), name="junk.zip")
    assert page.status_code == 200
    assert "This file is too large" in page.content.decode()


def test_no_file_is_a_form_error(client, manager_user):
    client.force_login(manager_user)
    page = client.post(IMPORT_PAGE, {})
    assert page.status_code == 200 and page.context["form"].errors["file"]


def test_values_nested_hundreds_deep_are_a_located_problem(tables):
    tables["service"][0]["alternate_name"] = json.loads("[" * 900 + "]" * 900)
    tables["service"][1]["extra"] = json.loads("[" * 900 + "]" * 900)
    assert refused(tables) == [("service", 1, "alternate_name")]


def test_too_many_rows_are_refused_before_being_checked(monkeypatch, tables):
    monkeypatch.setattr(reader, "MAX_ROWS", 40)
    tables["language"] = [{"id": "x"}] * 41
    assert refused(tables) == [("language", None, "")]
    assert refused([{"id": "x"}] * 41) == [("service", None, "")]


def test_problems_stop_at_a_bound(monkeypatch):
    monkeypatch.setattr(reader, "MAX_PROBLEMS", 10)
    assert len(refused({"service": [{}] * 50})) == 10


def test_a_zip_with_a_corrupt_member(client):
    PartnerFactory()
    data = bytearray(export(client, "zip"))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    entry = archive.getinfo("services.csv")
    # Flip bytes inside the compressed data of services.csv.
    start = entry.header_offset + 30 + len(entry.filename) + len(entry.extra) + 2
    data[start : start + 8] = b"\xff" * 8
    problems = refused(bytes(data))
    assert problems == [("service", None, "")]


# --- Whatever the file, a list of problems or an import: never an exception ---------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=30,
)
FIELD_NAMES = st.sampled_from(
    [
        "id",
        "name",
        "status",
        "organization_id",
        "service_id",
        "link_id",
        "link_entity",
        "taxonomy_term_id",
        "number",
        "code",
        "uri",
        "description",
        "assured_date",
    ]
)
TABLE_ROWS = st.dictionaries(
    st.sampled_from(["organization", "service", "phone", "language", "attribute", "service_area"]),
    st.lists(st.dictionaries(FIELD_NAMES, JSON | st.uuids().map(str), max_size=6), max_size=3),
    max_size=6,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=JSON
    | TABLE_ROWS
    | st.lists(
        TABLE_ROWS.map(lambda t: t.get("service", [{}])[0] if t.get("service") else {}), max_size=3
    )
)
def test_any_json_is_refused_cleanly_or_imported(content):
    try:
        data = json.dumps(content).encode()
    except ValueError:
        return
    try:
        hsds_import(data=data, dry_run=True)
    except ImportRefused as refused:
        assert refused.problems and all(str(problem) for problem in refused.problems)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000))
def test_any_bytes_are_refused_cleanly(data):
    with pytest.raises(ImportRefused):
        hsds_import(data=b"PK\x03\x04" + data, dry_run=True)
