"""The web layer: parses requests and renders answers; the desk decides and writes."""

from commentdesk.web.app import create_app, create_app_from_environment

__all__ = ["create_app", "create_app_from_environment"]
