"""Plan data (YAML) of the two cleaner-production plans; read by cleanprod.core.plans."""
