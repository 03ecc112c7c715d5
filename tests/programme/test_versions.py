"""Language versions: a module's French, Dutch and English versions, linked by managers
and offered to members ("Also in Dutch")."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from common.history import changes_of
from members.roles import Role
from notifications.links import absolute_url
from programme import services
from programme.models import Module, ModuleVersionGroup
from tests.factories import MemberProfileFactory, member, staff
from tests.programme.factories import ModuleFactory, SessionFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def refusal(call, **kwargs) -> str:
    with pytest.raises(services.VersionLinkRefused) as refused:
        call(**kwargs)
    return refused.value.code


def reload(*modules: Module) -> list[Module]:
    for module in modules:
        module.refresh_from_db()
    return list(modules)


@pytest.fixture
def pair():
    """The French and Dutch versions of one webinar, linked."""
    fr = ModuleFactory(title="Gérer son stress", language="fr")
    nl = ModuleFactory(title="Stress beheersen", language="nl")
    services.module_version_link(module=fr, other=nl)
    return reload(fr, nl)


# --- Services and constraints ---------------------------------------------------------


def test_linking_two_modules_puts_them_in_one_group_kept_in_their_history(manager_user):
    fr = ModuleFactory(language="fr")
    nl = ModuleFactory(language="nl")
    services.module_version_link(module=fr, other=nl, actor=manager_user)
    fr, nl = reload(fr, nl)
    assert fr.version_group_id is not None
    assert fr.version_group_id == nl.version_group_id
    latest = fr.history.first()
    assert latest.history_user == manager_user
    assert latest.version_group_id == fr.version_group_id
    with translation.override("en"):
        lines = changes_of(fr)[0].changes
    assert [line.field for line in lines] == ["Language versions"]
    assert f"{nl.title} (NL)" in lines[0].new


def test_a_third_language_joins_the_group(pair):
    fr, nl = pair
    en = ModuleFactory(language="en")
    services.module_version_link(module=en, other=nl)
    assert reload(en)[0].version_group_id == fr.version_group_id
    assert Module.objects.filter(version_group=fr.version_group).count() == 3


@pytest.mark.parametrize("who", ["itself", "same_language"])
def test_a_module_is_not_linked_to_itself_nor_to_its_own_language(who):
    fr = ModuleFactory(language="fr")
    other = fr if who == "itself" else ModuleFactory(language="fr")
    assert refusal(services.module_version_link, module=fr, other=other) == who
    assert not ModuleVersionGroup.objects.exists()


def test_linking_twice_says_it_is_already_done(pair):
    fr, nl = pair
    assert refusal(services.module_version_link, module=nl, other=fr) == "already_linked"


def test_a_module_with_versions_of_its_own_is_not_merged_into_another_group(pair):
    fr, _nl = pair
    en = ModuleFactory(language="en")
    nl2 = ModuleFactory(language="nl")
    services.module_version_link(module=en, other=nl2)
    assert refusal(services.module_version_link, module=fr, other=reload(en)[0]) == "other_group"


@pytest.mark.parametrize("from_the_group", [True, False])
def test_a_group_keeps_one_module_per_language(pair, from_the_group):
    fr, nl = pair
    second_nl = ModuleFactory(language="nl", title="Nog een versie")
    module, other = (fr, second_nl) if from_the_group else (second_nl, fr)
    with pytest.raises(services.VersionLinkRefused) as refused:
        services.module_version_link(module=module, other=other)
    assert refused.value.code == "language_taken"
    assert nl.title in refused.value.messages[0]
    assert reload(second_nl)[0].version_group_id is None


def test_the_database_refuses_two_modules_of_one_language_in_a_group(pair):
    fr, _nl = pair
    with pytest.raises(IntegrityError), transaction.atomic():
        ModuleFactory(language="nl", version_group=fr.version_group)


def test_changing_a_language_to_one_already_linked_is_refused_clearly(pair):
    fr, _nl = pair
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.module_update(module=fr, language="nl")
    assert "already linked" in refused.value.messages[0]


def test_unlinking_leaves_the_others_linked_or_dissolves_a_pair(pair):
    fr, nl = pair
    en = ModuleFactory(language="en")
    services.module_version_link(module=fr, other=en)
    services.module_version_unlink(module=reload(en)[0])
    fr, nl, en = reload(fr, nl, en)
    assert en.version_group_id is None
    assert fr.version_group_id == nl.version_group_id is not None
    services.module_version_unlink(module=nl)
    fr, nl = reload(fr, nl)
    assert fr.version_group_id is None and nl.version_group_id is None
    assert not ModuleVersionGroup.objects.exists()
    assert refusal(services.module_version_unlink, module=fr) == "not_linked"


# --- Managers' panel ---------------------------------------------------------------------


def versions_url(module: Module) -> str:
    return f"/en/programme/manage/modules/{module.pk}/versions/"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_manager_links_and_unlinks_from_the_module_page(client, manager_user):
    fr = ModuleFactory(language="fr", title="Gérer son stress")
    nl = ModuleFactory(language="nl", title="Stress beheersen")
    ModuleFactory(language="fr", title="Autre module français")
    client.force_login(manager_user)
    edit = client.get(f"/en/programme/manage/modules/{fr.pk}/edit/").content.decode()
    assert "Language versions" in edit
    assert "Stress beheersen (Dutch)" in edit
    assert "Autre module français" not in edit  # the same language is not offered

    response = client.post(versions_url(fr), {"other": nl.pk}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/manage/modules/{fr.pk}/edit/#versions")
    assert messages_of(response) == [
        "“Stress beheersen” is now linked: each page offers the other language."
    ]
    assert reload(nl)[0].version_group_id == reload(fr)[0].version_group_id is not None
    assert 'id="version-list"' in response.content.decode()

    response = client.post(versions_url(fr), {"unlink": nl.pk}, follow=True)
    assert "no longer linked" in messages_of(response)[0]
    assert reload(fr)[0].version_group_id is None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"other": "same"}, "same language"),
        ({"other": "itself"}, "cannot be a version of itself"),
        ({"other": "grouped"}, "already linked to other versions"),
        ({"other": "999999"}, "no longer exists"),
        ({"other": "99999999999999999999999"}, "no longer exists"),
        ({"other": "abc"}, "no longer exists"),
        ({}, "Pick the module"),
        ({"unlink": "abc"}, "not one of the linked versions"),
        ({"unlink": "99999999999999999999999"}, "not one of the linked versions"),
        ({"unlink": "stranger"}, "not one of the linked versions"),
    ],
)
def test_bad_links_get_a_clear_message_never_a_500(client, manager_user, pair, data, message):
    fr, _nl = pair
    en = ModuleFactory(language="en")
    other_nl = ModuleFactory(language="nl")
    services.module_version_link(module=en, other=other_nl)
    named = {
        "same": ModuleFactory(language="fr").pk,
        "itself": fr.pk,
        "grouped": en.pk,
        "stranger": ModuleFactory(language="en").pk,
    }
    data = {key: named.get(value, value) for key, value in data.items()}
    client.force_login(manager_user)
    response = client.post(versions_url(fr), data, follow=True)
    assert response.status_code == 200
    assert message in messages_of(response)[0]
    assert Module.objects.filter(version_group=reload(fr)[0].version_group).count() == 2


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AMBASSADOR, Role.ADVISOR])
def test_only_programme_managers_link_versions(client, role):
    fr = ModuleFactory(language="fr")
    nl = ModuleFactory(language="nl")
    client.force_login(member() if role is Role.MEMBER else staff(role))
    assert client.post(versions_url(fr), {"other": nl.pk}).status_code == 403
    assert reload(fr)[0].version_group_id is None


def test_visitors_are_sent_to_log_in(client):
    fr = ModuleFactory(language="fr")
    response = client.post(versions_url(fr), {"other": fr.pk})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_panel_takes_post_only(client, manager_user):
    client.force_login(manager_user)
    assert client.get(versions_url(ModuleFactory())).status_code == 405


# --- What members see ---------------------------------------------------------------------


def test_the_module_page_offers_the_other_version_in_its_language(client, pair):
    fr, nl = pair
    html = client.get(f"/fr/programme/modules/{fr.slug}/").content.decode()
    assert (
        f'<a href="/fr/programme/modules/{nl.slug}/" hreflang="nl" lang="nl">{nl.title}</a>' in html
    )
    assert "Aussi en néerlandais" in html
    # Each version in the pages of its own language, for search engines.
    for module in (fr, nl):
        url = absolute_url(f"/{module.language}/programme/modules/{module.slug}/")
        assert f'<link rel="alternate" hreflang="{module.language}" href="{url}">' in html
    html = client.get(f"/nl/programme/modules/{nl.slug}/").content.decode()
    assert "Ook in het Frans" in html
    assert f'hreflang="fr" lang="fr">{fr.title}</a>' in html


def test_a_draft_version_is_not_offered_to_members(client, member_user, pair):
    fr, nl = pair
    Module.objects.filter(pk=nl.pk).update(is_published=False)
    client.force_login(member_user)
    html = client.get(f"/en/programme/modules/{fr.slug}/").content.decode()
    assert "Also in Dutch" not in html
    assert 'rel="alternate"' not in html


def test_a_module_without_versions_shows_none(client):
    html = client.get(f"/en/programme/modules/{ModuleFactory().slug}/").content.decode()
    assert "Also in" not in html and 'rel="alternate"' not in html


def test_module_page_with_versions_has_a_fixed_query_count(
    client, member_user, pair, django_assert_num_queries
):
    fr, _nl = pair
    services.module_version_link(module=fr, other=ModuleFactory(language="en"))
    SessionFactory(module=fr)
    client.force_login(member_user)
    # As a module without versions (test_pages), and one query for its versions.
    with django_assert_num_queries(9):
        response = client.get(f"/en/programme/modules/{fr.slug}/")
    assert len(response.context["versions"]) == 2


CATALOGUE = "/en/programme/"


def card_titles(response) -> list[str]:
    return [m.title for m in response.context["modules"]]


def test_the_catalogue_shows_one_version_per_content_in_the_members_language(client, pair):
    fr, nl = pair
    alone = ModuleFactory(language="nl", title="Alleen in het Nederlands")
    french_member = member()
    dutch_member = MemberProfileFactory(preferred_language="nl").user

    client.force_login(french_member)
    response = client.get(CATALOGUE)
    assert sorted(card_titles(response)) == sorted([fr.title, alone.title])
    html = response.content.decode()
    assert f'href="/en/programme/modules/{nl.slug}/" hreflang="nl">Also in Dutch' in html

    client.force_login(dutch_member)
    response = client.get(CATALOGUE)
    assert sorted(card_titles(response)) == sorted([nl.title, alone.title])
    assert "Also in French" in response.content.decode()


def test_choosing_languages_shows_every_version(client, member_user, pair):
    fr, nl = pair
    client.force_login(member_user)
    response = client.get(CATALOGUE, {"language": ["fr", "nl"]})
    assert sorted(card_titles(response)) == sorted([fr.title, nl.title])


def test_a_version_the_filters_keep_is_not_hidden_by_one_they_leave_out(client, member_user):
    fr = ModuleFactory(language="fr", title="Gérer son stress")
    nl = ModuleFactory(language="nl", title="Slaap en herstel")
    services.module_version_link(module=fr, other=nl)
    client.force_login(member_user)
    assert card_titles(client.get(CATALOGUE, {"q": "slaap"})) == [nl.title]


def test_visitors_see_the_version_in_the_pages_language(client, pair):
    fr, nl = pair
    assert card_titles(client.get("/nl/programme/")) == [nl.title]
    assert card_titles(client.get("/fr/programme/")) == [fr.title]
    assert sorted(card_titles(client.get("/en/programme/"))) == sorted([fr.title, nl.title])


@pytest.mark.parametrize("size", [1, 6])
def test_catalogue_with_versions_keeps_its_query_count(
    client, member_user, django_assert_num_queries, size
):
    themes = [ThemeFactory(slug=f"t{i}") for i in range(3)]
    for _ in range(size):
        fr = ModuleFactory(themes=themes, language="fr")
        nl = ModuleFactory(themes=themes, language="nl")
        SessionFactory.create_batch(2, module=fr)
        SessionFactory.create_batch(2, module=nl)
        services.module_version_link(module=fr, other=nl)
    client.force_login(member_user)
    # The same nine as without versions (test_catalogue).
    with django_assert_num_queries(9):
        response = client.get(CATALOGUE, {"q": "module", "theme": "t1", "mode": "online"})
    assert len(response.context["modules"]) == size
    assert all(m.language == "fr" and m.version_links for m in response.context["modules"])
