from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from cleanprod.accounts.api.views import LogoutAllView, LogoutView, TokenView, UserViewSet
from cleanprod.audits.api import views as audits
from cleanprod.changelog.api import ObjectChangeViewSet
from cleanprod.changerequests.api.views import ChangeRequestViewSet
from cleanprod.evaluation.api import views as evaluation
from cleanprod.industries.api.views import IndustryGroupViewSet, IndustryViewSet
from cleanprod.regions.api.views import RegionViewSet
from cleanprod.registry.api import io
from cleanprod.registry.api import views as registry

IO_VIEWS = [
    ("enterprises", "Enterprise"),
    ("parks", "Park"),
    ("agencies", "Agency"),
    ("experts", "Expert"),
]

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("industries", IndustryViewSet, basename="industry")
router.register("industry-groups", IndustryGroupViewSet, basename="industrygroup")
router.register("enterprises", registry.EnterpriseViewSet, basename="enterprise")
router.register("parks", registry.ParkViewSet, basename="park")
router.register("agencies", registry.AgencyViewSet, basename="agency")
router.register("experts", registry.ExpertViewSet, basename="expert")
router.register("engagements", registry.EngagementViewSet, basename="engagement")
router.register("users", UserViewSet, basename="user")
router.register("changes", ObjectChangeViewSet, basename="change")
router.register("change-requests", ChangeRequestViewSet, basename="changerequest")
router.register("audits", audits.AuditViewSet, basename="audit")
router.register("options", audits.OptionViewSet, basename="option")
router.register("reviews", audits.ReviewViewSet, basename="review")
router.register("rosters", audits.RosterViewSet, basename="roster")
router.register("indicator-systems", evaluation.SystemViewSet, basename="indicatorsystem")
router.register("assessments", evaluation.AssessmentViewSet, basename="assessment")

app_name = "api"
urlpatterns = [
    *(
        path(
            f"{prefix}/import/",
            getattr(io, f"{name}ImportAPIView").as_view(),
            name=f"{prefix}-import",
        )
        for prefix, name in IO_VIEWS
    ),
    *(
        path(
            f"{prefix}/export/",
            getattr(io, f"{name}ExportAPIView").as_view(),
            name=f"{prefix}-export",
        )
        for prefix, name in IO_VIEWS
    ),
    path("token/", TokenView.as_view(), name="token"),
    path("token/logout/", LogoutView.as_view(), name="token-logout"),
    path("token/logout-all/", LogoutAllView.as_view(), name="token-logout-all"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("plans/", include("cleanprod.plans.api.urls")),
    path("", include(router.urls)),
]
