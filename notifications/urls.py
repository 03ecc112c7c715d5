from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("staff/deliveries/", views.delivery_list, name="delivery-list"),
    path("staff/deliveries/<int:pk>/retry/", views.delivery_retry_view, name="delivery-retry"),
    path("staff/email-check/", views.email_check_view, name="email-check"),
]
