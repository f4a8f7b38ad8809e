"""The catalogue of finding codes: one per root cause, each with a fix.

Codes are a contract: stable, lower-case, never renamed or removed. Each
entry has a title, a default severity, a hint (the next step) and an anchor
in docs/codes.md. Message templates take ``str.format`` fields that checks
fill in; a test proves every code is documented.
"""

from __future__ import annotations

from dataclasses import dataclass

from vaclient.checks.model import Status


@dataclass(frozen=True)
class Finding:
    """One finding code and how to explain it."""

    code: str
    title: str
    severity: Status
    hint: str

    @property
    def doc_anchor(self) -> str:
        """Anchor of this code in docs/codes.md."""
        return f"docs/codes.md#{self.code}"


_FINDINGS = (
    Finding(
        "ipv6-disabled",
        "IPv6 is disabled",
        Status.FAIL,
        "Turn IPv6 back on for this computer's network adapters (Windows: remove the "
        "DisabledComponents registry value and restart; macOS: set IPv6 to Automatic "
        "in System Settings > Network > Details > TCP/IP).",
    ),
    Finding(
        "webview2-missing",
        "WebView2 Runtime missing",
        Status.FAIL,
        "Install the Microsoft Edge WebView2 Runtime (Evergreen) from "
        "https://go.microsoft.com/fwlink/p/?LinkId=2124703, then start the client again.",
    ),
    Finding(
        "tpm-unavailable",
        "No ready TPM",
        Status.WARN,
        "Ask your IT team to enable the TPM in the firmware settings; the Connectivity "
        "Client lists it as a prerequisite on Windows.",
    ),
    Finding(
        "client-not-installed",
        "Connectivity Client not installed",
        Status.FAIL,
        "Install the AWS Verified Access Connectivity Client (run 'vaclient login' to "
        "be offered the official installer).",
    ),
    Finding(
        "client-outdated",
        "Connectivity Client outdated",
        Status.WARN,
        "Install the newest Connectivity Client: uninstall this version first, then "
        "run the new signed installer.",
    ),
    Finding(
        "client-not-running",
        "Connectivity Client not running",
        Status.FAIL,
        "Start the Connectivity Client and sign in ('vaclient login').",
    ),
    Finding(
        "conflicting-vpn",
        "Another VPN client is running",
        Status.WARN,
        "Disconnect and quit the other VPN client, then reconnect the Connectivity Client.",
    ),
    Finding(
        "config-missing",
        "No ClientConfig installed",
        Status.FAIL,
        "Ask your administrator for the ClientConfig-vai-....json file and install it "
        "with 'vaclient config install FILE'.",
    ),
    Finding(
        "config-invalid",
        "ClientConfig not valid",
        Status.FAIL,
        "Export the configuration again from the Verified Access instance and install "
        "the new file with 'vaclient config install FILE'.",
    ),
    Finding(
        "config-permissions",
        "ClientConfig writable by others",
        Status.FAIL,
        "Reinstall the configuration with 'vaclient config install FILE'; it recreates "
        "the file owned by administrators and writable by nobody else.",
    ),
    Finding(
        "tunnel-down",
        "Verified Access tunnel down",
        Status.FAIL,
        "Open the Connectivity Client and sign in; if it says connected, quit and start "
        "it again ('vaclient login').",
    ),
    Finding(
        "dns-nxdomain",
        "Name does not exist",
        Status.FAIL,
        "Check the endpoint name for typos against the Verified Access endpoint's "
        "domain; if it is right, ask your administrator whether the endpoint still exists.",
    ),
    Finding(
        "dns-no-aaaa",
        "No IPv6 address for the name",
        Status.FAIL,
        "Verified Access TCP endpoints resolve to IPv6 only. Check that you use the "
        "endpoint domain, and that your DNS server forwards the domain correctly.",
    ),
    Finding(
        "dns-timeout",
        "DNS did not answer",
        Status.FAIL,
        "Check your network connection and DNS servers; another VPN client may have "
        "taken over DNS.",
    ),
    Finding(
        "dns-servfail",
        "DNS server failed",
        Status.FAIL,
        "Your DNS server failed or refused the query; try again later or ask your "
        "network team to check forwarding for the endpoint's domain.",
    ),
    Finding(
        "address-outside-routes",
        "Address outside the tunnel's routes",
        Status.FAIL,
        "The name resolves to an address the ClientConfig does not route. Export a "
        "fresh ClientConfig, or check that the name is a Verified Access endpoint.",
    ),
    Finding(
        "route-missing",
        "No route into the tunnel",
        Status.FAIL,
        "Reconnect the Connectivity Client so it installs its routes; if that does not "
        "help, quit other VPN clients and restart the client.",
    ),
    Finding(
        "route-wrong-interface",
        "Route leaves through another interface",
        Status.FAIL,
        "Another adapter (often another VPN) has a more specific route for this "
        "address. Disconnect other VPN clients and reconnect.",
    ),
    Finding(
        "tcp-refused",
        "Connection refused",
        Status.FAIL,
        "The endpoint answered but nothing listens on that port: check the port "
        "number and the service on the server.",
    ),
    Finding(
        "tcp-timeout",
        "Connection timed out",
        Status.FAIL,
        "Nothing answered in time: the access policy may deny you, or a firewall or "
        "security group drops the traffic. Ask helpdesk to check the access log.",
    ),
    Finding(
        "tcp-unreachable",
        "Network unreachable",
        Status.FAIL,
        "The connection was rejected as unreachable or prohibited: check the route and "
        "firewall rules for this port.",
    ),
    Finding(
        "protocol-unexpected",
        "Unexpected service",
        Status.WARN,
        "The port accepted the connection but the service did not speak the expected "
        "protocol; check that the port is the right one.",
    ),
    Finding(
        "dns-mismatch",
        "DNS answers disagree",
        Status.WARN,
        "The system resolver and the DNS servers gave different answers: check the "
        "hosts file, per-domain DNS rules and other VPN clients' DNS settings.",
    ),
    Finding(
        "check-timeout",
        "Check did not finish",
        Status.FAIL,
        "A check was still running when the diagnosis reached its deadline; run "
        "'vaclient doctor --timeout 10' to give slow networks more time.",
    ),
    Finding(
        "check-error",
        "Check failed unexpectedly",
        Status.FAIL,
        "The check itself hit a problem; run 'vaclient -vv doctor' and send the log to "
        "your helpdesk.",
    ),
)

CATALOGUE: dict[str, Finding] = {f.code: f for f in _FINDINGS}


def finding(code: str) -> Finding:
    """The catalogue entry for ``code``; raises KeyError for an unknown code."""
    return CATALOGUE[code]


def hint_for(code: str | None) -> str | None:
    """The hint for a code, or None."""
    if code is None or code not in CATALOGUE:
        return None
    return CATALOGUE[code].hint
