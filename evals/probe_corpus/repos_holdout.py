"""Held-out repositories: labelled from what a reviewer knows is true, before any probe ran.

They were added after the rest of the corpus had been tuned, to measure the probes on cases
they were not adjusted to (see the first-run numbers in the issue note).
"""
# ruff: noqa: E501 - embedded repository files read better unwrapped

from __future__ import annotations

from evals.probe_corpus import RepoSpec

P, F, NA = "pass", "fail", "not_applicable"

DJANGO = RepoSpec(
    "py-django-shop",
    {
        "requirements.txt": "Django==5.0.6\ngunicorn==22.0.0\npsycopg==3.1.19\n",
        "manage.py": "import os\nimport sys\n\n\ndef main():\n"
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n'
        "    from django.core.management import execute_from_command_line\n\n"
        "    execute_from_command_line(sys.argv)\n\n\n"
        'if __name__ == "__main__":\n    main()\n',
        "shop/settings.py": "import os\n\n"
        'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = True\n'
        'ALLOWED_HOSTS = ["*"]\n'
        'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 60}}\n',
        "shop/urls.py": "from django.urls import path\n\nfrom shop import views\n\n"
        'urlpatterns = [path("orders/", views.orders)]\n',
        "shop/views.py": "from django.contrib.auth.decorators import login_required\n"
        "from django.db import connection, transaction\nfrom django.http import JsonResponse\n\n\n"
        "@login_required\ndef orders(request):\n"
        "    with transaction.atomic():\n        with connection.cursor() as cur:\n"
        '            cur.execute("SELECT id FROM orders WHERE owner = %s", [request.user.id])\n'
        "            return JsonResponse({'ids': [r[0] for r in cur.fetchall()]})\n",
        "shop/migrations/0001_initial.py": "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n    operations = [\n"
        '        migrations.CreateModel("Order", [("id", models.AutoField(primary_key=True))]),\n'
        "    ]\n",
        "shop/tests.py": "from django.test import TestCase\n\n\nclass OrdersTest(TestCase):\n"
        "    def test_login_required(self):\n"
        '        self.assertEqual(self.client.get("/orders/").status_code, 302)\n',
        ".gitlab-ci.yml": "test:\n  image: python:3.12\n  script:\n    - pip install -r requirements.txt\n"
        "    - python manage.py test\n",
        "README.md": "# shop\n\n## Setup\n\n```\npip install -r requirements.txt\n```\n\n## Run\n\n"
        "```\npython manage.py runserver\n```\n",
    },
    languages=("python",),
    expected={
        "TST001": P,
        "TST002": P,
        "CFG003": F,
        "CFG001": P,
        "DATA001": P,
        "DATA004": P,
        "PERF001": P,
        "SEC006": P,
        "SEC012": P,
        "SEC021": P,
        "SEC001": P,
        "DEP001": F,
        "ERR002": P,
        "DOC002": P,
        "TST008": P,
        "DATA005": P,
    },
)

NEST_TS = RepoSpec(
    "ts-nest-service",
    {
        "package.json": '{\n  "name": "billing",\n  "scripts": {\n    "build": "tsc",\n'
        '    "test": "jest",\n    "lint": "eslint . --max-warnings 0"\n  },\n'
        '  "dependencies": {\n    "@nestjs/core": "^10.3.0",\n    "@nestjs/common": "^10.3.0",\n'
        '    "axios": "^1.7.0",\n    "axios-retry": "^4.4.0",\n    "winston": "^3.13.0",\n'
        '    "prom-client": "^15.1.0",\n    "class-validator": "^0.14.1"\n  },\n'
        '  "devDependencies": {\n    "jest": "^29.7.0",\n    "eslint": "^9.0.0"\n  }\n}\n',
        "package-lock.json": "{}\n",
        "tsconfig.json": '{\n  "compilerOptions": {\n    "strict": false\n  }\n}\n',
        "src/main.ts": "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n\n"
        "async function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n"
        "  app.enableShutdownHooks();\n  await app.listen(process.env.PORT ?? 3000);\n}\nbootstrap();\n",
        "src/pricing.ts": "import axios from 'axios';\nimport axiosRetry from 'axios-retry';\n"
        "import * as winston from 'winston';\n\n"
        "const log = winston.createLogger({ format: winston.format.json() });\n"
        "const client = axios.create({ baseURL: process.env.PRICING_URL });\n"
        "axiosRetry(client, { retries: 3 });\n\n"
        "export async function price(id: string): Promise<number> {\n"
        "  const res = await client.get(`/prices/${id}`);\n  log.info('priced', { id });\n"
        "  return res.data.amount;\n}\n",
        "src/metrics.ts": "import { Counter } from 'prom-client';\n\n"
        "export const priced = new Counter({ name: 'priced_total', help: 'Prices served' });\n",
        "src/health.controller.ts": "import { Controller, Get } from '@nestjs/common';\n\n"
        "@Controller('healthz')\nexport class HealthController {\n  @Get()\n  check() {\n"
        "    return { ok: true };\n  }\n}\n",
        "test/pricing.spec.ts": "describe('price', () => {\n  it('exists', () => {\n"
        "    expect(true).toBe(true);\n  });\n});\n",
        ".github/workflows/ci.yml": "on:\n  pull_request:\njobs:\n  ci:\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: npm run lint\n"
        "      - run: npm test\n",
        "Dockerfile": "FROM node:20-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
        "FROM node:20-alpine\nCOPY --from=build /app/dist /app\nUSER node\n"
        'CMD ["node", "/app/main.js"]\n',
        ".dockerignore": "node_modules\n.git\n",
        "charts/billing/Chart.yaml": "apiVersion: v2\nname: billing\nversion: 0.1.0\n",
        "charts/billing/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\n"
        "metadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - name: billing\n          image: {{ .Values.image }}\n"
        "          readinessProbe:\n            httpGet: {path: /healthz, port: 3000}\n",
    },
    languages=("typescript",),
    expected={
        "TST001": P,
        "TST002": P,
        "TST008": P,
        "CQ001": P,
        "CQ002": P,
        "CQ003": F,
        "CQ004": F,
        "SEC020": P,
        "SEC023": P,
        "SEC013": F,
        "OBS001": P,
        "OBS002": P,
        "OBS004": P,
        "OBS006": P,
        "REL002": P,
        "REL004": P,
        "CFG001": P,
        "DEP001": P,
        "DEP002": P,
        "DEP003": P,
        "DEP004": P,
        "DEP005": P,
        "DEP011": P,
        "SEC024": P,
    },
)

GO_LIB = RepoSpec(
    "go-retry-lib",
    {
        "go.mod": "module example.com/retry\n\ngo 1.22\n",
        "retry.go": "// Package retry retries operations with backoff.\npackage retry\n\n"
        'import (\n\t"context"\n\t"errors"\n\t"fmt"\n\t"time"\n)\n\n'
        "// ErrExhausted is returned when every attempt failed.\n"
        'var ErrExhausted = errors.New("retry: attempts exhausted")\n\n'
        "// Do calls op until it succeeds or attempts run out.\n"
        "func Do(ctx context.Context, attempts int, op func() error) error {\n"
        "\tfor i := 0; i < attempts; i++ {\n\t\tif err := op(); err == nil {\n\t\t\treturn nil\n\t\t}\n"
        '\t\tselect {\n\t\tcase <-ctx.Done():\n\t\t\treturn fmt.Errorf("retry: %w", ctx.Err())\n'
        "\t\tcase <-time.After(time.Duration(1<<i) * time.Millisecond):\n\t\t}\n\t}\n"
        "\treturn ErrExhausted\n}\n",
        "retry_test.go": 'package retry\n\nimport (\n\t"context"\n\t"testing"\n)\n\n'
        "func TestDo(t *testing.T) {\n\tif err := Do(context.Background(), 1, func() error { return nil }); err != nil {\n"
        "\t\tt.Fatal(err)\n\t}\n}\n\nfunc BenchmarkDo(b *testing.B) {\n\tfor i := 0; i < b.N; i++ {\n"
        "\t\t_ = Do(context.Background(), 1, func() error { return nil })\n\t}\n}\n",
        ".github/workflows/ci.yml": "on: [push, pull_request]\njobs:\n  t:\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - run: go vet ./...\n"
        "      - run: go test -race -cover ./...\n",
        ".github/workflows/release.yml": "on:\n  push:\n    tags: ['v*']\njobs:\n  r:\n    runs-on: x\n"
        "    steps:\n      - uses: goreleaser/goreleaser-action@v6\n",
        "README.md": "# retry\n\n## Install\n\n```\ngo get example.com/retry\n```\n\n## Usage\n\n"
        "```go\nretry.Do(ctx, 3, op)\n```\n",
        "LICENSE": "Apache-2.0\n",
        "CHANGELOG.md": "# Changelog\n",
    },
    languages=("go",),
    expected={
        "TST001": P,
        "TST002": P,
        "TST003": P,
        "CQ002": P,
        "ERR006": P,
        "ERR007": P,
        "ERR008": P,
        "PERF004": P,
        "DEP001": NA,
        "SEC012": NA,
        "OBS006": NA,
        "DEP009": P,
        "DOC002": P,
        "DOC003": P,
        "DOC005": P,
        "DOC007": P,
        "SEC020": NA,
        "REL001": NA,
    },
)

REPOS = [DJANGO, NEST_TS, GO_LIB]
