"""The helpers every app shares (issue 14): one page reading, one pagination partial,
one CSV writer, one rule for the enrolments of members still present."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from common.csv_export import csv_response
from common.pagination import page_of
from programme.models import Enrolment
from referrals.models import Partner
from tests.programme.factories import EnrolmentFactory
from tests.referrals.factories import PartnerFactory


@pytest.mark.parametrize(
    ("raw", "number", "moved"),
    [(None, 1, False), ("", 1, False), ("2", 2, False), ("9", 3, True), ("abc", 1, False)],
)
def test_page_of_gives_the_nearest_page_that_exists(raw, number, moved):
    page, was_moved = page_of(list(range(25)), raw, 10)
    assert (page.number, was_moved) == (number, moved)


def test_the_pagination_partial_keeps_the_filters_and_marks_the_current_page():
    page, _moved = page_of(list(range(50)), "2", 10)
    request = RequestFactory().get("/list/", {"need": "legal", "page": "2"})
    html = render_to_string(
        "partials/pagination.html", {"page": page, "label": "Pages of things"}, request
    )
    assert '<nav aria-label="Pages of things"' in html
    assert 'href="?need=legal&amp;page=3"' in html
    assert html.count('aria-current="page"') == 1
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2<' in html


def test_a_csv_download_neutralises_formulas():
    response = csv_response("x.csv", ["name"], [["=HYPERLINK(1)"], ["-3"], ["plain"]])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().splitlines() == ["name", "'=HYPERLINK(1)", "'-3", "plain"]


@pytest.mark.django_db
def test_present_members_leaves_out_the_seats_of_erased_accounts():
    kept = EnrolmentFactory()
    EnrolmentFactory(user=None)
    assert list(Enrolment.objects.of_present_members()) == [kept]


@pytest.mark.django_db
def test_the_partner_directory_pages_keep_its_filters(client):
    PartnerFactory.create_batch(25, needs=["legal"])
    body = client.get("/en/listening-cell/partners/", {"need": "legal"}).content.decode()
    assert Partner.objects.count() == 25
    assert "?need=legal&amp;page=2" in body
