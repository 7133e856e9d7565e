"""What command lines mean: the test runners, linters, scanners and publishers CI may run.

Besides the patterns, the tables say what a command stands for when its text does not name
the tool: what a GitHub Action runs (``ACTIONS``), what a Travis build runs when it names no
script (``TRAVIS_DEFAULT``), which Maven plugins check code when the build reaches their phase
(``MAVEN_GOALS``) and which Gradle plugins hook into ``check`` (``GRADLE_PLUGINS``).
"""

from __future__ import annotations

TEST_RUNNER = (
    r"\b((pytest|py\.test)(?![\w.-])|(python[\d.]*|coverage run) -m (pytest|unittest)|nose2|"
    # A test package run as a module (python -m tests.unit), or a test module run as a
    # script (httpbin's tox: `python test_httpbin.py`, whose unittest.main() runs it).
    r"python[\d.]* -m tests?(\.\w+)*(?![\w.-])|"
    r"python[\d.]*\s+(\S*/)?(test_\w+|\w+_tests?)\.py(?=\s|$)|"
    # Node test runners (pino runs borp); `brew tap` is no test.
    r"jest|vitest|borp|(?<!brew )tap(?![\w-])|tape(?![\w-])|uvu(?![\w-])|jasmine|"
    r"mocha(?![\w-])|ava(?![\w-])|karma(?![\w-])|playwright test|cypress run|go test|"
    r"gotestsum|cargo (\+\S+ )?test|"
    # cross: cargo's drop-in for other targets (ouch's and sd's CARGO=cross, then test).
    r"cross (\+\S+ )?test\b|"
    # Ginkgo runs Go test suites (blocky's `go tool ginkgo -r`); not its bootstrap/generate.
    r"ginkgo(?! (version|help|bootstrap|generate|outline|unfocus))\b|"
    # cargo-hack runs `cargo test` over feature sets (eza); llvm-cov and tarpaulin run the
    # tests to measure them.
    r"cargo (\+\S+ )?hack (\S+ )*test\b|cargo llvm-cov(?! report)|cargo tarpaulin|"
    r"cargo nextest|nosetests|setup\.py test|newman run|"
    # A suite of the project's own run by name (see OWN_SUITE).
    r"(node|deno|bun|bash|sh|python[\d.]*|ruby)\s+(\S*/)?(tests?|run[-_]?tests?)"
    r"(\.(js|mjs|cjs|ts|sh|py|rb))?(?=\s|$)|"
    # Maven's test phase runs before package/verify/install/deploy, unless tests are skipped.
    r"mvnw?(?![^;&|]*-D(skipTests|maven\.test\.skip)\b)( -\S+)*( [\w:-]+)* "
    r"(test|package|integration-test|verify|install|deploy)\b|"
    r"gradlew?(?![^;&|]*-x\s+test\b) (\S+ )*(test|check|build)\b|"
    r"ctest|rspec|phpunit|dotnet test|bun test|deno test|trial(?![\w-])|ward(?![\w-])|"
    # virtue: a unittest-compatible runner (jsonschema's and referencing's nox tests).
    r"virtue(?![\w-])|"
    r"hatch test|"
    r"node --test|manage\.py test|django-admin test|python -m django test|"
    # Django's manage module run as a module (djangoproject.com: `python -m coverage run
    # --source=. --module manage test`).
    r"(?<=-)m manage test\b|(?<=--)module manage test\b|"
    # A project's own console script around Django's manage (bugsink's `bugsink-manage test`).
    r"[\w.]+[-_]manage test\b|"
    r"vue-cli-service test|ng test|react-scripts test|craco test|mix test|sbt (\S+ )*test\b|"
    # Workspace runners running every project's test target (ghostfolio: `nx run-many
    # --target=test --all`; `nx test api`, `turbo run test`, `lerna run test`).
    r"nx (run-many|affected)( \S+)* (-t|--targets?)[= ]?(\S+,)?test\b|nx test\b|"
    r"nx run \S+:test\b|turbo (run )?test\b|lerna run test\b)"
)
LINTER = (
    r"\b(ruff(-check| check)?\b(?![- ]format)|flake8|pylint|pyflakes|eslint|next lint|"
    r"golangci-lint(?! fmt)|golangci/golangci-lint|go vet|go-vet|staticcheck|clippy|"
    r"checkstyle|spotbugs|pmd|error[-_ ]?prone|biome (check|lint|ci)|oxlint|ruff-action|"
    # ultracite's check runs oxlint or biome (next-js-boilerplate's `npm run lint`).
    r"ultracite (check|lint)\b|"
    r"revive|ktlint|detekt|tslint|standard\b|xo\b|super-linter|deno lint|golint|errcheck|"
    r"jshint|jscs\b|"
    r"vue-cli-service lint|ng lint|nuxt lint|rubocop|phpstan|psalm|"
    # SonarQube/SonarCloud analysis: code-smell and bug rules over the whole code base.
    r"sonar-maven-plugin|sonar:sonar|sonar-scanner|sonarqube-scan-action|"
    r"sonarcloud-github-action|"
    # Workspace runners running every project's lint target (ghostfolio: `nx run-many
    # --target=lint --all`).
    r"nx (run-many|affected)( \S+)* (-t|--targets?)[= ]?(\S+,)?lint\b|nx lint\b|"
    r"nx run \S+:lint\b|turbo (run )?lint\b|lerna run lint\b)"
)
# A test suite of the project's own run by name (cobalt's `node api/src/util/test
# run-tests-for <service>`, `bash .github/test.sh api`): its cases are not test definitions.
OWN_SUITE = (
    r"\b(node|deno|bun|bash|sh|python[\d.]*|ruby)\s+(\S*/)?(tests?|run[-_]?tests?)"
    r"(\.(js|mjs|cjs|ts|sh|py|rb))?(?=\s|$)"
)
TYPECHECKER = (
    r"\b(mypy|pyright|basedpyright|pytype|(?<![\w-])tsc\b(?!-)|vue-tsc|ty check|svelte-check|"
    r"astro check|nuxi typecheck|nuxt typecheck|"
    # Type-definition testers run the compiler over the published typings (axios's
    # `dtslint --localTs node_modules/typescript/lib`).
    r"dtslint|(?<![\w-])tsd\b(?![-.])|tstyche|"
    # oxlint's type-aware mode type-checks through tsgolint (`ultracite check --type-aware
    # --type-check`, `oxlint --type-aware --type-check`).
    r"(oxlint|ultracite check)\b[^;&|]*--type-check\b)"
)
# `next build` type-checks TypeScript unless next.config sets typescript.ignoreBuildErrors.
NEXT_BUILD = r"\bnext build\b"
FORMATTER = (
    r"\b(ruff[- ]format|black\b|prettier|pretty-quick|gofmt|go fmt\b|goimports|gofumpt|go-fmt|"
    r"go-imports|golines|gci\b|golangci-lint fmt|govendor fmt|rustfmt|cargo(-| (\+\S+ )?)fmt|"
    r"spotless|"
    r"google-java-format|spring-javaformat|fmt-maven-plugin|biome (format|check|ci)|dprint|"
    r"oxfmt|yapf|autopep8|deno fmt|ktlint|ktfmt|scalafmt|clang-format|php-cs-fixer|"
    # ultracite's check runs the formatter's check (oxfmt --check or biome) before linting.
    r"ultracite check\b|"
    r"mix format|dart format|swiftformat|eslint style rules|"
    # Nx formats the workspace with Prettier (`nx format:check`, `nx format:write`).
    r"nx format(:check|:write)?\b)"
)
COVERAGE = (
    r"(--cov\b|--cov=|\bcoverage (run|report|xml|html|lcov)\b|\bpytest-cov\b|--coverage\b|"
    r"(?<![\w-])-cover(profile|pkg|mode)?\b|\btarpaulin\b|\bllvm-cov\b|\bgrcov\b|\bjacoco|"
    r"(^|\s)(c8|nyc)\s|\bcodecov\b|codecov/codecov-action|\b(go)?coveralls|\bkover\b|"
    r"--code-coverage\b|\bscoverage\b|\bsimplecov\b|\bcoverlet\b|go tool cover|\bgocov\b)"
)
AUDIT = (
    r"\b(pip-audit|safety check|safety scan|npm audit|yarn audit|pnpm audit|cargo audit|"
    r"cargo deny|cargo-deny|audit-check|govulncheck|trivy|grype|snyk|osv-scanner|bandit|"
    r"gosec|semgrep|codeql-action|dependency-check|dependencyCheck|dependency-review-action|"
    r"gitleaks|trufflehog|audit-ci|better-npm-audit|nancy sleuth|bundle(r)?[- ]audit|"
    r"composer audit|--vulnerable\b|docker scout|anchore/scan-action|eslint-plugin-security|"
    r"zizmor)"
)
# Security linters: risky code patterns (zizmor: of the CI workflows), no lookup of known
# vulnerabilities.
LINT_ONLY = r"\b(bandit|gosec|eslint-plugin-security|zizmor)\b"
PUBLISH = (
    r"(twine upload|gh-action-pypi-publish|uv publish|poetry publish|flit publish|npm publish|"
    r"yarn publish|pnpm publish|changeset publish|goreleaser|cargo publish|release-plz release|"
    r"docker push|docker buildx build .*--push|docker/build-push-action .*--push|"
    r"mvn( \S+)* deploy|gradlew? (\S+ )*publish|helm push|kubectl apply|helm upgrade|"
    r"semantic-release|release-please|gh release (create|upload)|winget publish|"
    r"gcloud (run|app|functions) deploy|firebase deploy|\bdpl --provider=|"
    r"appveyor deploy --provider=|fly(ctl)? deploy|git push heroku|heroku deploy|"
    r"serverless deploy|\bsls deploy|vercel (deploy )?--prod|netlify deploy --prod|"
    r"jib:build\b|gradlew?( \S+)* jib\b|\bko (build|publish|apply)\b|gem push|nuget push|"
    r"helm/chart-releaser-action|docker[- ]compose( -f \S+)* push|(podman|buildah) push|"
    r"jreleaser|lerna publish|maturin (publish|upload)|hatch publish|pdm publish|"
    # GitHub's release API called directly (tealdeer's scripts/upload-asset.sh: curl to
    # api.github.com/repos/$repo/releases, then to uploads.github.com for each binary).
    r"api\.github\.com/repos/\S*/releases(?!/(latest|tags)\b)\b|"
    r"uploads\.github\.com/repos/)"
)
# Deploys into a cluster the same workflow creates for a test run are not releases.
EPHEMERAL_CLUSTER = (
    r"(kind-action|kind create cluster|minikube start|setup-minikube|k3d cluster create|"
    r"setup-k3d|k3s-action|kind-cluster)"
)
# Installing a tool is not running it: `pip install pytest-cov`, `uv add ruff`.
INSTALL = (
    r"^\s*(sudo\s+)?((python[\d.]*\s+-m\s+)?pip[\d.]*\s+install|uv\s+(pip\s+install|add|tool\s+"
    r"install)|poetry\s+add|pipx\s+install|(conda|mamba|micromamba)\s+install|"
    r"(npm|pnpm|bun)\s+(install|i|add)\s|yarn\s+(global\s+)?add\s|go\s+(install|get)\s|"
    r"cargo\s+(install|binstall)\s|rustup\s+(component|target)\s+add\s|"
    r"(apt|apt-get|brew|apk|yum|dnf|gem|choco|scoop)\s+(install|add)\s|(curl|wget)\s)"
)

# What a GitHub Action runs, as the command it stands for. Each entry lists (condition,
# command): the command counts when the condition on the step's `with:` inputs holds: None
# always, "name" when the input is set and not false, "name=value" when it equals value,
# "name!=value" unless it equals value.
# `{name}` in a command is replaced by that input (empty when unset).
ACTIONS: dict[str, tuple[tuple[str | None, str], ...]] = {
    "golangci/golangci-lint-action": ((None, "golangci-lint run {args}"),),
    "pre-commit/action": ((None, "pre-commit run {extra_args}"),),
    "pre-commit-ci/lite-action": ((None, "pre-commit run"),),
    "psf/black": ((None, "black --check {options}"),),
    "astral-sh/ruff-action": ((None, "ruff {args}"),),
    "chartboost/ruff-action": ((None, "ruff {args}"),),
    "actionsx/prettier": ((None, "prettier {args}"),),
    "creyd/prettier_action": ((None, "prettier {prettier_options}"),),
    "dprint/check": ((None, "dprint check"),),
    # Ultralytics Actions formats Python (ruff format, docformatter) and other files
    # (prettier) on every pull request and commits the result.
    "ultralytics/actions": (("python", "ruff format"), ("prettier", "prettier --write")),
    "pypa/gh-action-pypi-publish": ((None, "twine upload (pypa/gh-action-pypi-publish)"),),
    "softprops/action-gh-release": ((None, "gh release create (softprops/action-gh-release)"),),
    "ncipollo/release-action": ((None, "gh release create (ncipollo/release-action)"),),
    "actions/create-release": ((None, "gh release create (actions/create-release)"),),
    "actions/upload-release-asset": ((None, "gh release upload (actions/upload-release-asset)"),),
    "svenstaro/upload-release-action": ((None, "gh release upload (svenstaro)"),),
    "goreleaser/goreleaser-action": ((None, "goreleaser {args}"),),
    "docker/build-push-action": (("push", "docker push (docker/build-push-action)"),),
    # Bake pushes with push: true, or when a `set:` line makes an output push (vaultwarden's
    # release.yml: `*.output=type=image,push-by-digest=true,...,push=true`).
    "docker/bake-action": (
        ("push", "docker push (docker/bake-action)"),
        ("set~push=true", "docker push (docker/bake-action)"),
    ),
    "release-plz/action": (("command!=release-pr", "release-plz release"),),
    "changesets/action": (("publish", "{publish}"),),
    "changesets/action/publish": ((None, "changeset publish"),),
    "vedantmgoyal9/winget-releaser": ((None, "winget publish (winget-releaser)"),),
    "vedantmgoyal2009/winget-releaser": ((None, "winget publish (winget-releaser)"),),
    "js-devtools/npm-publish": ((None, "npm publish"),),
    "google-github-actions/deploy-cloudrun": ((None, "gcloud run deploy"),),
    "google-github-actions/deploy-appengine": ((None, "gcloud app deploy"),),
    "google-github-actions/deploy-cloud-functions": ((None, "gcloud functions deploy"),),
    "firebaseextended/action-hosting-deploy": (("channelId=live", "firebase deploy"),),
    "akhileshns/heroku-deploy": ((None, "heroku deploy"),),
    "superfly/flyctl-actions": ((None, "flyctl {args}"),),
    # Actions that run `cargo <command> <args>` (or `cross`) from their inputs (xh's CI
    # tests through ClementTsang/cargo-action with `command: test`).
    # Postman collections run against the started server (statping-ng's API tests).
    "matt-ball/newman-action": ((None, "newman run {collection}"),),
    "actions-rs/cargo": ((None, "cargo {command} {args}"),),
    "clementtsang/cargo-action": ((None, "cargo {command} {args}"),),
    "marcopolo/cargo": ((None, "cargo {command} {args}"),),
    "rustsec/audit-check": ((None, "cargo audit"),),
    "actions-rs/audit-check": ((None, "cargo audit"),),
    "embarkstudios/cargo-deny-action": ((None, "cargo deny check"),),
    "pypa/gh-action-pip-audit": ((None, "pip-audit"),),
    "golang/govulncheck-action": ((None, "govulncheck"),),
}
# The default value of an input the command above uses, when the workflow leaves it out.
ACTION_DEFAULTS: dict[str, dict[str, str]] = {
    # Defaults of one major version (name@v1) override the action's own.
    "docker/build-push-action@v1": {"push": "true"},  # v1 pushed unless told not to
    "psf/black": {"options": "--check --diff"},
    "astral-sh/ruff-action": {"args": "check"},
    "chartboost/ruff-action": {"args": "check"},
    "creyd/prettier_action": {"prettier_options": "--write **/*.js"},
    "release-plz/action": {"command": ""},
}

# What Travis CI runs when a .travis.yml names a language but no `script:`.
TRAVIS_DEFAULT: dict[str, tuple[tuple[str | None, str], ...]] = {
    # (a file that selects this default, or None, and the command)
    "java": (("pom.xml", "mvn test -B"), ("build.gradle", "gradle check"), (None, "ant test")),
    "go": (("Makefile", "make"), (None, "go test -v ./...")),
    "rust": ((None, "cargo build --verbose && cargo test --verbose"),),
    "node_js": (("yarn.lock", "yarn test"), (None, "npm test")),
    "ruby": ((None, "rake"),),
    "php": ((None, "phpunit"),),
    "elixir": ((None, "mix test"),),
    "scala": ((None, "sbt test"),),
    "c": ((None, "./configure && make && make test"),),
    "cpp": ((None, "./configure && make && make test"),),
}
# Travis/AppVeyor deploy providers that publish documentation, not a release.
DOC_PROVIDERS = frozenset({"pages", "gh-pages", "surge", "firebase-hosting-docs"})

MAVEN_PHASES = (
    "validate",
    "initialize",
    "generate-sources",
    "process-sources",
    "generate-resources",
    "process-resources",
    "compile",
    "process-classes",
    "generate-test-sources",
    "process-test-sources",
    "generate-test-resources",
    "process-test-resources",
    "test-compile",
    "process-test-classes",
    "test",
    "prepare-package",
    "package",
    "pre-integration-test",
    "integration-test",
    "post-integration-test",
    "verify",
    "install",
    "deploy",
)
# Maven plugin goals that check code, with the phase they bind to when the pom names none
# (a goal without a default phase runs only where the pom binds it).
MAVEN_GOALS: dict[tuple[str, str], str | None] = {
    ("maven-checkstyle-plugin", "check"): "verify",
    ("maven-checkstyle-plugin", "checkstyle"): None,
    ("maven-pmd-plugin", "check"): "verify",
    ("maven-pmd-plugin", "cpd-check"): "verify",
    ("spotbugs-maven-plugin", "check"): "verify",
    ("spotless-maven-plugin", "check"): "verify",
    ("spring-javaformat-maven-plugin", "validate"): "validate",
    ("fmt-maven-plugin", "check"): "verify",
    ("prettier-maven-plugin", "check"): "verify",
    ("ktlint-maven-plugin", "check"): "verify",
    ("jacoco-maven-plugin", "prepare-agent"): "initialize",
    ("jacoco-maven-plugin", "report"): "verify",
    ("jacoco-maven-plugin", "check"): "verify",
    ("dependency-check-maven", "check"): "verify",
}
# Gradle plugins whose tasks the `check` lifecycle task (and so `build`) runs.
GRADLE_PLUGINS: dict[str, str] = {
    "checkstyle": "checkstyle",
    "pmd": "pmd",
    "com.github.spotbugs": "spotbugs",
    "codenarc": "codenarc",
    "com.diffplug.spotless": "spotlessCheck (spotless)",
    "com.diffplug.gradle.spotless": "spotlessCheck (spotless)",
    "io.spring.javaformat": "checkFormat (spring-javaformat)",
    "org.jlleitschuh.gradle.ktlint": "ktlintCheck (ktlint)",
    "io.gitlab.arturbosch.detekt": "detekt",
    "net.ltgt.errorprone": "errorprone (javac plugin)",
}
GRADLE_CHECK_TASKS = frozenset({"check", "build"})
