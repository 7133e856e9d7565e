"""What command lines mean: the test runners, linters, scanners and publishers CI may run."""

from __future__ import annotations

TEST_RUNNER = (
    r"\b(pytest|py\.test|python[\d.]* -m (pytest|unittest)|nose2|jest|vitest|mocha|ava|karma|"
    r"playwright test|cypress run|go test|gotestsum|cargo (\+\S+ )?test|cargo nextest|"
    r"mvnw?( -\S+)*( [\w:-]+)* (test|verify|install)\b|gradlew? (\S+ )*(test|check|build)\b|"
    r"ctest|rspec|phpunit|dotnet test|bun test|deno test|trial|ward|hatch test|"
    r"node --test|manage\.py test|django-admin test|python -m django test)"
)
LINTER = (
    r"\b(ruff( check)?\b(?! format)|flake8|pylint|eslint|golangci-lint|golangci/golangci-lint|"
    r"go vet|staticcheck|clippy|checkstyle|spotbugs|pmd|biome (check|lint|ci)|oxlint|"
    r"ruff-action|revive|ktlint|standard\b|xo\b|super-linter)"
)
TYPECHECKER = r"\b(mypy|pyright|basedpyright|pytype|tsc\b|vue-tsc|ty check)"
FORMATTER = (
    r"\b(ruff format|black|prettier|gofmt|goimports|rustfmt|cargo fmt|spotless|isort|"
    r"google-java-format|biome (format|check|ci)|dprint)"
)
COVERAGE = (
    r"(--cov\b|--cov=|coverage run|coverage report|coverage xml|pytest-cov|--coverage|"
    r"-cover(profile)?\b|tarpaulin|llvm-cov|grcov|jacoco|c8 |nyc |codecov|coveralls|kover)"
)
AUDIT = (
    r"\b(pip-audit|safety check|safety scan|npm audit|yarn audit|pnpm audit|cargo audit|"
    r"cargo deny|govulncheck|trivy|grype|snyk|osv-scanner|bandit|gosec|semgrep|"
    r"codeql-action|dependency-check|dependency-review-action|gitleaks|trufflehog)"
)
PUBLISH = (
    r"(twine upload|gh-action-pypi-publish|uv publish|poetry publish|flit publish|npm publish|"
    r"yarn publish|pnpm publish|goreleaser|cargo publish|docker push|docker/build-push-action|"
    r"mvn( \S+)* deploy|gradlew? (\S+ )*publish|helm push|kubectl apply|helm upgrade|"
    r"semantic-release|release-please)"
)
