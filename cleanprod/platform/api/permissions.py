"""API access gate; rows are then limited by restrict() in the viewsets."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions

from cleanprod.platform.permissions import ADD, CHANGE, DELETE, can_any

WRITE_ACTIONS = {"create": ADD, "update": CHANGE, "partial_update": CHANGE, "destroy": DELETE}


class ActionPermission(permissions.BasePermission):
    """Reads are open to the scope restrict() gives (anonymous: published rows only); a write
    needs a logged-in user whose party and role grant that action on some rows of the model."""

    def has_permission(self, request: Any, view: Any) -> bool:
        action = WRITE_ACTIONS.get(getattr(view, "action", None) or "")
        if action is None:
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        model = view.queryset.model if getattr(view, "queryset", None) is not None else None
        return model is not None and can_any(request.user, action, model)
