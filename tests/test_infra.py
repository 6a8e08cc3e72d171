"""The Azure infrastructure, checked offline: every Bicep file parsed with pycep and its
structure asserted, azure.yaml, host.json and the azd parameters read, checkov run over
infra/. Each structural check returns the problems it finds, and is also run on mutated
copies of the Bicep to show that it finds them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from pycep import BicepParser

from api.maps.providers import BUILTIN
from api.settings import PREFIX, Limits, Settings
from tests.test_function_app import image_operation_paths

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
PYTHON_VERSION = "3.12"

Docs = dict[str, dict[str, Any]]  # path relative to infra/ -> parsed Bicep


def parse_text(text: str) -> dict[str, Any]:
    return BicepParser().parse(text=text)


@cache
def infra_docs() -> Docs:
    return {
        path.relative_to(INFRA).as_posix(): BicepParser().parse(file_path=path)
        for path in sorted(INFRA.rglob("*.bicep"))
    }


def mutated(relative: str, old: str, new: str) -> Docs:
    """The parsed infra with one text replacement in one file."""
    text = (INFRA / relative).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    return {**infra_docs(), relative: parse_text(text.replace(old, new))}


# -- reading pycep's output ----------------------------------------------------------


def dotted(expr: Any) -> str | None:
    """``a.b.c`` for a property access chain (or a plain name / string), else None."""
    if isinstance(expr, str):
        return expr
    if isinstance(expr, dict) and expr.get("operator", {}).get("type") == "property_accessor":
        operands = expr["operator"]["operands"]
        left, right = dotted(operands["operand_1"]), dotted(operands["operand_2"])
        return f"{left}.{right}" if left and right else None
    return None


def nested_functions(expr: Any) -> Iterator[dict[str, Any]]:
    """Every function call inside an expression."""
    if isinstance(expr, dict):
        if "function" in expr and isinstance(expr["function"], dict):
            yield expr["function"]
        for value in expr.values():
            yield from nested_functions(value)
    elif isinstance(expr, list):
        for item in expr:
            yield from nested_functions(item)


def resources(docs: Docs, type_: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(file, symbol, config) of the resources of one type declared (not ``existing``)."""
    return [
        (path, symbol, resource["config"])
        for path, doc in docs.items()
        for symbol, resource in doc.get("resources", {}).items()
        if resource["type"] == type_ and not resource["existing"]
    ]


def unquote(key: str) -> str:
    return key.strip("'")


def resolve(doc: dict[str, Any], value: Any) -> Any:
    """A variable's value when ``value`` names a variable of the file, else ``value``."""
    if isinstance(value, str) and value in doc.get("variables", {}):
        return doc["variables"][value]["value"]
    return value


def attached_rule_sets(docs: Docs) -> set[tuple[str, str]]:
    """(file, rule set symbol) of the rule sets that a Front Door route uses."""
    attached = set()
    for path, _, config in resources(docs, "Microsoft.Cdn/profiles/afdEndpoints/routes"):
        for reference in config["properties"].get("ruleSets", []):
            target = dotted(reference["id"]) or ""
            attached.add((path, target.removesuffix(".id")))
    return attached


def rule_actions(config: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [action["parameters"] for action in config["properties"]["actions"] if action["name"] == name]


# -- structural checks: each returns the problems it finds ------------------------------


def check_function_key_injection(docs: Docs) -> list[str]:
    problems = []
    attached = attached_rule_sets(docs)
    found = 0
    for path, symbol, config in resources(docs, "Microsoft.Cdn/profiles/ruleSets/rules"):
        for action in rule_actions(config, "ModifyRequestHeader"):
            if action["headerName"].lower() != "x-functions-key":
                continue
            found += 1
            where = f"{path}:{symbol}"
            if action["headerAction"] != "Overwrite":
                problems.append(f"{where}: the key must overwrite what the client sent")
            if config["properties"].get("conditions"):
                problems.append(f"{where}: the key must be added to every request (no conditions)")
            keys = [
                f["parameters"]
                for f in nested_functions(action["value"])
                if f.get("type") == "list_func" and f["parameters"]["func_name"] == "listKeys"
            ]
            if not any(str(k["resource_identifier"]).endswith("/host/default") for k in keys):
                problems.append(f"{where}: the header value is not the host key from listKeys(...)")
            if (path, config["parent"]) not in attached:
                problems.append(f"{where}: rule set {config['parent']} is not attached to a route")
    if not found:
        problems.append("no Front Door rule sets the x-functions-key request header")
    return problems


def check_image_caching(docs: Docs, image_paths: list[str]) -> list[str]:
    problems = []
    attached = attached_rule_sets(docs)
    prefixes: list[str] = []
    for path, symbol, config in resources(docs, "Microsoft.Cdn/profiles/ruleSets/rules"):
        for action in rule_actions(config, "RouteConfigurationOverride"):
            cache_config = action.get("cacheConfiguration")
            if not cache_config:
                continue
            where = f"{path}:{symbol}"
            if cache_config.get("queryStringCachingBehavior") != "UseQueryString":
                problems.append(f"{where}: images must be cached by their full query string")
            if cache_config.get("cacheBehavior") != "HonorOrigin":
                problems.append(f"{where}: the app's Cache-Control must decide how long")
            if (path, config["parent"]) not in attached:
                problems.append(f"{where}: rule set {config['parent']} is not attached to a route")
            for condition in config["properties"].get("conditions", []):
                parameters = condition["parameters"]
                if condition["name"] == "UrlPath" and parameters["operator"] == "BeginsWith":
                    prefixes.extend(parameters["matchValues"])
    for image_path in image_paths:
        relative = image_path.lstrip("/")  # Front Door matches paths without the leading slash
        if not any(relative.startswith(prefix) for prefix in prefixes):
            problems.append(f"{image_path} is not cached")
    for other in ("health", "docs", "openapi.json"):
        if any(other.startswith(prefix) for prefix in prefixes):
            problems.append(f"/{other} must not be cached")
    for path, symbol, config in resources(docs, "Microsoft.Cdn/profiles/afdEndpoints/routes"):
        properties = config["properties"]
        if properties.get("cacheConfiguration"):
            problems.append(f"{path}:{symbol}: the route caches everything, not only images")
        if (
            properties.get("httpsRedirect") != "Enabled"
            or properties.get("forwardingProtocol") != "HttpsOnly"
        ):
            problems.append(f"{path}:{symbol}: HTTP must redirect to HTTPS, and the origin get HTTPS only")
    return problems


def check_plan_and_runtime(docs: Docs) -> list[str]:
    problems = []
    plans = resources(docs, "Microsoft.Web/serverfarms")
    if not plans or any(c["sku"] != {"tier": "FlexConsumption", "name": "FC1"} for _, _, c in plans):
        problems.append("the plan must be Flex Consumption (FC1)")
    sites = resources(docs, "Microsoft.Web/sites")
    if len(sites) != 1:
        problems.append(f"expected one function app, found {len(sites)}")
    for path, symbol, config in sites:
        runtime = config["properties"]["functionAppConfig"]["runtime"]
        version = resolve(docs[path], runtime["version"])
        if runtime["name"] != "python" or version != PYTHON_VERSION:
            problems.append(
                f"{path}:{symbol}: runtime is {runtime['name']} {version}, not python {PYTHON_VERSION}"
            )
        if "functionapp" not in config["kind"] or "linux" not in config["kind"]:
            problems.append(f"{path}:{symbol}: not a Linux function app")
    return problems


def check_origin_restriction(docs: Docs) -> list[str]:
    """Only Front Door's backend, carrying this profile's ID, reaches the function app."""
    problems = []
    for path, symbol, config in resources(docs, "Microsoft.Web/sites"):
        where = f"{path}:{symbol}"
        site = config["properties"]["siteConfig"]
        if site.get("ipSecurityRestrictionsDefaultAction") != "Deny":
            problems.append(f"{where}: requests that match no rule must be denied")
        rules = site.get("ipSecurityRestrictions", [])
        front_door = [
            r
            for r in rules
            if r.get("tag") == "ServiceTag"
            and r.get("ipAddress") == "AzureFrontDoor.Backend"
            and r["action"] == "Allow"
        ]
        if len(front_door) != 1 or len(rules) != 1:
            problems.append(f"{where}: the only rule must allow the AzureFrontDoor.Backend service tag")
            continue
        headers = {unquote(k).lower(): v for k, v in front_door[0].get("headers", {}).items()}
        fdid = headers.get("x-azure-fdid", [])
        params = docs[path].get("parameters", {})
        if len(fdid) != 1 or fdid[0] not in params:
            problems.append(f"{where}: X-Azure-FDID must be the profile's ID (a parameter of {path})")
            continue
        problems.extend(_front_door_id_source(docs, path, fdid[0]))
    return problems


def _front_door_id_source(docs: Docs, site_file: str, param: str) -> list[str]:
    """main.bicep passes ``param`` from a module output that is a Front Door profile's frontDoorId."""
    for module in docs["main.bicep"]["modules"].values():
        if module["detail"]["path"] != site_file:
            continue
        source = dotted(module["config"]["params"].get(param)) or ""
        match = re.fullmatch(r"(\w+)\.outputs\.(\w+)", source)
        if not match:
            return [f"main.bicep: {param} of {site_file} is not a module output"]
        producer = docs["main.bicep"]["modules"][match[1]]["detail"]["path"]
        output = docs[producer]["outputs"].get(match[2], {}).get("value")
        profiles = {s for _, s, _ in resources({producer: docs[producer]}, "Microsoft.Cdn/profiles")}
        if dotted(output) not in {f"{p}.properties.frontDoorId" for p in profiles}:
            return [f"{producer}: output {match[2]} is not a Front Door profile's frontDoorId"]
        return []
    return [f"main.bicep does not deploy {site_file}"]


def check_secrets(docs: Docs) -> list[str]:
    problems = []
    secure = []
    for path, doc in docs.items():
        for name, param in doc.get("parameters", {}).items():
            is_secure = any(d["type"] == "secure" for d in param["decorators"])
            if is_secure:
                secure.append(name)
                if param["default"] is not None:
                    problems.append(f"{path}: secure parameter {name} has a default value")
            elif re.search(r"key|secret|password|token", name, re.IGNORECASE):
                problems.append(f"{path}: {name} looks like a secret but is not @secure()")
        for name, output in doc.get("outputs", {}).items():
            text = json.dumps(output["value"])
            if any(re.search(rf"\b{s}\b", text) for s in secure) or "listKeys" in text:
                problems.append(f"{path}: output {name} reveals a secret")
    if not secure:
        problems.append("no @secure() parameter holds the tile provider keys")
    return problems


def check_storage(docs: Docs) -> list[str]:
    problems = []
    expected = {
        "allowBlobPublicAccess": False,
        "allowSharedKeyAccess": False,
        "minimumTlsVersion": "TLS1_2",
        "supportsHttpsTrafficOnly": True,
    }
    accounts = resources(docs, "Microsoft.Storage/storageAccounts")
    if not accounts:
        problems.append("no storage account")
    for path, symbol, config in accounts:
        for name, value in expected.items():
            if config["properties"].get(name) != value:
                problems.append(f"{path}:{symbol}: {name} must be {value}")
    for path, symbol, config in resources(docs, "Microsoft.Storage/storageAccounts/blobServices/containers"):
        if config["properties"].get("publicAccess") != "None":
            problems.append(f"{path}:{symbol}: the container must not be public")
    for path, symbol, config in resources(docs, "Microsoft.Web/sites"):
        storage = config["properties"]["functionAppConfig"]["deployment"]["storage"]
        if storage["authentication"]["type"] != "UserAssignedIdentity":
            problems.append(f"{path}:{symbol}: deployment storage must be reached with the managed identity")
    return problems


def app_settings(docs: Docs) -> tuple[dict[str, Any], list[str]]:
    """The literal app settings of the function app, and the names of objects merged in."""
    settings: dict[str, Any] = {}
    merged: list[str] = []
    for path, _, config in resources(docs, "Microsoft.Web/sites/config"):
        if config["name"] != "appsettings":
            continue
        properties = config["properties"]
        parts = (
            list(properties["function"]["parameters"].values()) if "function" in properties else [properties]
        )
        for part in parts:
            value = resolve(docs[path], part)
            if isinstance(value, dict):
                settings.update(value)
            else:
                merged.append(part)
    return settings, merged


def known_setting_names() -> set[str]:
    names = {PREFIX + f.name.upper() for cls in (Settings, Limits) for f in fields(cls) if f.name != "limits"}
    return names | tile_key_names()


def tile_key_names() -> set[str]:
    return {p.key_env for p in BUILTIN if p.key_env}


def check_app_settings(docs: Docs) -> list[str]:
    problems = []
    settings, merged = app_settings(docs)
    unknown = {k for k in settings if k.startswith(PREFIX)} - known_setting_names()
    if unknown:
        problems.append(f"app settings the API does not read: {sorted(unknown)}")
    if not str(settings.get("CHARTMAP_TILE_CACHE_DIR", "")).startswith("/tmp/"):
        problems.append("the tile cache must be on the instance's local temporary storage (/tmp)")
    if "CHARTMAP_CONTACT_URL" not in settings:
        problems.append("the tiles' User-Agent contact (CHARTMAP_CONTACT_URL) is not set")
    secure = {
        name
        for doc in docs.values()
        for name, p in doc.get("parameters", {}).items()
        if any(d["type"] == "secure" for d in p["decorators"])
    }
    if not secure & set(merged):
        problems.append("the tile provider keys (a secure parameter) are not in the app settings")
    if settings.get("AzureWebJobsStorage__credential") != "managedidentity":
        problems.append("the host must reach its storage with the managed identity")
    return problems


def check_modules(docs: Docs) -> list[str]:
    problems = []
    main = docs["main.bicep"]
    if main["globals"]["scope"]["value"] != "subscription":
        problems.append("main.bicep must deploy at subscription scope (it creates the resource group)")
    used = {"main.bicep"}
    for path, doc in docs.items():
        for symbol, module in doc.get("modules", {}).items():
            target = (Path(path).parent / module["detail"]["path"]).as_posix()
            if module["type"] != "local" or target not in docs:
                problems.append(
                    f"{path}: module {symbol} points to {module['detail']['path']}, not a file here"
                )
            used.add(target)
    for orphan in sorted(set(docs) - used):
        problems.append(f"{orphan} is used by no module")
    for output in ("FUNCTION_URL", "FRONT_DOOR_URL"):
        if output not in main.get("outputs", {}):
            problems.append(f"main.bicep does not output {output}")
    return problems


CHECKS: dict[str, Callable[[Docs], list[str]]] = {
    "function key": check_function_key_injection,
    "image caching": lambda docs: check_image_caching(docs, image_operation_paths()),
    "plan and runtime": check_plan_and_runtime,
    "origin restriction": check_origin_restriction,
    "secrets": check_secrets,
    "storage": check_storage,
    "app settings": check_app_settings,
    "modules": check_modules,
}


@pytest.mark.parametrize("check", CHECKS)
def test_infra_passes_the_structural_check(check: str) -> None:
    assert CHECKS[check](infra_docs()) == []


REMOVE_KEY_RULE = re.compile(r"resource functionKeyRule .*?\n}\n", re.DOTALL)


def test_function_key_check_flags_a_missing_rule() -> None:
    text = (INFRA / "app/frontdoor.bicep").read_text(encoding="utf-8")
    without = REMOVE_KEY_RULE.sub("", text).replace("    functionKeyRule\n", "")
    assert without != text
    docs = {**infra_docs(), "app/frontdoor.bicep": parse_text(without)}
    assert check_function_key_injection(docs) == [
        "no Front Door rule sets the x-functions-key request header"
    ]


MUTATIONS = [
    ("function key", "app/frontdoor.bicep", "headerAction: 'Overwrite'", "headerAction: 'Append'"),
    (
        "function key",
        "app/frontdoor.bicep",
        "listKeys('${functionApp.id}/host/default', '2024-11-01').functionKeys.default",
        "'typed-in-key'",
    ),
    ("function key", "app/frontdoor.bicep", "      {\n        id: ruleSet.id\n      }\n", ""),
    ("image caching", "app/frontdoor.bicep", "            'maps/'\n", ""),
    ("image caching", "app/frontdoor.bicep", "'UseQueryString'", "'IgnoreQueryString'"),
    ("image caching", "app/frontdoor.bicep", "'HonorOrigin'", "'OverrideAlways'"),
    ("image caching", "app/frontdoor.bicep", "httpsRedirect: 'Enabled'", "httpsRedirect: 'Disabled'"),
    (
        "image caching",
        "app/frontdoor.bicep",
        "            'chart'\n",
        "            'chart'\n            'docs'\n",
    ),
    ("plan and runtime", "app/api.bicep", "name: 'FC1'", "name: 'Y1'"),
    ("plan and runtime", "app/api.bicep", "var pythonVersion = '3.12'", "var pythonVersion = '3.11'"),
    ("origin restriction", "app/api.bicep", "ipAddress: 'AzureFrontDoor.Backend'", "ipAddress: 'AzureCloud'"),
    ("origin restriction", "app/api.bicep", "'x-azure-fdid': [", "'x-forwarded-host': ["),
    (
        "origin restriction",
        "app/api.bicep",
        "ipSecurityRestrictionsDefaultAction: 'Deny'",
        "ipSecurityRestrictionsDefaultAction: 'Allow'",
    ),
    (
        "origin restriction",
        "core/cdn/frontdoor-profile.bicep",
        "profile.properties.frontDoorId",
        "profile.id",
    ),
    ("secrets", "app/api.bicep", "param tileProviderKeys object\n", "param tileProviderKeys object = {}\n"),
    ("secrets", "main.bicep", "@secure()\n", ""),
    (
        "secrets",
        "main.bicep",
        "output FUNCTION_URL string = api.outputs.url",
        "output KEYS object = tileProviderKeys",
    ),
    (
        "storage",
        "core/storage/storage-account.bicep",
        "allowBlobPublicAccess: false",
        "allowBlobPublicAccess: true",
    ),
    (
        "storage",
        "core/storage/storage-account.bicep",
        "minimumTlsVersion: 'TLS1_2'",
        "minimumTlsVersion: 'TLS1_0'",
    ),
    ("storage", "core/storage/storage-account.bicep", "publicAccess: 'None'", "publicAccess: 'Blob'"),
    ("storage", "app/api.bicep", "type: 'UserAssignedIdentity'", "type: 'StorageAccountConnectionString'"),
    ("app settings", "app/api.bicep", "CHARTMAP_CONTACT_URL: contactUrl", "CHARTMAP_CONTACT: contactUrl"),
    ("app settings", "app/api.bicep", "'/tmp/chartmap-tiles'", "'/home/data/tiles'"),
    (
        "app settings",
        "app/api.bicep",
        "union(chartmapSettings, tileProviderKeys, {",
        "union(chartmapSettings, {",
    ),
    ("modules", "main.bicep", "targetScope = 'subscription'", "targetScope = 'resourceGroup'"),
    ("modules", "main.bicep", "module rbac 'app/rbac.bicep'", "module rbac 'app/roles.bicep'"),
    ("modules", "main.bicep", "output FRONT_DOOR_URL string", "output FRONTDOOR_URL string"),
]


@pytest.mark.parametrize(("check", "relative", "old", "new"), MUTATIONS)
def test_structural_check_flags_a_mutated_copy(check: str, relative: str, old: str, new: str) -> None:
    assert CHECKS[check](mutated(relative, old, new)) != []


# -- azure.yaml, parameters, host.json, README -------------------------------------------


def test_azure_yaml_deploys_one_python_function_app() -> None:
    project = yaml.safe_load((ROOT / "azure.yaml").read_text(encoding="utf-8"))
    assert list(project["services"]) == ["api"]
    service = project["services"]["api"]
    assert service["host"] == "function"
    assert service["language"] in ("python", "py")
    assert (ROOT / service["project"]).resolve() == ROOT
    # azd finds the resource to deploy to by this tag.
    api = infra_docs()["app/api.bicep"]
    assert api["parameters"]["serviceName"]["default"] == "api"
    assert "'azd-service-name': serviceName" in (INFRA / "app/api.bicep").read_text(encoding="utf-8")


def test_parameters_file_matches_main_bicep() -> None:
    given = json.loads((INFRA / "main.parameters.json").read_text(encoding="utf-8"))["parameters"]
    declared = infra_docs()["main.bicep"]["parameters"]
    assert set(given) <= set(declared)
    required = {name for name, p in declared.items() if p["default"] is None}
    assert required <= set(given), "azd would prompt for these"
    assert given["environmentName"]["value"] == "${AZURE_ENV_NAME}"
    assert given["location"]["value"] == "${AZURE_LOCATION}"
    keys = given["tileProviderKeys"]["value"]
    assert set(keys) == tile_key_names()
    for name, value in keys.items():  # from the azd environment, never written here
        assert value == "${" + name + "}"


def test_host_json() -> None:
    host = json.loads((ROOT / "host.json").read_text(encoding="utf-8"))
    assert host["version"] == "2.0"
    assert host["extensionBundle"] == {
        "id": "Microsoft.Azure.Functions.ExtensionBundle",
        "version": "[4.*, 5.0.0)",
    }
    assert host["extensions"]["http"]["routePrefix"] == ""
    sampling = host["logging"]["applicationInsights"]["samplingSettings"]
    assert sampling["isEnabled"] is True
    assert "Request" in sampling["excludedTypes"].split(";")


def test_funcignore_keeps_the_app_and_leaves_out_the_rest() -> None:
    ignored = {
        line.strip().rstrip("/")
        for line in (ROOT / ".funcignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for name in (
        "tests",
        "bench",
        "infra",
        "docs",
        "scripts",
        ".venv",
        ".venv-checkov",
        "local.settings.json",
    ):
        assert name in ignored
    for needed in ("api", "function_app", "host.json", "requirements.txt"):
        assert needed not in ignored


def test_local_settings_example_has_no_secrets_and_real_ones_are_ignored() -> None:
    example = json.loads((ROOT / "local.settings.example.json").read_text(encoding="utf-8"))
    values = example["Values"]
    assert values["FUNCTIONS_WORKER_RUNTIME"] == "python"
    for name in tile_key_names():
        assert values.get(name, "") == ""
    gitignore = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "local.settings.json" in gitignore
    assert ".azure/" in gitignore  # azd keeps the environment's values (keys too) there


def readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"README has no section {title}"
    return match[1]


def test_readme_deployment_section_matches_the_infrastructure() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.index("## Configuration") < text.index("## Deployment")
    section = readme_section("Deployment")
    assert f"Python {PYTHON_VERSION}" in section
    for needed in (
        "azd up",
        "az afd endpoint purge",
        "az functionapp keys set",
        "azd env set",
        "azd provision",
    ):
        assert needed in section, needed
    assert re.search(r'gunicorn [^\n]*"api:create_app\(\)"', section)
    for name in tile_key_names():
        assert name in section


# -- checkov --------------------------------------------------------------------------------


def checkov_path() -> Path:
    if not CHECKOV.exists():
        message = "checkov is not installed in .venv-checkov (see the README's install line)"
        if os.environ.get("CI"):
            pytest.fail(message + ", and CI must run it")
        pytest.skip(message)
    return CHECKOV


def run_checkov(directory: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [str(checkov_path()), "-d", str(directory), "--framework", "bicep", "-o", "json", "--skip-download"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    assert isinstance(report, dict), "one framework, one report"
    return report


# Resource types that checkov has checks for: one missing from the report means its file
# was not read.
CHECKOV_CHECKED_TYPES = {
    "Microsoft.Web/sites",
    "Microsoft.Web/serverfarms",
    "Microsoft.Storage/storageAccounts",
}


def checkov_problems(report: dict[str, Any]) -> list[str]:
    """checkov exits 0 when files do not parse: parse errors and coverage are checked here."""
    summary, results = report["summary"], report["results"]
    problems = [f"parse error: {path}" for path in results.get("parsing_errors", [])]
    if summary["parsing_errors"] and not problems:
        problems.append(f"{summary['parsing_errors']} parse errors")
    outcomes = [
        *results.get("passed_checks", []),
        *results.get("failed_checks", []),
        *results.get("skipped_checks", []),
    ]
    checked_types = {outcome["resource"].rsplit(".", 1)[0] for outcome in outcomes}
    problems += [f"checkov checked no {t}" for t in sorted(CHECKOV_CHECKED_TYPES - checked_types)]
    problems += [
        f"failed {c['check_id']} ({c['check_name']}) on {c['resource']} in {c['file_path']}"
        for c in results.get("failed_checks", [])
    ]
    for skipped in results.get("skipped_checks", []):
        reason = skipped["check_result"].get("suppress_comment", "").strip()
        if not reason or reason == "No comment provided":
            problems.append(f"skipped {skipped['check_id']} on {skipped['resource']} without a reason")
    return problems


def test_checkov_finds_no_parse_errors_and_no_failed_checks() -> None:
    report = run_checkov(INFRA)
    assert checkov_problems(report) == []
    summary = report["summary"]
    print(f"checkov: {summary['passed']} passed, {summary['skipped']} skipped with reasons")


def test_checkov_problems_are_reported(tmp_path: Path) -> None:
    copy = tmp_path / "infra"
    shutil.copytree(INFRA, copy)

    def edit(relative: str, old: str, new: str) -> None:
        path = copy / relative
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    edit("core/storage/storage-account.bicep", "minimumTlsVersion: 'TLS1_2'", "minimumTlsVersion: 'TLS1_2' +")
    edit("app/api.bicep", "minTlsVersion: '1.2'", "minTlsVersion: '1.0'")
    edit("app/api.bicep", "checkov:skip=CKV_AZURE_17:", "checkov:skip=CKV_AZURE_17 ")
    problems = checkov_problems(run_checkov(copy))
    assert any(p.startswith("parse error:") and p.endswith("storage-account.bicep") for p in problems)
    assert "checkov checked no Microsoft.Storage/storageAccounts" in problems
    assert any(p.startswith("failed CKV_AZURE_15 ") for p in problems)
    assert any(p.startswith("skipped CKV_AZURE_17 ") for p in problems)
