"""Plans proposed by the dispatch engine, kept until a dispatcher accepts all or part of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pont.core.models import Organisation


class PlanStatus(models.TextChoices):
    RUNNING = "running", _("Being worked out")
    FAILED = "failed", _("Could not be worked out")
    PROPOSED = "proposed", _("Proposed")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    ACCEPTED = "accepted", _("Accepted")


class PlanStep(models.TextChoices):
    WAITING = "", _("Waiting for the planner")
    READING = "reading", _("Reading the signals, the teams and their agendas")
    STARTING = "starting", _("Making a first plan by target")
    SEARCHING = "searching", _("Searching for a better plan")
    EXPLAINING = "explaining", _("Explaining what is left unserved")
    DONE = "done", _("Done")


class UnservedReason(models.TextChoices):
    NO_PROFESSIONAL = "no_professional", _("Nobody in the teams has the role this signal needs")
    NO_LANGUAGE = "no_language", _("Nobody available speaks one of the person's languages")
    NO_TIME = "no_time", _("No working hours in this window leave time for the visit and the travel")
    CAPACITY = "capacity", _("The time in this window went to more urgent signals")
    SPEAKER_BUSY = "speaker_busy", _("Who speaks the person's language is on other visits in this window")
    PROFESSIONAL_BUSY = "professional_busy", _("Who has the role this signal needs is on other visits in this "
                                               "window")


class Plan(models.Model):
    """A proposal of the dispatch engine for one care organisation over a time window ("the next N hours")."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="dispatch_plans",
                                     verbose_name=_("organisation"))
    window_from = models.DateTimeField(_("from"))
    window_to = models.DateTimeField(_("until"))
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.RUNNING)
    # How far the background task is (0–100) and which step it is at (a PlanStep value).
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=16, blank=True, choices=PlanStep.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # How the engine worked: model, status, seconds, figures (missed targets, travel…); no personal data.
    stats = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dispatch plan")
        verbose_name_plural = _("dispatch plans")

    def __str__(self) -> str:
        return f"{self.organisation} {self.window_from:%Y-%m-%d %H:%M}–{self.window_to:%H:%M}"


class ProposedVisit(models.Model):
    """One visit the engine proposes: a signal, who goes, when; `visit` is set once a dispatcher accepts it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="proposed_visits")
    signal = models.ForeignKey("care.Signal", on_delete=models.CASCADE, related_name="+")
    members = models.ManyToManyField("care.TeamMember", related_name="+", verbose_name=_("members"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    late = models.BooleanField(_("after the response target"), default=False)
    travel_minutes = models.PositiveIntegerField(_("travel (minutes)"), default=0)
    visit = models.ForeignKey("care.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("proposed visit")
        verbose_name_plural = _("proposed visits")

    def __str__(self) -> str:
        return f"{self.signal} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def crosses_border(self) -> bool:
        """Whether a member travels from a base in the other country (members and their teams prefetched)."""
        country = self.signal.municipality.region.country
        return any(m.base_municipality.region.country != country for m in self.members.all())

    @property
    def lent_members(self) -> list:
        """The members another organisation lends for this visit."""
        return [m for m in self.members.all() if m.team.organisation_id != self.plan.organisation_id]


class UnservedSignal(models.Model):
    """A signal the plan leaves without a visit, and why."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="unserved")
    signal = models.ForeignKey("care.Signal", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=24, choices=UnservedReason.choices)
    # Computed from the instance (dispatch.solver.explain): the member the reason names and when they are free,
    # and the nearest option: {"member": pk, "free_at": iso, "option": {"members": [pk], "starts_at": iso,
    # "travel_minutes": n, "late_minutes": n}}.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["signal__target_at", "id"]
        verbose_name = _("signal left unserved")
        verbose_name_plural = _("signals left unserved")

    def __str__(self) -> str:
        return f"{self.signal}: {self.reason}"
