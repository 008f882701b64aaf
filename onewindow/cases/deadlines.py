"""Cases as a deadline owner: when a year's calendar changes, open cases touching it get new deadlines."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from .constants import CaseStatus
from .models import Case

# Cases whose stored deadline can still change.
_CLOCKED = [CaseStatus.ACCEPTED, CaseStatus.SUSPENDED, CaseStatus.CORRECTION_REQUESTED, CaseStatus.DECIDED]


class CaseDeadlines:
    label = "cases"

    def recompute_deadlines(self, *, years: frozenset[int]) -> int:
        from .services import case_clock_recompute

        touches = Q(deadline_provisional=True)
        for year in years:
            touches |= Q(accepted_at__year=year) | Q(due_at__year=year)
        ids = list(Case.objects.filter(touches, status__in=_CLOCKED, accepted_at__isnull=False)
                   .values_list("pk", flat=True))
        changed = 0
        for pk in ids:
            with transaction.atomic():
                case = Case.objects.select_for_update(of=("self",)).select_related("version").get(pk=pk)
                before = (case.due_at, case.warn_at, case.deadline_provisional)
                case_clock_recompute(case)
                if (case.due_at, case.warn_at, case.deadline_provisional) != before:
                    case.save(update_fields=["due_at", "warn_at", "deadline_provisional"])
                    changed += 1
        return changed
