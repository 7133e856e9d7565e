"""The shared views probes read, each built once per run and handed to probes by name.

| name | class | what it is |
|---|---|---|
| ``repo`` | :class:`~pipeline.probes.views.repo.RepoView` | files in scope, text, evidence |
| ``data`` | :class:`~pipeline.probes.views.datafiles.DataFiles` | parsed config and Dockerfiles |
| ``python`` | :class:`~pipeline.probes.views.python.PythonCode` | Python trees and resolved calls |
| ``text`` | :class:`~pipeline.probes.views.search.TextSearch` | comment-aware regex search |
| ``manifests`` | :class:`~pipeline.probes.views.manifests.Manifests` | dependencies and lockfiles |
| ``imports`` | :class:`~pipeline.probes.views.imports.Imports` | imports of every language |
| ``ci`` | :class:`~pipeline.probes.views.ci.CiModel` | CI commands, followed to what runs |
| ``containers`` | :class:`~pipeline.probes.views.containers.Containers` | Docker, compose, k8s |
| ``knowledge`` | :class:`~pipeline.probes.views.knowledge.Knowledge` | frameworks and defaults |
| ``profile`` | :class:`~pipeline.probes.views.profile.ProfileView` | what the software is |
| ``overview`` | :class:`~pipeline.probes.views.overview.OverviewView` | the main modules |
| ``tests`` | :class:`~pipeline.probes.views.tests.TestSuite` | where the tests are |
| ``syntax`` | :class:`~pipeline.probes.views.syntax.SyntaxTrees` | JS/TS/Go/Rust/Java trees |
"""

from pipeline.probes.views import (  # noqa: F401 - importing registers each view
    ci,
    containers,
    datafiles,
    imports,
    knowledge,
    manifests,
    overview,
    profile,
    python,
    repo,
    search,
    syntax,
    tests,
)
