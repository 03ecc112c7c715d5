"""How many members took part in the programme in a period (a confirmed seat in a
session that started in it), by their province and language, for the quarterly report
(one query)."""

from django.db.models import Count

from common.periods import Period
from members.models import MemberProfile
from members.reach import Reach, reach_of

from .models import Enrolment, EnrolmentStatus


def members_active(period: Period) -> Reach:
    start, end = period.bounds
    took_part = Enrolment.objects.filter(
        status=EnrolmentStatus.CONFIRMED,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
    ).values("user_id")
    rows = (
        MemberProfile.objects.filter(user_id__in=took_part)
        .values_list("province", "preferred_language")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return reach_of(rows)
