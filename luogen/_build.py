"""The wheel's build step beyond setuptools' own: luogen's templates compiled to Python modules
(render.COMPILED), so that an installed luogen compiles no template on its first run, the
compiled programs of the regular expressions a run's imports compile (regex_seeds.py), and every
module compiled into one file (bundle.py)."""

from __future__ import annotations

import os
import sys

from setuptools.command.build_py import build_py


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads the templates where they are
        from pathlib import Path

        for stale in Path(self.build_lib, "luogen").glob("modules.*.marshal"):
            stale.unlink()  # an earlier build's bundle would serve its own modules to this one
        sys.path.insert(0, self.build_lib)  # the luogen being built, templates and all

        from luogen import __version__
        from luogen.bundle import write_bundle
        from luogen.regex_seeds import write_seeds
        from luogen.render import COMPILED, compile_templates

        compile_templates(os.path.join(self.build_lib, "luogen", COMPILED))
        write_seeds(Path(self.build_lib, "luogen"), path=[os.path.abspath(self.build_lib)])
        write_bundle(Path(self.build_lib, "luogen"), __version__)
