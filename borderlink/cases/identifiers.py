"""Identifiers in joint cases, parsed and normalised so that one value is one key on every node.

- phone numbers: parsed by `phonenumbers` (Google's libphonenumber), stored E.164; a number without a
  country code is read in the country of the writing node;
- bank accounts: bank and number; the number as an IBAN when `python-stdnum` validates it as one, otherwise
  the digits and letters only (the banks of Cambodia, Laos and Viet Nam use national numbers without a
  published check digit);
- vehicles: plate and country, letters and digits only, upper case;
- crypto wallets: chain and address, with the checksum the chain defines: Bitcoin base58check (P2PKH and
  P2SH, the `base58` package) and bech32/bech32m (BIP-173, BIP-350: the published algorithm), Ethereum
  EIP-55 mixed-case checksum (Keccak-256 from `pycryptodome`); an all-lower or all-upper Ethereum address
  carries no checksum and is accepted as EIP-55 says; Tron base58check;
- identity documents: as the persons app normalises them (`normalise_document_number`).

Each function returns the normalised value or raises ValidationError with a message in the user's language.
"""

from __future__ import annotations

import re
import unicodedata

import base58
import phonenumbers
from Crypto.Hash import keccak
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import iban

from borderlink.persons.models import normalise_document_number

CHAINS = ("bitcoin", "ethereum", "tron", "other")
_JUNK = re.compile(r"[\s\-./_]+")


def normalise_phone(raw: str, country: str) -> str:
    """'+855 12 345 678', '012 345 678' (read in `country`) -> '+85512345678'. Raises ValidationError when
    the number cannot be parsed or is not a possible number."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    try:
        number = phonenumbers.parse(text, country or None)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("This is not a phone number: give it with its country code, for example +855 12 345 678.")) from None
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(_("This phone number has too few or too many digits for its country."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_account(raw: str) -> str:
    """An IBAN in its compact form when it is one; otherwise upper-case letters and digits only."""
    text = _JUNK.sub("", unicodedata.normalize("NFKC", raw or "")).upper()
    if not text or not text.isalnum() or len(text) > 40:
        raise ValidationError(_("Give the account number: letters and digits, at most 40."))
    if iban.is_valid(text):
        return iban.compact(text)
    return text


def normalise_plate(raw: str) -> str:
    text = _JUNK.sub("", unicodedata.normalize("NFKC", raw or "")).upper()
    if not text or len(text) > 20:
        raise ValidationError(_("Give the plate: at most 20 letters and digits."))
    return text


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            checksum ^= generator[i] if (top >> i) & 1 else 0
    return checksum


_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _bech32_valid(address: str) -> bool:
    """BIP-173 (bech32, witness version 0) and BIP-350 (bech32m, versions 1 to 16) checksums for bc1 addresses."""
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    hrp, sep, data = address.rpartition("1")
    if not sep or hrp != "bc" or len(data) < 7 or len(address) > 90 or any(c not in _BECH32_CHARSET for c in data):
        return False
    values = [_BECH32_CHARSET.index(c) for c in data]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    constant = _bech32_polymod(expanded + values)
    version = values[0]
    return (version == 0 and constant == 1) or (1 <= version <= 16 and constant == 0x2BC830A3)


def _base58check_valid(address: str, versions: tuple[int, ...]) -> bool:
    try:
        raw = base58.b58decode_check(address)
    except ValueError:
        return False
    return len(raw) == 21 and raw[0] in versions


def _eip55_valid(address: str) -> bool:
    body = address[2:]
    if not re.fullmatch(r"[0-9a-fA-F]{40}", body):
        return False
    if body == body.lower() or body == body.upper():
        return True  # no checksum written (EIP-55 leaves such addresses unchecked)
    digest = keccak.new(digest_bits=256, data=body.lower().encode("ascii")).hexdigest()
    return all((c.upper() if int(d, 16) >= 8 else c.lower()) == c for c, d in zip(body, digest[:40], strict=True))


def normalise_wallet(chain: str, raw: str) -> str:
    """The address checked by its chain's checksum; Ethereum addresses in lower case (EIP-55 case carries
    only the checksum), bech32 in lower case, base58 as written. Raises ValidationError (in the user's language)
    for an unknown chain or a checksum that does not match."""
    address = unicodedata.normalize("NFKC", raw or "").strip()
    if chain not in CHAINS:
        raise ValidationError(_("Choose the chain from the list."))
    if not address or len(address) > 100 or not address.isascii() or not address.isalnum():
        raise ValidationError(_("Give the wallet address: letters and digits, at most 100."))
    bad = ValidationError(_("This address fails its chain's checksum: check it character by character."))
    if chain == "bitcoin":
        if address.lower().startswith("bc1"):
            if not _bech32_valid(address):
                raise bad
            return address.lower()
        if not _base58check_valid(address, (0x00, 0x05)):
            raise bad
        return address
    if chain == "ethereum":
        if not address.lower().startswith("0x") or not _eip55_valid(address):
            raise bad
        return address.lower()
    if chain == "tron":
        if not _base58check_valid(address, (0x41,)):
            raise bad
        return address
    return address


def normalise_handle(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw or "").strip().lstrip("@").casefold()
    if not text or len(text) > 100 or any(ch.isspace() for ch in text):
        raise ValidationError(_("Give the handle without spaces, at most 100 characters."))
    return text


def normalise_document(raw: str) -> str:
    value = normalise_document_number(raw or "")
    if not value or len(value) > 60:
        raise ValidationError(_("Give the document number, at most 60 characters."))
    return value


def readings(raw: str, country: str) -> list[tuple[str, str]]:
    """The (kind, normalised value) pairs a free-text identifier parses as (a request's "identifier to trace":
    a phone number, bank account, vehicle plate or wallet address, written any way): a phone only when
    `phonenumbers` finds it a valid number (read in `country` without a country code), a wallet only when a
    chain's checksum holds, an account and a plate when it has a digit. At most six pairs; [] for nothing."""
    text = (raw or "").strip()[:200]
    if not text:
        return []
    out: list[tuple[str, str]] = []
    try:
        number = phonenumbers.parse(unicodedata.normalize("NFKC", text), country or None)
        if phonenumbers.is_valid_number(number):
            out.append(("phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)))
    except phonenumbers.NumberParseException:
        pass
    for chain in ("bitcoin", "ethereum", "tron"):
        try:
            out.append(("wallet", normalise_wallet(chain, text)))
            break
        except ValidationError:
            continue
    if any(ch.isdigit() for ch in text):
        for kind, normalise in (("account", normalise_account), ("vehicle", normalise_plate)):
            try:
                out.append((kind, normalise(text)))
            except ValidationError:
                continue
    return out[:6]
