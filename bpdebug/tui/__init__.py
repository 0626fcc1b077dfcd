"""The Textual app: screens, widgets, keys, markup and styles."""
