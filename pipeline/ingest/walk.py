"""Which files a repository holds, as git sees them, minus what nobody should assess."""

from __future__ import annotations

import os
import posixpath
import re
import stat
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pathspec

from pipeline.errors import InputError
from pipeline.secrets import find_secrets

VENDORED_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        "vendor",
        "third_party",
        "third-party",
        "thirdparty",
        ".venv",
        "venv",
        "site-packages",
        "bower_components",
        "jspm_packages",
        "target",
        "dist",
        "build",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".eggs",
        ".gradle",
        ".next",
        ".nuxt",
        ".terraform",
        ".idea",
        ".vscode",
        "coverage",
        "htmlcov",
        "_vendor",  # pip's and setuptools' vendored packages
        ".yarn",  # Yarn's cache, unplugged packages and its own release
        ".pnpm-store",
    }
)
# A folder named build/ is often where a project keeps how it is built (gotenberg's
# build/Dockerfile), not only what a build wrote: its recipes are read, its outputs are not.
_RECIPE_DIRS = frozenset({"build"})
_RECIPE_NAME = re.compile(
    r"(?i)^(dockerfile([._-][\w.-]+)?|[\w.-]+\.dockerfile|containerfile|makefile|[\w.-]+\.mk|"
    r"[\w.-]+\.(sh|bash|ya?ml|toml|cmake)|cmakelists\.txt|docker-compose[\w.-]*)$"
)


def _recipe(part: str, parts: tuple[str, ...]) -> bool:
    """Whether a file under ``part`` (a build-output folder name) is a build recipe kept
    there on purpose: only in a build/ folder, and only Dockerfiles, scripts, Makefiles and
    configuration (a bundle or a compiled file there is still output)."""
    # Near the top of the folder only: Gradle's build/resources/main/application.yml is
    # output, whatever its name.
    if part not in _RECIPE_DIRS or not _RECIPE_NAME.match(parts[-1]):
        return False
    return len(parts) - parts.index(part) <= 3


# `cargo vendor` writes this beside every crate it copies, whatever the folder is called.
CARGO_VENDORED_MARK = ".cargo-checksum.json"
BINARY_EXTENSIONS = frozenset(
    [
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".bmp",
        ".ico",
        ".webp",
        ".tif",
        ".tiff",
        ".psd",
        ".pdf",
        ".zip",
        ".gz",
        ".tgz",
        ".bz2",
        ".xz",
        ".7z",
        ".rar",
        ".tar",
        ".jar",
        ".war",
        ".ear",
        ".class",
        ".so",
        ".dylib",
        ".dll",
        ".exe",
        ".bin",
        ".o",
        ".a",
        ".lib",
        ".pyc",
        ".pyo",
        ".whl",
        ".egg",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".mp3",
        ".mp4",
        ".wav",
        ".ogg",
        ".mov",
        ".avi",
        ".webm",
        ".sqlite",
        ".db",
        ".parquet",
        ".pkl",
        ".pickle",
        ".npy",
        ".npz",
        ".h5",
        ".onnx",
        ".pt",
        ".safetensors",
        ".lockb",
        ".wasm",
        ".dmg",
        ".iso",
    ]
)
_GENERATED_NAME = re.compile(
    r"(?:\.min\.(?:js|css|mjs)|\.bundle\.js|\.pb\.go|_pb2(?:_grpc)?\.pyi?|\.pb\.(?:cc|h)"
    r"|\.g\.dart|\.designer\.cs|\.js\.map|\.css\.map|[._]generated\.\w+)$",
    re.IGNORECASE,
)
# Scope keeps these repository-level paths: they apply to every project of a monorepo.
# Under --scope, these root folders still apply to the scoped package (CI, docs, deployment).
_REPO_LEVEL_DIRS = (
    ".github/",
    ".gitlab/",
    ".circleci/",
    ".ci/",
    ".buildkite/",
    "docs/",
    "deploy/",
    "deployment/",
    "k8s/",
    "kubernetes/",
    "helm/",
    "charts/",
    "docker/",
)


@dataclass
class Listing:
    """Candidate files (relative POSIX paths) and what the walk already left out."""

    paths: list[str]
    skipped: Counter[str] = field(default_factory=Counter)
    git: bool = False
    commit: str | None = None
    unreadable: list[str] = field(default_factory=list)  # files and folders we may not read
    # Symbolic links to another listed file (tenacity's README.rst -> doc/source/index.rst):
    # never followed, but their target's content may stand under their name.
    links: dict[str, str] = field(default_factory=dict)


def list_files(root: Path, scope: str | None = None) -> Listing:
    """List the files of ``root``: git's view when it is a work tree, else a .gitignore walk."""
    listing = _git_listing(root)
    if listing is None:
        listing = _walk_listing(root)
    secret_names = names_with_secrets(listing.paths + listing.unreadable)
    listing.unreadable = [
        p for p in listing.unreadable if p not in secret_names and not _UNSAFE_NAME.search(p)
    ]
    crates = tuple(
        path[: -len(CARGO_VENDORED_MARK)]
        for path in listing.paths
        if PurePosixPath(path).name == CARGO_VENDORED_MARK and "/" in path
    )
    kept: list[str] = []
    for path in listing.paths:
        parts = PurePosixPath(path).parts
        if any(part in VENDORED_DIRS for part in parts[:-1] if not _recipe(part, parts)) or (
            crates and path.startswith(crates)
        ):
            listing.skipped["vendored"] += 1
        elif not _is_utf8(path):  # a name that JSON reports and citations cannot carry
            listing.skipped["undecodable_name"] += 1
        elif _UNSAFE_NAME.search(path):
            listing.skipped["unsafe_name"] += 1
        elif path in secret_names:  # every report, prompt and cache would carry the name
            listing.skipped["secret_in_name"] += 1
        elif scope and not in_scope(path, scope):
            listing.skipped["out_of_scope"] += 1
        else:
            kept.append(path)
    listing.paths = sorted(kept)
    listed = set(kept)
    # A link's own name passes every filter a file's does: a secret in its name, a
    # vendored folder, an unsafe or undecodable name, the scope.
    link_secrets = names_with_secrets(list(listing.links))
    listing.links = {
        link: target
        for link, target in listing.links.items()
        if target in listed
        and _is_utf8(link)
        and not _UNSAFE_NAME.search(link)
        and link not in secret_names
        and link not in link_secrets
        and not any(part in VENDORED_DIRS for part in PurePosixPath(link).parts[:-1])
        and not (scope and not in_scope(link, scope))
    }
    return listing


def names_with_secrets(paths: list[str]) -> set[str]:
    """The paths whose names hold a secret (a token saved as its own file name, say).

    Such a file is left out whole: its name would reach every list of files, citation,
    prompt and cache entry, and masking it everywhere would break every citation of it.
    """
    names = [p for p in paths if _is_utf8(p) and not _UNSAFE_NAME.search(p)]
    if not names:
        return set()
    return {names[match.line - 1] for match in find_secrets("\n".join(names))}


def normalize_scope(root: Path, scope: str | None) -> str | None:
    """The scope as a relative POSIX directory, or InputError when the repository lacks it."""
    if scope is None:
        return None
    cleaned = PurePosixPath(scope.replace("\\", "/")).as_posix().strip("/")
    cleaned = cleaned.removeprefix("./")
    if cleaned in ("", "."):
        return None
    if ".." in PurePosixPath(cleaned).parts or not (root / cleaned).is_dir():
        raise InputError(f"no such directory in the repository for --scope: {scope}")
    return cleaned


# Root test folders: with a scope, their files are read, and kept when they test the scope.
ROOT_TEST_DIRS = ("tests/", "test/", "spec/", "__tests__/", "testing/", "e2e/", "integration/")


def in_scope(path: str, scope: str) -> bool:
    """Under the scope, or a repository-level file (top-level files, CI, root docs), or a
    root test file that may test the scope (ingest keeps it only if it names the scope)."""
    return (
        path.startswith(scope + "/")
        or "/" not in path
        or path.startswith(_REPO_LEVEL_DIRS)
        or path.startswith(ROOT_TEST_DIRS)
    )


def is_generated_name(path: str) -> bool:
    """Minified bundles, protobuf and other generators' output, by name."""
    return _GENERATED_NAME.search(path) is not None


# Names no report can show as they are: a line break could forge lines in a prompt, bidi
# controls make a name read as another, and a backtick or a pipe breaks the Markdown code
# spans and table cells that cite it (pipes and backticks are not portable names anyway).
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029\u202a-\u202e\u2066-\u2069`|]")


def _is_utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _git(root: Path, *args: str, stdin: bytes | None = None) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-c", "safe.directory=*", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", "surrogateescape")


def _git_listing(root: Path) -> Listing | None:
    if (_git(root, "rev-parse", "--is-inside-work-tree") or "").strip() != "true":
        return None
    if _git(root, "check-ignore", "-q", ".") is not None:
        return None  # a folder the enclosing repository ignores: git lists nothing in it
    out = _git(root, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    if out is None:
        return None
    listing = Listing(paths=[], git=True)
    for path in dict.fromkeys(p for p in out.split("\0") if p):
        try:
            mode = os.lstat(root / path).st_mode
        except PermissionError:  # a tracked file in a folder we may not enter
            listing.skipped["unreadable"] += 1
            listing.unreadable.append(path)
            continue
        except OSError:  # deleted in the work tree
            listing.skipped["not_a_file"] += 1
            continue
        if stat.S_ISLNK(mode):
            listing.skipped["symlink"] += 1
            _note_link(root, path, listing)
        elif stat.S_ISDIR(mode):  # a submodule
            listing.skipped["not_a_file"] += 1
        elif not stat.S_ISREG(mode):  # a FIFO, socket or device
            listing.skipped["not_regular"] += 1
        else:
            listing.paths.append(path)
    marked = _linguist_marks(root, listing.paths)
    if marked:
        listing.paths = [p for p in listing.paths if p not in marked]
        listing.skipped.update(marked.values())
    commit = (_git(root, "rev-parse", "--verify", "-q", "HEAD") or "").strip()
    listing.commit = commit or None
    return listing


def _note_link(root: Path, path: str, listing: Listing) -> None:
    """Remember where a symbolic link points when its target, read as text and resolved
    without touching the file system, is a relative path that stays inside the repository.
    Whether that target is a listed regular file is decided once the listing is complete."""
    try:
        target = os.readlink(root / path)
    except OSError:
        return
    if not target or os.path.isabs(target):
        return
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    if joined.startswith("../") or joined in ("..", "."):
        return
    listing.links[path] = joined


def _linguist_marks(root: Path, paths: list[str]) -> dict[str, str]:
    """Files the owners marked ``linguist-generated`` or ``linguist-vendored`` in .gitattributes."""
    if not any(p == ".gitattributes" or p.endswith("/.gitattributes") for p in paths):
        return {}
    out = _git(
        root,
        "check-attr",
        "-z",
        "--stdin",
        "linguist-generated",
        "linguist-vendored",
        stdin="\0".join(paths).encode("utf-8", "surrogateescape") + b"\0",
    )
    fields = (out or "").split("\0")
    marks: dict[str, str] = {}
    for path, attribute, value in zip(fields[0::3], fields[1::3], fields[2::3], strict=False):
        if value in ("set", "true"):
            marks.setdefault(path, "generated" if attribute == "linguist-generated" else "vendored")
    return marks


def _walk_listing(root: Path) -> Listing:
    """Walk without git: nested .gitignore files apply below their folder, deepest last."""
    listing = Listing(paths=[])
    specs: dict[str, pathspec.GitIgnoreSpec] = {}

    def unreadable(error: OSError) -> None:
        listing.skipped["unreadable_dir"] += 1
        name = Path(str(error.filename or "")).resolve()
        if name.is_relative_to(root):
            listing.unreadable.append(name.relative_to(root).as_posix() + "/")

    for current, dirnames, filenames in os.walk(
        root, topdown=True, followlinks=False, onerror=unreadable
    ):
        rel_dir = Path(current).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        if ".gitignore" in filenames:
            spec = _read_gitignore(Path(current) / ".gitignore")
            if spec is not None:
                specs[rel_dir] = spec
        kept_dirs = []
        for name in sorted(dirnames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if name in VENDORED_DIRS and name not in _RECIPE_DIRS:
                listing.skipped["vendored_dir"] += 1
            elif os.path.islink(os.path.join(current, name)):
                listing.skipped["symlink"] += 1
            elif _ignored(specs, rel, is_dir=True):
                listing.skipped["gitignored_dir"] += 1
            else:
                kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in filenames:
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if os.path.islink(os.path.join(current, name)):
                listing.skipped["symlink"] += 1
                if not _ignored(specs, rel, is_dir=False):
                    _note_link(root, rel, listing)
            elif _ignored(specs, rel, is_dir=False):
                listing.skipped["gitignored"] += 1
            else:
                listing.paths.append(rel)
    marked = _attribute_marks(root, listing.paths)
    if marked:
        listing.paths = [p for p in listing.paths if p not in marked]
        listing.skipped.update(marked.values())
    return listing


_LINGUIST = {"linguist-vendored": "vendored", "linguist-generated": "generated"}


def _attribute_marks(root: Path, paths: list[str]) -> dict[str, str]:
    """Without git (an sdist, a tarball): ``linguist-vendored``/``-generated`` read from the
    .gitattributes files themselves; deeper files and later lines decide last, as in git."""
    rules: list[tuple[str, pathspec.PathSpec, str, bool]] = []
    for attributes in sorted(
        (p for p in paths if PurePosixPath(p).name == ".gitattributes"), key=lambda p: p.count("/")
    ):
        base = attributes[: -len(".gitattributes")]
        try:
            lines = (root / attributes).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            spec = pathspec.PathSpec.from_lines("gitwildmatch", [fields[0]])
            for attribute in fields[1:]:
                name, _, value = attribute.lstrip("-!").partition("=")
                if name in _LINGUIST:
                    on = not attribute.startswith(("-", "!")) and value in ("", "true")
                    rules.append((base, spec, _LINGUIST[name], on))
    marks: dict[str, str] = {}
    for path in paths if rules else ():
        decided: dict[str, bool] = {}
        for base, spec, mark, on in rules:
            if path.startswith(base) and spec.match_file(path[len(base) :]):
                decided[mark] = on
        for mark in ("generated", "vendored"):
            if decided.get(mark):
                marks.setdefault(path, mark)
    return marks


def _read_gitignore(path: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(specs: dict[str, pathspec.GitIgnoreSpec], rel: str, is_dir: bool) -> bool:
    decision = False
    for base, spec in specs.items():  # inserted top-down, so deeper files decide last
        if base and not rel.startswith(base + "/"):
            continue
        sub = rel[len(base) + 1 :] if base else rel
        result = spec.check_file(sub + "/" if is_dir else sub)
        if result.include is not None:
            decision = bool(result.include)
    return decision
