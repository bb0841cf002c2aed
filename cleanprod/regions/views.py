"""Browse the division tree: a node, its ancestors and children.

No registry counts here: the page is public, and a count must come from the rows the visitor
may list (the registry's list, linked, counts within the user's scope)."""

from typing import Any

from django.db.models import Count
from django.views.generic import DetailView, ListView

from cleanprod.regions.models import Level, Region


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
        return context
