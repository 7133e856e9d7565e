"""Golden repositories added after the probes were tuned on the others: a fresher signal."""

from __future__ import annotations

from typing import Final

from pipeline.evaluation.golden.spec import Expect, Fact, GoldenRepo
from pipeline.schemas import Category as C
from pipeline.schemas import Outcome as O
from pipeline.schemas import Severity as S
from pipeline.schemas import Verdict as V

_GAP: Final = "gap"
_STRENGTH: Final = "strength"

DJANGO_SHOP = GoldenRepo(
    name="django-shop",
    kind="Django shop: DEBUG and SECRET_KEY in settings, ALLOWED_HOSTS *, raw SQL by %",
    language="python",
    verdicts={C.security: (V.failed,), C.configuration: (V.failed, V.partial)},
    files={
        "README.md": (
            "# shop\n\n## Install\n\n    pip install -r requirements.txt\n\n"
            "## Usage\n\n    python manage.py runserver\n"
        ),
        "requirements.txt": "Django==5.1.2\npsycopg==3.2.3\n",
        "manage.py": (
            "import os\nimport sys\n\n"
            'if __name__ == "__main__":\n'
            '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n'
            "    from django.core.management import execute_from_command_line\n\n"
            "    execute_from_command_line(sys.argv)\n"
        ),
        "shop/__init__.py": "",
        "shop/settings.py": (
            "DEBUG = True\n"
            'SECRET_KEY = "django-insecure-3k9v!x7q@p2m#w8z$r5t^y1u&i4o*e6a"\n'
            'ALLOWED_HOSTS = ["*"]\n'
            'INSTALLED_APPS = ["django.contrib.contenttypes", "shop"]\n'
            "DATABASES = {\n"
            '    "default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop"}\n'
            "}\n"
        ),
        "shop/views.py": (
            "from django.db import connection\nfrom django.http import JsonResponse\n\n\n"
            "def product(request, product_id):\n"
            "    with connection.cursor() as cursor:\n"
            '        cursor.execute("SELECT name, price FROM products WHERE id = %s"'
            " % product_id)\n"
            "        row = cursor.fetchone()\n"
            '    return JsonResponse({"name": row[0], "price": row[1]})\n'
        ),
        "shop/migrations/__init__.py": "",
        "shop/migrations/0001_initial.py": (
            "from django.db import migrations, models\n\n\n"
            "class Migration(migrations.Migration):\n"
            "    initial = True\n"
            "    operations = [\n"
            "        migrations.CreateModel(\n"
            '            name="Product",\n'
            '            fields=[("id", models.AutoField(primary_key=True))],\n'
            "        ),\n"
            "    ]\n"
        ),
        "shop/tests.py": (
            "from django.test import SimpleTestCase\n\n\n"
            "class SmokeTest(SimpleTestCase):\n"
            "    def test_truth(self):\n"
            "        self.assertEqual(1 + 1, 2)\n"
        ),
        "Dockerfile": (
            "FROM python:3.12.6-slim\nWORKDIR /app\nCOPY . .\n"
            "RUN pip install --no-cache-dir -r requirements.txt && useradd shop\nUSER shop\n"
            'CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n'
        ),
    },
    expected=(
        Expect(
            C.security,
            _GAP,
            S.critical,
            ("secret", "key", "hard-coded"),
            "shop/settings.py",
            "SECRET_KEY =",
            check_id="SEC001",
        ),
        Expect(
            C.configuration,
            _GAP,
            S.high,
            ("debug",),
            "shop/settings.py",
            "DEBUG = True",
            check_id="CFG003",
        ),
        Expect(
            C.security,
            _GAP,
            S.critical,
            ("sql", "injection", "query"),
            "shop/views.py",
            "cursor.execute(",
            check_id="SEC006",
        ),
        Expect(
            C.security,
            _GAP,
            S.medium,
            ("host", "allowed"),
            "shop/settings.py",
            "ALLOWED_HOSTS",
            required=False,
        ),
        Expect(C.testing, _GAP, S.medium, ("ci", "continuous", "workflow"), check_id="TST002"),
        Expect(
            C.data,
            _STRENGTH,
            S.low,
            ("migration",),
            "shop/migrations/0001_initial.py",
            check_id="DATA001",
        ),
        Expect(
            C.deployment,
            _STRENGTH,
            S.low,
            ("root", "user"),
            "Dockerfile",
            "USER shop",
            check_id="DEP002",
            required=False,
        ),
        Expect(
            C.deployment,
            _GAP,
            S.medium,
            ("runserver", "development server"),
            "Dockerfile",
            "CMD",
            required=False,
        ),
    ),
    facts=(
        Fact("SEC001", O.failed),
        Fact("CFG003", O.failed),
        Fact("SEC006", O.failed),
        Fact("TST001", O.passed),
        Fact("TST002", O.failed),
        Fact("DATA001", O.passed),
        Fact("DEP001", O.passed),
        Fact("DEP002", O.passed),
        Fact("SEC021", O.passed),
        Fact("DOC001", O.passed),
        Fact("DOC002", O.passed),
        Fact("DOC005", O.failed),
    ),
)

NODE_WORKER = GoldenRepo(
    name="node-worker",
    kind="Node queue worker: shell exec of file names, empty catch, no timeouts, no tests",
    language="javascript",
    verdicts={C.security: (V.failed, V.partial), C.testing: (V.failed,)},
    files={
        "package.json": (
            '{\n  "name": "thumbs-worker",\n  "version": "2.0.1",\n  "main": "worker.js",\n'
            '  "dependencies": {"axios": "1.7.7"}\n}\n'
        ),
        "package-lock.json": '{\n  "name": "thumbs-worker",\n  "lockfileVersion": 3\n}\n',
        "README.md": "# thumbs-worker\n\nMakes thumbnails.\n\n## Usage\n\n    node worker.js\n",
        "worker.js": (
            'const { exec } = require("child_process");\n'
            'const axios = require("axios");\n\n'
            "async function handle(job) {\n"
            "  try {\n"
            "    exec(`convert ${job.file} -resize 128x128 out/${job.file}`);\n"
            "    await axios.post(job.callback, { ok: true });\n"
            "  } catch (e) {}\n"
            "}\n\n"
            "module.exports = { handle };\n"
        ),
        "Dockerfile": (
            "FROM node:20.17.0-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nUSER node\n"
            'CMD ["node", "worker.js"]\n'
        ),
    },
    expected=(
        Expect(
            C.security,
            _GAP,
            S.high,
            ("shell", "command", "injection", "exec"),
            "worker.js",
            "exec(`convert",
            check_id="SEC003",
        ),
        Expect(
            C.error_handling,
            _GAP,
            S.high,
            ("empty", "catch", "swallow"),
            "worker.js",
            "} catch (e) {}",
            check_id="ERR003",
        ),
        Expect(
            C.reliability,
            _GAP,
            S.medium,
            ("timeout",),
            "worker.js",
            "axios.post(",
            check_id="REL001",
        ),
        Expect(C.testing, _GAP, S.high, ("test",), check_id="TST001"),
        Expect(
            C.deployment,
            _STRENGTH,
            S.low,
            ("root", "user"),
            "Dockerfile",
            "USER node",
            check_id="DEP002",
            required=False,
        ),
        Expect(C.observability, _GAP, S.medium, ("logging", "log"), required=False),
    ),
    facts=(
        Fact("SEC003", O.failed),
        Fact("ERR003", O.failed),
        Fact("REL001", O.failed),
        Fact("TST001", O.failed),
        Fact("DEP001", O.passed),
        Fact("DEP002", O.passed),
        Fact("DEP003", O.passed),
        Fact("SEC020", O.passed),
        Fact("OBS001", O.failed),
        Fact("DOC001", O.passed),
        Fact("DOC005", O.failed),
    ),
)

LATE_REPOS = (DJANGO_SHOP, NODE_WORKER)
