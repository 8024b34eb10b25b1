"""The web layer: parses requests and renders answers; the desk decides and writes."""

from commentdesk.web.app import create_app

__all__ = ["create_app"]
