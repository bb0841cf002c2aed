from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from cleanprod.portal.views import HomeView
from cleanprod.portal.workbench import WorkbenchView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("workbench/", WorkbenchView.as_view(), name="workbench"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("regions/", include("cleanprod.regions.urls")),
    path("industries/", include("cleanprod.industries.urls")),
    path("registry/", include("cleanprod.registry.urls")),
    path("changes/", include("cleanprod.changelog.urls")),
    path("requests/", include("cleanprod.changerequests.urls")),
    path("audits/", include("cleanprod.audits.urls")),
    path("evaluation/", include("cleanprod.evaluation.urls")),
    path("plans/", include("cleanprod.plans.urls")),
    path("notifications/", include("cleanprod.notifications.urls")),
    path("jobs/", include("cleanprod.jobs.urls")),
    path("accounts/", include("cleanprod.accounts.urls")),
    path("api/", include("cleanprod.api.urls")),
    path("admin/", admin.site.urls),
]
