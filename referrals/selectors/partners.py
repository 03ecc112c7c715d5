"""The partner directory: the public listing, the staff pages, and the partners a case
may be referred to, ranked for it (see referrals.routing)."""

from django.db.models import QuerySet

from members.models import User
from members.roles import MANAGE_PARTNERS, holds

from ..choices import NATIONAL
from ..models import Case, Partner, PartnerArea, PartnerLanguage, PartnerNeed
from ..routing import PartnerFacts, Suggestion, rank_partners

PARTNER_DETAILS = ("needs", "areas", "languages")


def partners_directory(*, need: str = "", area: str = "", language: str = "") -> QuerySet[Partner]:
    """Active partners for the public directory, crisis lines first, then by name."""
    partners = Partner.objects.filter(is_active=True)
    if need:
        partners = partners.filter(pk__in=PartnerNeed.objects.filter(need=need).values("partner"))
    if area:
        # A partner working all over Belgium serves every province.
        areas = [NATIONAL] if area == NATIONAL else [area, NATIONAL]
        partners = partners.filter(
            pk__in=PartnerArea.objects.filter(area__in=areas).values("partner")
        )
    if language:
        partners = partners.filter(
            pk__in=PartnerLanguage.objects.filter(language=language).values("partner")
        )
    return partners.order_by("-is_crisis_line", "name", "pk").prefetch_related(*PARTNER_DETAILS)


def may_manage_partners(user: User) -> bool:
    return holds(user, MANAGE_PARTNERS)


def partners_for_staff(user: User) -> QuerySet[Partner]:
    if not may_manage_partners(user):
        return Partner.objects.none()
    return Partner.objects.order_by("-is_active", "name", "pk").prefetch_related(*PARTNER_DETAILS)


def partners_to_refer() -> QuerySet[Partner]:
    """The partners a case may be referred to: the active ones."""
    return Partner.objects.filter(is_active=True)


def partners_for_routing() -> list[Partner]:
    """Every active partner with its needs, areas and languages (four queries)."""
    return list(partners_to_refer().order_by("name", "pk").prefetch_related(*PARTNER_DETAILS))


def partner_facts(partner: Partner) -> PartnerFacts:
    return PartnerFacts(
        key=partner.pk,
        name=partner.name,
        needs=frozenset(n.need for n in partner.needs.all()),
        areas=frozenset(a.area for a in partner.areas.all()),
        languages=frozenset(lang.language for lang in partner.languages.all()),
        is_crisis_line=partner.is_crisis_line,
    )


def routing_suggestions(
    case: Case, partners: list[Partner], *, limit: int = 8
) -> list[tuple[Partner, Suggestion]]:
    """The partners ranked for this case (see referrals.routing), best first."""
    by_key = {partner.pk: partner for partner in partners}
    ranked = rank_partners(
        (partner_facts(partner) for partner in partners),
        needs=[n.need for n in case.needs.all()],
        region=case.region,
        language=case.language,
        urgency=case.urgency,
        acute=case_result_is_acute(case),
        limit=limit,
    )
    return [(by_key[s.partner.key], s) for s in ranked]


def case_result_is_acute(case: Case) -> bool:
    """An attached result pointing at acute distress puts crisis lines first."""
    return case.assessment_result is not None and case.assessment_result.acute
