"""Settings modules: ``dev`` (default), ``test`` and ``production``."""
