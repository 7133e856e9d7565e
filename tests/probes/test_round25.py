"""What held-out round 25 taught (jsonschema, scc, ...): each case rebuilt small beside the
one that must keep its old answer."""

from __future__ import annotations

from pathlib import Path

from tests.probes.conftest import profile_of

_LIB = {
    "pyproject.toml": (
        "[project]\nname = 'jsonschema'\nversion = '1.0'\ndescription = 'x'\n"
        "[project.scripts]\njsonschema = 'jsonschema.cli:main'\n"
    ),
    "jsonschema/__init__.py": "from jsonschema.validators import validate\n",
    "jsonschema/validators.py": "def validate(instance, schema):\n    return True\n",
    "jsonschema/cli.py": (
        "import argparse\n\n\ndef main():\n    argparse.ArgumentParser().parse_args()\n"
    ),
    "LICENSE": "MIT\n",
    "README.md": "# jsonschema\n",
}
# The JSON-Schema-Test-Suite, copied in whole as a git subtree: its own CI, licence, README
# and a script that serves its remotes with Flask.
_SUITE = {
    "json/.github/workflows/ci.yml": "on: push\njobs: {}\n",
    "json/LICENSE": "MIT\n",
    "json/README.md": "# JSON Schema Test Suite\n",
    "json/package.json": '{"name": "json-schema-test-suite"}\n',
    "json/bin/jsonschema_suite": (
        "#! /usr/bin/env python3\nimport flask\n\n\ndef serve():\n"
        "    app = flask.Flask(__name__)\n\n    @app.route('/<path:path>')\n"
        "    def serve_path(path):\n        return path\n\n    app.run(port=1234)\n\n\n"
        "if __name__ == '__main__':\n    serve()\n"
    ),
}


def test_a_repository_copied_in_whole_is_not_the_product(tmp_path: Path) -> None:
    profile = profile_of(tmp_path / "a", {**_LIB, **_SUITE})
    assert "web_service" not in profile.kinds and "cli" in profile.kinds, profile.reasons
    # Without its own CI the folder is the project's own (a package of a monorepo, a
    # folder with a README and a licence): its server decides the kind as before.
    own = {k: v for k, v in _SUITE.items() if ".github" not in k}
    profile = profile_of(tmp_path / "b", {**_LIB, **own, "Dockerfile": "FROM python:3.12\n"})
    assert "web_service" in profile.kinds, profile.reasons


_GO_MOD = "module example.com/scc\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n"
_BADGES = (
    'package main\n\nimport (\n\t"flag"\n\t"net/http"\n)\n\nfunc main() {\n'
    '\tport := flag.String("port", ":8080", "")\n\tflag.Parse()\n'
    '\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {})\n'
    "\thttp.ListenAndServe(*port, nil)\n}\n"
)
_COUNTER = (
    'package main\n\nimport "github.com/spf13/cobra"\n\nfunc main() {\n'
    '\troot := &cobra.Command{Use: "scc", Run: func(c *cobra.Command, a []string) {}}\n'
    "\troot.Execute()\n}\n"
)


def test_a_go_command_beside_a_go_server_is_a_command_too(tmp_path: Path) -> None:
    # scc: the cobra counter at the root, the badge server in cmd/badges.
    files = {"go.mod": _GO_MOD, "main.go": _COUNTER, "cmd/badges/main.go": _BADGES}
    files["Dockerfile"] = "FROM golang:1.22\nCOPY . .\nRUN go build -o /bin/scc\n"
    profile = profile_of(tmp_path / "a", files)
    assert {"web_service", "cli"} <= set(profile.kinds), profile.reasons
    # A second main that reads its options with the standard flag package (a migration
    # tool of the service) makes no command-line tool of a service.
    migrate = _BADGES.replace("http.ListenAndServe(*port, nil)", "println(*port)")
    files = {"go.mod": _GO_MOD, "cmd/server/main.go": _BADGES, "cmd/migrate/main.go": migrate}
    files["Dockerfile"] = "FROM golang:1.22\nCOPY . .\nRUN go build ./cmd/server\n"
    profile = profile_of(tmp_path / "b", files)
    assert "web_service" in profile.kinds and "cli" not in profile.kinds, profile.reasons


def test_requests_sessions_module_is_an_outbound_client(tmp_path: Path) -> None:
    # analytics-python: `from requests import sessions`, `sessions.Session().post(url)`.
    setup = "from setuptools import setup\nsetup(name='analytics', version='1.0', url='x')\n"
    client = (
        "from requests import sessions\n\n_session = sessions.Session()\n\n\n"
        "def post(host=None, **body):\n"
        "    url = (host or 'https://api.segment.io') + '/v1/batch'\n"
        "    return _session.post(url, json=body, timeout=15)\n"
    )
    files = {"setup.py": setup, "analytics/__init__.py": "", "analytics/request.py": client}
    profile = profile_of(tmp_path / "a", files)
    assert profile.conditions["outbound"] and "sdk" in profile.kinds, profile.reasons
