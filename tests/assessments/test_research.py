"""Research consent: measures only with it, in waves, invitations at 3 and 6 months,
withdrawal and erasure, and the impact figures with their small-cell rule."""

from datetime import date, datetime, timedelta

import pytest

from assessments.impact import (
    IMPACT_THRESHOLD,
    Sums,
    change_cell,
    impact_figures,
    t_quantile_975,
)
from assessments.instruments import get_current
from assessments.models import EvaluationMeasure, ReassessmentPlan, ResearchParticipant, Wave
from assessments.scoring import score_answers
from assessments.selectors import reassessment_plans_due
from assessments.services import reassessment_plan_set, result_keep
from common.belgium import BRUSSELS
from common.small_counts import Figure
from members.consents import CONSENT_TEXTS, ConsentKind
from members.models import Consent
from members.selectors import member_data
from members.services import (
    consent_give,
    consent_withdraw,
    consent_withdraw_and_clean,
    member_erase,
)
from tests.assessments.factories import ANSWERS, keep_result
from tests.assessments.research import participant, take
from tests.factories import member

pytestmark = pytest.mark.django_db

DAY0 = date(2026, 1, 12)


def test_research_consent_is_its_own_versioned_kind():
    assert ConsentKind.RESEARCH != ConsentKind.HEALTH_DATA
    assert CONSENT_TEXTS[ConsentKind.RESEARCH].version
    assert CONSENT_TEXTS[ConsentKind.RESEARCH].given_with is None  # given on the privacy page


def test_no_measure_without_research_consent():
    sophie = member()
    assert take(sophie, "who-5", "low", DAY0) is None
    assert not ResearchParticipant.objects.exists()


def test_kept_result_through_the_service_records_the_baseline(time_machine):
    time_machine.move_to(datetime(2026, 1, 12, 10, tzinfo=BRUSSELS), tick=False)
    sophie = member()
    consent_give(user=sophie, kind=ConsentKind.RESEARCH)
    scored = score_answers(get_current("who-5"), ANSWERS["who-5"]["low"])
    result_keep(user=sophie, scored=scored, language="fr", submission_key="a")
    measure = EvaluationMeasure.objects.get()
    assert (measure.wave, measure.score, measure.taken_on) == (Wave.BASELINE, 40, DAY0)
    assert measure.participant.user == sophie


def test_waves_follow_the_baseline_and_other_instruments_are_left_out():
    sophie = member()
    consent_give(user=sophie, kind=ConsentKind.RESEARCH)
    assert take(sophie, "who-5", "low", DAY0).wave == Wave.BASELINE
    assert take(sophie, "who-5", "good", DAY0 + timedelta(days=30)) is None  # between waves
    assert take(sophie, "who-5", "good", DAY0 + timedelta(days=95)).wave == Wave.THREE_MONTHS
    assert take(sophie, "who-5", "low", DAY0 + timedelta(days=100)) is None  # wave measured
    assert take(sophie, "who-5", "good", DAY0 + timedelta(days=185)).wave == Wave.SIX_MONTHS
    assert take(sophie, "who-5", "good", DAY0 + timedelta(days=400)) is None
    assert take(sophie, "bat-12", "at-risk", DAY0) is None
    assert take(sophie, "pss-10", "moderate", DAY0).wave == Wave.BASELINE
    assert EvaluationMeasure.objects.count() == 4


def test_pseudonymised_measures_hold_no_identity_or_free_text():
    names = {f.name for f in EvaluationMeasure._meta.get_fields()}
    assert names == {"id", "participant", "instrument", "wave", "score", "taken_on"}
    names = {f.name for f in ResearchParticipant._meta.get_fields()}
    assert names == {"id", "user", "pseudonym", "created_at", "measures"}


def test_baseline_plans_invitations_at_3_and_6_months_only():
    sophie = member()
    consent_give(user=sophie, kind=ConsentKind.RESEARCH)
    keep_result(sophie, "who-5", "low")  # something to invite back to (health consent below)
    consent_give(user=sophie, kind=ConsentKind.HEALTH_DATA)
    take(sophie, "who-5", "low", DAY0)
    plan = ReassessmentPlan.objects.get(user=sophie, instrument="who-5")
    assert plan.next_due_on == DAY0 + timedelta(days=91)
    assert plan in reassessment_plans_due(DAY0 + timedelta(days=91))
    plan.next_due_on = DAY0 + timedelta(days=182)
    plan.save()
    assert plan in reassessment_plans_due(DAY0 + timedelta(days=182))
    plan.next_due_on = DAY0 + timedelta(days=273)
    plan.save()
    assert plan not in reassessment_plans_due(DAY0 + timedelta(days=273))  # past its end


def test_withdrawing_stops_research_invitations_but_not_the_members_own():
    sophie = member()
    consent_give(user=sophie, kind=ConsentKind.RESEARCH)
    consent_give(user=sophie, kind=ConsentKind.HEALTH_DATA)
    take(sophie, "who-5", "low", DAY0)
    due = DAY0 + timedelta(days=91)
    assert reassessment_plans_due(due).filter(user=sophie).exists()
    consent_withdraw(user=sophie, kind=ConsentKind.RESEARCH)
    assert not reassessment_plans_due(due).filter(user=sophie).exists()
    reassessment_plan_set(user=sophie, instrument="who-5", interval_days=91)
    plan = ReassessmentPlan.objects.get(user=sophie)
    assert plan.ends_on is None
    assert reassessment_plans_due(plan.next_due_on).filter(user=sophie).exists()


def test_a_plan_the_member_chose_is_left_as_it_is():
    sophie = member()
    reassessment_plan_set(user=sophie, instrument="who-5", interval_days=30)
    consent_give(user=sophie, kind=ConsentKind.RESEARCH)
    take(sophie, "who-5", "low", DAY0)
    plan = ReassessmentPlan.objects.get(user=sophie)
    assert (plan.interval_days, plan.ends_on) == (30, None)


def test_withdrawal_leaves_the_member_out_of_later_evaluations():
    people = [participant() for _ in range(IMPACT_THRESHOLD)]
    who5 = impact_figures()[0]
    assert who5.overall.participants.value == 10 and who5.overall.shown
    consent_withdraw(user=people[0], kind=ConsentKind.RESEARCH)
    who5 = impact_figures()[0]
    assert who5.overall.participants.value == 9 and not who5.overall.shown
    assert EvaluationMeasure.objects.filter(participant__user=people[0]).count() == 2  # kept


def test_withdrawal_may_delete_the_measures_and_erasure_does():
    sophie, marc = participant(), participant()
    done = consent_withdraw_and_clean(user=sophie, kind=ConsentKind.RESEARCH, delete_data=True)
    assert done.deleted == 2
    assert not ResearchParticipant.objects.filter(user=sophie).exists()
    member_erase(user=marc)
    assert not EvaluationMeasure.objects.exists()


def test_consent_and_measures_are_in_the_data_file():
    sophie = participant()
    data = member_data(sophie)
    research = data["research_evaluation"]
    assert research["code"] == str(sophie.research_participant.pseudonym)
    assert [m["months_after_first"] for m in research["measures"]] == [0, 3]
    assert "research" in str(data)  # the consent, with its text version, in the account part
    assert Consent.objects.get(user=sophie, kind="research").text_version == "2026-12"


def test_t_quantiles_match_the_tables():
    for df, table in ((9, 2.262), (19, 2.093), (29, 2.045), (99, 1.984), (1000, 1.962)):
        assert t_quantile_975(df) == pytest.approx(table, abs=0.002)


def test_paired_change_with_its_interval():
    changes = [20, 20, 28, 28, 0, -8, 20, 28, 10, 12]
    cell = change_cell("all", "All", Sums.of(changes), relevant=True)
    mean = sum(changes) / 10
    sd = (sum((c - mean) ** 2 for c in changes) / 9) ** 0.5
    assert cell.mean_change == round(mean, 1)
    assert cell.ci_low == pytest.approx(round(mean - 2.262 * sd / 10**0.5, 1), abs=0.11)
    assert cell.ci_high == pytest.approx(round(mean + 2.262 * sd / 10**0.5, 1), abs=0.11)
    assert cell.improved_rate is None  # 8 improved, 2 did not: the 2 are a small cell
    changes += [15] * 4 + [0] * 8
    assert change_cell("all", "All", Sums.of(changes), relevant=True).improved_rate == 55  # 12/22


def test_a_group_under_the_threshold_is_suppressed():
    cell = change_cell("all", "All", Sums.of([28] * 9), relevant=True)
    assert not cell.shown and cell.mean_change is None and cell.improved_rate is None
    assert str(cell.participants) == "<10"


def test_figure_with_a_threshold_rounds_to_its_multiple():
    shown = [str(Figure(n, 10)) for n in (0, 1, 9, 10, 14, 15, 26)]
    assert shown == ["0", "<10", "<10", "10", "10", "20", "30"]
    assert str(Figure(4)) == "<5"  # the default stays the statistics' 5


def test_groups_by_modules_attended_and_format():
    from programme.models import Attendance, EnrolmentStatus
    from tests.programme.factories import EnrolmentFactory, ModuleFactory, SessionFactory

    workshop = ModuleFactory(format="workshop")
    start = date(2026, 1, 5)
    session = SessionFactory(module=workshop, starts_at=datetime(2026, 2, 2, 10, tzinfo=BRUSSELS))
    for _ in range(10):
        user = participant(start=start)
        EnrolmentFactory(
            session=session,
            user=user,
            status=EnrolmentStatus.CONFIRMED,
            attendance=Attendance.ATTENDED,
        )
    participant(start=start)  # an eleventh, who attended nothing
    who5 = impact_figures()[0]
    by_modules = {cell.key: cell for cell in who5.by_modules}
    assert by_modules["1"].shown and by_modules["1"].participants.value == 10
    assert by_modules["1"].mean_change == 28.0
    assert not by_modules["0"].shown and str(by_modules["0"].participants) == "<10"
    assert [(c.key, c.participants.value) for c in who5.by_format] == [("workshop", 10)]
    assert str(who5.overall.participants) == "10"  # 11, rounded: the "0 modules" 1 stays hidden


def test_until_leaves_later_measures_out():
    for _ in range(10):
        participant(start=date(2026, 1, 5))
    assert impact_figures(until=date(2026, 4, 1))[0].overall.participants.value == 0
    assert impact_figures(until=date(2026, 5, 1))[0].overall.participants.value == 10


def test_the_figures_are_kept_and_a_new_measure_or_withdrawal_counts_at_once():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [participant() for _ in range(IMPACT_THRESHOLD)]
    with CaptureQueriesContext(connection) as first:
        assert impact_figures()[0].overall.participants.value == 10
    with CaptureQueriesContext(connection) as second:
        assert impact_figures()[0].overall.participants.value == 10
    # The paired sums and the starts (one query) come from the cache; the consents' state
    # is read.
    assert len(second.captured_queries) == len(first.captured_queries) - 1
    participant()
    assert impact_figures()[0].overall.participants.value == 11
    consent_withdraw(user=people[0], kind=ConsentKind.RESEARCH)
    assert impact_figures()[0].overall.participants.value == 10


def test_the_cache_key_is_valid_once_a_consent_is_withdrawn():
    from django.core.cache.backends.base import memcache_key_warnings

    from assessments.impact import _cache_key

    people = [participant() for _ in range(2)]
    before = _cache_key(None)
    consent_withdraw(user=people[0], kind=ConsentKind.RESEARCH)
    for until in (None, date(2026, 10, 1)):
        key = _cache_key(until)
        assert list(memcache_key_warnings(key)) == []  # no space, no datetime
        assert key != before
