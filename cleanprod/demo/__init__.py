"""The synthetic demo dataset (`cleanprod demo`): users, registry, audits and plan facts.

Kept apart from the domain apps: the generators write in bulk for speed and know every app,
which no domain app should; nothing outside this package and its command imports it.
"""
