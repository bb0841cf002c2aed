from django.urls import include, path

from cleanprod.registry import engagement_views, staff_views, views

app_name = "registry"


def _crud(prefix, name, list_view, detail_view, create_view, update_view, delete_view):
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}-list"),
        path(f"{prefix}/add/", create_view.as_view(), name=f"{name}-add"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}-detail"),
        path(f"{prefix}/<int:pk>/edit/", update_view.as_view(), name=f"{name}-edit"),
        path(f"{prefix}/<int:pk>/delete/", delete_view.as_view(), name=f"{name}-delete"),
    ]


urlpatterns = [
    *_crud(
        "enterprises",
        "enterprise",
        views.EnterpriseListView,
        views.EnterpriseDetailView,
        views.EnterpriseCreateView,
        views.EnterpriseUpdateView,
        views.EnterpriseDeleteView,
    ),
    *_crud(
        "parks",
        "park",
        views.ParkListView,
        views.ParkDetailView,
        views.ParkCreateView,
        views.ParkUpdateView,
        views.ParkDeleteView,
    ),
    *_crud(
        "agencies",
        "agency",
        views.AgencyListView,
        views.AgencyDetailView,
        views.AgencyCreateView,
        views.AgencyUpdateView,
        views.AgencyDeleteView,
    ),
    *_crud(
        "experts",
        "expert",
        views.ExpertListView,
        views.ExpertDetailView,
        views.ExpertCreateView,
        views.ExpertUpdateView,
        views.ExpertDeleteView,
    ),
    path("engagements/", engagement_views.engagement_list, name="engagement-list"),
    path("engagements/add/", engagement_views.engagement_add, name="engagement-add"),
    path("engagements/import/", engagement_views.engagement_import, name="engagement-import"),
    path(
        "engagements/template.xlsx",
        engagement_views.engagement_template,
        name="engagement-template",
    ),
    path("engagements/<int:pk>/end/", engagement_views.engagement_end, name="engagement-end"),
    path("agencies/<int:pk>/staff/", staff_views.staff_list, name="agency-staff"),
    path(
        "agencies/<int:pk>/staff/<int:staff>/edit/",
        staff_views.staff_edit,
        name="agency-staff-edit",
    ),
    path(
        "agencies/<int:pk>/staff/template.xlsx",
        staff_views.staff_template,
        name="agency-staff-template",
    ),
    path("region-children/", views.region_children, name="region-children"),
    path("", include("cleanprod.registry.urls_io")),
]
