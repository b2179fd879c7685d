"""``python -m ssm_sessions``: the ``ssm-sessions`` command line."""

import sys

from ssm_sessions.cli import main

if __name__ == "__main__":
    sys.exit(main())
