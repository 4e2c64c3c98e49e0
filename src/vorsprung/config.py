"""Configuration read from the environment, with safe defaults.

Kept apart from settings.py so the CLI can resolve the data directory and the
database before Django is set up.
"""

import os
import secrets
from pathlib import Path

TRUE_VALUES = {"1", "true", "yes", "on"}


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in TRUE_VALUES


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    path = Path(os.environ.get("VORSPRUNG_DATA_DIR", "./var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    return (
        os.environ.get("VORSPRUNG_DATABASE_URL") or f"sqlite:///{data_dir() / 'vorsprung.sqlite3'}"
    )


def secret_key() -> str:
    """The configured secret, or one generated once and kept in the data directory."""
    configured = os.environ.get("VORSPRUNG_SECRET_KEY")
    if configured:
        return configured
    path = data_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
