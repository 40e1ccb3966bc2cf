"""``python -m policykg``: the same command as the ``policykg`` console script."""

from policykg.cli import entry

entry()
