from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from programme.models import (
    Enrolment,
    EnrolmentStatus,
    Module,
    ModuleFormat,
    Session,
    SessionMode,
    Theme,
)
from tests.factories import UserFactory


class ThemeFactory(DjangoModelFactory[Theme]):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name_fr = factory.LazyAttribute(lambda t: f"Thème {t.slug}")
    name_nl = factory.LazyAttribute(lambda t: f"Thema {t.slug}")
    name_en = factory.LazyAttribute(lambda t: f"Theme {t.slug}")


class ModuleFactory(DjangoModelFactory[Module]):
    class Meta:
        model = Module
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"module-{n}")
    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "Un module pour renforcer vos ressources."
    description = "Une **description** en Markdown."
    format = ModuleFormat.WORKSHOP
    language = "fr"
    duration_minutes = 90
    provider = "J'entreprends mon bien-être"
    is_published = True
    search_text = factory.LazyAttribute(lambda m: Module.searchable_text(m))

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        """themes=["sleep", "stress"] (slugs) or Theme objects."""
        for theme in extracted or ():
            self.themes.add(theme if isinstance(theme, Theme) else ThemeFactory(slug=theme))


class SessionFactory(DjangoModelFactory[Session]):
    class Meta:
        model = Session

    module = factory.SubFactory(ModuleFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=2))
    mode = SessionMode.ONLINE
    join_url = "https://visio.example.org/session"
    capacity = 12
    is_published = True


class EnrolmentFactory(DjangoModelFactory[Enrolment]):
    """A raw row for tests that need history; real enrolments go through the services."""

    class Meta:
        model = Enrolment

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    status = EnrolmentStatus.CONFIRMED
