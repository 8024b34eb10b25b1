"""Decisions from the console: one comment, a selection, an author's everything,
undo, a ban and answering reports (the bans page is ``bans``).

Each answers a plain form with ``303`` back to where the moderator was, and
console.js (which asks for JSON) with what changed, so it can update the page in
place. When another moderator was faster, the answer says who decided what (409).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from starlette.responses import JSONResponse, Response

from commentdesk.desk.bans import check_ban
from commentdesk.desk.decisions import Outcome
from commentdesk.errors import InvalidInput
from commentdesk.lifecycle import MODERATOR_ACTIONS
from commentdesk.model import Action, Comment, Moderator, State
from commentdesk.sitetexts import compose
from commentdesk.validation import clean_reason
from commentdesk.web.console import labels
from commentdesk.web.console.base import (
    Fields,
    Form,
    Me,
    console_language,
    console_router,
    redirect,
    render,
    safe_back,
    wants_json,
)
from commentdesk.web.console.confirm import Ask, ask, confirmed
from commentdesk.web.deps import get_desk
from commentdesk.web.templating import iso

router = console_router()
ACTIONS = {action.value: action for action in MODERATOR_ACTIONS}


def _action(value: str, allowed: dict[str, Action] = ACTIONS) -> Action:
    if value not in allowed:
        raise InvalidInput("action", "Choose approve, reject, edit, feature or withdraw.")
    return allowed[value]


def _back(form: Fields, **notice: str | int) -> str:
    """Where the moderator was, with a short notice for the page to show."""
    back = safe_back(form.get("back"))
    if not notice:
        return back
    return back + ("&" if "?" in back else "?") + urlencode(notice)


def _comment_json(comment: Comment, action: str, request: Request, me: Moderator) -> Response:
    undo = get_desk(request).decisions.undoable(me)
    return JSONResponse(
        {
            "id": comment.id,
            "state": comment.state.value,
            "featured": comment.featured,
            "body": comment.body,
            "action": action,
            # The action as the moderator reads it, for console.js's "#88: approved ✓".
            "said": console_language(request).say(labels.action_name(action)),
            "undo_until": iso(undo.until) if undo and undo.comment_id == comment.id else None,
        }
    )


def _reversing(value: str) -> State | None:
    if not value:
        return None
    if value not in (State.REJECTED.value, State.WITHDRAWN.value):
        raise InvalidInput("reversing", "Only a rejection or a withdrawal can be reversed.")
    return State(value)


@router.post("/comments/{comment_id}/decide")
def decide(comment_id: int, request: Request, me: Me, form: Form) -> Response:
    action = _action(form.get("action"))
    comment = get_desk(request).decisions.decide(
        me,
        comment_id,
        action,
        choice=form.get("choice") or None,
        note=form.get("note") or None,
        body=form.get("body") if action is Action.EDIT else None,
        reversing=_reversing(form.get("reversing")),
    )
    if wants_json(request):
        return _comment_json(comment, action.value, request, me)
    return redirect(_back(form, done=action.value, id=comment_id))


def _outcomes_json(outcomes: list[Outcome], request: Request) -> Response:
    """Each outcome; a refusal said in the moderator's language (a success names its action)."""
    say = console_language(request).say
    return JSONResponse(
        {
            "outcomes": [
                {"id": o.comment_id, "ok": o.ok, "message": o.message if o.ok else say(o.message)}
                for o in outcomes
            ]
        }
    )


@router.post("/bulk")
def bulk(request: Request, me: Me, form: Form) -> Response:
    """The same decision on the selected comments, or on all pending ones of an author
    (one pseudonym of theirs with ``author``); a reject of more than one asks first."""
    desk = get_desk(request)
    action = _action(form.get("action"))
    author_key = form.get("ak")
    if author_key:
        ids = desk.decisions.by_author(
            me, author_key, State.PENDING, author=form.get("author") or None
        )
    else:
        ids = [int(v) for v in form.getlist("ids") if v.isdigit() and len(v) <= 12]
    choice, note = form.get("choice") or None, form.get("note") or None
    if action is Action.REJECT and not confirmed(request, form):
        # The reason as the confirmation shows it; refused now, not after confirming.
        sentence = desk.decisions.chosen_reason(me, ids[0], action, choice)[1] if ids else choice
        reason = clean_reason(compose(sentence, note), required=True)
        preview = desk.previews.pending_of(me, ids)
        if preview.asks:
            back = safe_back(form.get("back"))
            return ask(request, form, preview, Ask("reject", reason or "", back))
    outcomes = desk.decisions.bulk(me, ids, action, choice=choice, note=note)
    if wants_json(request):
        return _outcomes_json(outcomes, request)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        context = {"outcomes": outcomes, "back": safe_back(form.get("back"))}
        return render(
            request,
            "console/bulk.html",
            context,
            status=207 if len(failed) < len(outcomes) else 409,
        )
    return redirect(_back(form, done="bulk", n=len(outcomes)))


@router.post("/undo")
def undo(request: Request, me: Me, form: Form) -> Response:
    comment = get_desk(request).decisions.undo(me)
    if wants_json(request):
        return _comment_json(comment, "undo", request, me)
    return redirect(_back(form, done="undo", id=comment.id))


@router.post("/comments/{comment_id}/ban")
def ban(comment_id: int, request: Request, me: Me, form: Form) -> Response:
    """Bans the author; with ``reject_pending``, rejects their waiting comments too,
    after a confirmation when that is more than one comment."""
    desk = get_desk(request)
    days = int(form.get("days")) if form.get("days").isdigit() else 0
    reject_pending = form.flag("reject_pending")
    if reject_pending and not confirmed(request, form):
        reason = check_ban(days, form.get("reason"))  # refused now, not after confirming
        preview = desk.previews.ban_of(me, comment_id)
        if preview.asks:
            back = safe_back(form.get("back"))
            return ask(request, form, preview, Ask("ban", reason, back, days))
    rejected = desk.decisions.ban(
        me,
        comment_id,
        days=days,
        by_commenter=form.flag("by_commenter"),
        by_email=form.flag("by_email"),
        reason=form.get("reason"),
        reject_pending=reject_pending,
    )
    if wants_json(request):
        return _outcomes_json(rejected, request)
    return redirect(_back(form, done="ban", id=comment_id, n=sum(o.ok for o in rejected)))


@router.post("/comments/{comment_id}/dismiss")
def dismiss(comment_id: int, request: Request, me: Me, form: Form) -> Response:
    """Keeps a reported comment as it is and closes its reports."""
    get_desk(request).decisions.dismiss_reports(me, comment_id, form.get("note") or None)
    if wants_json(request):
        return JSONResponse({"id": comment_id, "action": "dismiss"})
    return redirect(_back(form, done="dismiss", id=comment_id))
