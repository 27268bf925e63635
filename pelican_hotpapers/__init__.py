"""Placeholder: the plugin arrives with its own issue; the core lives in `hotpapers`."""
