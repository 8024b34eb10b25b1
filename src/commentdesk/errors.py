"""Every error a user can cause, as one hierarchy.

    CommentdeskError            code, message, field
    ├── InvalidInput            a field's value breaks a rule (422)
    │   ├── TermsNotAccepted
    │   ├── SubscriberTokenInvalid  a host page's reader token cannot be trusted
    │   ├── FieldsInvalid       several at once: the first named, ``problems`` all
    │   └── AddressNotAllowed   a webhook to an internal address
    ├── MalformedRequest        the request itself cannot be read (400)
    ├── PayloadTooLarge         the body is over the size cap (413)
    ├── NotFound                the article or comment does not exist (404)
    ├── NotAuthenticated        no or bad credentials (401)
    │   └── SignOnFailed        the identity provider's answer cannot be trusted or used
    ├── Forbidden               known, but not allowed (403)
    │   ├── EditTokenInvalid
    │   ├── SecondReviewRequired a contested decision reviewed by the one who made it
    │   ├── NoConsoleGroup      signed in at the provider, in none of the console's groups
    │   └── PasswordSignInOff   the console takes the identity provider only
    ├── Conflict                the comment moved on (409)
    │   ├── TransitionRefused
    │   ├── AlreadyDecided
    │   ├── StateChanged        a reversal named a state the comment has left
    │   ├── AlreadyContested    a decision is contested once
    │   └── IdempotencyKeyReused
    ├── EditWindowClosed        too late for the author to change it (410)
    ├── ArticleClosed           comments are closed (403)
    ├── RateLimited             too many submissions from one source (429)
    ├── Refused                 triage refuses the text outright (422)
    ├── StoreUnavailable        the database did not answer in time (503)
    └── ProviderUnavailable     the identity provider did not answer as it should (502)

The desk raises these; ``commentdesk.web.errors`` maps each class to one HTTP status
and one JSON body. Messages say what to do, because a reader will read them. Each is a
``Message``: English here, a catalog id with its values for the web layer, which says it
in the reader's language. Values go in as ``%(name)s`` keywords, never by f-string, so
the sentence stays one catalog entry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from commentdesk.i18n import N_, Message

if TYPE_CHECKING:
    from commentdesk.model import Action, State


class CommentdeskError(Exception):
    code = "error"

    def __init__(self, message: str, *, field: str | None = None, **params: object) -> None:
        said = message if isinstance(message, Message) and not params else None
        self.message: Message = said or Message(message, **params)
        super().__init__(self.message)
        self.field = field


class InvalidInput(CommentdeskError):
    code = "invalid"

    def __init__(
        self, field: str, message: str, *, code: str | None = None, **params: object
    ) -> None:
        super().__init__(message, field=field, **params)
        if code is not None:
            self.code = code


class FieldsInvalid(InvalidInput):
    """Several fields break their rules at once. The error itself is the first problem
    (an API answers with that one); ``problems`` maps every field to its message, so a
    form can show them all and the reader fixes them in one go."""

    def __init__(self, problems: Sequence[InvalidInput]) -> None:
        first = problems[0]
        super().__init__(first.field or "", first.message, code=first.code)
        self.problems: dict[str, Message] = {p.field or "": p.message for p in problems}


class TermsNotAccepted(InvalidInput):
    code = "terms_not_accepted"

    def __init__(self) -> None:
        super().__init__("accept_terms", N_("Please accept the terms of use to post a comment."))


class SubscriberTokenInvalid(InvalidInput):
    """The token a publisher's page passed for a signed-in subscriber is refused.

    ``check`` names the test that failed (``size``, ``format``, ``algorithm``,
    ``signature``, ``expired``, ``not_yet_valid``, ``lifetime``, ``audience``, ``claims``,
    ``name``, ``not_configured``), for the host page's developer and for tests. The
    comment is never posted anonymously instead: the mistake would be hidden.
    """

    code = "subscriber_token_invalid"

    def __init__(self, check: str) -> None:
        super().__init__(
            "subscriber_token",
            N_(
                "Your subscriber sign-in could not be checked (%(check)s), so nothing was "
                "posted. Reload the article on the publication's site to sign in again; if "
                "it keeps happening, tell the publication."
            ),
            check=check,
        )
        self.check = check


class AddressNotAllowed(InvalidInput):
    """A webhook URL names, or resolves to, an address inside the server's network.

    The message never says which address or kind the name resolved to: that would let
    whoever types URLs read the internal DNS. Admin-facing, like the rest of the webhook
    form, so not in the readers' catalog.
    """

    code = "address_not_allowed"

    def __init__(self) -> None:
        super().__init__(
            "url",
            "Webhooks go only to public internet addresses, not to this server, its "
            "private network, or link-local, multicast or reserved addresses. Give the "
            "receiver's public address, or ask the operator to allow this receiver in "
            "the webhook_allow_internal setting.",
        )


class MalformedRequest(CommentdeskError):
    code = "malformed"


class PayloadTooLarge(CommentdeskError):
    code = "too_large"


class NotFound(CommentdeskError):
    code = "not_found"


class NotAuthenticated(CommentdeskError):
    code = "not_authenticated"


class Forbidden(CommentdeskError):
    code = "forbidden"


class EditTokenInvalid(Forbidden):
    code = "bad_edit_token"

    def __init__(self) -> None:
        super().__init__(
            N_(
                "This edit token does not match the comment. Only the browser that posted "
                "a comment can change it."
            ),
            field="X-Edit-Token",
        )


class SecondReviewRequired(Forbidden):
    code = "second_review_required"

    def __init__(self) -> None:
        super().__init__(
            N_(
                "A contested decision is reviewed by a moderator other than the one who "
                "made it; ask a colleague to review this one."
            )
        )


class Conflict(CommentdeskError):
    code = "conflict"


class AlreadyContested(Conflict):
    code = "already_contested"

    def __init__(self) -> None:
        super().__init__(
            N_("This decision has been contested already; each decision can be contested once.")
        )


class TransitionRefused(Conflict):
    code = "not_allowed_in_state"

    def __init__(self, state: State, action: Action) -> None:
        super().__init__(
            N_("A comment that is %(state)s cannot be given '%(action)s'."),
            state=state.value,
            action=action.value,
        )
        self.state = state
        self.action = action


class AlreadyDecided(Conflict):
    code = "already_decided"

    def __init__(self, by: str, state: State) -> None:
        super().__init__(
            N_("This comment was already %(state)s by %(by)s."), state=state.value, by=by
        )
        self.by = by
        self.state = state


class StateChanged(Conflict):
    """A reversal named a state the comment is no longer in: someone acted first."""

    code = "state_changed"

    def __init__(self, state: State, expected: State) -> None:
        super().__init__(
            N_("This comment is now %(state)s, not %(expected)s: nothing was changed."),
            state=state.value,
            expected=expected.value,
        )


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            N_(
                "This Idempotency-Key was already used for a different comment; "
                "send a new key for a new comment."
            ),
            field="Idempotency-Key",
        )


class EditWindowClosed(CommentdeskError):
    code = "edit_window_closed"

    def __init__(self) -> None:
        super().__init__(
            N_("The time to change this comment has passed; it is with the moderators now.")
        )


class ArticleClosed(CommentdeskError):
    code = "comments_closed"

    def __init__(self) -> None:
        super().__init__(N_("Comments are closed on this article."))


class RateLimited(CommentdeskError):
    code = "rate_limited"

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(
            N_(
                "You are sending comments faster than this site allows. Please wait about "
                "%(seconds)s seconds, then send it again; your text is kept."
            ),
            seconds=self.retry_after,
        )


class Refused(CommentdeskError):
    """Triage refused a submission outright (the site chose to refuse, not hold)."""

    code = "refused"

    def __init__(self) -> None:
        super().__init__(
            N_(
                "This comment cannot be accepted: the site's filters rate it as almost "
                "certainly spam or abuse (many copies of one text, or words or links this "
                "site does not allow). Please rewrite it; your text is kept."
            ),
            field="body",
        )


class StoreUnavailable(CommentdeskError):
    code = "unavailable"


class SignOnFailed(NotAuthenticated):
    """A single sign-on that cannot be finished: what the provider sent back is refused.

    ``check`` names the test that failed (``state``, ``nonce``, ``audience``, ``expiry``,
    ``signature``, ``issuer``, ``code``...), for the log and for tests; the message says
    what the person at the sign-in page can do about it.
    """

    code = "sign_on_failed"

    def __init__(self, message: str, *, check: str, **params: object) -> None:
        super().__init__(Message(message, check=check, **params))
        self.check = check


class NoConsoleGroup(Forbidden):
    code = "no_console_group"

    def __init__(self, provider: str) -> None:
        super().__init__(
            N_(
                "You are signed in at %(provider)s, but your account there is in none of the "
                "groups that open this console. Ask whoever manages your newsroom's accounts "
                "to add you to the moderators' group, then sign in again."
            ),
            provider=provider,
        )


class PasswordSignInOff(Forbidden):
    code = "password_sign_in_off"

    def __init__(self, provider: str) -> None:
        super().__init__(
            N_(
                "This console does not take passwords: sign in with %(provider)s instead, "
                "from the button on the sign-in page."
            ),
            provider=provider,
        )


class ProviderUnavailable(CommentdeskError):
    code = "provider_unavailable"

    def __init__(self, provider: str) -> None:
        super().__init__(
            N_(
                "%(provider)s did not answer the console as it should, so you could not be "
                "signed in. Try again in a minute; if it keeps happening, tell the operator "
                "(the server's log says what went wrong)."
            ),
            provider=provider,
        )
