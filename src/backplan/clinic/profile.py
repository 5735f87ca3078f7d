"""The clinic profile: who hands out the plan, printed in the handout's header and footer.

A small YAML file (`backplan clinic init` writes a starter one to the user's config folder).
Relative `logo` and `templates` paths are read from the profile's own folder.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

from platformdirs import user_config_path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from backplan.errors import BackplanError, display_path
from backplan.files.atomic import path_problem
from backplan.files.problems import validate
from backplan.files.yaml_source import load_yaml

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp")


def _quoted_times(value: object) -> object:
    # YAML 1.1 reads an unquoted 9:30 as the number 570 (base 60)
    if isinstance(value, int | float):
        raise ValueError('put quotes around the times, like "9:00-12:00"')
    return value


class HoursText(BaseModel):
    """One line of opening hours in another language."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    days: Text = Field(description="Days in that language: `lun-vie`.")
    times: Text = Field(description="Opening times, as written in that language.")

    _times = field_validator("times", mode="before")(_quoted_times)


class Hours(BaseModel):
    # Built on first use: most runs have no clinic profile and never validate one.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    days: Text = Field(description="Days, as you would write them: `Mon-Fri`.")
    times: Text = Field(description="Opening times on those days: `8:00-18:00`.")
    translations: dict[Literal["es"], HoursText] = Field(
        default_factory=dict, description="The same line in Spanish: `es: {days: lun-vie, ...}`."
    )

    _times = field_validator("times", mode="before")(_quoted_times)

    def text(self, lang: str) -> tuple[str, str]:
        """(days, times) in `lang` when the profile gives them, else as written."""
        other = self.translations.get(lang)  # type: ignore[call-overload]
        return (other.days, other.times) if other is not None else (self.days, self.times)


class Clinic(BaseModel):
    """A clinic's contact details, opening hours, and optional logo and template folder."""

    # a phone number typed without dashes is read by YAML as a number; it is still a phone number
    model_config = ConfigDict(
        extra="forbid", frozen=True, coerce_numbers_to_str=True, defer_build=True
    )

    name: Text
    address: Text | None = None
    phone: Text | None = None
    email: Text | None = None
    website: Text | None = None
    hours: tuple[Hours, ...] = ()
    clinician: Text | None = Field(
        default=None, description="Default clinician named on the handout."
    )
    logo: Path | None = Field(default=None, description="An image file (PNG, JPEG or SVG).")
    templates: Path | None = Field(
        default=None, description="A folder of templates that replace the built-in ones."
    )
    # Defaults for every handout this clinic makes; a command-line option still wins.
    paper: Literal["letter", "a4"] | None = Field(default=None, description="letter or a4.")
    lang: Literal["en", "es"] | None = Field(
        default=None, description="The handout's language when the answers name none."
    )
    large_print: bool = Field(
        default=False, description="Large print (14 pt text) on every handout by default."
    )

    def placeholder_fields(self) -> list[str]:
        """The fields still holding the starter profile's made-up values."""
        return [
            key
            for key, values in PLACEHOLDERS.items()
            if any(str(getattr(self, key) or "").startswith(v) for v in values)
        ]

    def hours_in(self, lang: str) -> list[tuple[str, str]]:
        """The opening hours as (days, times), in `lang` where the profile translates them."""
        return [h.text(lang) for h in self.hours]

    def contact_lines(self) -> list[str]:
        """Address, phone, email and website, each a line, in that order, skipping blanks."""
        return [v for v in (self.address, self.phone, self.email, self.website) if v]

    def hours_lines(self) -> list[str]:
        return [f"{h.days}: {h.times}" for h in self.hours]


def default_clinic_path() -> Path:
    """Where `clinic init` writes the profile and where the tool looks when no --clinic is given."""
    return user_config_path("backplan") / "clinic.yaml"


# What `clinic init` writes (and wrote before it marked them), so a handout never prints a
# made-up name or phone number as if it were the clinic's.
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "name": ("FILL IN", "Your Clinic Name"),
    "address": ("FILL IN", "1 Main Street, Springfield"),
    "phone": ("FILL IN", "555-0100"),
    "email": ("FILL IN", "front-desk@example.com"),
    "website": ("FILL IN",),
    "clinician": ("FILL IN",),
}


def _warn(message: str) -> None:
    print(message, file=sys.stderr)


def load_clinic(path: Path | None = None, warn: Callable[[str], None] = _warn) -> Clinic | None:
    """The profile at `path`, or the default one if it exists, or None. Raises BackplanError.

    Fields still holding the starter's made-up values are left out, with a warning (`warn`);
    an unchanged clinic name means no profile at all.
    """
    clinic = read_clinic(path)
    if clinic is None:
        return None
    unfilled = clinic.placeholder_fields()
    if not unfilled:
        return clinic

    where = display_path(path or default_clinic_path())
    if "name" in unfilled:
        warn(
            f"warning: {where} still has the starter profile's clinic name; the handout is "
            "made without a clinic profile. Fill in `name:` (and the other marked fields)."
        )
        return None
    warn(
        f"warning: {where}: {', '.join(f'`{k}`' for k in unfilled)} still "
        f"{'has' if len(unfilled) == 1 else 'have'} the starter profile's made-up value; "
        "left off the handout until you fill "
        f"{'it' if len(unfilled) == 1 else 'them'} in."
    )
    return clinic.model_copy(update=dict.fromkeys(unfilled))


def profile_lang(path: Path | None = None) -> str | None:
    """The profile's default handout language, if it sets one (quietly: no warnings twice)."""
    try:
        clinic = read_clinic(path)
    except BackplanError:
        return None  # reported where the profile is loaded for the handout
    return clinic.lang if clinic is not None else None


def read_clinic(path: Path | None = None) -> Clinic | None:
    """The profile as written, placeholders included (for `clinic show`)."""
    if path is None:
        path = default_clinic_path()
        if not path.is_file():
            return None
    source = load_yaml(path, what="clinic profile")
    clinic, problems = validate(Clinic, source)
    if clinic is None:
        raise BackplanError(problems, title="The clinic profile has problems")
    base = path.resolve().parent
    updates: dict[str, Path] = {}
    for key in ("logo", "templates"):
        value = getattr(clinic, key)
        if value is None:
            continue
        unusable = path_problem(value)
        if unusable is not None:
            problems.append(source.problem((key,), f"`{key}`: {unusable}"))
            continue
        try:
            full = (base / value.expanduser()).resolve()
        except (OSError, RuntimeError) as exc:  # ~user that does not exist, a link loop
            problems.append(source.problem((key,), f"`{key}`: cannot use this path: {exc}"))
            continue
        if key == "logo" and not full.is_file():
            problems.append(source.problem((key,), f"`logo`: no such image file: {full}"))
        elif key == "logo" and full.suffix.lower() not in LOGO_SUFFIXES:
            problems.append(
                source.problem((key,), f"`logo` must be one of {', '.join(LOGO_SUFFIXES)}")
            )
        elif key == "templates" and not full.is_dir():
            problems.append(source.problem((key,), f"`templates`: no such folder: {full}"))
        updates[key] = full
    if problems:
        raise BackplanError(problems, title="The clinic profile has problems")
    return clinic.model_copy(update=updates)


def clinic_template_text() -> str:
    """A commented starter profile that loads as it is; the clinic edits it."""
    return _STARTER


_STARTER = """\
# backplan clinic profile: printed in the header and footer of every handout.
# Replace every value marked FILL IN (a handout leaves a field out, with a warning, while
# it still says FILL IN). Lines starting with # are comments.
# Check it with: backplan clinic show

name: "FILL IN: your clinic's name"
address: "FILL IN: street, city"
phone: "FILL IN: the phone patients call"
# email: desk@yourclinic.example
# website: https://yourclinic.example

# Opening hours, one line per group of days. Keep the quotes around times.
# A line may carry its Spanish version for handouts in Spanish.
# hours:
#   - days: Mon, Wed, Fri
#     times: "9:00 am-12:30 pm, 3:30 pm-7:00 pm"
#     translations:
#       es: {days: "lun, mié, vie", times: "9:00-12:30, 15:30-19:00"}
#   - days: Sat
#     times: "9:00 am-1:00 pm"

# The clinician named on handouts when the answers file gives none (`clinician:`).
# clinician: Dr. Jane Doe, DC

# A logo image (PNG, JPEG or SVG), relative to this file's folder or absolute.
# logo: logo.png

# Defaults for every handout (an option on the command line still wins):
# paper: letter        # or a4
# lang: en             # or es: the handout's language when the answers name none
# large_print: false   # true: 14 pt text, wider spacing, bigger pictures and log boxes

# A folder of templates that replace the built-in ones (same file names:
# handout.html.j2, stop.html.j2, handout.css, ...).
# templates: templates
"""
