"""The register of processing: what a declaration must say, and how the register reads."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from privacy import register
from privacy.register import CONTRACT, MEMBER, STRIPE, Processing

DECLARED = dict(
    name="Essai",
    purpose="p",
    legal_basis=CONTRACT,
    audiences=(MEMBER,),
    people="pe",
    data="d",
    recipients="r",
    retention="1 an",
    security="s",
)


@pytest.mark.parametrize(
    "wrong",
    [{"legal_basis": "because"}, {"audiences": ("everyone",)}, {"processors": ("google",)}],
)
def test_a_declaration_with_an_unknown_basis_audience_or_processor_is_refused(wrong):
    with pytest.raises(ImproperlyConfigured):
        Processing(slug="test-wrong", **{**DECLARED, **wrong})


def test_a_slug_declared_twice_is_refused(monkeypatch):
    monkeypatch.setattr(register, "_REGISTER", {})
    register.register(Processing(slug="test-one", **DECLARED), app_label="tests")
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        register.register(Processing(slug="test-one", **DECLARED))
    assert register.processing("test-one").app_label == "tests"


def test_the_register_is_ordered_and_grouped_by_audience(monkeypatch):
    monkeypatch.setattr(register, "_REGISTER", {})
    register.register(
        Processing(slug="b", order=2, **DECLARED),
        Processing(slug="a", order=1, **{**DECLARED, "audiences": (MEMBER, register.JUROR)}),
    )
    assert [item.slug for item in register.processings()] == ["a", "b"]
    groups = register.by_audience()
    # Empty audiences are left out, the others keep the notice's order.
    assert [(key, [item.slug for item in items]) for key, _label, items in groups] == [
        ("member", ["a", "b"]),
        ("juror", ["a"]),
    ]


def test_transfers_say_none_when_there_are_none_and_processors_resolve():
    item = Processing(slug="t", processors=(STRIPE,), **DECLARED)
    assert str(item.transfers_text()) == "aucun"
    assert [processor.slug for processor in item.processor_list()] == [STRIPE]
    assert "6.1.b" in str(item.legal_basis_label)


def test_every_app_that_handles_people_declares_its_processing():
    apps = {item.app_label for item in register.processings()}
    assert {"members", "awards", "forms", "search", "privacy"} <= apps
    # Every audience the notice speaks to has at least one processing.
    assert [key for key, _label, _items in register.by_audience()] == list(register.AUDIENCES)
