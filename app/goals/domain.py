"""The goals domain's registration."""

from app.core.registry import Domain
from app.core.tables import AGGREGATES, GOAL_PROGRESS, GOALS

DOMAIN = Domain(
    name="goals",
    private_routers=("app.goals.router:router", "app.goals.generation:router"),
    job_modules=("app.goals.jobs", "app.goals.generation"),
    tables=(GOALS, GOAL_PROGRESS, AGGREGATES),
)
