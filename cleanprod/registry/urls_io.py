"""Import and export URLs of the registry (included by registry/urls.py).

For each model (enterprise, park, agency, expert): ``<name>-import``, ``<name>-import-template``
(``?format=xlsx|csv``) and ``<name>-export`` (``?format=xlsx|csv`` plus the list's filters).
"""

from django.urls import URLPattern, path

from cleanprod.registry.io import SPECS
from cleanprod.registry.io_views import ExportView, ImportView, TemplateDownloadView

urlpatterns: list[URLPattern] = []
for _spec in SPECS.values():
    _name = _spec.url_name
    urlpatterns += [
        path(f"{_spec.slug}/import/", ImportView.as_view(spec=_spec), name=f"{_name}-import"),
        path(
            f"{_spec.slug}/import/template/",
            TemplateDownloadView.as_view(spec=_spec),
            name=f"{_name}-import-template",
        ),
        path(f"{_spec.slug}/export/", ExportView.as_view(spec=_spec), name=f"{_name}-export"),
    ]
