"""Settings the AWS CLI v1 reads from the environment and its config files.

Precedence, as in botocore: command line, then environment (``AWS_PROFILE`` /
``AWS_DEFAULT_PROFILE``, ``AWS_DEFAULT_REGION``, ``AWS_DEFAULT_OUTPUT``,
``AWS_CA_BUNDLE``, ``AWS_RETRY_MODE``), then the profile's section
of the config file (``AWS_CONFIG_FILE``, default ``~/.aws/config``).
``cli_timestamp_format`` is read from the config file only, as v1 does.
"""

from __future__ import annotations

import os
from functools import cached_property

from ssm_sessions.cli.errors import CliError

__all__ = ["Config"]


def _read_ini(path: str) -> dict[str, dict[str, str]]:
    import configparser

    parser = configparser.RawConfigParser()
    try:
        parser.read(os.path.expandvars(os.path.expanduser(path)))
    except configparser.Error:
        return {}
    return {section: dict(parser.items(section)) for section in parser.sections()}


class Config:
    """The profile's settings, loaded on first use."""

    def __init__(self, profile: str | None) -> None:
        self.explicit_profile = (
            profile or os.environ.get("AWS_DEFAULT_PROFILE") or os.environ.get("AWS_PROFILE")
        )
        self.profile = self.explicit_profile or "default"

    @cached_property
    def _profiles(self) -> dict[str, dict[str, str]]:
        config = _read_ini(os.environ.get("AWS_CONFIG_FILE", "~/.aws/config"))
        profiles: dict[str, dict[str, str]] = {}
        for section, values in config.items():
            if section == "default":
                profiles.setdefault("default", {}).update(values)
            elif section.startswith("profile "):
                profiles.setdefault(section[len("profile ") :].strip(), {}).update(values)
        return profiles

    @cached_property
    def _credential_profiles(self) -> set[str]:
        path = os.environ.get("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials")
        return set(_read_ini(path))

    def check_profile(self) -> None:
        """Fail like ``aws`` when a named profile exists in neither file."""
        name = self.profile
        if name == "default" and self.explicit_profile is None:
            return
        if name not in self._profiles and name not in self._credential_profiles:
            raise CliError(f"The config profile ({name}) could not be found")

    def get(self, key: str) -> str | None:
        """A setting of the profile's config section."""
        return self._profiles.get(self.profile, {}).get(key)

    def setting(self, env_var: str, key: str) -> str | None:
        """An environment variable, else the profile's setting."""
        return os.environ.get(env_var) or self.get(key)

    @property
    def region(self) -> str | None:
        """``AWS_DEFAULT_REGION`` or the profile's ``region``."""
        return self.setting("AWS_DEFAULT_REGION", "region")

    @property
    def output(self) -> str:
        """``AWS_DEFAULT_OUTPUT`` or the profile's ``output``; json by default."""
        return self.setting("AWS_DEFAULT_OUTPUT", "output") or "json"

    @property
    def ca_bundle(self) -> str | None:
        """``AWS_CA_BUNDLE`` or the profile's ``ca_bundle``."""
        return self.setting("AWS_CA_BUNDLE", "ca_bundle")

    @property
    def timestamp_format(self) -> str:
        """The profile's ``cli_timestamp_format`` (v1 default: ``wire``)."""
        return self.get("cli_timestamp_format") or "wire"

    @property
    def retry_mode(self) -> str | None:
        """``AWS_RETRY_MODE`` or the profile's ``retry_mode``."""
        return self.setting("AWS_RETRY_MODE", "retry_mode")
