"""Templates shipped with the app."""
