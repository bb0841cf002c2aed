"""Exceptions raised by the pure core."""


class CoreError(Exception):
    """Base class of every error raised by :mod:`cleanprod.core`."""


class InvalidCode(CoreError, ValueError):
    """A code (USCC, region code, industry code) is malformed; the message says why."""
