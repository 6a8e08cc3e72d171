"""The Azure infrastructure, checked offline: every Bicep file parsed with pycep and its
structure asserted, azure.yaml, host.json, pyproject.toml and the azd parameters read,
checkov run over infra/. Each structural check returns the problems it finds, and is also
run on mutated copies of the Bicep to show that it finds them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from pycep import BicepParser

from api.maps.providers import BUILTIN
from api.settings import PREFIX, Limits, Settings
from tests.test_function_app import image_operation_paths

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
PYTHON_VERSION = "3.12"
SITE = "Microsoft.Web/sites"
HOST_KEY = "Microsoft.Web/sites/host/functionKeys"
PROFILE = "Microsoft.Cdn/profiles"
ENDPOINT = "Microsoft.Cdn/profiles/afdEndpoints"
RULE = "Microsoft.Cdn/profiles/ruleSets/rules"
WAF_POLICY = "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies"
SECURITY_POLICY = "Microsoft.Cdn/profiles/securityPolicies"
DIAGNOSTICS = "Microsoft.Insights/diagnosticSettings"
WORKSPACE = "Microsoft.OperationalInsights/workspaces"

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


def symbols(doc: dict[str, Any], type_: str, *, existing: bool = True) -> set[str]:
    """Symbols of one file's resources of a type, ``existing`` references included or not."""
    return {
        symbol
        for symbol, resource in doc.get("resources", {}).items()
        if resource["type"] == type_ and (existing or not resource["existing"])
    }


def is_secure(param: dict[str, Any]) -> bool:
    return any(d["type"] == "secure" for d in param["decorators"])


def secure_params(doc: dict[str, Any]) -> set[str]:
    return {name for name, param in doc.get("parameters", {}).items() if is_secure(param)}


def decorator(param: dict[str, Any], type_: str) -> Any:
    return next((d.get("argument") for d in param["decorators"] if d["type"] == type_), None)


def passed(docs: Docs, path: str, param: str) -> Any:
    """What main.bicep passes for ``param`` to the module that deploys ``path`` (None: nothing)."""
    for module in docs["main.bicep"]["modules"].values():
        if module["detail"]["path"] == path:
            return module["config"]["params"].get(param)
    return None


def main_source(docs: Docs, path: str, param: str) -> str | None:
    """The main.bicep parameter that a module parameter (or main's own) comes from, if any."""
    if path == "main.bicep":
        return param if param in docs[path]["parameters"] else None
    source = passed(docs, path, param)
    return source if isinstance(source, str) and source in docs["main.bicep"]["parameters"] else None


_UNKNOWN = object()  # what evaluate() gives for an expression it cannot reduce


def evaluate(docs: Docs, path: str, expr: Any, given: dict[str, Any] | None = None) -> Any:
    """The value of a pycep expression in ``path`` as deployed: a module parameter is what
    main.bicep passes, else its default; main's parameters take ``given``, else their defaults
    (None when there is none). Names of parameters and variables are resolved (pycep writes
    names and string literals alike); anything else it cannot reduce is ``_UNKNOWN``."""
    return _Evaluator(docs, given or {}).value(path, expr, {})


class _Evaluator:
    def __init__(self, docs: Docs, given: dict[str, Any]) -> None:
        self.docs, self.given = docs, given

    def value(self, path: str, expr: Any, local: dict[str, Any]) -> Any:  # noqa: PLR0911
        doc = self.docs[path]
        if isinstance(expr, str):
            if expr in local:
                return local[expr]
            if expr in doc.get("parameters", {}):
                return self.param(path, expr)
            if expr in doc.get("variables", {}):
                return self.value(path, doc["variables"][expr]["value"], local)
            return expr
        if isinstance(expr, list):
            return [self.value(path, item, local) for item in expr]
        if not isinstance(expr, dict):
            return expr
        if "loop_type" in expr:
            return self.loop(path, expr, local)
        if "operator" in expr:
            return self.operator(path, expr["operator"], local)
        if "function" in expr:
            return self.function(path, expr["function"], local)
        return {key: self.value(path, item, local) for key, item in expr.items()}

    def param(self, path: str, name: str) -> Any:
        if path == "main.bicep":
            return self.given.get(name, self.docs[path]["parameters"][name]["default"])
        source = passed(self.docs, path, name)
        if source is not None:
            return self.value("main.bicep", source, {})
        return self.docs[path]["parameters"][name]["default"]

    def loop(self, path: str, expr: dict[str, Any], local: dict[str, Any]) -> Any:
        detail = expr["loop_type"]["detail"]
        items = self.value(path, detail["array_name"], local)
        if not isinstance(items, list):
            return _UNKNOWN
        index = detail.get("index_name")
        return [
            self.value(
                path, expr["config"], {**local, detail["item_name"]: item, **({index: i} if index else {})}
            )
            for i, item in enumerate(items)
        ]

    def operator(self, path: str, operator: dict[str, Any], local: dict[str, Any]) -> Any:
        operands = operator["operands"]
        if operator["type"] == "conditional":
            condition = self.value(path, operands["condition"], local)
            if not isinstance(condition, bool):
                return _UNKNOWN
            return self.value(path, operands["true_value" if condition else "false_value"], local)
        left = self.value(path, operands.get("operand_1"), local)
        right = self.value(path, operands.get("operand_2"), local)
        numbers = isinstance(left, int) and isinstance(right, int)
        if operator["type"] == "add" and numbers:
            return left + right
        if operator["type"] == "greater_than" and numbers:
            return left > right
        return _UNKNOWN

    def function(self, path: str, function: dict[str, Any], local: dict[str, Any]) -> Any:
        args = {key: self.value(path, item, local) for key, item in function.get("parameters", {}).items()}
        if function["type"] == "empty" and isinstance(args["item_to_test"], (str, list, dict)):
            return len(args["item_to_test"]) == 0
        if function["type"] == "replace" and all(isinstance(a, str) for a in args.values()):
            return args["original_string"].replace(args["old_string"], args["new_string"])
        if function["type"] == "split" and all(isinstance(a, str) for a in args.values()):
            return args["input_string"].split(args["delimiter"])
        if function["type"] == "string":
            return str(next(iter(args.values())))
        return _UNKNOWN


def from_output(docs: Docs, path: str, param: str, type_: str, attribute: str) -> list[str]:
    """main.bicep passes ``param`` of ``path`` from a module output that is ``attribute`` of a
    resource of ``type_`` that the module creates."""
    source = dotted(passed(docs, path, param)) or ""
    match = re.fullmatch(r"(\w+)\.outputs\.(\w+)", source)
    if not match:
        return [f"main.bicep: {param} of {path} is not a module output"]
    producer = docs["main.bicep"]["modules"][match[1]]["detail"]["path"]
    output = docs[producer]["outputs"].get(match[2], {}).get("value")
    expected = {f"{s}.{attribute}" for s in symbols(docs[producer], type_, existing=False)}
    if dotted(output) not in expected:
        return [f"{producer}: output {match[2]} is not {attribute} of a {type_}"]
    return []


# -- structural checks: each returns the problems it finds ------------------------------


def check_function_key_injection(docs: Docs) -> list[str]:
    """Front Door overwrites x-functions-key on every request with a value that the deployment
    itself gives to a named host key: no key is read from the host, which has none before
    the first code deployment."""
    problems = []
    attached = attached_rule_sets(docs)
    found = 0
    sources = {}  # where the value comes from -> who uses it
    for path, symbol, config in resources(docs, RULE):
        for action in rule_actions(config, "ModifyRequestHeader"):
            if action["headerName"].lower() != "x-functions-key":
                continue
            found += 1
            where = f"{path}:{symbol}"
            if action["headerAction"] != "Overwrite":
                problems.append(f"{where}: the key must overwrite what the client sent")
            if config["properties"].get("conditions"):
                problems.append(f"{where}: the key must be added to every request (no conditions)")
            value = action["value"]
            if not isinstance(value, str) or value not in secure_params(docs[path]):
                problems.append(
                    f"{where}: the header value must be a @secure() parameter, the host key's value"
                )
            else:
                sources.setdefault(main_source(docs, path, value), []).append(where)
            if (path, config["parent"]) not in attached:
                problems.append(f"{where}: rule set {config['parent']} is not attached to a route")
    if not found:
        problems.append("no Front Door rule sets the x-functions-key request header")
    for path, doc in docs.items():
        if any(f.get("type") == "list_func" for f in nested_functions(doc)):
            problems.append(
                f"{path} reads keys with a list*() function: that fails before the first deployment"
            )
    keys = resources(docs, HOST_KEY)
    if not keys:
        problems.append(f"no host key ({HOST_KEY}) holds the value Front Door sends")
    for path, symbol, config in keys:
        where = f"{path}:{symbol}"
        site = re.fullmatch(r"\$\{(\w+)\.name\}/default/(.+)", config["name"])
        if not site or site[1] not in symbols(docs[path], SITE, existing=False):
            problems.append(f"{where}: not a host key of the function app ('${{site.name}}/default/<key>')")
        elif evaluate(docs, path, site[2].removeprefix("${").removesuffix("}")) != evaluate(
            docs, path, config["properties"].get("name")
        ):
            problems.append(f"{where}: properties.name is not the key's name")
        value = config["properties"].get("value")
        if not isinstance(value, str) or value not in secure_params(docs[path]):
            problems.append(f"{where}: the key's value must be a @secure() parameter")
        else:
            sources.setdefault(main_source(docs, path, value), []).append(where)
    if keys and found and len(sources) != 1:
        problems.append(f"the host key and the Front Door rule take different values: {sources}")
    for source in sources:
        param = docs["main.bicep"]["parameters"].get(source or "")
        if not param or not is_secure(param) or param["default"] is not None:
            problems.append(f"the key's value is not a required @secure() parameter of main.bicep: {source}")
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


def check_error_images(docs: Docs) -> list[str]:
    """A rule attached to a route passes "the client's Accept began with image/" to the app in
    the header it reads (api/errors.py), since Front Door drops Accept on cached paths; on
    every path, so that no cached image path is left out."""
    from api.errors import FORWARDED_ACCEPT

    attached = attached_rule_sets(docs)
    for path, _, config in resources(docs, RULE):
        headers = [
            a
            for a in rule_actions(config, "ModifyRequestHeader")
            if a["headerName"].lower() == FORWARDED_ACCEPT.lower()
            and a["headerAction"] == "Overwrite"
            and str(a.get("value", "")).startswith("image/")
        ]
        conditions = config["properties"].get("conditions", [])
        on_accept = [
            c["parameters"]
            for c in conditions
            if c["name"] == "RequestHeader" and c["parameters"]["selector"].lower() == "accept"
        ]
        if not headers or len(on_accept) != 1 or len(conditions) != 1:
            continue
        condition = on_accept[0]
        if (
            condition["operator"] == "BeginsWith"
            and condition["matchValues"] == ["image/"]
            and "Lowercase" in condition.get("transforms", [])
            and not condition.get("negateCondition")
            and (path, config["parent"]) in attached
        ):
            return []
    return [f"no attached rule sets {FORWARDED_ACCEPT}: image/* for clients whose Accept begins with image/"]


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
    return from_output(docs, site_file, param, PROFILE, "properties.frontDoorId")


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


def app_setting(docs: Docs, name: str) -> Any:
    """One app setting's value as deployed (see evaluate); None when it is not set."""
    for path, _, config in resources(docs, "Microsoft.Web/sites/config"):
        if config["name"] != "appsettings":
            continue
        properties = config["properties"]
        parts = (
            list(properties["function"]["parameters"].values()) if "function" in properties else [properties]
        )
        for part in parts:
            value = resolve(docs[path], part)
            if isinstance(value, dict) and name in value:
                return evaluate(docs, path, value[name])
    return None


def check_production_defaults(docs: Docs) -> list[str]:
    """Maps default to OpenStreetMap in production, whose tile policy asks for a contact:
    the contact URL is a required parameter, never a placeholder."""
    problems = []
    provider = app_setting(docs, "CHARTMAP_DEFAULT_PROVIDER")
    if provider != "osm":
        problems.append(f"the production default provider is {provider!r}, not 'osm'")
    if not str(app_setting(docs, "MPLCONFIGDIR") or "").startswith("/tmp/"):
        problems.append("MPLCONFIGDIR must be on the instance's writable /tmp (the app folder is read-only)")
    for path, _, config in resources(docs, "Microsoft.Web/sites/config"):
        if config["name"] != "appsettings":
            continue
        for part in config["properties"]["function"]["parameters"].values():
            value = resolve(docs[path], part)
            if isinstance(value, dict) and "CHARTMAP_CONTACT_URL" in value:
                source = main_source(docs, path, value["CHARTMAP_CONTACT_URL"])
                param = docs["main.bicep"]["parameters"].get(source or "")
                module_param = docs[path]["parameters"].get(value["CHARTMAP_CONTACT_URL"], {})
                if not param or param["default"] is not None or module_param.get("default") is not None:
                    problems.append(
                        "CHARTMAP_CONTACT_URL must come from a main.bicep parameter without a default"
                    )
                elif not decorator(param, "min_length"):
                    problems.append(f"main.bicep: {source} must refuse an empty value (@minLength)")
    return problems


def check_rate_limit(docs: Docs) -> list[str]:
    """A WAF policy, linked to the endpoint through a security policy, limits every client IP."""
    problems = []
    policies = resources(docs, WAF_POLICY)
    if not policies:
        return ["no Front Door WAF policy"]
    linked = set()
    for path, symbol, config in resources(docs, SECURITY_POLICY):
        where, parameters = f"{path}:{symbol}", config["properties"]["parameters"]
        waf = (dotted(parameters.get("wafPolicy", {}).get("id")) or "").removesuffix(".id")
        if parameters.get("type") != "WebApplicationFirewall" or waf not in symbols(docs[path], WAF_POLICY):
            problems.append(f"{where}: links no WAF policy")
            continue
        associations = parameters.get("associations", [])
        domains = {
            (dotted(d["id"]) or "").removesuffix(".id") for a in associations for d in a.get("domains", [])
        }
        endpoints = domains & symbols(docs[path], ENDPOINT)
        patterns = {pattern for a in associations for pattern in a.get("patternsToMatch", [])}
        if not endpoints or "/*" not in patterns:
            problems.append(f"{where}: must apply to the Front Door endpoint on every path ('/*')")
            continue
        for endpoint in endpoints:
            name = docs[path]["resources"][endpoint]["config"]["name"]
            problems.extend(from_output(docs, path, name, ENDPOINT, "name"))
        linked.add((path, waf))
    for path, symbol, config in policies:
        where, properties = f"{path}:{symbol}", config["properties"]
        if (path, symbol) not in linked:
            problems.append(f"{where}: no security policy links it to the endpoint")
        settings = properties.get("policySettings", {})
        if settings.get("enabledState") != "Enabled" or settings.get("mode") != "Prevention":
            problems.append(f"{where}: must be enabled, in Prevention mode")
        rules = [
            r
            for r in properties.get("customRules", {}).get("rules", [])
            if r.get("ruleType") == "RateLimitRule"
        ]
        if not rules:
            problems.append(f"{where}: no rate-limit rule")
        for rule in rules:
            rule_where = f"{where}:{rule.get('name')}"
            if rule.get("enabledState", "Enabled") != "Enabled" or rule.get("action") != "Block":
                problems.append(f"{rule_where}: must be enabled and block")
            if rule.get("rateLimitDurationInMinutes") != 1:
                problems.append(f"{rule_where}: the limit is per minute")
            threshold = evaluate(docs, path, rule.get("rateLimitThreshold"))
            if not isinstance(threshold, int) or threshold < 10:
                problems.append(f"{rule_where}: no rate limit threshold (requests per minute): {threshold!r}")
            if [g.get("variableName") for g in rule.get("groupBy", [])] != ["SocketAddr"]:
                problems.append(f"{rule_where}: must count per client IP (groupBy SocketAddr)")
            everyone = any(
                c.get("operator") == "IPMatch"
                and not c.get("negateCondition", False)
                and {"0.0.0.0/0", "::/0"} <= set(c.get("matchValue", []))
                for c in rule.get("matchConditions", [])
            )
            if not everyone:
                problems.append(f"{rule_where}: must match every IPv4 and IPv6 client")
    return problems


FRONT_DOOR_LOGS = {"FrontDoorAccessLog", "FrontDoorWebApplicationFirewallLog"}


def check_front_door_logs(docs: Docs) -> list[str]:
    """The profile sends its access and WAF logs to the Log Analytics workspace."""
    problems = []
    profiles = resources(docs, PROFILE)
    if not profiles:
        return ["no Front Door profile"]
    for path, symbol, _ in profiles:
        settings = [c for _, _, c in resources({path: docs[path]}, DIAGNOSTICS) if c.get("scope") == symbol]
        enabled = {
            log["category"] for c in settings for log in c["properties"].get("logs", []) if log.get("enabled")
        }
        if missing := FRONT_DOOR_LOGS - enabled:
            problems.append(f"{path}:{symbol}: logs not sent: {sorted(missing)}")
        for config in settings:
            workspace = config["properties"].get("workspaceId")
            if workspace not in docs[path]["parameters"]:
                problems.append(f"{path}: diagnostics must go to the workspace given as a parameter")
            else:
                problems.extend(from_output(docs, path, workspace, WORKSPACE, "id"))
    return problems


def check_flex_scale(docs: Docs) -> list[str]:
    """Scale and concurrency are explicit: several requests per instance, none always ready."""
    problems = []
    for path, symbol, config in resources(docs, SITE):
        where = f"{path}:{symbol}"
        scale = config["properties"]["functionAppConfig"].get("scaleAndConcurrency", {})
        memory = evaluate(docs, path, scale.get("instanceMemoryMB"))
        if memory not in (2048, 4096):
            problems.append(f"{where}: instanceMemoryMB {memory!r}: concurrent renders need 2048 or 4096")
        count = evaluate(docs, path, scale.get("maximumInstanceCount"))
        if not isinstance(count, int) or not 40 <= count <= 1000:
            problems.append(f"{where}: maximumInstanceCount {count!r} is not within the plan's 40..1000")
        concurrency = evaluate(
            docs, path, scale.get("triggers", {}).get("http", {}).get("perInstanceConcurrency")
        )
        if not isinstance(concurrency, int) or concurrency < 2:
            problems.append(
                f"{where}: perInstanceConcurrency {concurrency!r}: Python's default of one request"
                " per instance starts an instance for every concurrent cache miss"
            )
        ready = evaluate(docs, path, scale.get("alwaysReady"))
        if ready != []:
            problems.append(f"{where}: alwaysReady must default to none (scale to zero): {ready!r}")
        ready_param = next((n for n in docs[path]["parameters"] if "alwaysready" in n.lower()), None)
        with_three = {main_source(docs, path, ready_param) or "": 3} if ready_param else {}
        if evaluate(docs, path, scale.get("alwaysReady"), with_three) != [
            {"name": "http", "instanceCount": 3}
        ]:
            problems.append(f"{where}: alwaysReady does not follow a parameter of main.bicep")
    return problems


def duration_seconds(text: str) -> int:
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def check_timeouts(docs: Docs, host: dict[str, Any]) -> list[str]:
    """The host stops a function before Front Door gives up on the origin, and a map's tile
    fetching ends well before the host stops the function."""
    problems = []
    function_timeout = duration_seconds(host.get("functionTimeout", "00:30:00"))
    for path, symbol, config in resources(docs, PROFILE):
        origin = evaluate(docs, path, config["properties"].get("originResponseTimeoutSeconds"))
        if not isinstance(origin, int) or function_timeout >= origin:
            problems.append(
                f"{path}:{symbol}: host.json functionTimeout ({function_timeout} s) must be below"
                f" Front Door's origin response timeout ({origin} s)"
            )
    budget = app_setting(docs, "CHARTMAP_MAP_TIME_BUDGET")
    if budget is None or float(budget) >= function_timeout:
        problems.append(
            f"CHARTMAP_MAP_TIME_BUDGET ({budget}) must be below functionTimeout ({function_timeout} s)"
        )
    return problems


SCM_RANGES = "203.0.113.7/32, 198.51.100.0/24"


def check_scm_access(docs: Docs) -> list[str]:
    """The deployment (SCM) site admits the ranges of a main.bicep parameter, any address when it is empty."""
    problems = []
    for path, symbol, config in resources(docs, SITE):
        where, site = f"{path}:{symbol}", config["properties"]["siteConfig"]
        if site.get("scmIpSecurityRestrictionsUseMain") is not False:
            problems.append(
                f"{where}: the SCM site needs rules of its own (the main ones admit Front Door only)"
            )
        for given, action, ranges in (
            ({}, "Allow", []),
            ({"scmAllowedIpRanges": SCM_RANGES}, "Deny", ["203.0.113.7/32", "198.51.100.0/24"]),
        ):
            default = evaluate(docs, path, site.get("scmIpSecurityRestrictionsDefaultAction"), given)
            rules = evaluate(docs, path, site.get("scmIpSecurityRestrictions", []), given)
            allowed = [
                r.get("ipAddress") for r in rules if isinstance(r, dict) and r.get("action") == "Allow"
            ]
            if default != action or allowed != ranges:
                problems.append(
                    f"{where}: with scmAllowedIpRanges={given.get('scmAllowedIpRanges', '')!r} the SCM site"
                    f" should {action.lower()} others and allow {ranges}, not {default!r} and {allowed}"
                )
    return problems


def check_location(docs: Docs) -> list[str]:
    param = docs["main.bicep"]["parameters"]["location"]
    regions = decorator(param, "allowed") or []
    if not regions or not all(re.fullmatch(r"[a-z]+[a-z0-9]*", r) for r in regions):
        return ["main.bicep: location must be limited to the Flex Consumption regions (@allowed)"]
    if decorator(param, "metadata") != {"azd": {"type": "location"}}:
        return ["main.bicep: location must be azd's location prompt"]
    return []


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


def host_json() -> dict[str, Any]:
    return json.loads((ROOT / "host.json").read_text(encoding="utf-8"))


CHECKS: dict[str, Callable[[Docs], list[str]]] = {
    "function key": check_function_key_injection,
    "image caching": lambda docs: check_image_caching(docs, image_operation_paths()),
    "error images": check_error_images,
    "plan and runtime": check_plan_and_runtime,
    "origin restriction": check_origin_restriction,
    "secrets": check_secrets,
    "storage": check_storage,
    "app settings": check_app_settings,
    "production defaults": check_production_defaults,
    "rate limit": check_rate_limit,
    "front door logs": check_front_door_logs,
    "flex scale": check_flex_scale,
    "timeouts": lambda docs: check_timeouts(docs, host_json()),
    "scm access": check_scm_access,
    "location": check_location,
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
    # The rule reads the key from the host again: it has none before the first code deployment.
    (
        "function key",
        "app/frontdoor.bicep",
        "          value: functionKey\n",
        "          value: listKeys('${functionApp.id}/host/default', '2024-11-01').functionKeys.default\n",
    ),
    (
        "function key",
        "app/frontdoor.bicep",
        "          value: functionKey\n",
        "          value: 'typed-in-key'\n",
    ),
    ("function key", "app/api.bicep", "    value: functionKey\n", "    value: 'typed-in-key'\n"),
    ("function key", "app/api.bicep", "'${functionApp.name}/default/", "'${functionApp.name}/other/"),
    ("function key", "app/api.bicep", "    name: frontDoorKeyName\n", "    name: 'another'\n"),
    (
        "function key",
        "main.bicep",
        "    functionAppName: api.outputs.name\n    functionKey: functionKey\n",
        "    functionAppName: api.outputs.name\n    functionKey: tileProviderKeys.CHARTMAP_STADIA_API_KEY\n",
    ),
    ("function key", "main.bicep", "param functionKey string\n", "param functionKey string = ''\n"),
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
    # The header the app reads renamed, the condition narrowed or inverted, its case left.
    ("error images", "app/frontdoor.bicep", "headerName: 'X-Chartmap-Accept'", "headerName: 'X-Accept'"),
    ("error images", "app/frontdoor.bicep", "            'image/'\n", "            'image/png'\n"),
    ("error images", "app/frontdoor.bicep", "selector: 'Accept'", "selector: 'Sec-Fetch-Dest'"),
    ("error images", "app/frontdoor.bicep", "            'Lowercase'\n", ""),
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
        "union(chartmapSettings, tileProviderKeys, empty(",
        "union(chartmapSettings, empty(",
    ),
    (
        "production defaults",
        "app/api.bicep",
        "param defaultProvider string = 'osm'",
        "param defaultProvider string = 'naturalearth'",
    ),
    (
        "production defaults",
        "app/api.bicep",
        "MPLCONFIGDIR: '/tmp/matplotlib'",
        "MPLCONFIGDIR: '/home/matplotlib'",
    ),
    # A contact URL with a default: a deployment would name a placeholder in every tile request.
    (
        "production defaults",
        "main.bicep",
        "param contactUrl string\n",
        "param contactUrl string = 'https://example.org/chartmap'\n",
    ),
    ("production defaults", "app/api.bicep", "param contactUrl string\n", "param contactUrl string = ''\n"),
    (
        "production defaults",
        "main.bicep",
        "@minLength(1)\n@description('Your contact URL",
        "@description('Your contact URL",
    ),
    # The WAF rule removed, or made something other than a per-client limit on everyone.
    ("rate limit", "app/frontdoor-waf.bicep", "ruleType: 'RateLimitRule'", "ruleType: 'MatchRule'"),
    ("rate limit", "app/frontdoor-waf.bicep", "          rateLimitThreshold: rateLimitPerMinute\n", ""),
    ("rate limit", "main.bicep", "param rateLimitPerMinute int = 300", "param rateLimitPerMinute int = 0"),
    (
        "rate limit",
        "app/frontdoor-waf.bicep",
        "          rateLimitDurationInMinutes: 1\n",
        "          rateLimitDurationInMinutes: 5\n",
    ),
    ("rate limit", "app/frontdoor-waf.bicep", "variableName: 'SocketAddr'", "variableName: 'None'"),
    ("rate limit", "app/frontdoor-waf.bicep", "                '::/0'\n", ""),
    ("rate limit", "app/frontdoor-waf.bicep", "negateCondition: false", "negateCondition: true"),
    ("rate limit", "app/frontdoor-waf.bicep", "mode: 'Prevention'", "mode: 'Detection'"),
    ("rate limit", "app/frontdoor-waf.bicep", "action: 'Block'", "action: 'Log'"),
    # The security policy unlinked: from the policy, from the endpoint, or from its paths.
    ("rate limit", "app/frontdoor-waf.bicep", "        id: wafPolicy.id\n", "        id: profile.id\n"),
    (
        "rate limit",
        "app/frontdoor-waf.bicep",
        "              id: endpoint.id\n",
        "              id: profile.id\n",
    ),
    ("rate limit", "app/frontdoor-waf.bicep", "            '/*'\n", "            '/charts/*'\n"),
    ("rate limit", "main.bicep", "endpointName: frontDoor.outputs.endpointName", "endpointName: 'chartmap'"),
    (
        "front door logs",
        "core/cdn/frontdoor-profile.bicep",
        "category: 'FrontDoorWebApplicationFirewallLog'\n        enabled: true",
        "category: 'FrontDoorWebApplicationFirewallLog'\n        enabled: false",
    ),
    (
        "front door logs",
        "core/cdn/frontdoor-profile.bicep",
        "category: 'FrontDoorAccessLog'",
        "category: 'FrontDoorHealthProbeLog'",
    ),
    ("front door logs", "core/cdn/frontdoor-profile.bicep", "  scope: profile\n", ""),
    (
        "front door logs",
        "main.bicep",
        "logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId",
        "logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsName",
    ),
    (
        "flex scale",
        "main.bicep",
        "param perInstanceConcurrency int = 4",
        "param perInstanceConcurrency int = 1",
    ),
    ("flex scale", "app/api.bicep", "            perInstanceConcurrency: perInstanceConcurrency\n", ""),
    ("flex scale", "main.bicep", "param alwaysReadyInstances int = 0", "param alwaysReadyInstances int = 1"),
    ("flex scale", "app/api.bicep", "    instanceCount: alwaysReadyInstances\n", "    instanceCount: 1\n"),
    ("flex scale", "app/api.bicep", "param instanceMemoryMB int = 2048", "param instanceMemoryMB int = 512"),
    (
        "flex scale",
        "main.bicep",
        "param maximumInstanceCount int = 40",
        "param maximumInstanceCount int = 20",
    ),
    (
        "timeouts",
        "core/cdn/frontdoor-profile.bicep",
        "param originResponseTimeoutSeconds int = 60",
        "param originResponseTimeoutSeconds int = 45",
    ),
    ("timeouts", "app/api.bicep", "param mapTimeBudget int = 15", "param mapTimeBudget int = 45"),
    # Back to the open SCM site, or its ranges not applied.
    (
        "scm access",
        "app/api.bicep",
        "scmIpSecurityRestrictionsDefaultAction: empty(scmAllowedIpRanges) ? 'Allow' : 'Deny'",
        "scmIpSecurityRestrictionsDefaultAction: 'Allow'",
    ),
    ("scm access", "app/api.bicep", "        ipAddress: cidr\n", "        ipAddress: '0.0.0.0/0'\n"),
    (
        "scm access",
        "app/api.bicep",
        "scmIpSecurityRestrictionsUseMain: false",
        "scmIpSecurityRestrictionsUseMain: true",
    ),
    ("scm access", "main.bicep", "    scmAllowedIpRanges: scmRanges\n", ""),
    ("location", "main.bicep", "  'westus3'\n", "  'West US 3'\n"),
    ("modules", "main.bicep", "targetScope = 'subscription'", "targetScope = 'resourceGroup'"),
    ("modules", "main.bicep", "module rbac 'app/rbac.bicep'", "module rbac 'app/roles.bicep'"),
    ("modules", "main.bicep", "output FRONT_DOOR_URL string", "output FRONTDOOR_URL string"),
]


@pytest.mark.parametrize(("check", "relative", "old", "new"), MUTATIONS)
def test_structural_check_flags_a_mutated_copy(check: str, relative: str, old: str, new: str) -> None:
    assert CHECKS[check](mutated(relative, old, new)) != []


def removed(relative: str, pattern: str) -> Docs:
    """The parsed infra with every match of a regular expression removed from one file."""
    text = (INFRA / relative).read_text(encoding="utf-8")
    without = re.sub(pattern, "", text, flags=re.DOTALL)
    assert without != text, f"{pattern!r} not in {relative}"
    return {**infra_docs(), relative: parse_text(without)}


REMOVALS = [
    # The rate-limit rule itself, then the security policy that links the WAF to the endpoint.
    (
        "rate limit",
        "app/frontdoor-waf.bicep",
        r"        \{\n          name: 'PerClientRateLimit'.*?\n        \}\n",
    ),
    ("rate limit", "app/frontdoor-waf.bicep", r"resource securityPolicy .*?\n}\n"),
    (
        "rate limit",
        "app/frontdoor-waf.bicep",
        r"resource wafPolicy .*?\n}\n(?=\n)|resource securityPolicy .*?\n}\n|output .*",
    ),
    ("front door logs", "core/cdn/frontdoor-profile.bicep", r"resource diagnostics .*?\n}\n"),
    ("error images", "app/frontdoor.bicep", r"resource errorImagesRule .*?\n}\n|    errorImagesRule\n"),
    ("function key", "app/api.bicep", r"resource frontDoorKey .*?\n}\n"),
    ("flex scale", "app/api.bicep", r"        triggers: \{.*?\n        \}\n"),
    ("location", "main.bicep", r"@allowed\(\[\n.*?\]\)\n"),
]


@pytest.mark.parametrize(("check", "relative", "pattern"), REMOVALS)
def test_structural_check_flags_a_removal(check: str, relative: str, pattern: str) -> None:
    assert CHECKS[check](removed(relative, pattern)) != []


def test_timeouts_check_flags_a_function_timeout_that_races_front_door() -> None:
    docs = infra_docs()
    assert check_timeouts(docs, host_json()) == []
    for timeout in ("00:01:00", "00:05:00"):
        assert check_timeouts(docs, {**host_json(), "functionTimeout": timeout}) != [], timeout
    assert check_timeouts(docs, {k: v for k, v in host_json().items() if k != "functionTimeout"}) != []


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
    # Required values come from the azd environment with no fallback, so azd asks for them
    # when they are unset; the key and the contact URL must never get a placeholder.
    for name, variable in (
        ("contactUrl", "CHARTMAP_CONTACT_URL"),
        ("functionKey", "CHARTMAP_FUNCTION_KEY"),
        ("scmAllowedIpRanges", "CHARTMAP_SCM_ALLOWED_IP_RANGES"),
    ):
        assert given[name]["value"] == "${" + variable + "}", name
    for name in required:
        assert "=" not in given[name]["value"], f"{name} has a fallback: azd would not ask for it"


def test_host_json() -> None:
    host = host_json()
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
        "*_env",  # azd's restore folder: <project folder>_env
        "build",  # what `pip install .` leaves behind
        "local.settings.json",
    ):
        assert name in ignored
    for needed in ("api", "function_app", "host.json", "requirements.txt"):
        assert needed not in ignored


def test_production_and_local_default_providers() -> None:
    """OpenStreetMap in the Bicep (with its attribution drawn), the offline basemap locally."""
    assert app_setting(infra_docs(), "CHARTMAP_DEFAULT_PROVIDER") == "osm"
    osm = next(p for p in BUILTIN if p.name == "osm")
    assert "OpenStreetMap" in osm.attribution
    assert not osm.needs_key
    assert Settings().default_provider == "naturalearth"
    assert Settings.from_env({}).default_provider == "naturalearth"


def test_nothing_deployed_runs_gunicorn() -> None:
    """The function app runs the WSGI app in the Functions host: gunicorn is neither installed
    (requirements.txt) nor named by the entry point, host.json or the Bicep."""
    requirements = [
        Requirement(line).name.lower()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "-"))
    ]
    assert "gunicorn" not in requirements
    assert "flask" in requirements  # the file was read
    deployed = [
        ROOT / "host.json",
        *sorted((ROOT / "function_app").iterdir()),
        *sorted(INFRA.rglob("*.bicep")),
    ]
    for path in deployed:
        if path.is_file():
            assert "gunicorn" not in path.read_text(encoding="utf-8").lower(), path


def test_pyproject_declares_an_installable_package() -> None:
    """`pip install .` (how newer azd restores a Python project) builds the api package with its
    templates, static files and data, and the runtime dependencies of requirements.in."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    build = project["build-system"]
    assert build["build-backend"] == "setuptools.build_meta"
    # A license expression (license = "MIT") needs setuptools 77 or later.
    assert any(
        Requirement(r).name == "setuptools" and "77" in str(Requirement(r).specifier)
        for r in build["requires"]
    )
    setuptools = project["tool"]["setuptools"]
    assert setuptools["packages"]["find"]["include"] == ["api*"]
    patterns = setuptools["package-data"]["api"]
    api = ROOT / "api"
    packaged = {p for pattern in patterns for p in api.glob(pattern) if p.is_file()}
    data = {
        p
        for p in api.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert data, "api/ holds templates and data"
    assert data <= packaged, sorted(str(p) for p in data - packaged)
    assert "dependencies" in project["project"]["dynamic"]
    files = setuptools["dynamic"]["dependencies"]["file"]
    lines = [
        line.split("#", 1)[0].strip()
        for name in files
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines()
    ]
    declared = {Requirement(line).name.lower() for line in lines if line}  # plain requirements only
    assert {"apiflask", "matplotlib", "py-staticmaps", "azure-functions"} <= declared


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
        "azd env set",
        "azd provision",
        "azd env set CHARTMAP_FUNCTION_KEY",
        "secrets.token_urlsafe",
        "CHARTMAP_CONTACT_URL",
        "CHARTMAP_SCM_ALLOWED_IP_RANGES",
        "rateLimitPerMinute",
        "perInstanceConcurrency",
        "alwaysReadyInstances",
        "FrontDoorAccessLog",
        "functionTimeout",
    ):
        assert needed in section, needed
    assert "listKeys" not in section  # nothing reads the key any more
    # The figures the section gives are the deployed ones.
    docs = infra_docs()
    main = docs["main.bicep"]["parameters"]
    profile = docs["core/cdn/frontdoor-profile.bicep"]["parameters"]
    for figure in (
        f"default {main['rateLimitPerMinute']['default']})",
        f"`perInstanceConcurrency` is {main['perInstanceConcurrency']['default']}.",
        f"`alwaysReadyInstances` ({main['alwaysReadyInstances']['default']})",
        f"`maximumInstanceCount` ({main['maximumInstanceCount']['default']}, ",
        f"at most {duration_seconds(host_json()['functionTimeout'])} s",
        f"the {profile['originResponseTimeoutSeconds']['default']} s Front Door waits",
        f"a map's tile fetching gets {app_setting(docs, 'CHARTMAP_MAP_TIME_BUDGET')} s",
        f"`CHARTMAP_DEFAULT_PROVIDER={app_setting(docs, 'CHARTMAP_DEFAULT_PROVIDER')}`",
        f"`MPLCONFIGDIR={app_setting(docs, 'MPLCONFIGDIR')}`",
    ):
        assert figure in " ".join(section.split()), figure  # line breaks aside
    assert re.search(r"granian [^\n]*api.wsgi:app", section)
    for name in tile_key_names():
        assert name in section


def test_the_signing_secret_reaches_the_app_only_when_set() -> None:
    text = (INFRA / "app" / "api.bicep").read_text()
    assert "empty(urlSigningSecret) ? {} : {\n    CHARTMAP_URL_SIGNING_SECRET: urlSigningSecret" in text
    docs = infra_docs()
    for path in ("main.bicep", "app/api.bicep"):
        assert "urlSigningSecret" in secure_params(docs[path]), path
    parameters = json.loads((INFRA / "main.parameters.json").read_text())["parameters"]
    assert parameters["urlSigningSecret"]["value"] == "${CHARTMAP_URL_SIGNING_SECRET}"


def test_url_limit_matches_front_doors() -> None:
    # Front Door answers URLs over 8,192 bytes itself; past that the app's 414 never shows.
    assert app_setting(infra_docs(), "CHARTMAP_MAX_URL_LENGTH") == "8192"


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
    WAF_POLICY,
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
