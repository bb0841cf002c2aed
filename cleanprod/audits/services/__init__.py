"""Audit workflows. Each function takes the acting user, runs in one transaction and leaves its
trace in the change log (model signals) and, for transitions, in AuditTransition."""

from cleanprod.audits.services.errors import Conflict, NotAllowed, PreconditionFailed, WorkflowError

__all__ = ["Conflict", "NotAllowed", "PreconditionFailed", "WorkflowError"]
