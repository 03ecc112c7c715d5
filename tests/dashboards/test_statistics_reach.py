"""The statistics page counts reach for its period: members who took part and who joined,
by province and by language (issue 17, statistics a board asks for)."""

import pytest

from members.roles import Role
from tests.factories import staff

from .programme import summer_programme

pytestmark = pytest.mark.django_db

URL = "/en/dashboard/manager/statistics/"


def test_the_period_s_reach_by_province_and_language(client):
    summer_programme()  # three members of Liège in August 2026: two read French, one Dutch
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    page = client.get(URL, {"start": "2026-08", "end": "2026-08"}).content.decode()
    section = page.split('aria-labelledby="reach-title"')[1].split("</section>")[0]
    summary = section.split('id="reach-summary"')[1].split("</dl>")[0]
    assert "Members who took part (a confirmed seat)</dt><dd" in summary
    # Small counts hidden, as the new members by month beside them.
    assert '<dd class="col-sm-6 col-lg-2">&lt;5</dd>' in summary
    assert "Liège</th><td>&lt;5</td>" in section
    assert "French</th><td>&lt;5</td>" in section and "Dutch</th><td>&lt;5</td>" in section
    empty = client.get(URL, {"start": "2026-03", "end": "2026-03"}).content.decode()
    assert "No member in this period." in empty.split('aria-labelledby="reach-title"')[1]
