"""The plans' API routes; the lead includes them under ``/api/plans/``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from cleanprod.plans.api import views

router = DefaultRouter()
router.register("targets", views.PlanTargetViewSet, basename="plan-target")
router.register("technologies", views.TechnologyViewSet, basename="technology")
router.register("allocations", views.TargetAllocationViewSet, basename="allocation")
router.register("carbon", views.CarbonCalculationViewSet, basename="carbon")

urlpatterns = [
    path("dashboard/", views.ProgressDashboardView.as_view(), name="plans-dashboard"),
    path("", include(router.urls)),
]
