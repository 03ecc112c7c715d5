from django.urls import path

from . import impact, parcours, report, statistics, views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("member/", views.member_home, name="member"),
    path("ambassador/", views.ambassador_home, name="ambassador"),
    path("advisor/", views.advisor_home, name="advisor"),
    path("manager/", views.manager_home, name="manager"),
    path("manager/statistics/", statistics.statistics, name="statistics"),
    path("manager/impact/", impact.impact, name="impact"),
    path("manager/report/", report.report, name="report"),
    path("parcours/", parcours.parcours, name="parcours"),
]
