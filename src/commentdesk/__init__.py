"""commentdesk: a reader-comment and moderation desk for news publishers."""

__version__ = "0.1.0"
