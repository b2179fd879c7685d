"""HTTPS endpoints: a CA bundle from `ca_bundle=`, `AWS_CA_BUNDLE` or a profile, and
`verify_ssl=False`, which checks no certificate and says so."""

from __future__ import annotations

import pytest
import ssm_sessions as ssm
from tls_proxy import https_front


@pytest.fixture
def https(emulator, tmp_path):
    emu = emulator(generate=(0, 12), seed=5)
    with https_front(emu.endpoint_url, tmp_path) as endpoint:
        yield emu, endpoint


def client_for(emu, url, **options):
    return ssm.Client(endpoint_url=url, credentials=emu.credentials, region="us-east-1", **options)


def test_a_ca_bundle_makes_a_private_certificate_trusted(https):
    emu, endpoint = https
    client = client_for(emu, endpoint.url, ca_bundle=endpoint.ca_bundle)
    assert len(client.describe_sessions("History").to_list()) == 12


def test_aws_ca_bundle_is_read_from_the_environment(https, monkeypatch):
    emu, endpoint = https
    monkeypatch.setenv("AWS_CA_BUNDLE", endpoint.ca_bundle)
    assert len(client_for(emu, endpoint.url).describe_sessions("History").to_list()) == 12


def test_a_profile_s_ca_bundle_is_read(https, monkeypatch, tmp_path):
    emu, endpoint = https
    config = tmp_path / "config"
    config.write_text(f"[profile private]\nca_bundle = {endpoint.ca_bundle}\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_CA_BUNDLE", raising=False)
    client = client_for(emu, endpoint.url, profile="private")
    assert len(client.describe_sessions("History").to_list()) == 12


def test_an_untrusted_certificate_is_an_ssl_error(https, monkeypatch):
    emu, endpoint = https
    monkeypatch.delenv("AWS_CA_BUNDLE", raising=False)
    with pytest.raises(ssm.SSLError) as error:
        client_for(emu, endpoint.url, max_attempts=1).describe_sessions("History").to_list()
    assert isinstance(error.value, ssm.EndpointConnectionError)
    assert error.value.endpoint_url == endpoint.url + "/"
    assert str(error.value) == f"SSL validation failed for {endpoint.url}/ " + (
        "invalid peer certificate: UnknownIssuer"
    )


def test_verify_ssl_false_accepts_any_certificate_and_warns(https, monkeypatch):
    emu, endpoint = https
    monkeypatch.delenv("AWS_CA_BUNDLE", raising=False)
    with pytest.warns(UserWarning, match="not checked"):
        client = client_for(emu, endpoint.url, verify_ssl=False)
    assert len(client.describe_sessions("History").to_list()) == 12


def test_a_ca_bundle_that_is_no_certificate_is_an_invalid_parameter(https, tmp_path):
    emu, endpoint = https
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("not a certificate")
    with pytest.raises(ssm.InvalidParameterError, match="ca_bundle"):
        client_for(emu, endpoint.url, ca_bundle=str(bogus)).describe_sessions("History").to_list()
    assert emu.requests == []
