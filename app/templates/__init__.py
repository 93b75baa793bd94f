"""Templates: built-in and owner-made starting points for projects, and AI-drafted ones."""
