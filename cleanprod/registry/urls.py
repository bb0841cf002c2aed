from django.urls import include, path

from cleanprod.registry import views

app_name = "registry"


def _crud(prefix: str, name: str, list_view, detail_view, create_view, update_view) -> list:
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}-list"),
        path(f"{prefix}/add/", create_view.as_view(), name=f"{name}-add"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}-detail"),
        path(f"{prefix}/<int:pk>/edit/", update_view.as_view(), name=f"{name}-edit"),
    ]


urlpatterns = [
    *_crud(
        "enterprises",
        "enterprise",
        views.EnterpriseListView,
        views.EnterpriseDetailView,
        views.EnterpriseCreateView,
        views.EnterpriseUpdateView,
    ),
    *_crud(
        "parks",
        "park",
        views.ParkListView,
        views.ParkDetailView,
        views.ParkCreateView,
        views.ParkUpdateView,
    ),
    *_crud(
        "agencies",
        "agency",
        views.AgencyListView,
        views.AgencyDetailView,
        views.AgencyCreateView,
        views.AgencyUpdateView,
    ),
    *_crud(
        "experts",
        "expert",
        views.ExpertListView,
        views.ExpertDetailView,
        views.ExpertCreateView,
        views.ExpertUpdateView,
    ),
    path("region-children/", views.region_children, name="region-children"),
    path("", include("cleanprod.registry.urls_io")),
]
