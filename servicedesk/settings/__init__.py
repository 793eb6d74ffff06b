"""Settings are read from the environment only; see README "Configuration".

`servicedesk.settings` is the everyday mode (development, demo, tests).
`servicedesk.settings.production` adds the hardening that `check --deploy` asks for.
"""

from .base import *  # noqa: F403
