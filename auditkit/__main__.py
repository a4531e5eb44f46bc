"""``python -m auditkit`` is the same as the ``auditkit`` command."""

from auditkit.cli import main

main()
