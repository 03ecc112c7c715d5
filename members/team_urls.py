from django.urls import path

from . import team_views as views

app_name = "team"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("invite/", views.team_invite, name="invite"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation-withdraw"),
    path("people/<int:pk>/", views.team_person, name="person"),
    path("people/<int:pk>/role/", views.team_person_role, name="person-role"),
    path("people/<int:pk>/deactivate/", views.team_person_deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", views.team_person_reactivate, name="person-reactivate"),
    path("join/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
