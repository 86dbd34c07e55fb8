import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from imports.models import ImportedItem, OldAddress


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Command(BaseCommand):
    help = (
        "Ask the site for every old address an import recorded (or the administrators added) and list those that "
        "do not answer 301 to their release, with what they answer; with --all, every address. Through the whole "
        "stack in this process, or over HTTP from a running site with --site. Exits 1 when any fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", help="Only the addresses of this import's source.")
        parser.add_argument("--site", help="Ask this running site over HTTP (https://press.example.gov) instead.")
        parser.add_argument("--all", action="store_true", help="List every address, not only those that fail.")

    def handle(self, *args, source, site, all, **options):
        addresses = OldAddress.objects.select_related("release").order_by("path", "query")
        if source:
            addresses = addresses.filter(release__in=ImportedItem.objects.filter(source=source).values("release"))
        ask = self.over_http(site) if site else self.in_process()
        checked = failed = 0
        for address in addresses.iterator(chunk_size=500):
            wanted = address.release.get_absolute_url()
            status, location = ask(address.requested_as())
            good = status == 301 and urlsplit(location).path == wanted
            checked += 1
            failed += not good
            if all or not good:
                why = "" if good else self.why(address, status)
                self.stdout.write(f"{status} {address} -> {location or '-'}{why}")
        self.stdout.write(
            f"{checked:,} old addresses checked: {checked - failed:,} answer 301 to their release, {failed:,} do not."
        )
        if failed:
            raise CommandError(f"{failed:,} old addresses do not answer 301 to their release.", returncode=1)

    @staticmethod
    def why(address, status):
        if not address.release.__class__.objects.readable().filter(pk=address.release_id).exists():
            return "  (its release is not public: a draft or scheduled)"
        if status == 200:
            return "  (the site serves this address itself)"
        return ""

    def in_process(self):
        site = urlsplit(settings.SITE_URL)
        client = Client(HTTP_HOST=site.netloc, secure=site.scheme == "https")

        def ask(address):
            response = client.get(address)
            return response.status_code, response.get("Location", "")

        return ask

    def over_http(self, site):
        if urlsplit(site).scheme not in ("http", "https"):
            raise CommandError("--site takes an address: https://press.example.gov")
        opener = urllib.request.build_opener(NoRedirect)

        def ask(address):
            try:
                with opener.open(site.rstrip("/") + address, timeout=30) as response:
                    return response.status, response.headers.get("Location", "")
            except urllib.error.HTTPError as error:
                return error.code, error.headers.get("Location", "")
            except OSError as error:
                raise CommandError(f"{site}: {error}") from error

        return ask
