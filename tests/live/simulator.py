"""An SSH device simulator: Cisco IOS-like shells on 127.0.0.1, for tests and benchmarks.

Only loopback: every listener binds 127.0.0.1.  One acceptor thread watches
all listening sockets (a selector, so 200 devices cost one thread); each
accepted connection gets a paramiko server Transport and one shell thread.

A simulated device is a name, a login (username, password, enable secret)
and a dict of command -> output.  The shell behaves like IOS as far as
netmiko's ``cisco_ios`` driver (and so NAPALM's ``ios`` driver) needs: it
echoes what is typed, answers bare newlines with the prompt (``R1>`` /
``R1#``), accepts ``terminal width 511`` / ``terminal length 0``, asks
``Password:`` after ``enable`` (without echoing the secret), refuses
``show running-config`` outside enable mode, says ``% Invalid input`` to
unknown commands and closes on ``exit``.

:func:`ios_device` builds the outputs of one device from the public corpus:
NAPALM's IOS test data (``show version``, ``show hosts``, ``show ip interface
brief``, ``show interfaces``, ``show ipv6 interface``, ``show lldp
neighbors [detail]``) and the running config of NAPALM's ``test_get_config``
case (CSR1: ``GigabitEthernet1`` in ``ip vrf MGMT``), renamed and given the
device's login in plain text (``enable password``, ``username ... password 0``)
so tests can prove it is redacted.  ``show ip interface`` is rendered from
that config in the corpus output's format, so the getter and the config agree.
"""
from __future__ import annotations

import logging
import re
import selectors
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import paramiko

__all__ = ["Device", "Simulator", "ios_device", "closed_port"]

LOOPBACK = "127.0.0.1"
# a client hanging up mid-session is normal here; keep paramiko's server-side warnings off stderr
logging.getLogger("paramiko").addHandler(logging.NullHandler())
_ENABLE_ONLY = ("show running-config", "show startup-config")
_INVALID = "% Invalid input detected at '^' marker.\n"


@dataclass
class Device:
    name: str
    outputs: dict
    username: str
    password: str
    secret: str = ""
    delay: float = 0.0            # seconds before each show command is answered (a slow device)
    commands: list = field(default_factory=list)  # every command line received, for assertions

    def prompt(self, enabled: bool) -> str:
        return self.name + ("#" if enabled else ">")


class _Server(paramiko.ServerInterface):
    def __init__(self, device: Device):
        self.device = device
        self.shell = threading.Event()

    def get_allowed_auths(self, username):
        return "password"

    def check_auth_password(self, username, password):
        d = self.device
        ok = username == d.username and password == d.password
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_pty_request(self, channel, term, width, height, pixelwidth, pixelheight, modes):
        return True

    def check_channel_shell_request(self, channel):
        self.shell.set()
        return True


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


class _Shell:
    """One interactive session: echo, line editing as IOS does it, command answers."""

    def __init__(self, chan, device: Device):
        self.chan = chan
        self.d = device
        self.enabled = False
        self.want_secret = False

    def run(self):
        self.chan.settimeout(120)
        self.chan.sendall(_crlf("\n" + self.d.prompt(False)))
        line, last = [], ""
        while True:
            try:
                data = self.chan.recv(65536)
            except (socket.timeout, OSError, EOFError):
                return
            if not data:
                return
            out = []
            for ch in data.decode("utf-8", "replace"):
                if ch in "\r\n":
                    if ch == "\n" and last == "\r":
                        last = ch
                        continue
                    last = ch
                    reply = self.line("".join(line))
                    line = []
                    if reply is None:
                        self.chan.sendall("".join(out).encode())
                        return
                    out.append(reply)
                else:
                    last = ch
                    line.append(ch)
                    if not self.want_secret:
                        out.append(ch)  # echo, as a terminal does
            if out:
                self.chan.sendall("".join(out).encode())

    def line(self, text: str):
        d = self.d
        if self.want_secret:
            self.want_secret = False
            if d.secret and text == d.secret:
                self.enabled = True
                return _crlf("\n" + d.prompt(True))
            return _crlf("\n% Access denied\n\n" + d.prompt(False))
        cmd = " ".join(text.split())
        d.commands.append(cmd)
        if cmd in ("exit", "quit", "logout"):
            return None
        if cmd == "enable":
            if self.enabled:
                return _crlf("\n" + d.prompt(True))
            self.want_secret = True
            return _crlf("\nPassword: ")
        if cmd == "disable":
            self.enabled = False
            return _crlf("\n" + d.prompt(False))
        if cmd == "" or cmd.startswith("terminal "):
            return _crlf("\n" + d.prompt(self.enabled))
        if cmd.startswith("show ") and d.delay:
            time.sleep(d.delay)
        body = d.outputs.get(cmd)
        if body is None or (cmd in _ENABLE_ONLY and not self.enabled):
            body = _INVALID
        return _crlf("\n" + body.rstrip("\n") + "\n" + d.prompt(self.enabled))


class Simulator:
    """Many simulated devices on loopback ports; use as a context manager."""

    def __init__(self, host_key=None):
        # ECDSA: generated in milliseconds (RSA 2048 takes about a second)
        self.host_key = host_key or paramiko.ECDSAKey.generate()
        self._sel = selectors.DefaultSelector()
        self._stop = threading.Event()
        self._thread = None
        self._listeners = []
        self._held = []           # sockets of silent devices, never answered
        self._lock = threading.Lock()
        self._transports = []

    def add(self, device: Device) -> int:
        """Listen for *device*; returns its port."""
        return self._listen(device)

    def add_silent(self) -> int:
        """A port that accepts TCP and then says nothing (no SSH banner): a hung device."""
        return self._listen(None)

    def _listen(self, device) -> int:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((LOOPBACK, 0))
        s.listen(64)
        s.setblocking(False)
        self._listeners.append(s)
        self._sel.register(s, selectors.EVENT_READ, device)
        return s.getsockname()[1]

    def start(self) -> "Simulator":
        self._thread = threading.Thread(target=self._accept_loop, name="sim-accept", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(5)
        for s in self._listeners + self._held:
            try:
                s.close()
            except OSError:
                pass
        with self._lock:
            for t in self._transports:
                t.close()
        self._sel.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _accept_loop(self):
        while not self._stop.is_set():
            for key, _ in self._sel.select(timeout=0.1):
                try:
                    conn, _addr = key.fileobj.accept()
                except (BlockingIOError, OSError):
                    continue
                conn.setblocking(True)
                if key.data is None:
                    self._held.append(conn)
                    continue
                threading.Thread(target=self._session, args=(conn, key.data), daemon=True,
                                 name=f"sim-{key.data.name}").start()

    def _session(self, conn, device: Device):
        t = paramiko.Transport(conn)
        with self._lock:
            self._transports.append(t)
        t.add_server_key(self.host_key)
        server = _Server(device)
        try:
            t.start_server(server=server)
            chan = t.accept(timeout=20)
            if chan is None or not server.shell.wait(20):
                return
            _Shell(chan, device).run()
            chan.close()
        except (paramiko.SSHException, EOFError, OSError):
            pass
        finally:
            t.close()
            with self._lock:
                self._transports.remove(t)


def closed_port() -> int:
    """A loopback port nothing listens on (connection refused): a dead device."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((LOOPBACK, 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ------------------------------------------------------------------ outputs from the corpus

NAPALM_IOS = "napalm/test/ios/mocked_data"


def _read(corpus: Path, rel: str) -> str:
    return (Path(corpus) / NAPALM_IOS / rel).read_text(encoding="utf-8")


def _mask_len(mask: str) -> int:
    return sum(bin(int(o)).count("1") for o in mask.split("."))


def render_show_ip_interface(config: str, template: str) -> str:
    """``show ip interface`` for the interfaces of an IOS *config*, in the format of *template*.

    The first block of *template* (a real device's output) gives the lines;
    the interface line and its ``Internet address`` line are replaced.
    """
    block = re.split(r"\n(?=\S)", template.strip("\n"))[0].splitlines()
    tail = [ln for ln in block[1:] if "Internet address is" not in ln and "Broadcast address" not in ln]
    out = []
    for stanza in re.split(r"\n(?=interface )", config):
        m = re.match(r"interface (\S+)", stanza)
        if not m:
            continue
        down = "\n shutdown" in stanza
        state = "administratively down, line protocol is down" if down else "up, line protocol is up"
        out.append(f"{m.group(1)} is {state}")
        addrs = re.findall(r"\n ip address (\S+) (\S+)( secondary)?", stanza)
        if not addrs:
            out.append("  Internet protocol processing disabled")
            continue
        for i, (ip, mask, sec) in enumerate(addrs):
            word = "Secondary address" if sec else "Internet address is"
            out.append(f"  {word} {ip}/{_mask_len(mask)}")
        out.append("  Broadcast address is 255.255.255.255")
        out.extend(tail)
    return "\n".join(out) + "\n"


def lldp_outputs(corpus: Path, neighbors) -> dict:
    """``show lldp neighbors [detail]`` for *neighbors*: (local short name, remote name, remote port)."""
    brief = _read(corpus, "test_get_lldp_neighbors/normal/show_lldp_neighbors.txt")
    detail = _read(corpus, "test_get_lldp_neighbors/normal/show_lldp_neighbors_detail.txt")
    head, _, foot = brief.partition("twb-sf-hpsw1")
    row_tail = foot.split("\n", 1)
    entry = detail.split("Total entries")[0]
    rows, entries = [], []
    for local, remote, port in neighbors:
        rows.append(f"{remote:<20}{local:<15}120        B               {port}")
        entries.append(entry.replace("twb-sf-hpsw1", remote).replace("Port id: 15", f"Port id: {port}")
                       .replace("Port Description: 15", f"Port Description: {port}"))
    n = len(neighbors)
    return {
        "show lldp neighbors": head + "\n".join(rows) + "\n" + row_tail[1].replace("1", str(n), 1)
        if neighbors else head + "\nTotal entries displayed: 0\n",
        "show lldp neighbors detail": "".join(entries) + f"Total entries displayed: {n}\n",
    }


def ios_device(corpus: Path, name: str, username: str, password: str, secret: str, neighbors=(),
               delay: float = 0.0) -> Device:
    """A simulated IOS router named *name* whose outputs come from the NAPALM IOS corpus."""
    running = _read(corpus, "test_get_config/normal/show_running_config.txt")
    running = re.sub(r"(?m)^hostname \S+", f"hostname {name}", running)
    running = re.sub(r"(?m)^enable password .*$", f"enable password {secret}", running)
    running = re.sub(r"(?m)^username \S+ privilege 15 password 0 .*$",
                     f"username {username} privilege 15 password 0 {password}", running)
    version = _read(corpus, "test_get_facts/normal/show_version.txt").replace("NS2903-ASW-01", name)
    outputs = {
        "show version": version,
        "show hosts": _read(corpus, "test_get_facts/normal/show_hosts.txt"),
        "show ip interface brief": _read(corpus, "test_get_facts/normal/show_ip_interface_brief.txt"),
        "show interfaces": _read(corpus, "test_get_interfaces/normal/show_interfaces.txt"),
        "show ip interface": render_show_ip_interface(
            running, _read(corpus, "test_get_interfaces_ip/normal/show_ip_interface.txt")),
        "show ipv6 interface": _read(corpus, "test_get_interfaces_ip/normal/show_ipv6_interface.txt"),
        "show running-config": running,
        "show startup-config": running,
    }
    outputs.update(lldp_outputs(corpus, neighbors))
    return Device(name, outputs, username, password, secret, delay)
