"""The web portal: templates, static assets, translations."""
