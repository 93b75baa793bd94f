"""Waitlist: public sign-ups, admin triage, welcome and invitation emails."""
