"""Text answers compressed (gzip), only where no secret can leak.

BREACH recovers a secret from a compressed HTTPS answer that also echoes
something an attacker chose (a search's words): the length of the answer
tells, guess by guess, how much of the guess matched the secret. So only
answers that are the same for every reader are compressed: public (marked
so by serving.pagecache.public_page, or WhiteNoise's static files), setting
no cookie and not varying with one (pagecache.shareable, the rule by which
the page cache may keep a page for everyone). Such an answer holds no
CSRF token, session or personal data to recover. The admin, sign-in pages,
forms with CSRF tokens and anything else private go out uncompressed.

Placed above ConditionalGetMiddleware (README, "Caching"), so that the ETag
is the uncompressed content's (made weak here, as Django's GZipMiddleware
does) and the page cache keeps pages uncompressed, compressing each answer
for the reader who asked, by their Accept-Encoding.
"""

from django.middleware.gzip import GZipMiddleware

from serving.pagecache import shareable

# Types that compress well; images, PDFs and fonts are compressed already.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/vnd.oai.openapi",
    "image/svg+xml",
)


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(COMPRESSIBLE_TYPES) or not shareable(response):
            return response
        return super().process_response(request, response)
