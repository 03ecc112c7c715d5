from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("history/", views.history, name="history"),
    path("history/delete/", views.results_delete_all, name="result-delete-all"),
    path("results/<int:pk>/", views.result_detail, name="result-detail"),
    path("results/<int:pk>/delete/", views.result_delete, name="result-delete"),
    path("<slug:code>/", views.take, name="take"),
    path("<slug:code>/invitations/", views.reassessment_update, name="reassessment-update"),
]
