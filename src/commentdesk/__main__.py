"""``python -m commentdesk`` is the ``commentdesk`` command."""

from commentdesk.cli import main

main()
