"""A private test CA for TLS on loopback: a CA, server certificates for 127.0.0.1/localhost with a chosen validity
window (expired, not yet valid: what a kiosk whose clock is years off sees), client certificates for mutual TLS, and
a helper that puts a `ThreadingHTTPServer` behind TLS.

Keys are EC P-256 (generated in milliseconds, unlike RSA); every file is PEM, written into a directory the caller
owns (a pytest tmp dir). Not a test module: the TLS and connectivity tests import it.
"""

from __future__ import annotations

import ipaddress
import ssl
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

LOOPBACK_NAMES = ("localhost",)
LOOPBACK_ADDRESSES = ("127.0.0.1", "::1")


class CertFiles(NamedTuple):
    """A certificate and its private key, as PEM file paths (the shape `requests`' `cert=` takes)."""

    cert: str
    key: str


class Authority:
    """A test certificate authority whose certificate (`ca_file`) a client trusts as its private CA bundle."""

    def __init__(self, directory: Path, name: str = "Citizen Kiosk Test CA") -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self._key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        subject = _name(name)
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))  # outlives any skewed-clock test's server certificate
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_ca_usage(), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self._key.public_key()), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        self.ca_file = str(directory / "ca.pem")
        Path(self.ca_file).write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))

    def server_cert(
        self,
        name: str = "server",
        *,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
    ) -> CertFiles:
        """A server certificate for localhost, 127.0.0.1 and ::1 (SAN: DNS and IP), valid from `not_before` to
        `not_after` (default: from yesterday for a year)."""
        san: list[x509.GeneralName] = [x509.DNSName(host) for host in LOOPBACK_NAMES]
        san += [x509.IPAddress(ipaddress.ip_address(address)) for address in LOOPBACK_ADDRESSES]
        usage = ExtendedKeyUsageOID.SERVER_AUTH
        return self._issue(name, "localhost", san, usage=usage, not_before=not_before, not_after=not_after)

    def client_cert(self, name: str = "client", *, common_name: str = "kiosk-demo-site-kiosk-01") -> CertFiles:
        """A client certificate for mutual TLS (extended key usage: client authentication)."""
        return self._issue(name, common_name, [], usage=ExtendedKeyUsageOID.CLIENT_AUTH)

    def _issue(
        self,
        name: str,
        common_name: str,
        san: list[x509.GeneralName],
        *,
        usage: x509.ObjectIdentifier,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
    ) -> CertFiles:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - timedelta(days=1))
            .not_valid_after(not_after or now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()), critical=False)
        )
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        certificate = builder.sign(self._key, hashes.SHA256())
        cert_path, key_path = self.directory / f"{name}.pem", self.directory / f"{name}.key"
        cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return CertFiles(str(cert_path), str(key_path))


def serve_tls(server: ThreadingHTTPServer, certificate: CertFiles, *, client_ca: str | None = None) -> None:
    """Put `server` (bound, not yet serving) behind TLS with `certificate`; with `client_ca`, require a client
    certificate signed by it (mutual TLS).

    The handshake is left to the handler's thread (`do_handshake_on_connect=False`), so a client that fails it does
    not stall the accepting loop; its failure reaches the server's `handle_error`.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate.cert, certificate.key)
    if client_ca is not None:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cafile=client_ca)
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
