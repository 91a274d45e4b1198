"""Access failures: mapped to 404 (may not know it exists) and 403 (may see, may not act)."""


class AccessError(Exception):
    """Base class."""


class NotFoundError(AccessError):
    """The object does not exist, or the user may not know that it does."""


class AccessDeniedError(AccessError):
    """The user may see the object but not perform this action."""

    def __init__(self, action: object = None) -> None:
        super().__init__(str(action) if action else "denied")
        self.action = action
