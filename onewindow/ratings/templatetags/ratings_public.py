"""{% case_ratings case %}: the 服务评价 block of 我的办件 (open invitations with 去评价, given ratings, replies)."""

from django import template
from django.utils import timezone

from .. import selectors
from ..models import BadRatingCase, Rating

register = template.Library()


@register.inclusion_tag("ratings/public/_case_ratings.html", takes_context=True)
def case_ratings(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    now = timezone.now()
    seen, rows = set(), []
    # The signed-in page rates the newest invitation of each service event: list one line per event.
    for invitation in selectors.invitations_for_case(user=user, case=case):
        if invitation.service_event in seen:
            continue
        seen.add(invitation.service_event)
        try:
            invitation.given = invitation.rating
        except Rating.DoesNotExist:
            invitation.given = None
        try:
            invitation.bad = invitation.given.bad_case if invitation.given else None
        except BadRatingCase.DoesNotExist:
            invitation.bad = None
        invitation.open = invitation.closed_at is None and now <= invitation.expires_at
        rows.append(invitation)
    return {"case": case, "invitations": rows}
