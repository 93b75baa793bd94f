"""The sessions domain's registration."""

from app.core.registry import Domain
from app.core.tables import Index, TableSpec

# activeAt is the time of the last message (or the creation): lists are most recently active first.
SESSIONS = TableSpec(
    name="sessions",
    hash_key="sessionId",
    indexes=(
        Index("byOwner", "ownerId", "activeAt"),
        Index("byProject", "projectId", "activeAt"),
    ),
)
# messageId is a ULID that only grows within a session, so one Query reads it in order.
MESSAGES = TableSpec(name="session-messages", hash_key="sessionId", range_key="messageId")

DOMAIN = Domain(
    name="sessions",
    private_routers=("app.sessions.router:router",),
    job_modules=("app.sessions.jobs",),
    ai_kinds=("app.sessions.replies:CHAT_REPLY",),
    tables=(SESSIONS, MESSAGES),
)
