"""E-mail about the workflow: editors hear of releases submitted for review,
authors of theirs sent back, published or scheduled. A receiver of the
workflow's events (releases/receivers.py); Django's e-mail framework (console
backend by default, SMTP through EMAIL_* settings)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from releases.addresses import absolute_url
from releases.models import WorkflowEvent

A = WorkflowEvent.Action
logger = logging.getLogger(__name__)


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
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in to]
    try:
        send_mass_mail(messages)
    except OSError:
        # The change is saved already; a mail server that is down must not
        # turn it into an error page. The log says who was not told.
        logger.exception("Could not send the e-mail on %s to %s", event, ", ".join(to))
