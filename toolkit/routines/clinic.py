"""The clinic's own details, kept once in a clinic file and put on every handout.

A clinic writes ``clinic.yaml`` in its workspace (:func:`toolkit.paths.workspace_dir`), points
``$HEPKIT_CLINIC`` at a clinic file kept elsewhere, or passes one file to one export
(``hepkit export --clinic FILE``)::

    name: Riverside Physio
    phone: 01234 567890
    email: desk@riverside.example
    website: https://riverside.example/contact
    address: |-
      1 River Street
      Townsville

The fields are those of a routine's ``clinic:`` (:class:`~toolkit.routines.models.Contact`).
The reference routines carry a placeholder clinic; :func:`sample_clinic_warning` says so, so
that no patient takes home a handout with a made-up telephone number.
"""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.errors import ExportError
from toolkit.paths import workspace_dir
from toolkit.routines.documents import read_document, validate_document
from toolkit.routines.models import Contact

__all__ = [
    "CLINIC_FILE",
    "SAMPLE_CLINIC_NAME",
    "SAMPLE_CLINIC_PHONE",
    "clinic_path",
    "load_clinic",
    "handout_clinic",
    "is_sample_clinic",
    "sample_clinic_warning",
]

#: Name of the clinic file in the workspace.
CLINIC_FILE = "clinic.yaml"

#: The placeholder clinic of the reference routines.
SAMPLE_CLINIC_NAME = "Sample Clinic (replace with your clinic's details)"
SAMPLE_CLINIC_PHONE = "555-0100"


def clinic_path() -> Path:
    """Where the clinic file is looked for: ``$HEPKIT_CLINIC``, else ``<workspace>/clinic.yaml``."""
    override = os.environ.get("HEPKIT_CLINIC")
    if override:
        return Path(override)
    return workspace_dir() / CLINIC_FILE


def load_clinic(path: str | Path | None = None) -> Contact | None:
    """The clinic's details from a clinic file.

    Parameters
    ----------
    path : str or Path, optional
        The clinic file (YAML or JSON). Default :func:`clinic_path`, which may be absent.

    Returns
    -------
    Contact or None
        The details; None when no path was given and the workspace has no clinic file.

    Raises
    ------
    ExportError
        ``path`` was given and does not exist.
    InvalidDocumentError
        The file is not a valid clinic (each problem located, e.g. ``email``).
    """
    if path is None:
        path = clinic_path()
        if not path.is_file():
            return None
    path = Path(path)
    if not path.is_file():
        raise ExportError(
            f"clinic file {path} does not exist; write one with name, phone, email, website "
            "and address (see the README)"
        )
    return validate_document(read_document(path), Contact, path)


def handout_clinic(routine_clinic: Contact, clinic: Contact | None = None) -> Contact:
    """The clinic a handout names: ``clinic`` if given, else the workspace's, else the routine's.

    Parameters
    ----------
    routine_clinic : Contact
        The ``clinic:`` written in the routine.
    clinic : Contact, optional
        Details from a clinic file chosen by the caller (``--clinic FILE``).
    """
    if clinic is not None:
        return clinic
    return load_clinic() or routine_clinic


def is_sample_clinic(clinic: Contact) -> bool:
    """Whether ``clinic`` is still the reference routines' placeholder (its name or phone)."""
    return clinic.name == SAMPLE_CLINIC_NAME or clinic.phone == SAMPLE_CLINIC_PHONE


def sample_clinic_warning(clinic: Contact) -> str | None:
    """A warning to show when a handout would name the placeholder clinic, else None."""
    if not is_sample_clinic(clinic):
        return None
    return (
        f"warning: the handout names the sample clinic ({clinic.name}, {clinic.phone}); "
        f"patients need your clinic's details. Write them in {clinic_path()} or pass "
        "--clinic FILE"
    )
