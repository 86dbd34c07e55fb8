"""Pick the settings for this process from the DEBUG environment variable.

DEBUG=1 (as `make run` sets it) selects development settings; anything else
selects production settings, which refuse unsafe defaults. The test suite
names `pressroom.settings.test` directly.
"""

from .environment import env_bool

if env_bool("DEBUG", default=False):
    from .dev import *  # noqa: F403
else:
    from .production import *  # noqa: F403
