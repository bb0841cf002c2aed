"""Browse the division tree: a node, its ancestors, children and registry counts."""

from typing import Any

from django.db.models import Count
from django.views.generic import DetailView, ListView

from cleanprod.regions.models import Level, Region
from cleanprod.registry.models import Enterprise


class RegionListView(ListView):
    template_name = "regions/region_list.html"

    def get_queryset(self):
        q = self.request.GET.get("q", "").strip()
        if q:
            return Region.objects.filter(full_name__icontains=q)[:200]
        return Region.objects.filter(level=Level.PROVINCE).annotate(n=Count("children"))


class RegionDetailView(DetailView):
    model = Region
    template_name = "regions/region_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        region: Region = self.object
        context["ancestors"] = region.ancestors()
        context["children"] = region.children.annotate(n=Count("children"))
        context["enterprise_count"] = Enterprise.objects.in_region(region).count()
        return context
