"""Device credentials for live collection, and keeping secrets out of outputs.

Credentials come from the environment (``NETCONSOL_USERNAME``,
``NETCONSOL_PASSWORD``, ``NETCONSOL_SECRET``) or an interactive prompt in the
CLI — never from the command line, where they would land in shell history and
``ps`` output.  :class:`Credentials` never shows the password or secret in its
``repr``; :meth:`Credentials.scrub` removes them from any text (exception
messages, device output) before it becomes a row or a file.

:func:`redact_config` masks the secrets a device config holds (enable
secrets, user passwords, SNMP communities, routing-protocol keys, Huawei
``cipher`` strings, JunOS ``encrypted-password``) while keeping every line and
its layout, so the redacted config still parses the same way.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

__all__ = ["Credentials", "ENV_USERNAME", "ENV_PASSWORD", "ENV_SECRET", "MASK", "redact_config", "scrub"]

ENV_USERNAME = "NETCONSOL_USERNAME"
ENV_PASSWORD = "NETCONSOL_PASSWORD"
ENV_SECRET = "NETCONSOL_SECRET"
MASK = "<redacted>"
_SCRUBBED = "********"


@dataclass(frozen=True)
class Credentials:
    """Login for every device of a scan; ``secret`` is the enable secret ('' = none)."""

    username: str
    password: str = field(repr=False)
    secret: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, environ=None) -> "Credentials | None":
        """Credentials from ``NETCONSOL_*``; None unless both username and password are set."""
        env = os.environ if environ is None else environ
        user, password = env.get(ENV_USERNAME, ""), env.get(ENV_PASSWORD, "")
        if not user or not password:
            return None
        return cls(user, password, env.get(ENV_SECRET, ""))

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.password, self.secret) if s)

    def scrub(self, text) -> str:
        """*text* with the password and the secret replaced by asterisks."""
        return scrub(text, self.secrets())

    def __str__(self) -> str:
        return f"Credentials(username={self.username!r}, password=***)"


def scrub(text, secrets) -> str:
    """*text* (anything str() accepts) without any of *secrets*, longest first."""
    out = "" if text is None else str(text)
    for s in sorted((s for s in secrets if s), key=len, reverse=True):
        out = out.replace(s, _SCRUBBED)
    return out


# ------------------------------------------------------------------ config redaction
#
# Token-based: after a secret keyword, skip the tokens that only qualify the
# secret (encryption type 0/5/7/8/9, key id, sha512, cipher,
# irreversible-cipher, ascii-text, level 15...) and mask the first token that
# is the secret itself.  A number of one or two digits followed by more tokens
# is a qualifier (type, key id, level); a final one is the secret, except after
# "key" where it is a key-chain key id.  Whole-line layout is kept
# (indentation matters to every parser).

_KEYWORDS = frozenset({
    # Cisco IOS / NX-OS / EOS / IOS-XR
    "secret", "password", "key", "key-string", "authentication-key", "message-digest-key", "community",
    "pre-shared-key", "psk", "passphrase", "auth", "priv", "wpa-psk",
    # Huawei VRP / H3C Comware
    "cipher", "irreversible-cipher", "simple",
    # JunOS
    "encrypted-password", "plain-text-password-value", "simple-password", "hello-authentication-key",
})
# tokens that qualify a secret without being it
_QUALIFIERS = frozenset({
    "level", "sha", "sha256", "sha512", "md5", "aes", "aes128", "aes192",
    "aes256", "des", "3des", "128", "192", "256", "cipher", "irreversible-cipher", "simple", "plain",
    "encrypted", "ascii-text", "hexadecimal", "hex", "ascii", "read", "write", "unencrypted", "clear",
    "key-string", "secret", "password",
})
# words after "key"/"password"... that name a thing rather than hold a secret
_NOT_SECRET = frozenset({
    "chain", "generate", "config-key", "zeroize", "storage", "import", "export", "decrypt", "encrypt",
    "pubkey-chain", "encryption", "min-length", "management", "policy", "recovery", "authentication",
    "{", ";", "}",
})
# lines whose free text is data, not configuration (descriptions mention "password" innocently)
_FREE_TEXT = ("description ", "remark ", "alias ")
# algorithm names (ssh server cipher aes256_gcm ..., auth sha, priv aes 128) qualify, never hold secrets
_ALGORITHM = re.compile(r"^(aes|3des|des|chacha|hmac|sha|md5|blowfish|arcfour)[\w.@-]*$", re.IGNORECASE)
_TOKEN = re.compile(r"\S+")
_QUOTED = re.compile(r'^(["\']?)(.*?)(["\']?;?)$')
_KEYWORD_HINT = re.compile("|".join(sorted((re.escape(k) for k in _KEYWORDS), key=len, reverse=True)),
                           re.IGNORECASE)


def _mask_token(token: str) -> str:
    m = _QUOTED.match(token)
    return f"{m.group(1)}{MASK}{m.group(3)}" if m else MASK


def _redact_line(line: str) -> str:
    stripped = line.lstrip().lower()
    if stripped.startswith(_FREE_TEXT) or stripped.startswith(("set interfaces",)) and " description " in stripped:
        return line
    tokens = list(_TOKEN.finditer(line))
    masks = []
    i = 0
    while i < len(tokens):
        word = tokens[i].group().lower().strip('"')
        if word in _KEYWORDS:
            j = i + 1
            while j < len(tokens):
                w = tokens[j].group().lower()
                last = j == len(tokens) - 1
                if (w in _QUALIFIERS or w in _KEYWORDS or _ALGORITHM.match(w)
                        or (not last and w.isdigit() and len(w) <= 2)):
                    j += 1
                    continue
                break
            if j < len(tokens):
                w = tokens[j].group().lower()
                key_id = word == "key" and w.isdigit() and j == len(tokens) - 1
                if w not in _NOT_SECRET and not key_id:
                    masks.append(tokens[j])
            i = j + 1
            continue
        i += 1
    if not masks:
        return line
    out, pos = [], 0
    for m in masks:
        out.append(line[pos:m.start()])
        out.append(_mask_token(m.group()))
        pos = m.end()
    out.append(line[pos:])
    return "".join(out)


def redact_config(text: str) -> str:
    """*text* with every secret value masked as ``<redacted>``; lines and indentation kept.

    >>> redact_config("enable secret 5 $1$mUNS$EA8GP0")
    'enable secret 5 <redacted>'
    >>> redact_config(" local-user admin password irreversible-cipher $1c$abc$")
    ' local-user admin password irreversible-cipher <redacted>'
    """
    if not text:
        return text
    out = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if _KEYWORD_HINT.search(body):
            line = _redact_line(body) + line[len(body):]
        out.append(line)
    return "".join(out)
