"""The industry classification and the plans' industry groups."""

from typing import Any

from django.views.generic import DetailView, ListView

from cleanprod.industries.models import Industry, IndustryGroup, IndustryLevel


class IndustryListView(ListView):
    template_name = "industries/industry_list.html"
    queryset = Industry.objects.filter(
        level__in=[IndustryLevel.SECTION, IndustryLevel.DIVISION]
    ).select_related("parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["groups"] = IndustryGroup.objects.prefetch_related("members")
        return context


class IndustryGroupDetailView(DetailView):
    model = IndustryGroup
    template_name = "industries/group_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        members = list(self.object.members.all())
        names = dict(
            Industry.objects.filter(code__in=[m.code for m in members]).values_list("code", "name")
        )
        context["members"] = [(m, names.get(m.code, "")) for m in members]
        return context
