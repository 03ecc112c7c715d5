"""/api/hsds/: the paths of the HSDS 3.0 API reference (schema/openapi.json), without
language prefix nor trailing slash, as the reference writes them."""

from django.urls import path

from . import views

app_name = "hsds"

urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi, name="openapi"),
    path("services", views.services, name="services"),
    path("services/<str:id>", views.service_detail, name="service"),
    path("organizations", views.organizations, name="organizations"),
    path("organizations/<str:id>", views.organization_detail, name="organization"),
    path("taxonomies", views.taxonomies, name="taxonomies"),
    path("taxonomies/<str:id>", views.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_terms, name="taxonomy-terms"),
    path("taxonomy_terms/<str:id>", views.taxonomy_term_detail, name="taxonomy-term"),
    path("datapackage.json", views.datapackage_json, name="datapackage-json"),
    path("datapackage.zip", views.datapackage_zip, name="datapackage-zip"),
]
