"""Single sign-on for the console: the newsroom's OpenID Connect provider.

``provider`` talks to it (discovery, keys, the code exchange, the ID token's checks);
``grants`` turns its group claim into a role and sites. The desk (``desk/sign_on.py``)
decides what a sign-in does to the accounts.
"""
