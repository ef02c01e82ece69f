"""Signed callback data: fits in 64 bytes, binds the chat, rejects anything else."""

from __future__ import annotations

import pytest

from bot.config import Secret, derive_secret
from bot.contract import Contract
from bot.core import callbacks
from bot.language.codes import SUPPORTED
from bot.telegram.signing import MAX_BYTES, CallbackSigner, CallbackTooLong

signer = CallbackSigner("s3cret")


def test_signed_data_round_trips_for_the_chat_it_was_sent_to() -> None:
    data = signer.sign(42, "answer:get_bsn")
    assert signer.verify(42, data) == "answer:get_bsn"


@pytest.mark.parametrize(
    "data",
    [
        "answer:get_bsn",  # unsigned, as the core would have sent it
        "answer:get_bsn~AAAAAAAAAAAA",  # a made-up tag
        "answer:dentist" + signer.sign(42, "answer:get_bsn")[len("answer:get_bsn") :],  # moved tag
        "",
        "~",
        "x" * 64,
        "answer:get_bsn~" + "é" * 12,
    ],
)
def test_forged_data_is_rejected(data: str) -> None:
    assert signer.verify(42, data) is None


def test_data_from_another_chat_or_key_is_rejected() -> None:
    data = signer.sign(42, "menu")
    assert signer.verify(43, data) is None
    assert CallbackSigner("another key").verify(42, data) is None


def test_every_button_the_core_makes_fits_within_telegrams_64_bytes(contract: Contract) -> None:
    payloads = [callbacks.MENU, callbacks.LANGUAGES, callbacks.PERSON]
    payloads += [callbacks.topic(t) for t in contract.topics]
    payloads += [callbacks.answer(i) for i in contract.intents if contract.is_answer(i)]
    payloads += [callbacks.language(code) for code in SUPPORTED]
    for payload in payloads:
        data = signer.sign(-1001234567890123, payload)  # the longest chat ids Telegram uses
        assert len(data.encode()) <= MAX_BYTES, payload


def test_a_payload_that_cannot_fit_is_refused_loudly() -> None:
    with pytest.raises(CallbackTooLong):
        signer.sign(1, "answer:" + "x" * 60)


def test_the_derived_secret_is_stable_and_not_the_token() -> None:
    token = Secret("123:abc")
    assert derive_secret(token) == derive_secret(Secret("123:abc"))
    assert "123:abc" not in derive_secret(token)
    assert derive_secret(token) != derive_secret(Secret("123:abd"))
