"""The environment facts a person needs when asking for help: versions, libraries, fonts, paths.

Gathering never fails: a library that cannot be loaded becomes a fact saying so, because a
broken install is exactly when someone runs `backplan doctor`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform
import sys
import warnings
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import platformdirs

from backplan import __version__
from backplan.clinic.profile import default_clinic_path
from backplan.errors import EXIT_USAGE, BackplanError, Problem
from backplan.files import yaml_source as yamlsource
from backplan.home.logdb import default_db_path
from backplan.library.catalogue import exercise_files
from backplan.resources import builtin_exercises_dir

try:
    import fontpkg_atkinson_hyperlegible as atkinson
except ImportError:  # a broken install: doctor reports the fonts missing instead of failing
    atkinson = None

APP_NAME = "backplan"

# Distribution names as pip knows them, shown under the names people type.
PACKAGES = (
    ("typer", "typer"),
    ("rich", "rich"),
    ("pydantic", "pydantic"),
    ("jinja2", "Jinja2"),
    ("weasyprint", "weasyprint"),
    ("pydyf", "pydyf"),
    ("fonttools", "fonttools"),
    ("pyyaml", "PyYAML"),
    ("platformdirs", "platformdirs"),
    ("atkinson-hyperlegible", "fontpkg-atkinson-hyperlegible"),
)

HARFBUZZ_SUBSET_HINT = (
    "PDFs are about 1.8x slower: install HarfBuzz subsetting "
    "(Debian/Ubuntu: apt install libharfbuzz-subset0)"
)


PANGO_HINT = "install Pango (Debian/Ubuntu: apt install libpango-1.0-0 libpangoft2-1.0-0)"


@dataclass(frozen=True)
class Fact:
    """One line of the report; `ok` is None for plain information, False for a problem."""

    section: str
    name: str
    value: str
    ok: bool | None = None
    hint: str = ""


def gather() -> list[Fact]:
    """Every fact, in the order the report shows them."""
    return [
        *_versions(),
        *_yaml_facts(),
        *_text_facts(),
        *_font_facts(),
        *_path_facts(),
        *_library_facts(),
    ]


def to_dict(facts: list[Fact]) -> dict[str, dict[str, dict[str, object]]]:
    """The JSON shape: {section: {name: {value, ok, hint}}}."""
    out: dict[str, dict[str, dict[str, object]]] = {}
    for fact in facts:
        entry = asdict(fact)
        del entry["section"], entry["name"]
        out.setdefault(fact.section, {})[fact.name] = entry
    return out


def problems(facts: list[Fact]) -> list[Fact]:
    return [f for f in facts if f.ok is False]


def package_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _versions() -> list[Fact]:
    facts = [
        Fact("versions", "backplan", __version__),
        Fact("versions", "python", platform.python_version()),
        Fact("versions", "python executable", sys.executable),
        Fact("versions", "platform", platform.platform()),
    ]
    for shown, distribution in PACKAGES:
        version = package_version(distribution)
        facts.append(
            Fact(
                "versions",
                shown,
                version or "not installed",
                ok=None if version else False,
                hint="" if version else f"reinstall backplan (pip install {distribution})",
            )
        )
    return facts


def _yaml_facts() -> list[Fact]:
    loader = getattr(yamlsource, "_Loader", None)
    name = getattr(loader, "__name__", "unknown")
    fast = name == "CSafeLoader"
    return [
        Fact(
            "yaml",
            "loader",
            f"{name} ({'libyaml' if fast else 'pure Python'})",
            ok=fast,
            hint="" if fast else "exercise files load slower: install PyYAML built with libyaml",
        )
    ]


def weasyprint_libraries() -> dict[str, object]:
    """Pango and HarfBuzz as WeasyPrint itself loaded them (its text ffi; nothing is rendered).

    WeasyPrint 70 subsets fonts with HarfBuzz when `libharfbuzz-subset` opens and HarfBuzz is
    at least 4.1.0 (`weasyprint/pdf/fonts.py`, `Font.subset`); otherwise it uses fontTools.
    """
    try:
        with warnings.catch_warnings():
            # Without libharfbuzz-subset WeasyPrint warns at import; we report it ourselves.
            warnings.simplefilter("ignore", DeprecationWarning)
            from weasyprint.text import ffi as wffi
    except Exception as exc:  # OSError from dlopen, ImportError: a broken install
        return {"error": f"{type(exc).__name__}: {exc}"}
    version = wffi.pango.pango_version()
    return {
        "pango": f"{version // 10000}.{version // 100 % 100}.{version % 100}",
        "harfbuzz_subset": bool(
            wffi.harfbuzz_subset is not None and wffi.harfbuzz.hb_version_atleast(4, 1, 0)
        ),
    }


def load_weasyprint() -> Any:
    """WeasyPrint for a PDF; when its system libraries (Pango) cannot be loaded, the
    BackplanError (exit 2) saying what `backplan doctor` says, never a traceback."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # as weasyprint_libraries
            import weasyprint
    except OSError as exc:  # cffi's dlopen of libpango / libgobject
        raise missing_pango(exc) from None
    return weasyprint


def missing_pango(exc: BaseException) -> BackplanError:
    """The error for a PDF that cannot be made: `backplan doctor`'s line for WeasyPrint."""
    return BackplanError(
        [
            Problem(message=f"weasyprint: cannot load: {type(exc).__name__}: {exc}"),
            Problem(message=f"weasyprint: {PANGO_HINT}"),
        ],
        title="A PDF cannot be made on this computer (`backplan doctor` shows the details)",
        exit_code=EXIT_USAGE,
    )


def harfbuzz_version() -> str | None:
    """HarfBuzz's own version string, read with ctypes (WeasyPrint's ffi does not declare it)."""
    for name in ("libharfbuzz.so.0", ctypes.util.find_library("harfbuzz"), "libharfbuzz.0.dylib"):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        lib.hb_version_string.restype = ctypes.c_char_p
        return lib.hb_version_string().decode()
    return None


def _text_facts() -> list[Fact]:
    found = weasyprint_libraries()
    hb = harfbuzz_version()
    hb_fact = Fact("text", "harfbuzz", hb or "not found", ok=None if hb else False)
    if "error" in found:
        pango = ctypes.util.find_library("pango-1.0")
        return [
            Fact(
                "text",
                "weasyprint",
                f"cannot load: {found['error']}",
                ok=False,
                hint=PANGO_HINT,
            ),
            Fact("text", "pango", pango or "not found", ok=None if pango else False),
            hb_fact,
        ]
    subset = bool(found["harfbuzz_subset"])
    return [
        Fact("text", "pango", str(found["pango"])),
        hb_fact,
        Fact(
            "text",
            "font subsetting",
            "HarfBuzz (libharfbuzz-subset)" if subset else "fontTools (slower)",
            ok=subset,
            hint="" if subset else HARFBUZZ_SUBSET_HINT,
        ),
    ]


def atkinson_font_files() -> list[Path]:
    if atkinson is None:
        return []
    root = Path(atkinson.ROOT)
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in {".ttf", ".otf", ".woff2"})


def _font_facts() -> list[Fact]:
    fonts = atkinson_font_files()
    if not fonts:
        return [
            Fact(
                "fonts",
                "Atkinson Hyperlegible",
                "not found",
                ok=False,
                hint="handouts fall back to another font: pip install fontpkg-atkinson-hyperlegible",
            )
        ]
    styles = ", ".join(f.stem.rpartition("-")[2] for f in fonts)
    return [
        Fact("fonts", "Atkinson Hyperlegible", f"{len(fonts)} files: {styles}", ok=True),
        Fact("fonts", "font folder", str(fonts[0].parent)),
    ]


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME)


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def clinic_profile_path() -> Path:
    """Where `backplan clinic` keeps the profile (asked of its module, so the two agree)."""
    return default_clinic_path()


def log_database_path() -> Path:
    return default_db_path()


def _path_facts() -> list[Fact]:
    profile = clinic_profile_path()
    database = log_database_path()
    return [
        Fact("paths", "config folder", str(config_dir())),
        Fact(
            "paths",
            "clinic profile",
            f"{profile} ({'found' if profile.is_file() else 'none yet: backplan clinic init'})",
        ),
        Fact("paths", "data folder", str(data_dir())),
        Fact(
            "paths",
            "session log",
            f"{database} ({'found' if database.is_file() else 'none yet'})",
        ),
    ]


def _library_facts() -> list[Fact]:
    try:
        folder = builtin_exercises_dir()
    except RuntimeError as exc:
        return [Fact("library", "built-in", str(exc), ok=False)]
    count = len(exercise_files(folder))
    return [
        Fact("library", "built-in folder", str(folder)),
        Fact(
            "library",
            "exercise files",
            str(count),
            ok=count > 0,
            hint="" if count else "the built-in library is empty: reinstall backplan",
        ),
    ]
