"""The advisers' practice exchange and the network's events: writes (checked, validated, audited) and reads.

Threads and replies are about practice, never about a person: before publishing, `privacy_flags` looks for a
national number (Belgian register number, French NIR) and for the name of anyone in the author's scope; a
post that has one is held until the author removes it or confirms it is not personal data (the flags stay on
the post for the moderators). A coordinator may hide a post, with a reason (audited).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from pont.audit.services import audit
from pont.core import access
from pont.core.exceptions import Conflict
from pont.core.mail import mail_each
from pont.core.models import User
from pont.core.roles import CARE_ROLES, Role
from pont.network.models import POST_LANGUAGES, Bookmark, Event, Registration, Reply, Thread
from pont.people.selectors import persons_visible_to

BE_NATIONAL_NUMBER = re.compile(r"\b\d{2}[.\s]?\d{2}[.\s]?\d{2}[-.\s]?\d{3}[.\s]?\d{2}\b")
FR_NIR = re.compile(r"\b[12]\s?\d{2}\s?(?:0[1-9]|1[0-2]|[2-9]\d)\s?(?:\d{2}|2A|2B)\s?\d{3}\s?\d{3}(?:\s?\d{2})?\b")


def privacy_flags(text: str, author: User) -> list[dict[str, str]]:
    """Return what in `text` looks like personal data: a national number, or the name of a person in the
    author's scope (family names of three letters or more, as whole words)."""
    flags = [{"kind": "national_number", "match": m.group(0)}
             for pattern in (BE_NATIONAL_NUMBER, FR_NIR) for m in pattern.finditer(text)]
    lowered = f" {text.lower()} "
    names = set()
    for given, family in persons_visible_to(author).values_list("given_name", "family_name").iterator():
        family = (family or "").strip().lower()
        if len(family) >= 3 and re.search(rf"(?<!\w){re.escape(family)}(?!\w)", lowered):
            names.add(f"{given} {family.title()}" if given and given.lower() in lowered else family.title())
    flags += [{"kind": "name", "match": name} for name in sorted(names)]
    return flags


def _organisation(user: User):
    return access.acting_organisation(user, role=(Role.ADVISER, Role.COORDINATOR))


def _held(flags: list[dict[str, str]]) -> ValidationError:
    found = ", ".join(f["match"] for f in flags)
    return ValidationError({"text": _("This looks like personal data (%(found)s): remove it, or confirm that it "
                                      "is not about a person.") % {"found": found}}, code="privacy")


def thread_create(*, by: User, title: str, text: str, language: str, tags: list[str] | None = None,
                  confirmed: bool = False) -> Thread:
    access.require(by, "network.exchange")
    thread = Thread(title=(title or "").strip(), text=(text or "").strip(), language=language,
                    tags=[t.strip().lower() for t in (tags or []) if t.strip()], author=by,
                    organisation=_organisation(by))
    thread.full_clean(exclude=["flags"])
    thread.flags = privacy_flags(f"{thread.title}\n{thread.text}", by)
    if thread.flags and not confirmed:
        raise _held(thread.flags)
    with transaction.atomic():
        thread.save()
        audit(actor=by, verb="thread.created", obj=thread, organisation=thread.organisation,
              detail={"flags": len(thread.flags)})
    return thread


def reply_create(*, by: User, thread: Thread, text: str, language: str, confirmed: bool = False) -> Reply:
    access.require(by, "network.exchange")
    reply = Reply(thread=thread, text=(text or "").strip(), language=language, author=by,
                  organisation=_organisation(by))
    reply.full_clean(exclude=["flags"])
    reply.flags = privacy_flags(reply.text, by)
    if reply.flags and not confirmed:
        raise _held(reply.flags)
    with transaction.atomic():
        reply.save()
        audit(actor=by, verb="reply.created", obj=reply, organisation=reply.organisation,
              detail={"thread": thread.pk, "flags": len(reply.flags)})
    return reply


def post_hide(*, by: User, post: Thread | Reply, reason: str) -> Thread | Reply:
    """A coordinator hides a thread or a reply, saying why (audited)."""
    access.require(by, "network.moderate")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the post is hidden.")}, code="required")
    if post.hidden_at is not None:
        raise Conflict(_("This post is hidden already."))
    post.hidden_at, post.hidden_by, post.hidden_reason = timezone.now(), by, reason[:500]
    with transaction.atomic():
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        audit(actor=by, verb=f"{post._meta.model_name}.hidden", obj=post, detail={"reason": post.hidden_reason})
    return post


def bookmark_toggle(*, by: User, thread: Thread) -> bool:
    """Bookmark the thread, or remove the bookmark; return whether it is bookmarked now."""
    access.require(by, "network.exchange")
    deleted, _rows = Bookmark.objects.filter(user=by, thread=thread).delete()
    if deleted:
        return False
    Bookmark.objects.create(user=by, thread=thread)
    return True


def threads_visible_to(user: User) -> QuerySet[Thread]:
    """Every thread for advisers and coordinators (hidden ones for coordinators only); none otherwise."""
    if not access.holds(user, Role.ADVISER, Role.COORDINATOR):
        return Thread.objects.none()
    qs = Thread.objects.select_related("author", "organisation")
    if not access.holds(user, Role.COORDINATOR):
        qs = qs.filter(hidden_at__isnull=True)
    return qs


def thread_list(*, user: User, q: str = "", tag: str = "", language: str = "",
                bookmarked: bool = False) -> QuerySet[Thread]:
    access.require(user, "network.exchange")
    qs = threads_visible_to(user).annotate(
        reply_count=Count("replies", filter=Q(replies__hidden_at__isnull=True)),
        bookmarked=Exists(Bookmark.objects.filter(user=user, thread=OuterRef("pk"))))
    if q:
        qs = qs.filter(Q(title__icontains=q[:100]) | Q(text__icontains=q[:100]))
    if tag:
        qs = qs.filter(tags__icontains=f'"{tag.lower()[:30]}"')
    if language:
        qs = qs.filter(language=language)
    if bookmarked:
        qs = qs.filter(bookmarked=True)
    return qs.order_by("-created_at", "-id")


def thread_get(*, user: User, pk: int) -> Thread:
    access.require(user, "network.exchange")
    try:
        return threads_visible_to(user).get(pk=pk)
    except (Thread.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def replies_of(*, user: User, thread: Thread) -> QuerySet[Reply]:
    qs = thread.replies.select_related("author", "organisation")
    return qs if access.holds(user, Role.COORDINATOR) else qs.filter(hidden_at__isnull=True)


def reply_get(*, user: User, thread: Thread, pk: int) -> Reply:
    try:
        return replies_of(user=user, thread=thread).get(pk=pk)
    except (Reply.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# ------------------------------------------------------------------------------------------------ digest

def weekly_digest(now: dt.datetime | None = None) -> int:
    """E-mail every adviser and coordinator the threads of the past seven days, in their language (the threads'
    titles as written, with the language they are written in); return how many e-mails were sent."""
    now = now or timezone.now()
    threads = list(Thread.objects.filter(hidden_at__isnull=True, created_at__gte=now - dt.timedelta(days=7))
                   .select_related("organisation").order_by("-created_at")[:50])
    if not threads:
        return 0
    readers = User.objects.filter(is_active=True, memberships__role__in=(Role.ADVISER, Role.COORDINATOR)) \
        .exclude(email="").distinct()

    def compose() -> tuple[str, str]:
        names = dict(POST_LANGUAGES)
        lines = [f"- {t.title} ({t.organisation.name}; {names.get(t.language, t.language)})" for t in threads]
        return (_("Pont: new in the practice exchange this week"),
                _("New threads of the advisers' practice exchange:") + "\n\n" + "\n".join(lines))

    return mail_each(readers, compose)


# ------------------------------------------------------------------------------------------------ events

def events_visible_to(user: User) -> QuerySet[Event]:
    if not access.can(user, "network.read_events"):
        return Event.objects.none()
    return Event.objects.select_related("organiser").annotate(registered=Count("registrations"))


def event_get(*, user: User, pk: int) -> Event:
    try:
        return events_visible_to(user).get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def event_create(*, by: User, values: dict) -> Event:
    if not access.holds(by, Role.COORDINATOR):
        raise Http404
    organiser = access.acting_organisation(by, role=Role.COORDINATOR)
    access.require(by, "network.organise_event", organiser)
    event = Event(**values, organiser=organiser, created_by=by)
    event.full_clean()
    with transaction.atomic():
        event.save()
        audit(actor=by, verb="event.created", obj=event, organisation=organiser)
    return event


def event_register(*, by: User, event: Event) -> Registration:
    """Register for an event; 409 when it is full or already registered for."""
    access.require(by, "network.read_events")
    if event.ends_at < timezone.now():
        raise Conflict(_("This event is over."))
    organisation = access.acting_organisation(by, role=(Role.ADVISER, Role.COORDINATOR, *CARE_ROLES))
    try:
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if locked.capacity is not None and locked.registrations.count() >= locked.capacity:
                raise Conflict(_("This event is full."))
            registration = Registration.objects.create(event=locked, user=by, organisation=organisation)
    except IntegrityError:
        raise Conflict(_("You are registered already.")) from None
    return registration


def event_unregister(*, by: User, event: Event) -> None:
    access.require(by, "network.read_events")
    Registration.objects.filter(event=event, user=by).delete()


def event_report(*, by: User, event: Event, report: str) -> Event:
    access.require(by, "network.organise_event", event.organiser)
    event.report = (report or "").strip()
    event.full_clean()
    with transaction.atomic():
        event.save(update_fields=["report"])
        audit(actor=by, verb="event.reported", obj=event, organisation=event.organiser)
    return event


def calendar_file(event: Event) -> bytes:
    """Return the event as an iCalendar file (RFC 5545) to add to a calendar."""
    calendar = Calendar()
    calendar.add("prodid", "-//Pont//network events//EN")
    calendar.add("version", "2.0")
    item = CalendarEvent()
    item.add("uid", f"{event.uid}@pont")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    if event.description:
        item.add("description", event.description)
    item.add("location", event.place or event.link)
    if event.link:
        item.add("url", event.link)
    item.add("organizer", "mailto:noreply@pont.invalid", parameters={"cn": event.organiser.name})
    calendar.add_component(item)
    return calendar.to_ical()
