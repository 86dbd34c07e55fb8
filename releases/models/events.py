from django.apps import apps
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from releases.text import NormalizedText

from .public import PublicContentQuerySet
from .workflow import APPROVED


def _public_releases():
    return apps.get_model("releases", "Release").objects.published()


class EventQuerySet(PublicContentQuerySet):
    def public(self):
        """The events the public may see: those a public release is about
        (or names a delegation to), and those an editor published. An event
        made for an embargoed release stays off the site until then."""
        releases = _public_releases()
        return self.filter(
            Q(published=True)
            | Exists(releases.filter(event=OuterRef("pk")))
            | Exists(releases.filter(delegations__event=OuterRef("pk")))
        )


class Event(NormalizedText, models.Model):
    """Something the agency's people attend: a session, a summit, a visit."""

    title = models.CharField(
        # Russian names an event's title otherwise than a release's.
        pgettext_lazy("event", "title"),
        max_length=255,
        help_text=_("For example: 88th session of the WCO Policy Commission."),
    )
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    organizer = models.CharField(
        _("organizer"),
        max_length=200,
        blank=True,
        help_text=_("For example: World Customs Organization."),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True, help_text=_("For example: WCO headquarters."))
    city = models.CharField(_("city"), max_length=100, blank=True, help_text=_("For example: Brussels."))
    country = models.CharField(_("country"), max_length=100, blank=True, help_text=_("For example: Belgium."))
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a one-day event."),
    )
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(
        _("published by an editor"),
        default=False,
        help_text=_(
            "An event is on the site once a public release is about it. Tick this to show it, with its "
            "delegations, before then: for example an upcoming visit announced without a release."
        ),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_ends_after_it_starts",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("releases:event-detail", kwargs={"slug": self.slug})

    @cached_property
    def delegation_list(self):
        """The public delegations sent to this event, each with its `member_list`."""
        return self.delegations.public().with_members()

    @property
    def is_approved(self):
        """An editor published it, or approved a release about it (or naming
        one of its delegations): see workflow.may_edit."""
        return (
            self.published
            or self.releases.filter(status__in=APPROVED).exists()
            or Delegation.objects.filter(event=self, releases__status__in=APPROVED).exists()
        )

    @property
    def place(self):
        """'WCO headquarters, Brussels, Belgium', leaving out what is unknown."""
        return ", ".join(part for part in (self.venue, self.city, self.country) if part)


class DelegationQuerySet(PublicContentQuerySet):
    def public(self):
        """The delegations the public may see: those a public release names,
        and those of an event an editor published."""
        return self.filter(Q(event__published=True) | Exists(_public_releases().filter(delegations=OuterRef("pk"))))

    def with_members(self):
        """The delegations as a list, each with `member_list`, its members in
        order, read in one query (a LEFT JOIN) rather than a prefetch's two.
        Members carry every language's columns, so that their translated
        fields fall back as they always do."""
        fields = [field.attname for field in DelegationMember._meta.concrete_fields if field.attname != "delegation_id"]
        rows = self.annotate(**{f"member_{name}": F(f"members__{name}") for name in fields}).order_by(
            *Delegation._meta.ordering, "pk", "members__order", "members__pk"
        )
        delegations = {}
        for row in rows:
            delegation = delegations.setdefault(row.pk, row)
            if delegation is row:
                delegation.member_list = []
            if row.member_id is not None:
                member = DelegationMember(**{name: getattr(row, f"member_{name}") for name in fields})
                member.delegation = delegation
                delegation.member_list.append(member)
        return list(delegations.values())


class Delegation(NormalizedText, models.Model):
    """The people the agency sent to an event, led by a head of delegation."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("event"))
    head_name = models.CharField(
        _("head of delegation"),
        max_length=200,
        help_text=_("For example: Shahin Baghirov."),
    )
    head_position = models.CharField(
        _("position of the head"),
        max_length=255,
        blank=True,
        help_text=_("For example: Chairman of the State Customs Committee."),
    )
    head_rank = models.CharField(
        _("rank of the head"),
        max_length=255,
        blank=True,
        help_text=_("For example: lieutenant-general of the customs service."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-event__start_date", "head_name"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self):
        return _("Delegation led by %(head)s to %(event)s") % {"head": self.head_name, "event": self.event.title}

    @property
    def is_approved(self):
        """An editor approved a release naming it, or published its event:
        see workflow.may_edit."""
        return self.event.published or self.releases.filter(status__in=APPROVED).exists()


class DelegationMember(NormalizedText, models.Model):
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("delegation"),
    )
    # A person's name, which Russian calls otherwise than a department's.
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    position = models.CharField(_("position"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["delegation", "order", "id"]
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")

    def __str__(self):
        return self.name
