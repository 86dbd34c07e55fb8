"""Journalists and what they were sent: media contacts, media lists (by
hand or by a saved rule), and each send of a release under embargo with its
recipients, each holding a share link of their own (README, "Media
distribution")."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, ExpressionWrapper, F, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from releases.models import Department, Release, ShareLink, ShareLinkView, Tag

SEND_PERMISSION = "distribution.send_distribution"
# The note of each recipient's link (the share link admin shows it): the
# contact is found through the link's recipient, never written into the note.
LINK_NOTE = _("Media distribution")


class MediaContactQuerySet(models.QuerySet):
    def accredited(self, *, on=None):
        """Contacts whose accreditation has not expired (or who need none)."""
        return self.with_accreditation(on=on).filter(is_accredited=True)

    def with_accreditation(self, *, on=None):
        """Each contact with `is_accredited`: whether it is valid `on` (today)."""
        on = on or timezone.localdate()
        valid = Q(accredited_until__isnull=True) | Q(accredited_until__gte=on)
        return self.annotate(is_accredited=ExpressionWrapper(valid, output_field=models.BooleanField()))

    def matching(self, *, language="", tag_ids=(), department_ids=()):
        """Contacts of a saved rule: in `language` when one is given, and
        covering at least one of the beats given (tags or departments)."""
        contacts = self
        if language:
            contacts = contacts.filter(language=language)
        beats = Q()
        if tag_ids:
            beats |= Exists(
                MediaContact.tags.through.objects.filter(mediacontact_id=OuterRef("pk"), tag_id__in=tag_ids)
            )
        if department_ids:
            beats |= Exists(
                MediaContact.departments.through.objects.filter(
                    mediacontact_id=OuterRef("pk"), department_id__in=department_ids
                )
            )
        return contacts.filter(beats) if beats else contacts


class MediaContact(models.Model):
    """A journalist the press office sends releases to. Personal data: staff
    see it, it never goes into logs (the admin's history names a contact by
    number), and deleting the contact deletes what was sent to them."""

    name = models.CharField(_("name"), max_length=200, help_text=_("For example: Aysel Mammadova."))
    outlet = models.CharField(
        _("outlet"), max_length=200, blank=True, help_text=_("For example: Reuters, Baku bureau.")
    )
    email = models.EmailField(_("e-mail"), max_length=254, help_text=_("For example: aysel@example.com."))
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("They receive releases in this language when it has a version in it."),
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="+", verbose_name=_("beats: tags"), help_text=_("For example: customs, trade.")
    )
    departments = models.ManyToManyField(Department, blank=True, related_name="+", verbose_name=_("beats: departments"))
    accredited_until = models.DateField(
        _("accreditation expires"),
        null=True,
        blank=True,
        help_text=_("Left empty: no accreditation needed. Expired contacts receive nothing."),
    )
    notify_when_public = models.BooleanField(
        _("mail when public"),
        default=True,
        help_text=_("A short mail when a release they received under embargo becomes public."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = MediaContactQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("media contact")
        verbose_name_plural = _("media contacts")
        # The contacts' list, and a release's distribution page, read in this order.
        indexes = [models.Index(fields=["name", "id"], name="mediacontact_by_name")]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="mediacontact_email_unique",
                violation_error_message=_("A media contact with this e-mail address exists already."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.outlet})" if self.outlet else self.name

    def save(self, *args, **kwargs):
        self.email = self.email.strip()
        super().save(*args, **kwargs)


class MediaList(models.Model):
    """A list of contacts to send to: those chosen by hand, and those a saved
    rule finds (a language and beats), found again at each send."""

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("For example: Economic press."))
    description = models.TextField(_("description"), blank=True)
    contacts = models.ManyToManyField(
        MediaContact, blank=True, related_name="lists", verbose_name=_("contacts chosen by hand")
    )
    rule_language = models.CharField(
        _("rule: language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("With a language or beats, the list also holds every contact who matches them."),
    )
    rule_tags = models.ManyToManyField(Tag, blank=True, related_name="+", verbose_name=_("rule: tags"))
    rule_departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("rule: departments")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("media list")
        verbose_name_plural = _("media lists")

    def __str__(self):
        return self.name

    @property
    def has_rule(self):
        return bool(self.rule_language or self.rule_tags.exists() or self.rule_departments.exists())

    def members(self):
        """Every contact of the list, by hand or by rule, as one queryset."""
        by_hand = Q(pk__in=self.contacts.through.objects.filter(medialist_id=self.pk).values("mediacontact_id"))
        tag_ids = list(self.rule_tags.values_list("pk", flat=True))
        department_ids = list(self.rule_departments.values_list("pk", flat=True))
        if not (self.rule_language or tag_ids or department_ids):
            return MediaContact.objects.filter(by_hand)
        by_rule = MediaContact.objects.matching(
            language=self.rule_language, tag_ids=tag_ids, department_ids=department_ids
        ).values("pk")
        return MediaContact.objects.filter(by_hand | Q(pk__in=by_rule))


class Distribution(models.Model):
    """One send of a release under embargo: who sent it, when, until when
    the embargo runs and to which lists."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="distributions", verbose_name=_("release")
    )
    embargo_until = models.DateTimeField(_("embargo until"))
    lists = models.ManyToManyField(MediaList, blank=True, related_name="distributions", verbose_name=_("media lists"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("embargoed send")
        verbose_name_plural = _("embargoed sends")
        permissions = [("send_distribution", _("Can send releases to journalists under embargo"))]

    def __str__(self):
        return gettext("“%(release)s” under embargo") % {"release": self.release}


class RecipientQuerySet(models.QuerySet):
    def of_release(self, release):
        """The recipients of any language version of `release`."""
        return self.filter(translation_key=release.translation_key)

    def active(self):
        return self.filter(share_link__revoked_at__isnull=True, share_link__expires_at__gt=timezone.now())

    def flagged(self):
        """Recipients whose link was seen from many addresses: probably passed on."""
        return self.filter(address_count__gte=settings.PRESSROOM_DISTRIBUTION_MANY_ADDRESSES)

    def note_view(self, view):
        """Count `view` (a ShareLinkView just logged) in the figures of its
        link's recipient, in the view's transaction: F() updates, so that
        views logged at once all count. The first UPDATE holds the row
        until the transaction ends; the second, a statement later, sees
        what a view logged meanwhile from the same address committed, so an
        address is counted once. Returns whether the link is a recipient's."""
        mine = self.filter(share_link_id=view.link_id)
        counted = mine.update(
            view_count=F("view_count") + 1,
            first_view_at=Case(
                When(first_view_at__lt=view.viewed_at, then=F("first_view_at")), default=Value(view.viewed_at)
            ),
            last_view_at=Case(
                When(last_view_at__gt=view.viewed_at, then=F("last_view_at")), default=Value(view.viewed_at)
            ),
        )
        if counted and view.ip_address:
            seen_before = ShareLinkView.objects.filter(link_id=view.link_id, ip_address=view.ip_address).exclude(
                pk=view.pk
            )
            mine.filter(~Exists(seen_before)).update(address_count=F("address_count") + 1)
        return bool(counted)

    def count_views(self):
        """Set these recipients' figures from the whole log of their links'
        views: for views written without `note_view` (in bulk). One UPDATE."""
        views = ShareLinkView.objects.filter(link_id=OuterRef("share_link_id")).order_by().values("link_id")

        def of_views(aggregate):
            return Subquery(views.annotate(value=aggregate).values("value")[:1])

        return self.update(
            view_count=Coalesce(of_views(Count("pk")), 0),
            first_view_at=of_views(Min("viewed_at")),
            last_view_at=of_views(Max("viewed_at")),
            address_count=Coalesce(of_views(Count("ip_address", distinct=True)), 0),
        )


class Recipient(models.Model):
    """One journalist's copy of a send: the language version they got, their
    own share link, and the mail that carried it."""

    distribution = models.ForeignKey(
        Distribution, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("send")
    )
    contact = models.ForeignKey(
        MediaContact, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("contact")
    )
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="+", verbose_name=_("language version sent")
    )
    # Every language version of a release shares it: a contact receives a
    # release once, whichever version and however many sends.
    translation_key = models.UUIDField(editable=False)
    fell_back = models.BooleanField(
        _("other language"), default=False, help_text=_("No version in the contact's language: they got this one.")
    )
    share_link = models.OneToOneField(
        ShareLink, on_delete=models.CASCADE, related_name="recipient", verbose_name=_("share link")
    )
    # The mail that carried the link; its status in the outbox says whether
    # it was delivered or bounced.
    message = models.ForeignKey(
        "outbox.Message", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("mail")
    )
    # The figures of the link's views, kept as each is logged (note_view), so
    # that the distribution page reads them rather than count the log.
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    first_view_at = models.DateTimeField(_("first view"), null=True, editable=False)
    last_view_at = models.DateTimeField(_("last view"), null=True, editable=False)
    address_count = models.PositiveIntegerField(_("addresses seen"), default=0, editable=False)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["translation_key", "contact"], name="recipient_once_per_release"),
        ]

    def __str__(self):
        return gettext("Recipient %(number)d") % {"number": self.pk}
