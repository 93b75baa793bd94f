"""Chat sessions: conversations with the assistant, optionally grounded in a project."""
