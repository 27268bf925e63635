"""hotpapers: daily "Hot Papers" pages of arXiv papers for static sites."""

__version__ = "0.1.0"
SCHEMA = "hotpapers/1"
