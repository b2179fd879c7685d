"""Retry settings come from the arguments, else the environment, else the profile, as
botocore reads them; a bad one is named before any request."""

from __future__ import annotations

from pathlib import Path

import pytest
import ssm_sessions as ssm


@pytest.fixture
def no_retry_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No retry setting in the environment; returns the (empty) config file in use."""
    for name in ("AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "config"
    config.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    return config


def throttled_to_the_end(emu, throttles: int, **options) -> ssm.ServiceError:
    emu.fail_next(throttles, "throttle")
    invoked_after = options.pop("invoked_after", None)
    with pytest.raises(ssm.ServiceError) as error:
        pager = emu.client(**options).describe_sessions("History", invoked_after=invoked_after)
        pager.to_list()
    return error.value


def test_the_environment_sets_the_mode(emulator, monkeypatch, no_retry_settings):
    emu = emulator(generate=(0, 3))
    monkeypatch.setenv("AWS_RETRY_MODE", "legacy")
    error = throttled_to_the_end(emu, 5)  # legacy mode's 5 attempts, not standard's 3
    assert (error.retry_attempts, error.max_attempts_reached) == (4, True)
    assert len(emu.requests) == 5


def test_the_environment_sets_the_attempts(emulator, monkeypatch, no_retry_settings):
    emu = emulator(generate=(0, 3))
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    error = throttled_to_the_end(emu, 2)
    assert (error.retry_attempts, error.max_attempts_reached) == (1, True)
    assert len(emu.requests) == 2


def test_the_profile_sets_mode_and_attempts(emulator, no_retry_settings):
    emu = emulator(generate=(0, 3))
    no_retry_settings.write_text("[profile patient]\nretry_mode = legacy\nmax_attempts = 2\n")
    # legacy mode: a ValidationException on the last attempt reached no max
    error = throttled_to_the_end(emu, 1, profile="patient", invoked_after="last tuesday")
    assert error.code == "ValidationException"
    assert (error.retry_attempts, error.max_attempts_reached) == (1, False)
    assert len(emu.requests) == 2


def test_the_environment_wins_over_the_profile(emulator, monkeypatch, no_retry_settings):
    emu = emulator(generate=(0, 3))
    no_retry_settings.write_text("[profile patient]\nmax_attempts = 4\n")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    throttled_to_the_end(emu, 1, profile="patient")
    assert len(emu.requests) == 1


def test_arguments_win_over_the_environment(emulator, monkeypatch, no_retry_settings):
    emu = emulator(generate=(0, 3))
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "5")
    throttled_to_the_end(emu, 1, max_attempts=1)
    assert len(emu.requests) == 1


def test_a_client_made_after_the_environment_changed_reads_it(
    emulator, monkeypatch, no_retry_settings
):
    emu = emulator(generate=(0, 3))
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    throttled_to_the_end(emu, 1)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    throttled_to_the_end(emu, 2)
    assert len(emu.requests) == 1 + 2


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AWS_MAX_ATTEMPTS", "0"),
        ("AWS_MAX_ATTEMPTS", "three"),
        ("AWS_MAX_ATTEMPTS", ""),  # set but empty: an error in botocore too
        ("AWS_RETRY_MODE", "fast"),
        ("AWS_RETRY_MODE", ""),
    ],
)
def test_a_bad_setting_in_the_environment_is_named(
    emulator, monkeypatch, no_retry_settings, variable, value
):
    emu = emulator(generate=(0, 3))
    monkeypatch.setenv(variable, value)
    with pytest.raises(ssm.InvalidParameterError) as error:
        emu.client().describe_sessions("History").to_list()
    assert str(error.value).startswith(f"{variable} must be ")
    assert f'got "{value}"' in str(error.value)
    assert emu.requests == []


def test_a_bad_setting_in_the_profile_is_named(emulator, no_retry_settings):
    emu = emulator(generate=(0, 3))
    no_retry_settings.write_text("[profile odd]\nretry_mode = eager\n")
    with pytest.raises(ssm.InvalidParameterError) as error:
        emu.client(profile="odd").describe_sessions("History").to_list()
    assert str(error.value).startswith('the retry_mode of profile "odd" must be ')
    assert emu.requests == []
