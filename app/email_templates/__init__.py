"""Email templates: <name>.txt (first line "Subject: ...") and <name>.html."""
