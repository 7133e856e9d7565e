"""Dependency hygiene: what the manifests declare must be what the code imports."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

from pipeline.probes.base import Probe
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.manifests import Manifests, Requirement
from pipeline.probes.views.repo import RepoView
from pipeline.schemas import Category, CheckResult, Severity

_IMPORT_NAMES = {
    "djangorestframework": "rest_framework",
    "djangorestframework-simplejwt": "rest_framework_simplejwt",
    "pyyaml": "yaml",
    "python-dotenv": "dotenv",
    "beautifulsoup4": "bs4",
    "pillow": "PIL",
    "scikit-learn": "sklearn",
    "opencv-python": "cv2",
    "python-dateutil": "dateutil",
    "pyjwt": "jwt",
    "python-jose": "jose",
    "protobuf": "google.protobuf",
    "attrs": "attr",
    "psycopg2-binary": "psycopg2",
    "python-json-logger": "pythonjsonlogger",
    "sentry-sdk": "sentry_sdk",
    "grpcio": "grpc",
    "pyzmq": "zmq",
    "pycryptodome": "Crypto",
    "dnspython": "dns",
    "gitpython": "git",
    "typing-extensions": "typing_extensions",
    "python-multipart": "multipart",
    "msgpack-python": "msgpack",
    "markdown-it-py": "markdown_it",
    "pymupdf": "fitz",
    "pyxdg": "xdg",
    "pyserial": "serial",
    "pyopenssl": "OpenSSL",
    "pycryptodomex": "Cryptodome",
    # Windows and macOS stand-ins that install the `readline` module (simonw/llm).
    "pyreadline3": "readline",
    "pyreadline": "readline",
    "gnureadline": "readline",
}
# Used without an import: servers, drivers picked by URL, CLIs, plugins and stubs.
_IMPLICIT = {
    "uvicorn",
    "gunicorn",
    "uwsgi",
    "pyuwsgi",
    "flower",  # Celery's monitor, started as `celery flower`
    "waitress",
    "daphne",
    "granian",
    "hypercorn",
    "psycopg2",
    "psycopg2-binary",
    "psycopg",
    "pymysql",
    "mysqlclient",
    "asyncpg",
    "setuptools",
    "wheel",
    "pip",
    "alembic",
    "python-multipart",
    "email-validator",
    "uvloop",
    "httptools",
    "gevent",
    "eventlet",
    "tzdata",
    "certifi",
    "torch",
    "typing-extensions",
    "greenlet",
    "aiosqlite",
    # tiktoken's load_tiktoken_bpe reads model files through it.
    "blobfile",
}


# Development tools a requirements file lists to be run (from the shell, tox or CI), never
# imported.
_RUN_NOT_IMPORTED = {
    # The notebook environment: run (or loaded by the front end), not imported.
    "jupyter",
    "jupyterlab",
    "notebook",
    "ipywidgets",
    "ipykernel",
    "nbconvert",
    "jupytext",
    "black",
    "flake8",
    "mypy",
    "tox",
    "nox",
    "twine",
    "build",
    "bumpversion",
    "bump2version",
    "bump-my-version",
    "ruff",
    "pre-commit",
    "isort",
    "pylint",
    "coverage",
    "sphinx",
    "mkdocs",
    "hatch",
    "pip-tools",
    "invoke",
    "codespell",
}


class UnusedDependencies(Probe):
    """Some declared runtime dependencies are never imported."""

    id = "CQ012"
    category = Category.code_quality
    severity = Severity.low
    title = "Declared dependencies are never imported"
    rationale = "Unused dependencies bloat installs and widen the supply-chain attack surface."
    remediation = "Remove dependencies the code does not import (or document why they stay)."

    def check(self, repo: RepoView, imports: Imports, manifests: Manifests) -> CheckResult:
        # A frozen requirements file (every line pinned with ==) lists the transitive closure
        # pip resolved, not what the code declares it needs.
        frozen = set(manifests.frozen_requirements(nearly=True))
        py = [r for r in manifests.python_requirements() if not r.dev and r.path not in frozen]
        js = [r for r in manifests.node_packages() if not r.dev]
        if not py and not js:
            if frozen:
                return self.not_applicable(
                    f"The Python requirements are a pinned freeze "
                    f"({', '.join(sorted(frozen)[:2])}): "
                    "it lists transitive packages beside direct ones, so an unimported entry "
                    "says nothing about what the code needs."
                )
            return self.not_applicable("No Python or npm runtime dependencies are declared.")
        scripts = manifests.text()
        product = set(imports.table()) | _dotted_strings(repo)
        # Single-file components compile against their framework without importing it.
        for suffix, framework in ((".vue", "vue"), (".svelte", "svelte")):
            if any(f.path.endswith(suffix) for f in repo.files):
                product.add(framework)
        configs = "\n".join(
            repo.text(f.path)
            for f in repo.files
            if _LOADER_CONFIG.match(PurePosixPath(f.path).name)
        )
        unused = _unused(py, js, product, scripts, configs)
        if unused:
            # Only now read the tests: parsing every test file is the expensive part.
            everything = product | set(imports.table(tests=True)) | _notebook_imports(repo)
            unused = _unused(
                [r for r in unused if r.ecosystem == "python"],
                [r for r in unused if r.ecosystem != "python"],
                everything,
                scripts,
                configs,
            )
        if unused:
            names = ", ".join(r.name for r in unused[:6])
            return self.failed(
                [repo.evidence(r.path, r.line) for r in unused[:5]],
                f"Declared but never imported: {names}.",
            )
        first_req = (py or js)[0]
        return self.passed(
            [repo.evidence(first_req.path, first_req.line)],
            f"All {len(py) + len(js)} runtime dependencies are imported, or are servers, "
            "drivers or tools used without an import.",
        )


# A dotted path in a string: settings name classes for a framework to import
# ("whitenoise.middleware.WhiteNoiseMiddleware" in Django's MIDDLEWARE).
_DOTTED_STRING = re.compile(r"""["']([A-Za-z_]\w*)((\.[A-Za-z_]\w*){2,})["']""")
# A file name is no module path: "celery.log", "app.config.json".
_FILE_SUFFIX = re.compile(
    r"\.(json|ya?ml|conf|cfg|ini|toml|log|txt|md|rst|html?|css|js|py|xml|csv|pem|key|sql|db)$"
)
_INSTALLED_APPS = re.compile(r"(?s)\bINSTALLED_APPS\s*[+]?=\s*[\[(](.*?)[\])]")
# Backends a package loads by dotted path, and the client library each one needs.
_BACKEND_NEEDS = {
    "storages.backends.s3": "boto3",
    "storages.backends.gcloud": "google.cloud.storage",
    "storages.backends.azure_storage": "azure.storage.blob",
}


def _dotted_strings(repo: RepoView) -> set[str]:
    """Modules product Python names in dotted-path strings, and the client libraries the
    storage backends it names load (bakerydemo's production settings: whitenoise's
    middleware, django-storages' s3boto3 and gcloud backends, which need boto3 and
    google-cloud-storage)."""
    found: set[str] = set()
    for f in repo.code_files("python"):
        text = repo.text(f.path)
        # Django loads every app INSTALLED_APPS names ('crispy_bootstrap5', 'fontawesomefree').
        for block in _INSTALLED_APPS.finditer(text):
            found.update(re.findall(r"""["']([A-Za-z_][\w.]*)["']""", block.group(1)))
        for m in _DOTTED_STRING.finditer(text):
            dotted = m.group(1) + m.group(2)
            if _FILE_SUFFIX.search(dotted):
                continue
            found.add(dotted)
            found.update(
                need for prefix, need in _BACKEND_NEEDS.items() if dotted.startswith(prefix)
            )
    return found


_NOTEBOOK_IMPORT = re.compile(
    r"^\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w.]+(?:\s*,\s*[\w.]+)*))"
)


def _notebook_imports(repo: RepoView) -> set[str]:
    """Modules imported by the code cells of in-scope Jupyter notebooks."""
    found: set[str] = set()
    for f in repo.files:
        if not f.path.endswith(".ipynb") or not repo.in_scope(f.path):
            continue
        try:
            cells = json.loads(repo.text(f.path)).get("cells", [])
        except (ValueError, AttributeError):
            continue
        for cell in cells if isinstance(cells, list) else []:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            lines = source if isinstance(source, list) else str(source).splitlines()
            for line in lines:
                match = _NOTEBOOK_IMPORT.match(str(line))
                if match:
                    names = match.group(1) or match.group(2)
                    found.update(n.strip() for n in names.split(","))
    return found


# Packages other packages require as peers: declared for them, imported by nobody here.
_PEER_OF = {
    "@emotion/react": ("@mui/material", "@mui/joy", "@mui/system", "@emotion/styled"),
    "@emotion/styled": ("@mui/material", "@mui/system"),
    "react-dom": ("react", "next"),
    "@popperjs/core": ("bootstrap",),
    "vue-template-compiler": ("vue",),
}
# Database drivers an ORM or query builder loads by name from its configuration
# (express-ts-boilerplate: TypeORM picks mysql or pg from TYPEORM_CONNECTION).
_ORMS = ("typeorm", "knex", "sequelize", "@mikro-orm/core", "objection")
for _driver in ("pg", "pg-hstore", "mysql", "mysql2", "sqlite3", "better-sqlite3", "tedious"):
    _PEER_OF[_driver] = _ORMS
for _driver in ("oracledb", "mariadb"):
    _PEER_OF[_driver] = _ORMS
# Files that load packages by name: linters' and bundlers' configs, task runners' scripts.
_LOADER_CONFIG = re.compile(
    r"^(\.eslintrc(\.\w+)?|eslint\.config\.\w+|\.babelrc|babel\.config\.\w+|"
    r"postcss\.config\.\w+|tailwind\.config\.\w+|jest\.config\.\w+|webpack\.config\.\w+|"
    r"\.prettierrc(\.\w+)?|prettier\.config\.\w+|package-scripts\.\w+|nodemon\.json|"
    r"\.mocharc(\.\w+)?|\.stylelintrc(\.\w+)?|commitlint\.config\.\w+|\.commitlintrc(\.\w+)?)$"
)


def _loaded_by_config(name: str, configs: str) -> bool:
    """Whether a config file names the package, in full or as ESLint abbreviates it
    (`eslint-config-x` as "x", `@scope/eslint-config` as "@scope", `eslint-plugin-y` as
    "plugin:y" or "y")."""
    if not configs:
        return False
    forms = {name}
    for kind in ("eslint-config", "eslint-plugin"):
        if name.startswith("@") and name.endswith(f"/{kind}"):
            forms.add(name.split("/")[0])
        elif f"{kind}-" in name:
            forms.add(name.replace(f"{kind}-", ""))
    if any(re.search(rf"(?<![\w@/.-]){re.escape(f)}(?![\w-])", configs) for f in forms):
        return True
    # A shareable ESLint config brings its own plugins and parsers as peers (excalidraw-room
    # extends @excalidraw/eslint-config and declares the plugins it needs beside it).
    return "eslint" in name and re.search(r"[\"']extends[\"']?\s*:", configs) is not None


def _unused(
    py: list[Requirement],
    js: list[Requirement],
    table: set[str],
    scripts: str,
    configs: str = "",
) -> list[Requirement]:
    tops = {name.split(".")[0].split("/")[0] for name in table}
    # Import names are case-sensitive, distribution names are not: ipython is `import IPython`.
    tops |= {top.lower() for top in tops}
    unused = []
    for req in py:
        key = req.name.lower()
        if key in _IMPLICIT or key.startswith(("types-", "pytest")) or key.endswith("-stubs"):
            continue
        if key in _RUN_NOT_IMPORTED:
            continue
        candidates = {
            _IMPORT_NAMES.get(key, key.replace("-", "_")),
            key.replace("-", "."),
            key.split("-")[0].replace(".", "_"),
            key.replace(".", "_"),
            key.removesuffix("-py").removeprefix("py-").replace("-", "_"),
            # python-slugify is `import slugify`, python-dateutil `import dateutil`.
            key.removeprefix("python-").replace("-", "_"),
        }
        if not any(c.split(".")[0] in tops or c in table for c in candidates):
            unused.append(req)
    declared = {r.name for r in js}
    for req in js:
        if req.name.startswith("@types/"):
            continue
        if declared & set(_PEER_OF.get(req.name, ())):
            continue  # a peer dependency another declared package requires
        used = any(n == req.name or n.startswith(req.name + "/") for n in table)
        if not used and scripts.count(req.name) < 2 and not _loaded_by_config(req.name, configs):
            unused.append(req)
    return unused
