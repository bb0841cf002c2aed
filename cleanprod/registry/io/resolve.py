"""Match parsed rows to existing objects, check permissions and the models' own rules.

The rules are those of the models' ``clean()`` methods, checked against data loaded once rather
than with a query per row.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from cleanprod.platform.permissions import ADD, CHANGE, NOTHING, VIEW, allowed_pks, allowed_q
from cleanprod.registry.io.importer import Importer, Pending, Row, chunks
from cleanprod.registry.io.writer import fields_snapshot
from cleanprod.registry.models import Agency, Enterprise, Expert, Park

EMPLOYER_FIELDS = ["employer_enterprise", "employer_agency"]


def m2m_values(obj: models.Model, names: list[str]) -> dict[str, list[Any]]:
    """The current related keys of each many-to-many field (from the prefetch cache)."""
    return {name: [o.pk for o in getattr(obj, name).all()] for name in names}


class Resolver:
    """Turns valid rows into objects to create or update; fails the rows that break a rule."""

    def __init__(self, importer: Importer, present: set[str]) -> None:
        self.importer = importer
        self.spec = importer.spec
        self.model = importer.model
        self.user = importer.user
        self.lookups = importer.lookups
        self.present = present
        self.all_m2m = list(self.spec.m2m_fields())
        self.m2m = [f for f in self.all_m2m if f in present]
        self.name = str(self.model._meta.verbose_name)
        self.plural = str(self.model._meta.verbose_name_plural)
        self.defaults = [
            None if f.primary_key else f.get_default() for f in self.model._meta.concrete_fields
        ]

    def run(self, rows: list[Row]) -> Pending:
        rows = self.unique(rows)
        existing = self.existing(rows)
        changeable = allowed_pks(self.user, self.model, CHANGE, [o.pk for o in existing.values()])
        can_add = allowed_q(self.model, self.user, ADD) != NOTHING
        self.employers = self.load_employers(rows) if "employer" in self.present else {}
        pending = Pending(update_fields=self.update_fields(), m2m_fields=self.m2m)
        for row in rows:
            obj = existing.get(self.key(row))
            if not row.failed and self.permitted(row, obj, changeable, can_add):
                self.build(row, obj, pending)
        return pending

    def permitted(self, row: Row, obj: Any, changeable: set[int], can_add: bool) -> bool:
        """Whether the row may update ``obj`` (or, if ``None``, add); fail the row if not."""
        if obj is None and self.spec.key == "id" and row.values.get("id") is not None:
            message = _("No %(model)s with id %(id)s.") % {"model": self.name, "id": self.key(row)}
        elif obj is not None and obj.pk not in changeable:
            message = _("You may not change this %(model)s.") % {"model": self.name}
        elif obj is None and not can_add:
            message = _("You may not add %(models)s.") % {"models": self.plural}
        else:
            return True
        self.importer.fail(row, self.key_field(row), message)
        return False

    # -- keys ---------------------------------------------------------------------------------

    def key(self, row: Row) -> Any:
        if self.spec.key == "uscc":
            return row.values.get("uscc")
        if row.values.get("id") is not None:
            return row.values["id"]
        if self.model is Park:  # (region, name) is unique: a known park is updated
            return (row.values.get("region"), row.values.get("name"))
        return None

    def key_field(self, row: Row) -> str:
        if self.spec.key == "uscc":
            return "uscc"
        return "id" if row.values.get("id") is not None else "name"

    def unique(self, rows: list[Row]) -> list[Row]:
        """Fail the later of two rows with the same key (or park name in one region)."""
        first: dict[Any, int] = {}
        for row in rows:
            key = self.key(row)
            if key is None:
                continue
            if key in first:
                self.importer.fail(
                    row, self.key_field(row), _("Same as row %(row)d.") % {"row": first[key]}
                )
            else:
                first[key] = row.number
        return rows

    def existing(self, rows: list[Row]) -> dict[Any, models.Model]:
        keys = [k for row in rows if not row.failed and (k := self.key(row)) is not None]
        base = self.model._default_manager.all()
        if self.all_m2m:
            base = base.prefetch_related(*self.all_m2m)
        found: dict[Any, models.Model] = {}
        if self.spec.key == "uscc":
            for chunk in chunks(keys):
                found.update((o.uscc, o) for o in base.filter(uscc__in=chunk))
            return found
        ids = [k for k in keys if isinstance(k, int)]
        for chunk in chunks(ids):
            found.update((o.pk, o) for o in base.filter(pk__in=chunk))
        self.parks_by_name: dict[tuple[str, str], models.Model] = {}
        if self.model is Park:
            names = sorted({r.values["name"] for r in rows if not r.failed})
            for chunk in chunks(names):
                self.parks_by_name.update(
                    ((o.region_id, o.name), o) for o in base.filter(name__in=chunk)
                )
            found.update(self.parks_by_name)
        return found

    def load_employers(self, rows: list[Row]) -> dict[str, tuple[type, int]]:
        codes = sorted({r.values["employer"] for r in rows if r.values.get("employer")})
        found: dict[str, tuple[type, int]] = {}
        for model in (Agency, Enterprise):
            for chunk in chunks(codes):
                visible = model.objects.restrict(self.user, VIEW).filter(uscc__in=chunk)
                found.update((uscc, (model, pk)) for uscc, pk in visible.values_list("uscc", "pk"))
        return found

    def update_fields(self) -> list[str]:
        fields = {c.field for c in self.spec.importable() if c.field in self.present}
        fields -= {"id", "employer", *self.all_m2m}
        if self.model is Expert and {"employer", "employer_kind"} & self.present:
            fields.update(EMPLOYER_FIELDS)
        return sorted(fields | {"updated"})

    # -- objects ------------------------------------------------------------------------------

    def build(self, row: Row, obj: models.Model | None, pending: Pending) -> None:
        if obj is not None:
            row.before = fields_snapshot(obj, m2m_values(obj, self.all_m2m))
            row.m2m = m2m_values(obj, self.all_m2m)
        else:
            # Positional arguments take Django's fast path; the defaults were computed once.
            obj = self.model(*self.defaults)
            row.m2m = {name: [] for name in self.all_m2m}
        row.obj = obj
        for name, value in row.values.items():
            if name in self.all_m2m:
                row.m2m[name] = value
            elif name == "region":
                obj.region_id = value
            elif name not in ("id", "park", "employer"):
                setattr(obj, name, value)
        getattr(self, f"check_{self.model.__name__.lower()}")(row, obj)
        if row.failed:
            return
        if row.before is None:
            pending.create.append(row)
        elif row.before != fields_snapshot(obj, row.m2m):
            pending.update.append(row)
        else:
            self.importer.result.unchanged += 1

    def check_enterprise(self, row: Row, obj: Enterprise) -> None:
        if "park" not in row.values:
            return
        candidates = row.values["park"]
        if candidates is None:
            obj.park_id = None
            return
        inside = [p for p in candidates if self.lookups.park_contains(p, obj.region_id)]
        if not inside:
            self.importer.fail(row, "park", _("The park lies outside the enterprise's region."))
            return
        # Park names repeat across regions; the closest park around the enterprise is meant.
        obj.park_id = max(inside, key=lambda p: self.lookups.parks[p][2])

    def check_park(self, row: Row, obj: Park) -> None:
        other = self.parks_by_name.get((obj.region_id, obj.name))
        if other is not None and other.pk != obj.pk:
            self.importer.fail(
                row, "name", _("A park with this name already exists in this region.")
            )

    def check_agency(self, row: Row, obj: Agency) -> None:
        if obj.valid_from and obj.valid_until and obj.valid_until < obj.valid_from:
            self.importer.fail(row, "valid_until", _("The filing ends before it starts."))

    def check_expert(self, row: Row, obj: Expert) -> None:
        if not {"employer", "employer_kind"} & set(row.values):
            return
        obj.employer_enterprise_id = obj.employer_agency_id = None
        kinds = {Expert.EmployerKind.ENTERPRISE: Enterprise, Expert.EmployerKind.AGENCY: Agency}
        wanted = kinds.get(obj.employer_kind)
        if wanted is None:
            return
        code = row.values.get("employer")
        if not code:
            self.importer.fail(row, "employer", _("Choose the employer."))
            return
        model, pk = self.employers.get(code, (None, None))
        if model is not wanted:
            message = _("No %(kind)s with this code that you may see.")
            self.importer.fail(row, "employer", message % {"kind": wanted._meta.verbose_name})
            return
        setattr(obj, f"employer_{model.__name__.lower()}_id", pk)
