class WorkflowError(Exception):
    """A workflow step refused, with a message fit for the user."""


class NotAllowed(WorkflowError):
    """The user may not take this step on this object."""


class PreconditionFailed(WorkflowError):
    """The step's preconditions do not hold; the message lists what is missing."""


class Conflict(WorkflowError):
    """Someone else changed the object first (e.g. two users racing the same transition)."""
