"""Goals: personal goals with progress entries and a queue-maintained summary."""
