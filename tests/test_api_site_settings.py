"""The admins' API for a site's settings: reasons and terms per language, read and
written, documented in /openapi.json; decisions name a reason by its code."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from tests.support import auth, submit_comment
from tests.test_api_submit import assert_error

SETTINGS = "/api/v1/admin/sites/news/settings"


def _put(client: TestClient, token: str, **payload: Any) -> Any:
    return client.put(SETTINGS, json=payload, headers=auth(token))


def test_an_admin_reads_the_reasons_and_terms_of_every_language(
    client: TestClient, admin_token: str, site_slug: str
) -> None:
    settings = client.get(SETTINGS, headers=auth(admin_token)).json()
    assert (settings["language"], settings["languages"]) == ("en", ["en", "ko"])
    assert settings["reject_reasons"][0] == {
        "code": "off-topic",
        "texts": {"en": "Off-topic", "ko": "주제와 무관"},
        "legal": False,
    }
    assert list(settings["terms"]) == ["en"]


def test_what_an_admin_writes_per_language_is_what_is_read_back(
    client: TestClient, desk: Desk, admin_token: str, site_slug: str
) -> None:
    before = client.get(SETTINGS, headers=auth(admin_token)).json()
    reasons = [
        {"code": "spam", "texts": {"en": "Advertising", "ko": "광고"}},
        {"texts": {"en": "Insults"}, "legal": True},  # a new one: its code is made from it
    ]
    terms = {"en": "Be kind.", "ko": "서로 존중해 주세요."}
    answer = _put(client, admin_token, reject_reasons=reasons, terms=terms)
    assert answer.status_code == 200, answer.text
    after = client.get(SETTINGS, headers=auth(admin_token)).json()
    assert after == answer.json()
    assert after["reject_reasons"] == [
        {"code": "spam", "texts": {"en": "Advertising", "ko": "광고"}, "legal": False},
        {"code": "insults", "texts": {"en": "Insults"}, "legal": True},  # a legal ground
    ]
    assert after["terms"] == terms
    assert after["terms_version"] == before["terms_version"] + 1
    assert after["edit_reasons"] == before["edit_reasons"]  # left out: kept
    assert after["origins"] == before["origins"]


def test_a_text_missing_in_the_sites_language_is_refused_naming_the_field(
    client: TestClient, admin_token: str, site_slug: str
) -> None:
    answer = _put(client, admin_token, reject_reasons=[{"texts": {"ko": "광고"}}])
    assert_error(answer, 422, "invalid", field="reject_reasons")
    answer = _put(client, admin_token, terms={"ko": "약관", "en": "Terms", "xx": "?"})
    assert_error(answer, 422, "invalid", field="terms_xx")


def test_a_moderator_cannot_change_a_sites_settings(
    client: TestClient, moderator_token: str, site_slug: str
) -> None:
    assert client.get(SETTINGS, headers=auth(moderator_token)).status_code == 403


def test_a_decision_names_the_sites_reason_by_its_code(
    client: TestClient, desk: Desk, admin_token: str, article_key: str
) -> None:
    comment_id = submit_comment(desk, "cheap watches")
    path = f"/api/v1/moderation/comments/{comment_id}/reject"
    unknown = client.post(path, json={"reason_code": "nope"}, headers=auth(admin_token))
    assert_error(unknown, 422, "invalid", field="choice")
    answer = client.post(path, json={"reason_code": "spam"}, headers=auth(admin_token)).json()
    assert (answer["decision_reason"], answer["decision_reason_code"]) == (
        "Spam or advertising",
        "spam",
    )


def test_the_openapi_document_describes_the_site_settings(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"get", "put"} <= set(paths["/api/v1/admin/sites/{site}/settings"])
