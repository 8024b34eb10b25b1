"""The desk's one check of a reader's draft: every problem at once, the first one named."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commentdesk.desk import Draft
from commentdesk.desk.comments import check_draft
from commentdesk.errors import FieldsInvalid


def test_a_good_draft_comes_back_cleaned() -> None:
    draft = Draft(author="  Ana  ", body=" Hello \n", accept_terms=True, email=" ")
    assert check_draft(draft) == Draft(author="Ana", body="Hello", accept_terms=True)


def test_every_problem_is_named_at_once_and_the_error_is_the_first() -> None:
    draft = Draft(author="", body="", accept_terms=False, email="not an address")
    with pytest.raises(FieldsInvalid) as caught:
        check_draft(draft)
    assert list(caught.value.problems) == ["author", "body", "email", "accept_terms"]
    assert caught.value.field == "author"
    assert caught.value.message == caught.value.problems["author"]


def test_terms_alone_keep_their_own_code() -> None:
    with pytest.raises(FieldsInvalid) as caught:
        check_draft(Draft(author="Ana", body="Hello", accept_terms=False))
    assert (caught.value.code, caught.value.field) == ("terms_not_accepted", "accept_terms")


@given(author=st.text(max_size=80), body=st.text(max_size=80), terms=st.booleans())
def test_the_check_either_cleans_or_names_a_problem_never_anything_else(
    author: str, body: str, terms: bool
) -> None:
    draft = Draft(author=author, body=body, accept_terms=terms)
    try:
        clean = check_draft(draft)
    except FieldsInvalid as exc:
        problem = exc
    else:
        assert (terms, bool(clean.author), bool(clean.body)) == (True, True, True)
        return
    assert problem.field in problem.problems
