"""Los datos personales plantados en la muestra desaparecen antes de aprender."""

from __future__ import annotations

from guadalajara_triaje_mensajes import COUNTRY
from guadalajara_triaje_mensajes.triage.redaction import redact
from guadalajara_triaje_mensajes.triage.sample import generate


def test_every_planted_value_is_redacted():
    """No planted name, phone, e-mail, ID or address survives redaction, not even a name's words."""
    messages, _, planted = generate(
        categories=("a", "b", "c", "d"), equity_attribute="stratum", country=COUNTRY, zones=8, weeks=6, seed=3
    )
    assert len(planted) > 100
    redacted, counts = redact(messages, country=COUNTRY)
    by_id = dict(zip(redacted["message_id"], redacted["text"].str.lower(), strict=True))
    for message_id, kind, value in planted.itertuples(index=False):
        text = by_id[message_id]
        assert value.lower() not in text, (kind, message_id)
        if kind == "person_name":
            words = [w for w in value.lower().split() if len(w) > 3]
            assert not [w for w in words if w in text.split()], (kind, message_id)
    assert sum(counts.values()) >= len(planted)
