"""Session and message errors."""

from __future__ import annotations

from app.core.errors import Conflict, NotFound, ValidationFailed


class SessionNotFound(NotFound):
    """No session of the caller's has this id."""

    message = "Session not found."


class MessageNotFound(NotFound):
    """The session has no message with this id."""

    message = "Message not found."


class ReplyPending(Conflict):
    """A reply in the session is still being written."""

    message = "A reply in this session is still pending; wait for it before posting again."


class SessionFull(Conflict):
    """The session holds as many messages as it may."""

    message = "This session has reached its message limit; start a new session."


class NotRegenerable(Conflict):
    """Only the latest message, a finished assistant reply, can be regenerated."""

    message = "Only the session's latest message, a finished assistant reply, can be regenerated."


class ReplyNotFinished(Conflict):
    """Feedback waits until the reply is written."""

    message = "The reply is still pending."


class NotAnAssistantMessage(ValidationFailed):
    """Feedback is for the assistant's replies."""

    message = "Feedback can only be given on an assistant message."


class AssetNotUsable(ValidationFailed):
    """An attached asset is not one of the caller's uploaded text files within the limits."""

    message = "Attach only your own uploaded text files within the size limit."
