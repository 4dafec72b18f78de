"""Background tasks of the dispatch app (django-tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from pont.dispatch.models import Plan


@task()
def plan_work(plan_id: int) -> int:
    """Work out a requested plan (dispatch.services.plan_work); returns how many visits it proposes."""
    from pont.dispatch import services

    plan = Plan.objects.filter(pk=plan_id).select_related("organisation", "created_by").first()
    if plan is None:
        return 0
    try:
        plan = services.plan_work(plan=plan)
    except Exception:
        services.plan_failed(plan_id=plan_id)
        raise
    return plan.proposed_visits.count()
