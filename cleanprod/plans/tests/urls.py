"""The project's URLs plus the plans API under /api/plans/, as the lead will wire it."""

from django.urls import include, path

from cleanprod.urls import urlpatterns as project

urlpatterns = [path("api/plans/", include("cleanprod.plans.api.urls")), *project]
