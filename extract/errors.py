"""The one error a single document can fail with."""


class DocumentError(Exception):
    """A document that cannot be read or parsed.

    The build reports it by name and goes on with the other documents; nothing of the
    failed document reaches the graph.
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

    def __reduce__(self):
        # Travels back from extraction worker processes; the default pickling would call
        # __init__ with the formatted message only.
        return (DocumentError, (self.name, self.reason))
