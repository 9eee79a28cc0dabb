"""Device credentials for live collection, and keeping secrets out of outputs.

Credentials come from the environment (``NETCONSOL_USERNAME``,
``NETCONSOL_PASSWORD``, ``NETCONSOL_SECRET``) or an interactive prompt in the
CLI — never from the command line, where they would land in shell history and
``ps`` output.  :class:`Credentials` never shows the password or secret in its
``repr``; :meth:`Credentials.scrub` removes them, as whole tokens, from free text
(exception messages) and :meth:`Credentials.scrub_data` from device output, only
where a secret stands (after a password/secret/key keyword, in a URL, a typed
secret echoed alone on a line): a password ``Gigabit`` or ``10`` never turns
``GigabitEthernet1`` or ``10.1.1.1`` into asterisks.

:func:`redact_config` masks the secrets a device config holds (enable
secrets, user passwords, SNMP communities, routing-protocol keys, Huawei
``cipher`` strings, JunOS ``encrypted-password``) while keeping every line and
its layout, so the redacted config still parses the same way.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

__all__ = ["Credentials", "ENV_USERNAME", "ENV_PASSWORD", "ENV_SECRET", "MASK", "redact_config", "scrub",
           "scrub_data"]

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
        """Free text (an error message): the password and the secret, as whole tokens, replaced by
        asterisks."""
        return scrub(text, self.secrets())

    def scrub_data(self, text) -> str:
        """Device output (a config, a getter's text): the password and the secret replaced only
        where a secret stands (see :func:`scrub_data`), never inside other data."""
        return scrub_data(text, self.secrets())

    def __str__(self) -> str:
        return f"Credentials(username={self.username!r}, password=***)"


# characters that continue a token: a secret found next to one is part of other data
# (password "10" inside 10.1.1.1, "Gigabit" inside GigabitEthernet1)
_TOKEN_CHARS = r"\w.\-/:@$!#%&*+="


def _whole(secret: str) -> re.Pattern:
    return re.compile(r"(?<![%s])%s(?![%s])" % (_TOKEN_CHARS, re.escape(secret), _TOKEN_CHARS))


def scrub(text, secrets) -> str:
    """*text* (anything str() accepts; free text such as an error message) without any of
    *secrets* standing as a whole token, longest first.  A secret inside a longer token is
    other data and stays (a password ``10`` does not touch ``10.1.1.1``)."""
    out = "" if text is None else str(text)
    for s in sorted((s for s in secrets if s), key=len, reverse=True):
        if s in out:
            out = _whole(s).sub(_SCRUBBED, out)
    return out


# where a secret stands in device output: after a secret keyword ("password X", "secret: X",
# "key=X"), in a URL's user part (ssh://user:X@host), or alone on a line (a typed secret echoed
# after a Password: prompt)
_SECRET_PLACE = re.compile(r"(?i)(\b(?:password|passwd|pwd|pass|secret|passphrase|key|community|cipher|simple)"
                           r"(?:\s*[:=]\s*|\s+))(\S+)")
_URL_USER = re.compile(r"(://[^\s/:@]+:)([^\s@]+)(@)")


def scrub_data(text, secrets) -> str:
    """*text* (device output) with *secrets* replaced only in their syntactic places: the value
    after a secret keyword, a URL's password, a line that is the secret alone (an echo).  The
    same string elsewhere is data (an interface named like the password) and is kept."""
    out = "" if text is None else str(text)
    wanted = {s for s in secrets if s}
    if not wanted or not any(s in out for s in wanted):
        return out

    def value(m):
        v = m.group(2)
        bare = v.strip("\"';,")
        return m.group(1) + v.replace(bare, _SCRUBBED) if bare in wanted else m.group(0)

    lines = []
    for line in out.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if any(s in body for s in wanted):
            if body.strip() in wanted:
                body = body.replace(body.strip(), _SCRUBBED)
            else:
                body = _SECRET_PLACE.sub(value, body)
                body = _URL_USER.sub(lambda m: m.group(1) + (_SCRUBBED if m.group(2) in wanted else m.group(2))
                                     + m.group(3), body)
        lines.append(body + line[len(line.rstrip("\r\n")):])
    return "".join(lines)


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
