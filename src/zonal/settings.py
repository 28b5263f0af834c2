"""Settings, read once at start-up from the environment (prefix ZONAL_) and checked there.

Every setting is documented in docs/settings.md; a test keeps the two in step.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from zonal.errors import ConfigurationError

LANGUAGES: tuple[str, ...] = ("nl", "fr", "de", "en")


def _default_data_dir() -> Path:
    return Path(user_data_dir("zonal", appauthor=False))


class Settings(BaseSettings):
    """Zonal's settings; environment variables ZONAL_<NAME> override the defaults."""

    model_config = SettingsConfigDict(env_prefix="ZONAL_", extra="ignore")

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Folder for the embedded SQLite store, rejects files and exports.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; default: SQLite file zonal.db in data_dir.",
    )
    default_language: str = Field(
        default="en", description="Language of pages when the browser asks for none we have."
    )
    host: str = Field(default="127.0.0.1", description="Address `zonal serve` listens on.")
    port: int = Field(default=8000, description="Port `zonal serve` listens on.")
    data_key: SecretStr | None = Field(
        default=None,
        description="Master key (32 bytes, base64) encrypting complaints' personal data at rest.",
    )
    data_key_file: Path | None = Field(
        default=None, description="File holding the data key, instead of ZONAL_DATA_KEY."
    )
    audit_head_file: Path | None = Field(
        default=None,
        description="Where the audit chain's signed heads are appended; default: under data_dir.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis for sessions, receipts and rate limits shared by several workers.",
    )
    trusted_proxies: str = Field(
        default="",
        description=(
            "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For "
            "is believed (right-most untrusted hop); empty: the peer's address is the client's."
        ),
    )
    demo_mode: bool = Field(
        default=False,
        description="Demo installation: without a data key, a publicly known demo key is used.",
    )

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"default_language must be one of {LANGUAGES}, got {value!r}")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value and value.split("://", 1)[0] not in {"redis", "rediss", "unix"}:
            scheme = value.split("://", 1)[0] if "://" in value else value[:20]
            raise ValueError(
                f"redis_url must start with redis://, rediss:// or unix://, got {scheme!r}"
            )
        return value or None

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        _networks(value)  # refuse a typo at start-up rather than trust nobody silently
        return value

    @property
    def trusted_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """The trusted proxies as networks (a bare address is a /32 or /128)."""
        return _networks(self.trusted_proxies)

    @property
    def resolved_database_url(self) -> str:
        """The store's URL: the explicit setting, or the SQLite file under data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'zonal.db'}"

    @property
    def resolved_audit_head_file(self) -> Path:
        """The audit head file: the explicit setting, or audit-heads.jsonl under data_dir."""
        return self.audit_head_file or self.data_dir / "audit-heads.jsonl"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, validated once."""
    try:
        return Settings()
    except ValueError as exc:
        raise ConfigurationError(f"invalid Zonal setting: {exc}") from exc


def _networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(p.strip()) for p in value.split(",") if p.strip())
    except ValueError as exc:
        raise ValueError(
            f"trusted_proxies: {exc}; give addresses or networks, comma-separated"
        ) from exc
