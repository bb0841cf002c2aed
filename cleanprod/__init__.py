"""cleanprod: the cleaner-production (清洁生产) information platform."""

__version__ = "0.1.0"
