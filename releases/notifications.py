"""E-mail about the workflow: editors hear of releases submitted for review,
authors of theirs sent back, published or scheduled. A receiver of the
workflow's events (releases/receivers.py), sent through the outbox and the
job queue (outbox/, README "Background jobs") by Django's e-mail framework
(console backend by default, SMTP through EMAIL_* settings)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from outbox import services as outbox
from releases.addresses import absolute_url
from releases.models import WorkflowEvent

A = WorkflowEvent.Action


def editors():
    """Active users who may publish (directly, through a group, or as superusers)."""
    permission = Permission.objects.get(content_type__app_label="releases", codename="publish_release")
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__permissions=permission) | Q(user_permissions=permission))
        .filter(is_active=True)
        .exclude(email="")
        .distinct()
    )


def recipients(event):
    if event.action == A.SUBMITTED:
        return [user.email for user in editors() if user.pk != event.actor_id]
    if event.action in (A.SENT_BACK, A.PUBLISHED, A.SCHEDULED):
        author = event.release.author
        if author and author.email and author.pk != event.actor_id:
            return [author.email]
    return []


def workflow_mail(sender, *, workflow_event_id, **kwargs):
    """Send the e-mail the workflow step `workflow_event_id` calls for, if any."""
    event = WorkflowEvent.objects.select_related("release__author", "actor").filter(pk=workflow_event_id).first()
    if event is None or event.release is None:  # deleted since
        return
    to = recipients(event)
    if not to:
        return
    context = {
        "event": event,
        "release": event.release,
        "admin_url": absolute_url(reverse("admin:releases_release_change", args=[event.release_id])),
    }
    # The staff's language is the site's default language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("releases/email/workflow_subject.txt", context).strip()
        body = render_to_string("releases/email/workflow_body.txt", context)
    # Through the outbox: one row a recipient, delivered by the job queue
    # once this commits, retried while the mail server is down.
    with transaction.atomic():
        for address in to:
            outbox.send(kind="workflow", key=f"workflow-event:{event.pk}", to=address, subject=subject, text=body)
