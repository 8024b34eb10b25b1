"""Language detection: Korean by script, English by its function words, else other."""

from __future__ import annotations

import pytest

from commentdesk.triage.language import detect


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("기사 잘 읽었습니다. 후속 보도 부탁드립니다.", "ko"),
        ("BTS 새 앨범 news 정말 좋네요", "ko"),
        ("ㅋㅋㅋ", "ko"),
        ("The council voted to close the library on weekends.", "en"),
        ("lol", "en"),
        ("Le conseil municipal a voté la fermeture de la bibliothèque.", "other"),
        ("Большое спасибо за статью", "other"),
        ("この記事はとても良いです", "other"),
        ("12345 !!!", "und"),
    ],
)
def test_language_is_detected_from_script_and_common_words(text: str, language: str) -> None:
    assert detect(text).language == language


def test_a_short_latin_text_without_english_words_is_english_with_low_confidence() -> None:
    detection = detect("Bravo")
    assert (detection.language, detection.confidence) == ("en", 0.3)
