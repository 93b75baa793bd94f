"""Projects: owner-scoped engineering projects with phases and sprints."""
