"""The blob tier of the tile cache in the Bicep: its container in the app's storage account, a
lifecycle rule that bounds it, a role that lets the app's identity write it, and the app
settings that turn it on. Each check returns the problems it finds, and is also run on mutated
copies of the Bicep to show that it finds them (the helpers are tests/test_infra.py's)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from api.settings import Settings
from tests.test_infra import (
    Docs,
    app_setting,
    app_settings,
    dotted,
    evaluate,
    infra_docs,
    mutated,
    passed,
    resources,
)

CONTAINER = "Microsoft.Storage/storageAccounts/blobServices/containers"
POLICY = "Microsoft.Storage/storageAccounts/managementPolicies"
ROLE = "Microsoft.Authorization/roleAssignments"
STORAGE_FILE = "core/storage/storage-account.bicep"
# Roles whose data actions include writing blobs: Storage Blob Data Owner, Storage Blob Data Contributor.
BLOB_WRITERS = {"b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "ba92f5b4-2d11-453d-a403-e96b0029c9fe"}
MIN_TTL_DAYS = Settings().tile_min_ttl / 86_400


def tile_container(docs: Docs) -> tuple[str | None, list[str]]:
    """The tile container's name as deployed, and what is wrong with it: the app is given
    the storage module's container (its output), named as the settings' default."""
    settings, _ = app_settings(docs)
    given = passed(docs, "app/api.bicep", "tileBlobContainerName")
    if (
        settings.get("CHARTMAP_TILE_BLOB_CONTAINER") != "tileBlobContainerName"
        or dotted(given) != "storage.outputs.tileContainerName"
    ):
        return None, ["CHARTMAP_TILE_BLOB_CONTAINER must be the storage module's tile container"]
    output = docs[STORAGE_FILE].get("outputs", {}).get("tileContainerName")
    symbol = (dotted(output["value"]) or "").removesuffix(".name") if output else ""
    resource = docs[STORAGE_FILE].get("resources", {}).get(symbol)
    if resource is None or resource["type"] != CONTAINER or resource["existing"]:
        return None, [f"{STORAGE_FILE}: output tileContainerName names no container it declares"]
    config = resource["config"]
    name = evaluate(docs, STORAGE_FILE, config["name"])
    problems = []
    if name != Settings().tile_blob_container:
        problems.append(f"the tile container is {name!r}, not {Settings().tile_blob_container!r}")
    if config["properties"].get("publicAccess") != "None":
        problems.append(f"{STORAGE_FILE}:{symbol}: the tile container must not be public")
    if dotted(config.get("parent")) != "blobService":
        problems.append(f"{STORAGE_FILE}:{symbol}: the tile container must be in the account's blob service")
    return name, problems


def check_tile_container(docs: Docs) -> list[str]:
    return tile_container(docs)[1]


def check_tile_lifecycle(docs: Docs) -> list[str]:
    """A lifecycle rule deletes the tile container's blobs some days after their last write:
    a main.bicep parameter, longer than the tiles' minimum lifetime."""
    container, problems = tile_container(docs)
    if container is None:
        return problems
    rules: list[tuple[str, dict[str, Any]]] = [
        (path, rule)
        for path, _, config in resources(docs, POLICY)
        if config["name"] == "default" and dotted(config.get("parent")) == "storage"
        for rule in config["properties"]["policy"]["rules"]
    ]
    found = False
    for path, rule in rules:
        definition = rule.get("definition", {})
        prefixes = [evaluate(docs, path, p) for p in definition.get("filters", {}).get("prefixMatch", [])]
        # pycep leaves an interpolation as written: the container's own name parameter.
        named = docs[STORAGE_FILE]["resources"]["tileContainer"]["config"]["name"]
        if not {f"{container}/", "${" + str(named) + "}/"} & set(prefixes):
            continue
        found = True
        where = f"{path}:{rule.get('name')}"
        if rule.get("enabled") is not True or rule.get("type") != "Lifecycle":
            problems.append(f"{where}: must be an enabled Lifecycle rule")
        if "blockBlob" not in definition.get("filters", {}).get("blobTypes", []):
            problems.append(f"{where}: must apply to block blobs (the tiles)")
        delete = definition.get("actions", {}).get("baseBlob", {}).get("delete", {})
        days_expr = delete.get("daysAfterModificationGreaterThan")
        days = evaluate(docs, path, days_expr)
        if not isinstance(days, int) or days <= MIN_TTL_DAYS:
            problems.append(
                f"{where}: delete after {days!r} days: more than the tiles' {MIN_TTL_DAYS:g}-day minimum"
            )
        source = passed(docs, path, days_expr) if isinstance(days_expr, str) else None
        main = docs["main.bicep"]["parameters"].get(source or "")
        if main is None:
            problems.append(f"{where}: the days must be a main.bicep parameter")
        elif evaluate(docs, path, days_expr, {source: 90}) != 90:
            problems.append(f"{where}: the days do not follow main.bicep's {source}")
    if not found:
        problems.append(f"no lifecycle rule bounds the tile container {container!r}")
    return problems


def check_tile_role(docs: Docs) -> list[str]:
    """The identity the app reaches the blob tier with may write blobs in its storage account."""
    problems = []
    writers = []
    for path, symbol, config in resources(docs, ROLE):
        role = config["properties"].get("roleDefinitionId")
        ids = re.findall(r"[0-9a-f-]{36}", str(evaluate(docs, path, role)) + str(role))
        role_ids = {evaluate(docs, path, v) for v in docs[path].get("variables", {})} | set(ids)
        definition = dotted(role) or str(role)
        granted = {g for g in BLOB_WRITERS if g in str(role_ids) or g in definition}
        if granted and config.get("scope") == "storage":
            writers.append((path, symbol, config))
    if not writers:
        return ["no role lets the app's identity write blobs in its storage account"]
    for path, symbol, config in writers:
        principal = dotted(passed(docs, path, config["properties"].get("principalId")))
        if principal != "identity.outputs.principalId":
            problems.append(f"{path}:{symbol}: the role must go to the app's identity, not {principal!r}")
    client = app_setting(docs, "CHARTMAP_TILE_BLOB_CLIENT_ID")
    given = dotted(passed(docs, "app/api.bicep", "identityClientId"))
    if given != "identity.outputs.clientId" or client is None:
        problems.append("CHARTMAP_TILE_BLOB_CLIENT_ID must be the app identity's client ID")
    return problems


def check_tile_settings(docs: Docs) -> list[str]:
    """The blob tier is on in Azure: the account's blob endpoint, with the managed identity,
    never a connection string (shared keys are off)."""
    problems = []
    settings, _ = app_settings(docs)
    url = settings.get("CHARTMAP_TILE_BLOB_ACCOUNT_URL")
    if dotted(url) != "storage.properties.primaryEndpoints.blob":
        problems.append(
            f"CHARTMAP_TILE_BLOB_ACCOUNT_URL must be the storage account's blob endpoint, not {url!r}"
        )
    if "CHARTMAP_TILE_BLOB_CONNECTION_STRING" in settings:
        problems.append("the blob tier must use the managed identity, not a connection string")
    for name in ("CHARTMAP_TILE_BLOB_CONTAINER", "CHARTMAP_TILE_BLOB_CLIENT_ID"):
        if name not in settings:
            problems.append(f"{name} is not set")
    return problems


CHECKS = {
    "tile container": check_tile_container,
    "tile lifecycle": check_tile_lifecycle,
    "tile role": check_tile_role,
    "tile settings": check_tile_settings,
}


@pytest.mark.parametrize("check", CHECKS)
def test_infra_passes_the_tile_tier_check(check: str) -> None:
    assert CHECKS[check](infra_docs()) == []


MUTATIONS = [
    (
        "tile container",
        STORAGE_FILE,
        "  name: tileContainerName\n  properties: {\n    publicAccess: 'None'",
        "  name: tileContainerName\n  properties: {\n    publicAccess: 'Container'",
    ),
    (
        "tile container",
        STORAGE_FILE,
        "param tileContainerName string = 'tiles'",
        "param tileContainerName string = 'other'",
    ),
    (
        "tile container",
        "app/api.bicep",
        "CHARTMAP_TILE_BLOB_CONTAINER: tileBlobContainerName",
        "CHARTMAP_TILE_BLOB_CONTAINER: 'tile-cache'",
    ),
    (
        "tile lifecycle",
        STORAGE_FILE,
        "daysAfterModificationGreaterThan: tileRetentionDays",
        "daysAfterModificationGreaterThan: 30",
    ),
    (
        "tile lifecycle",
        "main.bicep",
        "param tileBlobRetentionDays int = 30",
        "param tileBlobRetentionDays int = 3",
    ),
    (
        "tile lifecycle",
        "main.bicep",
        "    tileRetentionDays: tileBlobRetentionDays\n",
        "    tileRetentionDays: 5\n",
    ),
    ("tile lifecycle", STORAGE_FILE, "'${tileContainerName}/'", "'app-package/'"),
    ("tile lifecycle", STORAGE_FILE, "'${tileContainerName}/'", "'${deploymentContainerName}/'"),
    ("tile lifecycle", STORAGE_FILE, "          enabled: true\n", "          enabled: false\n"),
    ("tile lifecycle", STORAGE_FILE, "                'blockBlob'\n", "                'appendBlob'\n"),
    (
        "tile lifecycle",
        STORAGE_FILE,
        "              baseBlob: {\n                delete: {",
        "              baseBlob: {\n                tierToCool: {",
    ),
    (
        "tile role",
        "app/rbac.bicep",
        "var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'",
        "var storageBlobDataOwner = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'",
    ),
    (
        "tile role",
        "main.bicep",
        "    principalId: identity.outputs.principalId\n",
        "    principalId: identity.outputs.clientId\n",
    ),
    (
        "tile role",
        "app/rbac.bicep",
        "  name: guid(storage.id, principalId, storageBlobDataOwner)\n  scope: storage\n",
        "  name: guid(storage.id, principalId, storageBlobDataOwner)\n  scope: applicationInsights\n",
    ),
    (
        "tile role",
        "main.bicep",
        "    identityClientId: identity.outputs.clientId\n",
        "    identityClientId: 'someone-else'\n",
    ),
    (
        "tile settings",
        "app/api.bicep",
        "CHARTMAP_TILE_BLOB_ACCOUNT_URL: storage.properties.primaryEndpoints.blob",
        "CHARTMAP_TILE_BLOB_ACCOUNT_URL: storage.properties.primaryEndpoints.file",
    ),
    ("tile settings", "app/api.bicep", "  CHARTMAP_TILE_BLOB_CLIENT_ID: identityClientId\n", ""),
    (
        "tile settings",
        "app/api.bicep",
        "  CHARTMAP_TILE_BLOB_CONTAINER: tileBlobContainerName\n",
        "  CHARTMAP_TILE_BLOB_CONTAINER: tileBlobContainerName\n  CHARTMAP_TILE_BLOB_CONNECTION_STRING: 'UseDevelopmentStorage=true'\n",
    ),
]


@pytest.mark.parametrize(("check", "relative", "old", "new"), MUTATIONS)
def test_tile_tier_check_flags_a_mutated_copy(check: str, relative: str, old: str, new: str) -> None:
    assert CHECKS[check](mutated(relative, old, new)) != []


def removed(relative: str, pattern: str) -> Docs:
    from tests.test_infra import INFRA, parse_text

    text = (INFRA / relative).read_text(encoding="utf-8")
    cut, count = re.subn(pattern, "", text, flags=re.DOTALL)
    assert count, f"{pattern!r} not in {relative}"
    return {**infra_docs(), relative: parse_text(cut)}


REMOVALS = [
    ("tile container", STORAGE_FILE, r"resource tileContainer .*?\n}\n"),
    ("tile lifecycle", STORAGE_FILE, r"resource lifecycle .*?\n}\n"),
    ("tile role", "app/rbac.bicep", r"resource blobDataOwner .*?\n}\n"),
]


@pytest.mark.parametrize(("check", "relative", "pattern"), REMOVALS)
def test_tile_tier_check_flags_a_removal(check: str, relative: str, pattern: str) -> None:
    assert CHECKS[check](removed(relative, pattern)) != []
