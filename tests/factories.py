import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from members.models import MemberProfile, User
from members.roles import Role
from members.services import role_grant

PASSWORD = "a-long-test-password-42"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            role_grant(user=self, role=Role(role))


class MemberProfileFactory(DjangoModelFactory[MemberProfile]):
    class Meta:
        model = MemberProfile

    user = factory.SubFactory(UserFactory, roles=[Role.MEMBER])
    preferred_language = "fr"
    province = "WLG"


def member(**kwargs) -> User:
    return MemberProfileFactory(**{f"user__{k}": v for k, v in kwargs.items()}).user


def staff(role: Role, **kwargs) -> User:
    user = UserFactory(roles=[role], **kwargs)
    MemberProfileFactory(user=user)
    return user
