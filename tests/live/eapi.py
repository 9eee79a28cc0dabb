"""An Arista eAPI simulator: JSON-RPC over HTTPS on 127.0.0.1, for NAPALM's ``eos`` driver.

Only loopback: the server binds 127.0.0.1.  It answers ``runCmds`` the way EOS
does for what NAPALM's eos driver (through pyeapi) sends: HTTP basic
authentication (401 when wrong), an ``enable`` command carrying the enable
secret (refused when wrong), then each command's JSON output (``format: json``)
or ``{"output": text}`` (``format: text``); an unknown command is a JSON-RPC
error, as on a switch.

:func:`eos_device` takes the outputs from NAPALM's own EOS test data in the
corpus (``show version``, ``show hostname``, ``show interfaces``, ``show ip
interface``, ``show ipv6 interface``, ``show lldp neighbors``) and the running
config from netutils' EOS fixture (a leaf with routed ports, a static default
route and eBGP), renamed.  The version is raised to 4.28.3M (the corpus's
4.15.5M is older than NAPALM 5 accepts), the serial number is made up, and the
running config gets the device's login in plain text so tests can prove it is
redacted.
The TLS certificate is made on the spot (self-signed, for 127.0.0.1); pyeapi
does not verify certificates unless asked to.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import re
import ssl
import tempfile
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["EosDevice", "EapiServer", "eos_device"]

LOOPBACK = "127.0.0.1"
_DATA = "napalm/test/eos/mocked_data"
_RUNNING = "netutils/tests/unit/mock/config/parser/base/arista_eos/eos_full_sent.txt"


@dataclass
class EosDevice:
    name: str
    outputs: dict          # command -> JSON-able result (format json) or str (format text)
    username: str
    password: str
    secret: str = ""


def _json(corpus: Path, case: str, name: str):
    return json.loads((corpus / _DATA / case / name).read_text(encoding="utf-8"))


def eos_device(corpus: Path, name: str, username: str, password: str, secret: str) -> EosDevice:
    version = _json(corpus, "test_get_facts/normal", "show_version.json")
    version["version"] = version["internalVersion"] = "4.28.3M"
    version["serialNumber"] = f"SN-{name.upper()}"
    hostname = {"hostname": name, "fqdn": f"{name}.example.net"}
    running = (corpus / _RUNNING).read_text(encoding="utf-8")
    running = re.sub(r"(?m)^hostname \S+", f"hostname {name}", running)
    running += f"\nusername {username} privilege 15 secret 0 {password}\nenable password 0 {secret}\n"
    return EosDevice(name, {
        "show version": version,
        "show hostname": hostname,
        "show interfaces": _json(corpus, "test_get_interfaces/normal", "show_interfaces.json"),
        "show ip interface": _json(corpus, "test_get_interfaces_ip/normal", "show_ip_interface.json"),
        "show ipv6 interface": _json(corpus, "test_get_interfaces_ip/normal", "show_ipv6_interface.json"),
        "show lldp neighbors": _json(corpus, "test_get_lldp_neighbors/normal", "show_lldp_neighbors.json"),
        "show running-config": running,
        "show startup-config": running,
    }, username, password, secret)


def _certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (key, cert) written into *directory*."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOOPBACK)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]), False)
            .sign(key, hashes.SHA256()))
    key_path, cert_path = directory / "key.pem", directory / "cert.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class EapiServer:
    """One simulated switch per instance, on its own port of 127.0.0.1; a context manager."""

    def __init__(self, device: EosDevice):
        self.device = device
        self.requests: list = []          # the JSON-RPC bodies received, for tests to inspect
        dev, seen = device, self.requests

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                """No access log on stderr: tests read EapiServer.requests instead."""

            def _reply(self, status, body: dict | None = None):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                auth = self.headers.get("Authorization", "")
                good = "Basic " + base64.b64encode(f"{dev.username}:{dev.password}".encode()).decode()
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if auth != good:
                    return self._reply(401)
                req = json.loads(body)
                seen.append(req)
                params = req.get("params", {})
                text = params.get("format") == "text"
                result = []
                for cmd in params.get("cmds", []):
                    if isinstance(cmd, dict):        # {"cmd": "enable", "input": secret}
                        if cmd.get("cmd") == "enable":
                            if cmd.get("input", "") != dev.secret:
                                return self._reply(200, {"jsonrpc": "2.0", "id": req.get("id"), "error": {
                                    "code": 1002, "message": "CLI command 1 of 1 'enable' failed: bad password",
                                    "data": [{"errors": ["Bad secret"]}]}})
                            result.append({})
                            continue
                        cmd = cmd.get("cmd", "")
                    if cmd == "enable":
                        result.append({})
                        continue
                    out = dev.outputs.get(cmd)
                    if out is None:
                        return self._reply(200, {"jsonrpc": "2.0", "id": req.get("id"), "error": {
                            "code": 1002, "message": f"CLI command failed: invalid command '{cmd}'",
                            "data": [{"errors": ["Invalid input"]}]}})
                    result.append({"output": out} if text and isinstance(out, str) else
                                  out if not isinstance(out, str) else {"output": out})
                return self._reply(200, {"jsonrpc": "2.0", "id": req.get("id"), "result": result})

        self._tmp = tempfile.TemporaryDirectory()
        key, cert = _certificate(Path(self._tmp.name))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self._httpd = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self._httpd.socket = ctx.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"eapi-{device.name}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._tmp.cleanup()
