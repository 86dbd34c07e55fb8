"""Month names for dates, kept in the project's catalogues.

The "E" of the date formats prints Django's "alt. month" names. Django's own
Azerbaijani catalogue gives them capitalized ("20 İyun 2023"), where
Azerbaijani writes dates in lower case ("20 iyun 2023"); locale/az overrides
them. Marking the names here makes `makemessages` extract them, so that the
next run keeps those entries instead of dropping them as obsolete.

Nothing imports this module: `makemessages` reads the source files as text.
"""

from django.utils.translation import pgettext_lazy

MONTHS_ALT = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
