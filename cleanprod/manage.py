"""The ``cleanprod`` console command: Django's management commands under the project's name."""

import os
import sys


def main() -> None:
    """Run a management command, e.g. ``cleanprod migrate`` or ``cleanprod demo``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cleanprod.settings.dev")
    # After DJANGO_SETTINGS_MODULE is set above.
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
