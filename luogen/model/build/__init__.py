"""Build the model from a schema-checked spec, enforcing the ABI rules with located errors.

The passes, in order: declarations (constants, enums, flag sets), nested structs, command ranges
(names, numbers, each command's struct), the ABI rules on the built structs, and the resolution
of the references that could only be resolved once everything exists (an fd's object, an enum's
storage).
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import SpecError
from ...spec import SchemaProblems, Spec
from ..kernel import DriverUcmd
from ..kinds import Inline
from ..nodes import CommandRange, Enum, FlagSet, KernelBuild, Model, Struct
from ..values import Include
from .commands import Commands
from .context import Context
from .counted import check_query_methods
from .declarations import GENERAL_ERRNOS, Declarations
from .kernel_names import check_kernel_names
from .members import Members
from .partial import Skipped, complete
from .rules import check_padding
from .selectors import check_variant_methods
from .styles import check_classic, check_extensible, strict_structs
from .type_names import check_binding_scope, check_range_names, check_type_names

_NOT_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]")
DEFAULT_SPDX = "GPL-2.0 WITH Linux-syscall-note"


def _resolved(instance: object, **fields: object) -> None:
    """Set fields of a frozen model object: only the resolution pass does, before anyone reads
    the model."""
    for name, value in fields.items():
        object.__setattr__(instance, name, value)


def _resolve(
    members: Members,
    declarations: Declarations,
    commands: Commands,
    ranges: tuple[CommandRange, ...],
) -> None:
    by_name = {r.name: r for r in ranges}
    for member, range_name in members.pending_opens:
        _resolved(member, opens=by_name[range_name])
    for command, range_name in commands.pending_returns:
        _resolved(command, returns_opens=by_name[range_name])
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
    objects = kernel.get("objects", ())
    return KernelBuild(
        dir=kernel.get("dir", f"drivers/{name}"),
        config=kernel.get("config", f"CONFIG_{context.upper}"),
        module=kernel.get("module", name),
        objects=tuple(o for o in objects if isinstance(o, str)),
        conditional=tuple((o["object"], o["config"]) for o in objects if isinstance(o, dict)),
        ucmd=_ucmd(context, kernel.get("ucmd")),
    )


# The members of the struct of one call that the dispatch core sets itself (luogen_dispatch.h).
_UCMD_MEMBERS = ("ubuffer", "user_size", "cmd")


def _ucmd(context: Context, ucmd: dict[str, str] | None) -> DriverUcmd | None:
    """The driver's struct of one call (`kernel: ucmd:`), its tag claimed: the generated
    kernel files see the uapi header's tags beside it."""
    if ucmd is None:
        return None
    at = context.spec.at
    context.claim(ucmd["struct"], "ucmd struct", at(("kernel", "ucmd", "struct")), "lower")
    member, where = ucmd["context"], at(("kernel", "ucmd", "context"))
    context.check_identifier(member, "ucmd context member", where, "lower", cxx=False)
    if member in _UCMD_MEMBERS:
        context.error(
            where,
            f"ucmd context member '{member}' is one the dispatch sets itself "
            f"({', '.join(_UCMD_MEMBERS)}): name the member that holds the driver's context",
        )
    header, name = ucmd["header"], context.data["name"]
    generated = (f"{name}_ioctl.h", "luogen_dispatch.h")
    if header.rsplit("/", 1)[-1] in generated:
        context.error(
            at(("kernel", "ucmd", "header")),
            f"ucmd header '{header}' is a header the kernel target generates "
            f"({' and '.join(generated)}), which includes it: name the driver's own header",
        )
    return DriverUcmd(ucmd["struct"], header, member)


def _header_names(context: Context) -> tuple[str, str]:
    """The ioctl type macro and the include guard, claimed."""
    d, spec = context.data, context.spec
    type_name = d.get("ioctl-type-name", f"{context.upper}_TYPE")
    type_at = ("ioctl-type-name",) if "ioctl-type-name" in d else ("ioctl-type",)
    context.claim(type_name, "ioctl type macro", spec.key_at(type_at))
    guard = d.get("guard") or "_UAPI_" + _NOT_ALPHANUMERIC.sub("_", d["header"]).upper()
    context.claim(guard, "include guard", spec.at(("guard" if "guard" in d else "header",)))
    return type_name, guard


def _check_rules(
    context: Context,
    declarations: Declarations,
    members: Members,
    nested: tuple[Struct, ...],
    ranges: tuple[CommandRange, ...],
) -> None:
    """The rules that need every declaration, struct and range built."""
    check_range_names(context, ranges)
    check_query_methods(context, ranges)
    check_variant_methods(context, ranges)
    values: list[Enum | FlagSet] = [*declarations.enums.values(), *declarations.flag_sets.values()]
    check_type_names(context, values, nested, ranges)
    check_binding_scope(context)
    command_structs = [c.struct for r in ranges for c in r.live if c.struct is not None]
    declarations.check_places(members.stored_as)
    strict = strict_structs(ranges)
    check_extensible(context, strict)
    every_struct = complete(_with_inline((*nested, *command_structs)), members.incomplete)
    check_classic(context, [s for s in every_struct if s not in strict])
    check_padding(context, every_struct, frozenset(s.name for s in strict))


def build(spec: Spec, schema: SchemaProblems | None = None) -> Model:
    """The resolved model of a spec; SpecError lists every rule it breaks. With the problems
    its schema check found, the rules run on the parts of the spec that passed it (partial.py),
    and the error lists both."""
    skipped = (
        Skipped(spec.data, schema.paths, schema.unknown, schema.missing)
        if schema
        else Skipped(spec.data, ())
    )
    if schema and skipped.whole:
        raise SpecError(list(schema.diagnostics))
    context = Context(spec, skipped)
    context.diagnostics.extend(schema.diagnostics if schema else ())
    d = context.data
    type_name, guard = _header_names(context)
    declarations = Declarations(context)
    declarations.build()
    members = Members(context, declarations)
    members.ctypes.declare_typedefs()
    nested = members.nested_structs()
    errnos = declarations.errnos(d.get("errnos", []), ("errnos",), GENERAL_ERRNOS)
    commands = Commands(context, declarations, members)
    ranges = commands.build(type_name)
    _check_rules(context, declarations, members, nested, ranges)
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
        includes=(includes := _includes(d)),
        targets=tuple(d.get("targets", ())),
        arches=tuple(d.get("arches", ())),
        c_names=frozenset(context.global_names) | {i.defining for i in includes if i.defining},
        warnings=context.warnings,
    )
    check_kernel_names(context, model, commands.handlers)
    if context.failed:
        raise SpecError(context.diagnostics)
    _resolve(members, declarations, commands, ranges)
    return model


def _includes(d: dict[str, Any]) -> tuple[Include, ...]:
    """The spec's includes: a header, or a header and the macro defined around its #include."""
    return tuple(
        Include(i) if isinstance(i, str) else Include(i["header"], i["defining"])
        for i in d.get("includes", ())
    )
