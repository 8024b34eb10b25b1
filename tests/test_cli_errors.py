"""A mistake on the command line ends in a line or two and status 2, not a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.livesrv import free_port


def commentdesk(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real command, as an operator runs it (``main`` and its error handling)."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("COMMENTDESK_")
    }
    return subprocess.run(
        [sys.executable, "-m", "commentdesk", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**environment, **env},
    )


def assert_explained(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3, result.stderr
    for word in words:
        assert word in result.stderr


def test_a_database_in_a_missing_folder_is_explained() -> None:
    result = commentdesk("serve", "--database", "sqlite:////nonexistent/dir/x.db")
    assert_explained(result, "/nonexistent/dir/x.db", "folder exists")


def test_a_database_under_a_file_instead_of_a_folder_is_explained(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    result = commentdesk("init", "--database", f"sqlite:///{tmp_path / 'a-file' / 'x.db'}")
    assert_explained(result, "may write there")


def test_a_postgresql_server_that_does_not_answer_is_explained() -> None:
    url = f"postgresql://reader:secret-pw@127.0.0.1:{free_port()}/news"
    result = commentdesk("init", "--database", url)
    assert_explained(result, "cannot reach the database", "server is running")
    assert "secret-pw" not in result.stderr


def test_a_database_url_that_is_no_url_is_explained() -> None:
    result = commentdesk("init", "--database", "sqlite:/not//right")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_setting_is_explained() -> None:
    result = commentdesk("init", COMMENTDESK_RATE_COMMENTER="banana")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "rate_commenter" in result.stderr


def test_a_port_in_use_is_explained(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = commentdesk(
            "serve", "--port", str(port), "--database", f"sqlite:///{tmp_path / 'x.db'}"
        )
    assert_explained(result, "--port")


def test_debug_shows_the_traceback() -> None:
    result = commentdesk("--debug", "init", "--database", "sqlite:////nonexistent/dir/x.db")
    assert result.returncode != 0
    assert "Traceback" in result.stderr
