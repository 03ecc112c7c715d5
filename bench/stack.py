"""The real stack at design scale: gunicorn, PostgreSQL, Redis and a Celery worker
started as in the Procfile, measured with wrk from another process on loopback.

    make bench          # or: .venv/bin/python bench/stack.py

The database (BENCH_DATABASE_URL, default wb_bench on this machine's PostgreSQL) is
filled by bench/generate.py first when it holds fewer than 500,000 enrolments. Every
page figure is a ratio to the trivial view (/health/) measured in the same run, since
this machine is shared and absolute times mean little; the manager pages are given as
p95 latencies in ms, against the targets of issue 15. Prints one `name: value` line
per figure.

The pages that keep figures in the cache (the impact page, the quarterly report and
its PDF: issue 19's target of 1 s p95) are also measured cold: one request right after
their cached figures are forgotten (`<name>_cold_ms`, and `<name>_cold_ratio`, the
time of one /health/ request over it), then warm with wrk like every page.

Environment: BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_PORT (8105), BENCH_SMTP_PORT
(8106), BENCH_SECONDS (wrk duration per page, 5), BENCH_CONNECTIONS (4),
BENCH_CODE_DIR (another checkout to serve, e.g. the code before a change),
BENCH_PAGES (comma-separated page names, e.g. impact,quarterly_report: only those
pages, without the contention, bulk and fan-out runs), BENCH_CONTENTION_ONLY=1 (the
trivial view and the 500 concurrent enrolments alone, BENCH_CONTENTION_ROUNDS times on
a new session each: 1).
"""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("BENCH_CODE_DIR", ROOT)).resolve()
VENV = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("BENCH_PORT", "8105"))
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8106"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
ONLY = [name for name in os.environ.get("BENCH_PAGES", "").split(",") if name]
CONTENTION_ONLY = os.environ.get("BENCH_CONTENTION_ONLY") == "1"
CONTENTION_ROUNDS = int(os.environ.get("BENCH_CONTENTION_ROUNDS", "1"))
# The pages measured cold too, after forget_caches().
COLD = ("impact", "quarterly_report", "quarterly_report_pdf")
BASE = f"http://127.0.0.1:{PORT}"
ENV = {
    "DJANGO_SETTINGS_MODULE": "wellbeing.settings",
    "DEBUG": "0",
    "PORTAL_BASE_URL": f"http://127.0.0.1:{PORT}",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "DATABASE_URL": os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wb_bench"
    ),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"),
    "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))

# wrk reports p50/75/90/99 only: this prints the 95th percentile too.
P95_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\\n", latency:percentile(95)))
end
"""


def rows_in_database(table: str) -> int:
    out = subprocess.run(
        ["psql", ENV["DATABASE_URL"], "-Atc", f"SELECT count(*) FROM {table}"],
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip() or 0) if out.returncode == 0 else 0


def enrolments_in_database() -> int:
    return rows_in_database("programme_enrolment")


def ensure_data() -> None:
    generate = [VENV / "python", ROOT / "bench" / "generate.py"]
    if enrolments_in_database() < 500_000:
        subprocess.run(generate, check=True, env=os.environ)
    elif rows_in_database("assessments_evaluationmeasure") == 0:
        # A database generated before the research measures existed: add them alone.
        env = {**os.environ, "BENCH_RESEARCH_ONLY": "1"}
        subprocess.run(generate, check=True, env=env)


def start(command: list, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(CODE)}
    return subprocess.Popen(
        command,
        cwd=CODE,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def fetch(path: str, cookie: str = "") -> float:
    """One request, waited for; its time in ms."""
    request = urllib.request.Request(BASE + path, headers={"Cookie": cookie} if cookie else {})
    began = time.monotonic()
    with urllib.request.urlopen(request, timeout=300) as response:
        response.read()
    return (time.monotonic() - began) * 1000


def warm(path: str, cookie: str) -> None:
    """A request per connection first, waited for: wrk measures the page as it is served
    all day (figures kept in the cache, code loaded by every web worker, connections
    open), and a slow first answer does not keep a worker busy into the next page's
    measurement."""
    with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
        list(pool.map(lambda _n: fetch(path, cookie), range(CONNECTIONS)))


def forget_caches() -> None:
    """What a page computes once and keeps: the impact figures, the programme's months
    and the slow figures of the last full quarter (dashboards.kept), in every language
    (the quarterly report reads all three)."""
    from django.utils import timezone

    from assessments.research import forget_impact
    from dashboards.kept import forget_kept
    from dashboards.report import Quarter
    from programme.statistics import statistics_forget_all

    forget_impact()
    statistics_forget_all()
    forget_kept(Quarter.of(timezone.localdate()).previous().period)


def wrk(path: str, cookie: str = "", script: Path | None = None) -> tuple[float, float]:
    """Requests per second and p95 in ms for one page."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command += ["-s", str(script), BASE + path]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p95 = int(re.search(r"p95_us (\d+)", out).group(1)) / 1000
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"# {path}: {errors.group(1)} non-2xx answers", flush=True)
    return rate, p95


def prepare() -> dict:
    """Accounts and cookies, through Django in this process (same settings as gunicorn)."""
    import django

    django.setup()
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from common.periods import months_from
    from members.models import User
    from members.roles import Role
    from programme.models import Module, Session

    def staff(email: str, role: Role) -> User:
        user, _created = User.objects.get_or_create(email=email, defaults={"is_staff": True})
        user.groups.add(Group.objects.get(name=role.value))
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
        )
        return user

    csrf = "b" * 32

    def cookie(user: User) -> str:
        """What a signed-in browser sends: the session, and the CSRF cookie that the login
        form set (without it every page would make the person a new CSRF secret)."""
        client = Client()
        client.force_login(user)
        return f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"

    manager = staff("bench-manager@bench.example", Role.PROGRAMME_MANAGER)
    advisor = staff("advisor1@bench.example", Role.ADVISOR)
    member = User.objects.get(email="member1@bench.example")
    module = Module.objects.filter(is_published=True, format="webinar").order_by("pk").first()
    start_at = timezone.now() + timedelta(days=30)
    contended = Session.objects.create(
        module=module,
        starts_at=start_at,
        ends_at=start_at + timedelta(hours=2),
        mode="online",
        join_url="https://meet.example.org/bench",
        capacity=50,
        is_published=True,
    )
    # 500 members who are not enrolled there yet, each with a session and a CSRF cookie.
    crowd = User.objects.filter(groups__name=Role.MEMBER.value).order_by("-pk")[:500]
    people = [cookie(user) for user in crowd]
    today = timezone.localdate()
    first = months_from(today, -35)
    return {
        "period_36m": f"start={first:%Y-%m}&end={today:%Y-%m}",
        "manager": cookie(manager),
        "advisor": cookie(advisor),
        "member": cookie(member),
        "module": module.slug,
        "contended": contended.pk,
        "people": people,
        "csrf": csrf,
    }


def contention(session_id: int, people: list[str], csrf: str) -> dict[str, float]:
    """500 enrolments at once on a 50-seat session, over HTTP."""
    import http.client

    def enrol(cookie: str) -> tuple[int, float]:
        began = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        try:
            connection.request(
                "POST",
                f"/fr/programme/sessions/{session_id}/enrol/",
                body=f"csrfmiddlewaretoken={csrf}",
                headers={
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": csrf,
                },
            )
            status = connection.getresponse().status
        except OSError:
            status = 0
        finally:
            connection.close()
        return status, (time.monotonic() - began) * 1000

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=100) as pool:
        results = list(pool.map(enrol, people))
    elapsed = time.monotonic() - began
    from django.db.models import Count

    from programme.models import Enrolment

    statuses = dict(
        Enrolment.objects.filter(session_id=session_id)
        .values_list("status")
        .order_by()
        .annotate(n=Count("pk"))
    )
    times = sorted(ms for _status, ms in results)
    return {
        "contention_confirmed": statuses.get("confirmed", 0),
        "contention_waitlisted": statuses.get("waitlisted", 0),
        "contention_errors": sum(1 for status, _ms in results if status not in (302, 303)),
        "contention_p95_ms": round(times[int(len(times) * 0.95) - 1]),
        "contention_seconds": round(elapsed, 1),
    }


def main() -> None:
    began = time.monotonic()
    if not shutil.which("wrk"):
        raise SystemExit("bench/stack.py needs wrk (apt-get install wrk)")
    ensure_data()
    # With DEBUG off the pages name their static files from collectstatic's manifest.
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [VENV / "python", "manage.py", *command],
            cwd=CODE,
            check=True,
            env={**os.environ, "PYTHONPATH": str(CODE)},
        )
    logs = Path(tempfile.mkdtemp(prefix="wellbeing-bench-"))
    lua = logs / "p95.lua"
    lua.write_text(P95_LUA)
    processes = [
        start(
            [
                VENV / "python",
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{SMTP_PORT}",
                "-c",
                "aiosmtpd.handlers.Sink",
            ],
            logs / "smtp.log",
        ),
        # As in the Procfile.
        start(
            [VENV / "gunicorn", "wellbeing.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "3"],
            logs / "web.log",
        ),
        start(
            [
                VENV / "celery",
                "-A",
                "wellbeing",
                "worker",
                "--loglevel",
                "WARNING",
                "--concurrency",
                "2",
            ],
            logs / "worker.log",
        ),
    ]
    try:
        wait_for(f"{BASE}/health/")
        accounts = prepare()
        figures: dict[str, float | str] = {}
        # Every web worker loads its templates and translations once: not part of a page.
        for path in ("/fr/", "/fr/programme/"):
            wrk(path, script=lua)
        baseline, _p95 = wrk("/health/", script=lua)
        figures["trivial_rps"] = round(baseline)
        pages = {
            "home_anon": ("/fr/", ""),
            "catalogue_anon": ("/fr/programme/", ""),
            "module_anon": (f"/fr/programme/modules/{accounts['module']}/", ""),
            "member_home": ("/fr/dashboard/member/", accounts["member"]),
            "parcours": ("/fr/dashboard/parcours/", accounts["member"]),
            "advisor_queue_all": ("/fr/listening-cell/queue/?status=all", accounts["advisor"]),
            "statistics_16m": ("/fr/dashboard/manager/statistics/", accounts["manager"]),
            "statistics_36m": (
                f"/fr/dashboard/manager/statistics/?{accounts['period_36m']}",
                accounts["manager"],
            ),
            "statistics_csv_36m": (
                f"/fr/dashboard/manager/statistics/?{accounts['period_36m']}&export=months",
                accounts["manager"],
            ),
            "impact": ("/fr/dashboard/manager/impact/", accounts["manager"]),
            "quarterly_report": ("/fr/dashboard/manager/report/", accounts["manager"]),
            "quarterly_report_pdf": (
                "/fr/dashboard/manager/report/?format=pdf",
                accounts["manager"],
            ),
            "past_sessions": ("/fr/programme/manage/?when=past&page=3", accounts["manager"]),
            "upcoming_sessions": ("/fr/programme/manage/", accounts["manager"]),
            "deliveries": ("/fr/messages/staff/deliveries/?status=failed", accounts["manager"]),
        }
        if ONLY or CONTENTION_ONLY:
            pages = {name: page for name, page in pages.items() if name in ONLY}
        health_ms = sorted(fetch("/health/") for _n in range(5))[2]
        figures["trivial_ms"] = round(health_ms, 1)
        for name, (path, cookie) in pages.items():
            if name in COLD:
                forget_caches()
                cold_ms = fetch(path, cookie)
                figures[f"{name}_cold_ms"] = round(cold_ms)
                figures[f"{name}_cold_ratio"] = round(health_ms / cold_ms, 4)
            warm(path, cookie)
            rate, p95 = wrk(path, cookie, lua)
            figures[f"{name}_ratio"] = round(rate / baseline, 3)
            # No answer within the run: every request took longer than that.
            figures[f"{name}_p95_ms"] = round(p95) if rate else f">{SECONDS * 1000}"
        if not ONLY:
            figures.update(contention(accounts["contended"], accounts["people"], accounts["csrf"]))
        for name, value in figures.items():
            print(f"{name}: {value}", flush=True)
        # Further rounds, each on a new 50-seat session: the spread on a shared machine.
        for _round in range(1, CONTENTION_ROUNDS if CONTENTION_ONLY else 1):
            again = prepare()
            for name, value in contention(
                again["contended"], again["people"], again["csrf"]
            ).items():
                print(f"{name}: {value}", flush=True)
    finally:
        # Each was started in its own session: its whole group goes, so a web worker
        # still booting when its master is stopped is not left behind.
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
    if not (ONLY or CONTENTION_ONLY):
        subprocess.run([VENV / "python", ROOT / "bench" / "bulk.py"], check=True, env=os.environ)
        # A campaign through the Procfile's worker against a plain smtplib loop.
        subprocess.run([VENV / "python", ROOT / "bench" / "fanout.py"], check=True, env=os.environ)
    print(f"bench_stack_seconds: {time.monotonic() - began:.0f}")


if __name__ == "__main__":
    main()
