"""Bringing comments in from other systems, and taking everything out again.

Readers (``disqus``, ``wordpress``, ``isso``) are pure streaming parsers: they turn a
file into ``SourceThread`` and ``SourceComment`` values and never touch the database.
``staging`` collects those values in a scratch SQLite file and checks the whole file
(threads, parents, cycles) before the desk's ``Importer`` writes anything. ``jsonl`` and
``backup`` copy a whole database out and back in.
"""
