"""My library: practical sheets and modules a member keeps for later."""

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction

from members.selectors import member_data
from members.services import member_erase
from programme import selectors, services
from programme.models import ModuleFormat, SavedModule
from tests.factories import member
from tests.programme.factories import ModuleFactory

pytestmark = pytest.mark.django_db

HOME = "/en/dashboard/member/"


def sheet(**kwargs):
    return ModuleFactory(format=ModuleFormat.PRACTICAL_CONTENT, content_kind="guide", **kwargs)


def save_url(module) -> str:
    return f"/en/programme/modules/{module.slug}/save/"


def test_a_member_saves_a_sheet_and_finds_it_on_their_home(client, member_user):
    guide = sheet(title="Fiche : poser ses limites avec un client")
    client.force_login(member_user)
    response = client.post(save_url(guide), follow=True)
    assert "The sheet is in your library" in response.content.decode()
    body = client.get(HOME).content.decode()
    library = body[body.index('id="my-library"') :]
    assert "Practical sheets" in library and "Fiche : poser ses limites avec un client" in library
    assert f'action="{save_url(guide)}"' in library


def test_sheets_and_modules_are_listed_apart(member_user):
    services.module_save(user=member_user, module=sheet(title="Guide sommeil"))
    services.module_save(user=member_user, module=ModuleFactory(title="Webinaire stress"))
    services.module_save(user=member_user, module=sheet(title="Brouillon", is_published=False))
    library = selectors.library_of(member_user)
    assert [s.module.title for s in library.sheets] == ["Guide sommeil"]
    assert [s.module.title for s in library.modules] == ["Webinaire stress"]
    assert library.has_more is False


def test_saving_twice_keeps_one_row_and_says_so(client, member_user):
    guide = sheet()
    client.force_login(member_user)
    client.post(save_url(guide))
    again = client.post(save_url(guide), follow=True)
    assert again.status_code == 200
    assert "It was already in your library: nothing changed." in again.content.decode()
    assert SavedModule.objects.filter(user=member_user, module=guide).count() == 1
    assert services.module_save(user=member_user, module=guide)[1] is False


def test_the_database_refuses_a_second_row():
    user, guide = member(), sheet()
    SavedModule.objects.create(user=user, module=guide)
    with pytest.raises(IntegrityError), transaction.atomic():
        SavedModule.objects.create(user=user, module=guide)


def test_a_member_removes_a_sheet_from_their_home(client, member_user):
    guide = sheet(title="Guide à retirer")
    services.module_save(user=member_user, module=guide)
    client.force_login(member_user)
    response = client.post(save_url(guide), {"action": "unsave", "next": HOME}, follow=True)
    assert response.redirect_chain[-1][0] == HOME
    assert "The sheet is no longer in your library." in response.content.decode()
    assert not SavedModule.objects.filter(user=member_user).exists()
    body = response.content.decode()
    assert "Guide à retirer" not in body[body.index('id="my-library"') :]


def test_saving_an_unknown_or_unpublished_item_is_a_404(client, member_user):
    client.force_login(member_user)
    assert client.post("/en/programme/modules/nothing-here/save/").status_code == 404
    draft = sheet(is_published=False)
    assert client.post(save_url(draft)).status_code == 404
    assert not SavedModule.objects.exists()


def test_the_library_is_in_the_data_file_and_goes_with_erasure(member_user):
    services.module_save(user=member_user, module=sheet(title="Guide export"))
    services.module_save(user=member_user, module=ModuleFactory(title="Atelier export"))
    saved = member_data(member_user)["programme"]["saved_modules"]
    assert {(s["module"], s["is_practical_sheet"]) for s in saved} == {
        ("Guide export", True),
        ("Atelier export", False),
    }
    member_erase(user=member_user)
    assert not SavedModule.objects.exists()


@pytest.mark.parametrize("size", [1, 12])
def test_the_home_with_a_library_runs_a_fixed_number_of_queries(
    client, member_user, django_assert_num_queries, size
):
    for n in range(size):
        services.module_save(user=member_user, module=sheet(title=f"Fiche {n}"))
        services.module_save(user=member_user, module=ModuleFactory(title=f"Module {n}"))
    client.force_login(member_user)
    client.get(HOME)
    # The page rendered again (dashboards.member_cache keeps it otherwise): its reads, and
    # the member's fingerprint it is kept with.
    cache.clear()
    with django_assert_num_queries(8):
        body = client.get(HOME).content.decode()
    # Kept: the session, the account with its roles, the fingerprint.
    with django_assert_num_queries(3):
        assert client.get(HOME).content.decode().count('value="unsave"') == body.count(
            'value="unsave"'
        )
    shown = body.count('name="action" value="unsave"')
    assert shown == min(2 * size, selectors.LIBRARY_HOME_LIMIT)
    assert ("Everything I saved" in body) is (2 * size > selectors.LIBRARY_HOME_LIMIT)
