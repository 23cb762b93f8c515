"""The build: the site's MkDocs plugin, one build's state, what it writes and how it publishes."""
