"""Build the model from a schema-checked spec, enforcing the ABI rules with located errors.

The passes, in order: declarations (constants, enums, flag sets), nested structs, command ranges
(names, numbers, each command's struct), the ABI rules on the built structs, and the resolution
of the references that could only be resolved once everything exists (an fd's object, an enum's
storage).
"""

from __future__ import annotations

import re

from ...errors import SpecError
from ...spec import Spec
from ..kinds import Inline
from ..nodes import CommandRange, KernelBuild, Model, Struct
from .commands import Commands
from .context import Context
from .declarations import GENERAL_ERRNOS, Declarations
from .members import Members
from .rules import check_padding
from .styles import check_classic, check_extensible, strict_structs

DEFAULT_SPDX = "GPL-2.0 WITH Linux-syscall-note"


def _resolved(instance: object, **fields: object) -> None:
    """Set fields of a frozen model object: only the resolution pass does, before anyone reads
    the model."""
    for name, value in fields.items():
        object.__setattr__(instance, name, value)


def _resolve(
    members: Members, declarations: Declarations, ranges: tuple[CommandRange, ...]
) -> None:
    by_name = {r.name: r for r in ranges}
    for member, range_name in members.pending_opens:
        _resolved(member, opens=by_name[range_name])
    values = {**declarations.enums, **declarations.flag_sets}
    for name, (storage, _, _) in members.stored_as.items():
        _resolved(values[name], storage=storage)


def _with_inline(structs: tuple[Struct, ...]) -> list[Struct]:
    """`structs` and every inline struct or union defined in them."""
    found = []
    pending = list(structs)
    while pending:
        struct = pending.pop(0)
        found.append(struct)
        pending += [m.kind.struct for m in struct.members if isinstance(m.kind, Inline)]
    return found


def _kernel(context: Context) -> KernelBuild:
    name, kernel = context.data["name"], context.data.get("kernel", {})
    return KernelBuild(
        dir=kernel.get("dir", f"drivers/{name}"),
        config=kernel.get("config", f"CONFIG_{context.upper}"),
        module=kernel.get("module", name),
        objects=tuple(kernel.get("objects", ())),
    )


def build(spec: Spec) -> Model:
    """The resolved model of a schema-checked spec; SpecError lists every rule it breaks."""
    context = Context(spec)
    d = context.data
    type_name = d.get("ioctl-type-name", f"{context.upper}_TYPE")
    type_at = ("ioctl-type-name",) if "ioctl-type-name" in d else ("ioctl-type",)
    context.claim(type_name, "ioctl type macro", spec.key_at(type_at))
    guard = d.get("guard") or "_UAPI_" + re.sub(r"[^A-Za-z0-9]", "_", d["header"]).upper()
    context.claim(guard, "include guard", spec.key_at(("guard" if "guard" in d else "header",)))
    declarations = Declarations(context)
    declarations.build()
    members = Members(context, declarations)
    members.ctypes.declare_typedefs()
    nested = members.nested_structs()
    errnos = declarations.errnos(d.get("errnos", []), ("errnos",), GENERAL_ERRNOS)
    commands = Commands(context, declarations, members)
    ranges = commands.build(type_name)
    command_structs = [c.struct for r in ranges for c in r.live if c.struct is not None]
    declarations.check_places(members.stored_as)
    strict = strict_structs(ranges)
    check_extensible(context, strict)
    every_struct = _with_inline((*nested, *command_structs))
    check_classic(context, [s for s in every_struct if s not in strict])
    check_padding(
        context, _with_inline((*nested, *command_structs)), frozenset(s.name for s in strict)
    )
    copyright_lines = context.text(d.get("copyright", ""), "copyright").strip("\n").splitlines()
    model = Model(
        path=spec.path,
        name=d["name"],
        title=context.text(d["title"], "title"),
        header=d["header"],
        kernel=_kernel(context),
        spdx=d.get("spdx", DEFAULT_SPDX),
        guard=guard,
        copyright=tuple(line.rstrip() for line in copyright_lines),
        contact=d.get("contact"),
        overview=context.doc(d["overview"], "overview"),
        errnos=errnos,
        ioctl_type=commands.type_byte,
        ioctl_type_spelling=d["ioctl-type"] if isinstance(d["ioctl-type"], str) else "",
        ioctl_type_name=type_name,
        constants=tuple(declarations.constants.values()),
        enums=tuple(declarations.enums.values()),
        flag_sets=tuple(declarations.flag_sets.values()),
        structs=nested,
        ranges=ranges,
        typedefs=tuple(members.ctypes.declared),
        includes=tuple(d.get("includes", ())),
        targets=tuple(d.get("targets", ())),
        c_names=frozenset(context.global_names),
        warnings=context.warnings,
    )
    if context.failed:
        raise SpecError(context.diagnostics)
    _resolve(members, declarations, ranges)
    return model
