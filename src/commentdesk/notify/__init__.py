"""Telling people: email to readers, webhooks to the newsroom, Atom feeds for anyone.

Nothing here runs on the request path. The desk writes ``outbox`` rows in the
transaction of the change that causes them (``notify.outbox``); the worker
(``notify.worker``, inside ``serve`` or as ``commentdesk worker``) sends them with
retries and back-off. ``notify.mailer`` builds and sends mail, ``notify.webhooks``
signs and posts JSON, ``notify.feeds`` writes Atom. None of them imports the desk or the
web layer: what the worker reads of the desk that runs it is ``notify.host``.
"""
