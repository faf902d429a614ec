"""Servers whose TLS certificate no authority on this computer vouches for (a Synology
box, a self-signed Radicale): the certificate is shown by its SHA-256 fingerprint, and
once the user confirms it, that one certificate, and no other, is trusted for the
account (pinned). Every other server is verified against the system's authorities."""

from __future__ import annotations

import hashlib
import socket
import ssl
from urllib.parse import urlsplit

from desktop.sync.dav import SyncError

CONNECT_TIMEOUT_S = 10.0


class UntrustedCertificate(SyncError):
    """The server's certificate is not signed by an authority this computer trusts;
    `certificate` (PEM) and its `fingerprint` are what the user is asked to confirm."""

    def __init__(self, host: str, certificate: str) -> None:
        self.host, self.certificate = host, certificate
        self.fingerprint = fingerprint(certificate)
        super().__init__(
            f"{host} shows a certificate no authority on this computer vouches for (a "
            f"self-signed one?). Its SHA-256 fingerprint is {self.fingerprint}. Trust it "
            "only if your server's administrator confirms that fingerprint."
        )


def fingerprint(certificate: str) -> str:
    """The SHA-256 fingerprint of a PEM certificate, as AB:CD:… (as browsers show it)."""
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(certificate)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def same_fingerprint(given: str, certificate: str) -> bool:
    """Whether `given` (with or without colons, any case) is the certificate's."""
    clean = given.replace(":", "").replace(" ", "").upper()
    return clean == fingerprint(certificate).replace(":", "")


def pinned_context(certificate: str) -> ssl.SSLContext:
    """A TLS context that trusts exactly `certificate` (PEM) and nothing else. The name
    in it is not checked: the certificate itself is the proof, whatever name it bears."""
    context = ssl.create_default_context(cadata=certificate)
    context.check_hostname = False
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN  # a leaf as its own anchor
    return context


def is_untrusted(error: BaseException) -> bool:
    """Whether a connection failed because the certificate could not be verified."""
    while error is not None:
        if isinstance(error, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(error):
            return True
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    return False


def untrusted(url: str) -> UntrustedCertificate:
    """The certificate `url`'s server shows, fetched without verifying it (to show it)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 443
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    if der is None:
        raise SyncError(f"{host} sent no certificate.")
    return UntrustedCertificate(
        f"{host}:{port}" if parts.port else host, ssl.DER_cert_to_PEM_cert(der)
    )
