"""`case_event_committed` fires after the transaction of a transition commits.

Receivers (documents, notifications, supervision ...) get ids, not objects, and must be idempotent:
    sender=Case, case_id=int, event_id=int, action=str
They run after the state change is durable, so a failing receiver never undoes a transition.
"""

from django.dispatch import Signal

case_event_committed = Signal()
