"""Requirements: the typed requirements of a project."""
