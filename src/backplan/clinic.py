"""The clinic profile: who hands out the plan, printed in the handout's header and footer.

A small YAML file (`backplan clinic init` writes a starter one to the user's config folder).
Relative `logo` and `templates` paths are read from the profile's own folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from backplan.errors import BackplanError
from backplan.files import path_problem

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp")


class Hours(BaseModel):
    # Built on first use: most runs have no clinic profile and never validate one.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    days: Text = Field(description="Days, as you would write them: `Mon-Fri`.")
    times: Text = Field(description="Opening times on those days: `8:00-18:00`.")

    @field_validator("times", mode="before")
    @classmethod
    def _quoted(cls, value: object) -> object:
        # YAML 1.1 reads an unquoted 9:30 as the number 570 (base 60)
        if isinstance(value, int | float):
            raise ValueError('put quotes around the times, like "9:00-12:00"')
        return value


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

    def contact_lines(self) -> list[str]:
        """Address, phone, email and website, each a line, in that order, skipping blanks."""
        return [v for v in (self.address, self.phone, self.email, self.website) if v]

    def hours_lines(self) -> list[str]:
        return [f"{h.days}: {h.times}" for h in self.hours]


def default_clinic_path() -> Path:
    """Where `clinic init` writes the profile and where the tool looks when no --clinic is given."""
    from platformdirs import user_config_path

    return user_config_path("backplan") / "clinic.yaml"


def load_clinic(path: Path | None = None) -> Clinic | None:
    """The profile at `path`, or the default one if it exists, or None. Raises BackplanError."""
    from backplan.validation import validate
    from backplan.yamlsource import load_yaml

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
# Edit the values, keep the keys. Lines starting with # are comments.
# Check it with: backplan clinic show

name: Your Clinic Name
address: 1 Main Street, Springfield
phone: 555-0100
email: front-desk@example.com
# website: https://example.com

# Opening hours, one line per group of days. Keep the quotes around times.
hours:
  - days: Mon-Fri
    times: "8:00-18:00"
  - days: Sat
    times: "9:00-12:00"

# The clinician named on handouts when the answers file gives none (`clinician:`).
# clinician: Dr. Jane Doe, DC

# A logo image (PNG, JPEG or SVG), relative to this file's folder or absolute.
# logo: logo.png

# A folder of templates that replace the built-in ones (same file names:
# handout.html.j2, stop.html.j2, handout.css, ...).
# templates: templates
"""
