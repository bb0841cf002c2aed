"""The home page: what the platform holds, at a glance."""

from django.db.models import Count
from django.views.generic import TemplateView

from cleanprod.audits.models import Roster
from cleanprod.evaluation.models import SystemVersion
from cleanprod.industries.models import IndustryGroup
from cleanprod.platform.permissions import VIEW
from cleanprod.registry.models import Agency, Enterprise, Expert, Park


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["counts"] = {
            "enterprises": Enterprise.objects.count(),
            "above_size": Enterprise.objects.filter(above_size=True).count(),
            "parks": Park.objects.count(),
            "agencies": Agency.objects.count(),
            "experts": Expert.objects.count(),
        }
        context["has_synthetic"] = Enterprise.objects.filter(synthetic=True).exists()
        user = self.request.user
        context["rosters"] = (
            Roster.objects.restrict(user, VIEW)
            .select_related("region")
            .order_by("-published_at")[:8]
        )
        context["systems"] = SystemVersion.objects.filter(current=True)
        context["groups"] = IndustryGroup.objects.annotate(n=Count("members")).order_by("position")
        return context
