"""The border app's models: province pairs, incidents and passes (incidents.py), liaison meetings (meetings.py)."""

from borderlink.border.models.incidents import *  # noqa: F403
from borderlink.border.models.incidents import REMOVALS  # noqa: F401
from borderlink.border.models.meetings import *  # noqa: F403
