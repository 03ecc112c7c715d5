"""A programme manager imports partners from an HSDS file: refused file, dry run, confirm."""

import json
import re

from playwright.sync_api import expect

from members.roles import Role
from referrals.hsds import selectors, serialise
from referrals.models import Partner
from tests.e2e.journeys import sign_in
from tests.factories import staff
from tests.referrals.factories import PartnerFactory


def test_manager_imports_partners_from_hsds(live_server, page, axe, csp_violations, tmp_path):
    PartnerFactory(name="Un pass dans l'impasse")
    tables = serialise.tabular(selectors.with_details(selectors.public_partners()))
    tables["service"][0]["name"] = "Un pass dans l'impasse (asbl)"
    good = tmp_path / "directory.json"
    good.write_text(json.dumps(tables))
    del tables["service"][0]["status"]
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(tables))

    sign_in(page, live_server, staff(Role.PROGRAMME_MANAGER))
    page.goto(f"{live_server.url}/en/listening-cell/staff/partners/")
    page.get_by_role("link", name="Import partners (HSDS)").click()
    expect(page.locator("h1")).to_have_text("Import partners (HSDS)")
    axe("import page")

    page.get_by_label("HSDS file").set_input_files(str(bad))
    page.get_by_role("button", name="See what would change").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported")
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody tr td").nth(2)).to_have_text("status")
    axe("import refused")

    page.get_by_label("HSDS file").set_input_files(str(good))
    page.get_by_role("button", name="See what would change").click()
    expect(page.locator("table tbody th")).to_have_text("Un pass dans l'impasse (asbl)")
    axe("dry run")
    assert Partner.objects.get().name == "Un pass dans l'impasse"

    page.get_by_role("button", name="Import these changes").click()
    expect(page).to_have_url(re.compile(r"/en/listening-cell/staff/partners/$"))
    expect(page.locator(".alert-success")).to_contain_text("1 updated")
    axe("partner list after the import")
    assert Partner.objects.get().name == "Un pass dans l'impasse (asbl)"
    assert csp_violations == []
