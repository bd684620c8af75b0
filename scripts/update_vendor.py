"""Refresh the vendored browser libraries in kg/assets/vendor/ from pinned npm packages.

The pages load these files from their own origin (or inline them), never from a CDN, so each one is
kept here with its version in its name and its licence beside it. To update a library, change its
version below, run ``python scripts/update_vendor.py`` (needs ``npm``), look at the pages, and commit
the new files together with the removal of the old ones. Only the built, minified files the pages use
are kept.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "kg" / "assets" / "vendor"

#: npm package -> (version, [(file inside the package, name in kg/assets/vendor/)], licence file or None)
PACKAGES: dict[str, tuple[str, list[tuple[str, str]], str | None]] = {
    "@zazuko/yasgui": ("4.6.2", [("build/yasgui.min.js", "yasgui-{v}.min.js"),
                                 ("build/yasgui.min.css", "yasgui-{v}.min.css")], None),
    "chart.js": ("4.5.1", [("dist/chart.umd.min.js", "chart-{v}.umd.min.js")], "LICENSE.md"),
    "leaflet": ("1.9.4", [("dist/leaflet.js", "leaflet-{v}.min.js"),
                          ("dist/leaflet.css", "leaflet-{v}.css")], "LICENSE"),
    "topojson-client": ("3.1.0", [("dist/topojson-client.min.js", "topojson-client-{v}.min.js")], "LICENSE"),
    "world-atlas": ("2.0.2", [("countries-110m.json", "world-atlas-{v}-countries-110m.json")], "LICENSE"),
    "vis-timeline": ("8.5.4", [("standalone/umd/vis-timeline-graph2d.min.js", "vis-timeline-{v}.min.js"),
                               ("styles/vis-timeline-graph2d.min.css", "vis-timeline-{v}.min.css")],
                     "LICENSE.MIT.txt"),  # dual-licensed Apache-2.0 or MIT: we take MIT
}

#: the MIT licence text, for packages whose tarball ships no licence file (their package.json says MIT)
_MIT = """The MIT License (MIT)

Copyright (c) {holder}

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def licence_name(package: str, version: str) -> str:
    """The licence file's name beside the assets: ``yasgui-4.6.2.LICENSE``."""
    return f"{package.rsplit('/', 1)[-1].removesuffix('.js')}-{version}.LICENSE"


def strip_source_map(path: Path) -> None:
    """Drop the ``sourceMappingURL`` comment: the maps are not shipped, so nothing asks for them."""
    if path.suffix in (".js", ".css"):
        text = path.read_text(encoding="utf-8")
        kept = re.sub(r"\n?/[/*][#@] sourceMappingURL=[^\n]*", "", text)
        if kept != text:
            path.write_text(kept, encoding="utf-8")


def fetch(package: str, version: str, work: Path) -> Path:
    """Unpack ``package@version`` from the npm registry (``npm pack``) and return its folder."""
    out = subprocess.run(["npm", "pack", f"{package}@{version}", "--silent"], cwd=work, check=True,
                         capture_output=True, text=True).stdout.split()[-1]
    target = work / package.replace("/", "_")
    with tarfile.open(work / out) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def main() -> int:
    """Replace kg/assets/vendor/ with the pinned files; print what was written."""
    VENDOR.mkdir(parents=True, exist_ok=True)
    for old in VENDOR.iterdir():
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for package, (version, files, licence) in PACKAGES.items():
            root = fetch(package, version, Path(tmp))
            meta = json.loads((root / "package.json").read_text())
            if meta["version"] != version:
                print(f"{package}: got {meta['version']}, wanted {version}", file=sys.stderr)
                return 1
            for inside, name in files:
                shutil.copyfile(root / inside, VENDOR / name.format(v=version))
                strip_source_map(VENDOR / name.format(v=version))
            text = (root / licence).read_text() if licence else _MIT.format(
                holder=meta.get("author", package) if isinstance(meta.get("author"), str)
                else meta.get("author", {}).get("name", package))
            header = f"{package} {version}, licence {meta.get('license')}, from the npm registry\n\n"
            (VENDOR / licence_name(package, version)).write_text(header + text)
            print(f"{package} {version}: {', '.join(n.format(v=version) for _, n in files)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
