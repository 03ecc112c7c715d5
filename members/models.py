from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.belgium import Language, Province

from .consents import ConsentKind


class UserManager(BaseUserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Role capabilities; the role groups (members.roles) hold them.
        permissions = [
            ("access_member_space", _("Can use the member space")),
            ("raise_signals", _("Can pass on a member's weak signal")),
            ("work_cases", _("Can work listening-cell cases")),
            ("manage_programme", _("Can manage the programme catalogue")),
            ("view_statistics", _("Can read programme statistics")),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class SelfEmployment(models.TextChoices):
    MAIN = "main", _("Main occupation")
    COMPLEMENTARY = "complementary", _("Complementary occupation")
    AFTER_RETIREMENT = "after_retirement", _("Active after retirement")
    HELPING_SPOUSE = "helping_spouse", _("Helping spouse or partner")


class ActivitySector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture, horticulture, fishing")
    CONSTRUCTION = "construction", _("Construction and trades")
    RETAIL = "retail", _("Retail and commerce")
    HOSPITALITY = "hospitality", _("Hotels, restaurants, cafés")
    TRANSPORT = "transport", _("Transport and logistics")
    HEALTH = "health", _("Health and care professions")
    LIBERAL = "liberal", _("Liberal and intellectual professions")
    CREATIVE = "creative", _("Arts, culture and media")
    SERVICES = "services", _("Personal and business services")
    IT = "it", _("IT and digital")
    INDUSTRY = "industry", _("Industry and crafts")
    OTHER = "other", _("Other")


phone_validator = RegexValidator(
    regex=r"^\+?[0-9][0-9 ./-]{7,18}[0-9]$",
    message=_("Enter a phone number such as 0470 12 34 56 or +32 470 12 34 56."),
)
postcode_validator = RegexValidator(
    regex=r"^[1-9][0-9]{3}$",
    message=_("Enter a Belgian postcode of four digits, such as 1000."),
)


# What a member tells the programme about themselves: the profile form edits these fields
# and the member's data file exports them.
PROFILE_FIELDS = (
    "preferred_language",
    "province",
    "postcode",
    "activity_sector",
    "self_employment",
    "phone",
    "notify_session_reminders",
    "notify_surveys",
    "notify_programme_news",
    "notify_reassessment",
)


class MemberProfile(models.Model):
    """What the programme needs to know about an entrepreneur, and how to reach them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    province = models.CharField(_("province"), max_length=3, choices=Province.choices, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=4, blank=True, validators=[postcode_validator]
    )
    activity_sector = models.CharField(
        _("activity sector"), max_length=20, choices=ActivitySector.choices, blank=True
    )
    self_employment = models.CharField(
        _("self-employment"), max_length=20, choices=SelfEmployment.choices, blank=True
    )
    phone = models.CharField(
        _("phone (optional)"), max_length=20, blank=True, validators=[phone_validator]
    )
    # Notification preferences, one switch per kind of message.
    notify_session_reminders = models.BooleanField(_("session reminders"), default=True)
    notify_surveys = models.BooleanField(_("satisfaction surveys after a session"), default=True)
    notify_programme_news = models.BooleanField(_("programme news and surveys"), default=False)
    notify_reassessment = models.BooleanField(
        _("invitations to re-take a self-assessment"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_complete(self) -> bool:
        return bool(
            self.user.first_name and self.province and self.self_employment and self.activity_sector
        )


class Consent(models.Model):
    """One consent given by a member, with the version of the text they agreed to.

    Append-only: withdrawing sets withdrawn_at; giving again adds a row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ConsentKind.choices)
    text_version = models.CharField(_("version of the text"), max_length=20)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["user", "kind"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.kind} v{self.text_version}"
