"""Key formats detect-secrets 1.5 does not ship, written as its regex plugins are.

Each is a vendor prefix plus a fixed alphabet and length, so a match is a credential or a
deliberate dummy (which :func:`pipeline.secrets.rules.is_placeholder` then drops). Formats
without a prefix (a bare UUID, a bare 32-hex string) are left out on purpose: they match
ids, digests and test data everywhere.
"""

from __future__ import annotations

import re

from detect_secrets.plugins.base import RegexBasedDetector

# The end of a token: a longer run of the same alphabet means it was not this format.
_END = r"(?![A-Za-z0-9_-])"


class GoogleApiKeyDetector(RegexBasedDetector):
    """Google Cloud / Firebase / Maps API keys (``AIza`` + 35)."""

    secret_type = "Google API Key"
    denylist = (re.compile(r"AIza[0-9A-Za-z_-]{35}" + _END),)


class GoogleOAuthSecretDetector(RegexBasedDetector):
    """Google OAuth client secrets (``GOCSPX-`` + 28)."""

    secret_type = "Google OAuth Client Secret"
    denylist = (re.compile(r"GOCSPX-[0-9A-Za-z_-]{28}" + _END),)


class NpmAccessTokenDetector(RegexBasedDetector):
    """npm access tokens anywhere (detect-secrets knows them only in ``.npmrc`` lines)."""

    secret_type = "NPM Access Token"
    denylist = (re.compile(r"npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])"),)


class GitHubFineGrainedTokenDetector(RegexBasedDetector):
    """GitHub fine-grained personal access tokens."""

    secret_type = "GitHub Fine-grained Token"
    denylist = (re.compile(r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9])"),)


class OpenAIProjectKeyDetector(RegexBasedDetector):
    """OpenAI project, service-account and admin keys (the legacy form is a plugin)."""

    secret_type = "OpenAI Project Key"
    denylist = (re.compile(r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}"),)


class AnthropicKeyDetector(RegexBasedDetector):
    """Anthropic API and admin keys (``sk-ant-api03-...``)."""

    secret_type = "Anthropic API Key"
    denylist = (re.compile(r"sk-ant-[a-z]{2,6}\d{0,3}-[A-Za-z0-9_-]{40,}"),)


class SlackAppTokenDetector(RegexBasedDetector):
    """Slack app-level tokens (``xapp-``; the plugin knows only ``xox*`` and webhooks)."""

    secret_type = "Slack App Token"
    denylist = (re.compile(r"xapp-\d-[A-Z0-9]{8,}-\d{8,}-[a-f0-9]{32,}"),)


class StripeWebhookSecretDetector(RegexBasedDetector):
    """Stripe webhook signing secrets."""

    secret_type = "Stripe Webhook Secret"
    denylist = (re.compile(r"whsec_[A-Za-z0-9+/]{32,}"),)


class HuggingFaceTokenDetector(RegexBasedDetector):
    """Hugging Face user access tokens."""

    secret_type = "Hugging Face Token"
    denylist = (re.compile(r"hf_[A-Za-z0-9]{34}(?![A-Za-z0-9])"),)


class ShopifyTokenDetector(RegexBasedDetector):
    """Shopify access tokens and shared secrets."""

    secret_type = "Shopify Token"
    denylist = (re.compile(r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9])"),)


class DigitalOceanTokenDetector(RegexBasedDetector):
    """DigitalOcean personal, OAuth and refresh tokens."""

    secret_type = "DigitalOcean Token"
    denylist = (re.compile(r"do[opr]_v1_[a-f0-9]{64}(?![A-Za-z0-9])"),)


class PostmanKeyDetector(RegexBasedDetector):
    """Postman API keys."""

    secret_type = "Postman API Key"
    denylist = (re.compile(r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}(?![A-Za-z0-9])"),)


class AgeSecretKeyDetector(RegexBasedDetector):
    """age encryption secret keys."""

    secret_type = "Age Secret Key"
    denylist = (re.compile(r"AGE-SECRET-KEY-1[0-9A-Z]{58}(?![A-Za-z0-9])"),)


class VaultTokenDetector(RegexBasedDetector):
    """HashiCorp Vault service and batch tokens."""

    secret_type = "Vault Token"
    denylist = (re.compile(r"hv[sb]\.[A-Za-z0-9_-]{90,}"),)


class DatabricksTokenDetector(RegexBasedDetector):
    """Databricks personal access tokens."""

    secret_type = "Databricks Token"
    denylist = (re.compile(r"(?<![A-Za-z0-9])dapi[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9])"),)


class LinearKeyDetector(RegexBasedDetector):
    """Linear API keys."""

    secret_type = "Linear API Key"
    denylist = (re.compile(r"lin_api_[A-Za-z0-9]{40}(?![A-Za-z0-9])"),)


class AzureClientSecretDetector(RegexBasedDetector):
    """Microsoft Entra (Azure AD) client secrets: three characters, a digit, ``Q~``, 31-34."""

    secret_type = "Azure Client Secret"
    denylist = (
        re.compile(r"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![\w~.-])"),
    )
