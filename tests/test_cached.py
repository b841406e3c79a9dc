"""luogen.cached.cached_property: once per instance, frozen dataclasses included."""

from __future__ import annotations

from dataclasses import dataclass, field

from luogen.cached import cached_property


@dataclass(frozen=True)
class Counted:
    base: int
    calls: list[str] = field(default_factory=list)

    @cached_property
    def doubled(self) -> int:
        """Twice the base."""
        self.calls.append("doubled")
        return self.base * 2


def test_computes_once_per_instance_and_stores_the_value() -> None:
    one, two = Counted(2), Counted(5)
    assert (one.doubled, one.doubled, two.doubled) == (4, 4, 10)
    assert one.calls == ["doubled"] and two.calls == ["doubled"]
    assert one.__dict__["doubled"] == 4


def test_the_class_attribute_is_the_descriptor_with_its_doc() -> None:
    descriptor = Counted.__dict__["doubled"]
    assert Counted.doubled is descriptor
    assert descriptor.__doc__ == "Twice the base."
