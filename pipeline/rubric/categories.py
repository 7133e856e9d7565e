"""Each category's rubric, retrieval questions and weight in the overall score."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.schemas import Category


@dataclass(frozen=True)
class CategorySpec:
    id: Category
    title: str
    weight: float
    excellent: str
    adequate: str
    missing: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...]


CATEGORIES: dict[Category, CategorySpec] = {
    spec.id: spec
    for spec in (
        CategorySpec(
            Category.code_quality,
            "Code Quality",
            1.0,
            excellent="Linters and a type checker run in CI; modules are small and typed.",
            adequate="A linter is configured; most public functions are typed.",
            missing="No linting or typing; very large modules; dead or duplicated code.",
            questions=(
                "linter and formatter configuration such as ruff, flake8, eslint, clippy",
                "type checking configuration mypy pyright tsconfig strict",
                "very long functions and modules with complex nested logic",
            ),
            keywords=("ruff", "flake8", "eslint", "mypy", "pyright", "clippy", "golangci"),
        ),
        CategorySpec(
            Category.testing,
            "Testing",
            1.5,
            excellent="Unit and integration tests run in CI on every change, with coverage.",
            adequate="Tests exist and are run by CI.",
            missing="No tests, or tests that CI never runs.",
            questions=(
                "unit tests with assertions for the core functions",
                "continuous integration workflow that runs the test suite",
                "test coverage configuration and thresholds",
            ),
            keywords=("pytest", "unittest", "assert", "describe(", "#[test]", "func Test"),
        ),
        CategorySpec(
            Category.error_handling,
            "Error Handling",
            1.0,
            excellent="A typed error hierarchy; errors are handled at boundaries, never swallowed.",
            adequate="Errors are caught and logged where they occur.",
            missing="Bare excepts, swallowed exceptions, panics and unwrap in library code.",
            questions=(
                "exception handling with try except catch and error types",
                "errors that are swallowed or ignored with pass",
                "panic unwrap expect in non-test code",
            ),
            keywords=("except", "catch", "raise", "throw", "unwrap(", "panic!", "Error"),
        ),
        CategorySpec(
            Category.security,
            "Security",
            1.5,
            excellent="No secrets in code; validated input; auth; pinned dependencies; a policy.",
            adequate="No secrets in code and dependencies are pinned.",
            missing="Hard-coded secrets, unsafe calls such as eval or shell=True, no auth.",
            questions=(
                "hard-coded passwords API keys tokens and secrets",
                "authentication and authorization of requests",
                "unsafe calls eval exec pickle subprocess shell",
                "input validation and request size limits, CORS settings",
            ),
            keywords=("password", "secret", "token", "eval(", "pickle", "shell=True", "auth"),
        ),
        CategorySpec(
            Category.observability,
            "Observability",
            1.0,
            excellent="Structured logging, metrics, tracing and health checks.",
            adequate="Logging through a logging framework rather than print.",
            missing="print statements only; no metrics, no health check.",
            questions=(
                "logging configuration and structured logs",
                "metrics collection prometheus opentelemetry tracing",
                "health check and readiness endpoints",
            ),
            keywords=("logging", "logger", "structlog", "prometheus", "opentelemetry", "health"),
        ),
        CategorySpec(
            Category.performance,
            "Performance",
            0.75,
            excellent="Caching, pooling, bounded concurrency and benchmarks.",
            adequate="No obvious hot-path waste; connections are reused.",
            missing="Unbounded work, per-request connections, no timeouts on I/O.",
            questions=(
                "caching of expensive results",
                "database connection pool configuration",
                "benchmarks and performance tests",
            ),
            keywords=("cache", "pool", "async", "benchmark", "batch"),
        ),
        CategorySpec(
            Category.reliability,
            "Reliability",
            1.0,
            excellent="Timeouts, retries with backoff, graceful shutdown, atomic writes.",
            adequate="Timeouts on outbound calls.",
            missing="Outbound calls without timeouts or retries; state written non-atomically.",
            questions=(
                "timeouts on outbound HTTP and database calls",
                "retry with exponential backoff and circuit breakers",
                "graceful shutdown signal handling",
            ),
            keywords=("timeout", "retry", "backoff", "signal", "SIGTERM", "shutdown"),
        ),
        CategorySpec(
            Category.configuration,
            "Configuration",
            0.75,
            excellent="Typed, validated configuration from the environment, documented example.",
            adequate="Configuration from environment variables with defaults.",
            missing="Hard-coded settings; unsafe defaults such as debug on.",
            questions=(
                "configuration loaded from environment variables and settings files",
                "validation of configuration values at startup",
                "debug mode and default settings",
            ),
            keywords=("environ", "getenv", "settings", "config", "DEBUG", ".env"),
        ),
        CategorySpec(
            Category.data,
            "Data Management",
            0.75,
            excellent="Versioned migrations, backups and restore procedures, data validation.",
            adequate="Schema migrations exist.",
            missing="Schema changes by hand; no backup; no migration history.",
            questions=(
                "database schema migrations",
                "backup and restore of stored data",
                "database models and schema definitions",
            ),
            keywords=("migration", "alembic", "schema", "backup", "CREATE TABLE", "model"),
        ),
        CategorySpec(
            Category.documentation,
            "Documentation",
            0.75,
            excellent="README with install, usage and operations; changelog; contributing guide.",
            adequate="A README that explains how to install and run.",
            missing="No README or one without usage.",
            questions=(
                "README installation and usage instructions",
                "changelog and release notes",
                "architecture and operations documentation",
            ),
            keywords=("README", "install", "usage", "CHANGELOG", "docs"),
        ),
        CategorySpec(
            Category.deployment,
            "Deployment",
            1.0,
            excellent="Reproducible container or package; pinned, non-root images; CI release.",
            adequate="A Dockerfile or package definition with an entry point.",
            missing="No way to build or ship the software reproducibly.",
            questions=(
                "Dockerfile container image build",
                "package build configuration and entry points",
                "deployment manifests kubernetes helm compose",
            ),
            keywords=("Dockerfile", "FROM", "USER", "entry_points", "scripts", "deploy"),
        ),
    )
}


def category_title(category: Category) -> str:
    """The human title of a category."""
    return CATEGORIES[category].title
