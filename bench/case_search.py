"""The advisors' case search at design scale (issue 17: p95 under 100 ms at 20,000 cases).

Runs in-process against the database bench/generate.py fills (150,000 members, 20,000
cases): each query is sent through the whole view (Django's test client, an advisor
signed in) and timed; the trivial view (/health/) is timed in the same run as the
baseline. Prints one `name: value` line per figure: the p95 in ms and its ratio to the
trivial view. The statements per search are counted by tests/referrals/test_case_search.py.

    BENCH_DATABASE_URL=postgres://…/wb_bench .venv/bin/python bench/case_search.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.in_process import TEST_CLIENT_ENV  # noqa: E402

os.environ.update(
    {
        **TEST_CLIENT_ENV,
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wb_bench"
        ),
    }
)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from members.models import User  # noqa: E402
from members.roles import Role  # noqa: E402
from referrals.models import Case  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
TARGET_MS = 100


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000


def timed(client: Client, path: str, params: dict | None = None) -> list[float]:
    client.get(path, params)  # warm
    samples = []
    for _ in range(REPEAT):
        began = time.perf_counter()
        response = client.get(path, params)
        samples.append(time.perf_counter() - began)
        assert response.status_code == 200, (path, params, response.status_code)
    return samples


def main() -> None:
    call_command("migrate", verbosity=0)  # the database may predate the latest migrations
    cases = Case.objects.count()
    if cases < 10_000:
        sys.exit("bench/case_search.py needs the database of bench/generate.py (20,000 cases)")
    advisor = User.objects.filter(groups__name=Role.ADVISOR.value, is_active=True).first()
    assert advisor is not None, "bench/generate.py creates twelve advisors"
    # Staff pages need a second factor on the account (members.mfa), as bench/stack.py does.
    Authenticator.objects.get_or_create(
        user=advisor, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
    )
    client = Client()
    client.force_login(advisor)
    middle = Case.objects.order_by("pk")[cases // 2]
    member = middle.member
    queries = {
        "reference": middle.reference,
        "phone": "0470 00 00 00",  # the number every generated case gives: the largest count
        "last_name": member.last_name if member else "Nom4242",
        "full_name": f"{member.first_name} {member.last_name}" if member else "Prénom42 Nom42",
        "email_part": member.email.split("@")[0] + "@" if member else "member4242@",
        "miss": "zzzzqq",
    }
    print(f"case_search_cases: {cases}")
    baseline = p95(timed(client, "/health/"))
    print(f"case_search_trivial_p95_ms: {baseline:.1f}")
    worst = 0.0
    for name, text in queries.items():
        took = p95(timed(client, "/en/listening-cell/cases/search/", {"q": text}))
        worst = max(worst, took)
        print(f"case_search_{name}_p95_ms: {took:.1f}")
        print(f"case_search_{name}_ratio: {took / baseline:.1f}")
    print(f"case_search_worst_p95_ms: {worst:.1f} (target < {TARGET_MS})")


if __name__ == "__main__":
    main()
