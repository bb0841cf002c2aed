"""Import and export URLs of the registry (included by registry/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
