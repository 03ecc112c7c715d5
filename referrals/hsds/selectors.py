"""What the public HSDS API may show: active partners only, never cases or referrals."""

from datetime import datetime

from django.db.models import Q, QuerySet

from ..models import Partner
from ..selectors.partners import PARTNER_DETAILS
from .vocabulary import (
    CRISIS_LINE,
    KIND,
    NEED,
    TAXONOMIES,
    organization_id,
    terms_by_id,
)


def public_partners() -> QuerySet[Partner]:
    return Partner.objects.filter(is_active=True).order_by("name", "pk")


def with_details(partners: QuerySet[Partner]) -> QuerySet[Partner]:
    return partners.prefetch_related(*PARTNER_DETAILS)


def _term_filter(term_id: str) -> Q:
    found = terms_by_id().get(term_id)
    if found is None:
        return Q(pk__in=[])
    if found.taxonomy == NEED:
        return Q(needs__need=found.code)
    if found.taxonomy == KIND:
        return Q(kind=found.code)
    if found.code == CRISIS_LINE:
        return Q(is_crisis_line=True)
    return ~Q(**{found.code: ""})


def _taxonomy_filter(taxonomy_id: str) -> Q:
    # Every partner has a kind, at least one need and a slug: a term in each taxonomy.
    if any(taxonomy.id == taxonomy_id for taxonomy in TAXONOMIES.values()):
        return Q()
    return Q(pk__in=[])


def pks_of_organization(org_id: str) -> list[int]:
    """Organization ids are derived from the service's (vocabulary.organization_id), so
    they are matched here rather than in SQL: the directory holds tens of partners."""
    return [
        pk
        for pk, hsds_id in public_partners().values_list("pk", "hsds_id")
        if organization_id(hsds_id) == org_id
    ]


def public_services(
    *,
    search: str = "",
    taxonomy_term_id: str = "",
    taxonomy_id: str = "",
    organization_id: str = "",
    modified_after: datetime | None = None,
) -> QuerySet[Partner]:
    partners = public_partners()
    if search:
        partners = partners.filter(
            Q(name__icontains=search)
            | Q(alternate_name__icontains=search)
            | Q(description_fr__icontains=search)
            | Q(description_nl__icontains=search)
            | Q(description_en__icontains=search)
        )
    if taxonomy_term_id:
        partners = partners.filter(pk__in=Partner.objects.filter(_term_filter(taxonomy_term_id)))
    if taxonomy_id:
        partners = partners.filter(_taxonomy_filter(taxonomy_id))
    if organization_id:
        partners = partners.filter(pk__in=pks_of_organization(organization_id))
    if modified_after is not None:
        partners = partners.filter(updated_at__gte=modified_after)
    return partners
