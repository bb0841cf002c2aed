"""Signals of the platform's own set-based writes, which send no model signals.

A delete's collector clears references (``SET_NULL``) with one UPDATE per field; Django sends
no ``post_save`` for those rows. The platform announces them instead, so the change log (an
app above this layer) records them without the platform importing it.
"""

from __future__ import annotations

from django.dispatch import Signal

# sender: the model; rows: the instances about to be updated in bulk (as stored before).
bulk_update_starting = Signal()
# sender: the model; rows: the same instances, now updated in the database.
bulk_update_done = Signal()
