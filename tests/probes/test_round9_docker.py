"""What held-out round 9 taught the Dockerfile probes (opengist, tut-rest): an entrypoint that
drops root before the server runs, and images built without a Dockerfile, each case rebuilt
small beside the one that must stay as it is."""

from __future__ import annotations

import pytest

from tests.probes.conftest import RunProbe

# The shape of opengist's image: the repository copied in a build stage, the final stage
# without USER, its entrypoint script remapping the user and exec'ing the server through su.
_DOCKERFILE = (
    "FROM golang:1.22-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /server .\n\n"
    "FROM alpine:3.20\nRUN adduser -S app\nCOPY --from=build /server /app/server\n"
    "COPY --from=build /src/docker ./docker\n"
    'ENTRYPOINT ["./docker/entrypoint.sh"]\n'
)
_PREAMBLE = (
    '#!/bin/sh\nexport USER=app\nusermod -o -u "${UID:-1000}" $USER\n'
    'chown -R "$USER:$USER" /data\n\n'
)


def _image(entrypoint: str, dockerfile: str = _DOCKERFILE) -> dict[str, str]:
    return {
        "go.mod": "module x\n",
        "main.go": "package main\n\nfunc main() {}\n",
        "Dockerfile": dockerfile,
        "docker/entrypoint.sh": _PREAMBLE + entrypoint,
    }


@pytest.mark.parametrize(
    "drop",
    [
        'exec su $USER -c "/app/server --config /config.yml"\n',
        'exec gosu app "$@"\n',
        "exec su-exec app:app /app/server\n",
        "exec setpriv --reuid=1000 --regid=1000 --init-groups /app/server\n",
        "exec chroot --userspec=app:app / /app/server\n",
        "exec s6-setuidgid app /app/server\n",
        "exec runuser -u app -- /app/server\n",
        'if [ "$1" = server ]; then\n  set -- gosu app "$@"\nfi\nexec "$@"\n',
    ],
)
def test_an_entrypoint_that_drops_root_before_the_server_runs_it_unprivileged(
    run_probe: RunProbe, drop: str
) -> None:
    """opengist: no USER after the final FROM, but docker/entrypoint.sh ends in `exec su
    opengist -c ...`; the server never runs as root."""
    result = run_probe("DEP002", _image(drop))
    assert result.outcome.value == "pass", result.message
    line = _PREAMBLE.count("\n") + drop.count("\n") - (2 if "set --" in drop else 0)
    assert result.evidence[0].location == f"docker/entrypoint.sh:{line}"
    assert "docker/entrypoint.sh" in result.message


@pytest.mark.parametrize(
    "entrypoint",
    [
        'su app -c "/app/migrate"\nexec /app/server\n',  # su for a step, the server as root
        "exec /app/server\n",  # never drops
        'exec su -c "/app/server"\n',  # su with no user is root
        "exec gosu root /app/server\n",
    ],
)
def test_an_entrypoint_that_keeps_root_for_the_server_still_fails(
    run_probe: RunProbe, entrypoint: str
) -> None:
    result = run_probe("DEP002", _image(entrypoint))
    assert result.outcome.value == "fail" and result.severity.value == "high", result.message


def test_a_dropping_script_the_image_never_copies_is_not_its_entrypoint(
    run_probe: RunProbe,
) -> None:
    """The drop counts only for a script of the repository that is in the image."""
    uncopied = _DOCKERFILE.replace("COPY . .\n", "COPY main.go go.mod ./\n").replace(
        "COPY --from=build /src/docker ./docker\n", ""
    )
    files = _image('exec gosu app "$@"\n', uncopied)
    assert run_probe("DEP002", files).outcome.value == "fail"


def test_an_entrypoint_that_is_the_drop_itself(run_probe: RunProbe) -> None:
    image = "FROM alpine:3.20\nCOPY server /server\n"
    dropping = run_probe(
        "DEP002", {"Dockerfile": image + 'ENTRYPOINT ["gosu", "app", "/server"]\n'}
    )
    assert dropping.outcome.value == "pass" and dropping.evidence[0].location == "Dockerfile:3"
    root = run_probe("DEP002", {"Dockerfile": image + 'ENTRYPOINT ["gosu", "root", "/server"]\n'})
    assert root.outcome.value == "fail"


_CONTROLLER = (
    "package com.example;\n\n"
    "import org.springframework.boot.SpringApplication;\n"
    "import org.springframework.boot.autoconfigure.SpringBootApplication;\n"
    "import org.springframework.web.bind.annotation.GetMapping;\n"
    "import org.springframework.web.bind.annotation.RestController;\n\n"
    "@SpringBootApplication\n@RestController\npublic class Application {\n"
    '    @GetMapping("/employees")\n    public String all() {\n        return "[]";\n    }\n\n'
    "    public static void main(String[] args) {\n"
    "        SpringApplication.run(Application.class, args);\n    }\n}\n"
)


def _pom(boot: str, plugin: bool) -> str:
    build = (
        "  <build>\n    <plugins>\n      <plugin>\n"
        "        <groupId>org.springframework.boot</groupId>\n"
        "        <artifactId>spring-boot-maven-plugin</artifactId>\n"
        "      </plugin>\n    </plugins>\n  </build>\n"
    )
    return (
        "<project>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n"
        "    <artifactId>spring-boot-starter-parent</artifactId>\n"
        f"    <version>{boot}</version>\n  </parent>\n  <artifactId>rest</artifactId>\n"
        "  <dependencies>\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n"
        "      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n"
        "  </dependencies>\n" + (build if plugin else "") + "</project>\n"
    )


def _spring(build: dict[str, str]) -> dict[str, str]:
    return {**build, "src/main/java/com/example/Application.java": _CONTROLLER}


def test_spring_boots_build_plugin_could_build_the_image(run_probe: RunProbe) -> None:
    """tut-rest and eladmin: spring-boot-maven-plugin can build an OCI image with Cloud
    Native Buildpacks (`mvn spring-boot:build-image`), but nothing runs the goal; both
    labellers answered "no image build". A low gap that names the plugin; a build that
    runs the goal (here, a README) is an image build."""
    maven = run_probe("DEP001", _spring({"pom.xml": _pom("3.2.0", plugin=True)}))
    assert maven.outcome.value == "fail" and maven.severity.value == "low", maven.message
    assert maven.evidence[-1].location == "pom.xml:18"
    assert "spring-boot:build-image" in maven.message
    gradle = "plugins {\n  id 'java'\n  id 'org.springframework.boot' version '3.2.0'\n}\n"
    result = run_probe("DEP001", _spring({"build.gradle": gradle}))
    assert result.outcome.value == "fail" and result.evidence[-1].location == "build.gradle:3"
    readme = "# rest\n\nBuild the image with `./mvnw spring-boot:build-image`.\n"
    built = _spring({"pom.xml": _pom("3.2.0", plugin=True), "README.md": readme})
    assert run_probe("DEP001", built).outcome.value == "pass"
    # Without the plugin, or on a Spring Boot older than 2.3 (no image goal), no image path.
    bare = run_probe("DEP001", _spring({"pom.xml": _pom("3.2.0", plugin=False)}))
    assert bare.outcome.value == "fail" and bare.severity.value == "medium"
    old = run_probe("DEP001", _spring({"pom.xml": _pom("2.1.4.RELEASE", plugin=True)}))
    assert old.outcome.value == "fail" and old.severity.value == "medium"


_WEB = {
    "package.json": '{"dependencies": {"express": "^4.0.0"}}',
    "server.js": "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
}


@pytest.mark.parametrize(
    ("descriptor", "platform", "other"),
    [
        # Cloud Foundry's manifest lists applications; another tool's manifest.yml does not.
        (
            "manifest.yml",
            "applications:\n- name: web\n  memory: 256M\n",
            "version: 1\nassets:\n  - dist/\n",
        ),
        # App Engine's app.yaml names its runtime; a Kubernetes manifest named app.yaml is none.
        (
            "app.yaml",
            "runtime: nodejs20\ninstance_class: F2\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
        ),
        # Heroku's app.json, not an Expo app's.
        (
            "app.json",
            '{"name": "web", "repository": "https://github.com/o/web"}\n',
            '{"expo": {"name": "web", "slug": "web"}}\n',
        ),
    ],
)
def test_a_platform_descriptor_lowers_the_missing_image(
    run_probe: RunProbe, descriptor: str, platform: str, other: str
) -> None:
    """A platform that builds from source deploys the service without an image: the fact
    stays, at low severity, naming the descriptor; a file that only shares its name does not."""
    deployed = run_probe("DEP001", {**_WEB, descriptor: platform})
    assert deployed.outcome.value == "fail" and deployed.severity.value == "low"
    assert f"{descriptor}:1" in deployed.advisory
    unrelated = run_probe("DEP001", {**_WEB, descriptor: other})
    assert unrelated.outcome.value == "fail" and unrelated.severity.value == "medium"
    assert not unrelated.advisory


def test_a_cmd_script_counts_only_when_it_is_the_command(run_probe: RunProbe) -> None:
    """Behind an init (tini) the CMD is what runs; behind the server's own ENTRYPOINT it is
    only the server's arguments."""
    files = _image('exec gosu app "$@"\n')
    behind_init = _DOCKERFILE.replace(
        'ENTRYPOINT ["./docker/entrypoint.sh"]\n',
        'ENTRYPOINT ["/sbin/tini", "--"]\nCMD ["./docker/entrypoint.sh"]\n',
    )
    assert run_probe("DEP002", {**files, "Dockerfile": behind_init}).outcome.value == "pass"
    arguments = behind_init.replace('"/sbin/tini", "--"', '"/app/server"')
    assert run_probe("DEP002", {**files, "Dockerfile": arguments}).outcome.value == "fail"
