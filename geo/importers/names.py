"""Names that come from people: the dataset name an import is saved under, and the file name.

Both are shown to every visitor of the app. A dataset name may hold only letters, digits,
spaces and ``. _ - ( )``, starting with a letter or digit, so it can never be read as Markdown,
HTML or a path (``![t](http://tracker.example/ds.png)`` is refused); pages still show it as plain
text. A file name is kept without its folder: the command line is often given an absolute path,
and the path of someone's home folder is not something to show every visitor.
"""

import re
from pathlib import PureWindowsPath

from geo.schema import SHIPPED_DATASET

MAX_NAME = 64
SAFE_NAME = re.compile(rf"\w[\w .()-]{{0,{MAX_NAME - 1}}}")
UNSAFE_RUN = re.compile(r"[^\w .()-]+")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_FILE_NAME = 200


def check_dataset_name(name: str) -> str:
    """``name`` stripped, if it is a safe dataset name; ValueError (a sentence) if not."""
    name = str(name).strip()
    if not name:
        raise ValueError("give the dataset a name")
    if not SAFE_NAME.fullmatch(name):
        raise ValueError(f"a dataset name may hold only letters, digits, spaces and . _ - ( ), start with a "
                         f"letter or digit and be at most {MAX_NAME} characters long")
    return name


def check_import_name(name: str) -> str:
    """``name`` if an import may be saved under it: safe (``check_dataset_name``) and not the
    shipped data's name; ValueError (a sentence) if not."""
    name = check_dataset_name(name)
    if name == SHIPPED_DATASET:
        raise ValueError(f"{name!r} is the name of the shipped data; choose another name")
    return name


def upload_name(file_name: str, typed: str = "") -> str:
    """The name an upload is saved under: what the person typed, else ``default_dataset_name``."""
    return str(typed).strip() or default_dataset_name(file_name)


def default_dataset_name(file_name: str) -> str:
    """A safe dataset name made from a file name: its stem, unsafe characters as ``_``."""
    label = file_label(file_name)
    stem = label.rsplit(".", 1)[0] or label
    name = UNSAFE_RUN.sub("_", stem).strip(" ._-")[:MAX_NAME].strip()
    return name or "imported"


def file_label(file_name: str) -> str:
    """The file's own name, without any folder (``/`` or ``\\``) and control characters."""
    name = PureWindowsPath(str(file_name)).name  # splits at both / and \\
    return CONTROL.sub("", name)[:MAX_FILE_NAME] or "upload"
