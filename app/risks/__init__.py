"""Risks: a per-project risk register, scored by the server, with AI risk assessment."""
