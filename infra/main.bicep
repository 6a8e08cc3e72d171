// Azure hosting of the chart & map image API, deployed with the Azure Developer CLI (azd up):
// a Flex Consumption function app behind Azure Front Door Standard, which caches the images,
// rate-limits each client and adds the function key to every request.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; seeds the names of all resources.')
param environmentName string

// The regions that offered Flex Consumption when this list was written (Microsoft's azd
// quickstart for Python functions lists the same); `az functionapp
// list-flexconsumption-locations` gives the current list.
@minLength(1)
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@description('Region of the resources; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

// No default: OpenStreetMap's tile usage policy asks every client to say who runs it, and the
// production default provider is OpenStreetMap.
@minLength(1)
@description('Your contact URL (or mailto:), named in the User-Agent of tile requests (CHARTMAP_CONTACT_URL).')
param contactUrl string

@secure()
@description('Tile provider keys: environment variable name -> key (CHARTMAP_STADIA_API_KEY, CHARTMAP_JAWG_API_KEY, or the key_env of a provider in CHARTMAP_TILE_PROVIDERS).')
param tileProviderKeys object

@secure()
@description('Secret for signed URLs (CHARTMAP_URL_SIGNING_SECRET, URL-safe base64): every image request must then carry a valid signature=. Empty: signing off.')
param urlSigningSecret string

@secure()
@minLength(32)
@maxLength(128)
@description('Value of the function app\'s host key "frontdoor", which Front Door adds to every request (CHARTMAP_FUNCTION_KEY).')
param functionKey string

@description('Cache-Control max-age of images, seconds (CHARTMAP_CACHE_MAX_AGE).')
param cacheMaxAge int = 86400

@minValue(40)
@maxValue(1000)
@description('Most function app instances: a bound on the bill.')
param maximumInstanceCount int = 40

@minValue(1)
@maxValue(1000)
@description('Requests one function app instance serves at once.')
param perInstanceConcurrency int = 4

@minValue(0)
@description('Function app instances kept running (and billed) around the clock; 0 scales to zero.')
param alwaysReadyInstances int = 0

@minValue(10)
@description('Requests per minute one client IP address may send through Front Door.')
param rateLimitPerMinute int = 300

// Above CHARTMAP_TILE_MIN_TTL (7 days), so a tile's blob outlives its freshness.
@minValue(8)
@maxValue(3650)
@description('Days after its last write that a tile in the shared blob cache is deleted (a lifecycle rule of the storage account).')
param tileBlobRetentionDays int = 30

@description('Comma-separated CIDR ranges admitted to the deployment (SCM) site, e.g. 203.0.113.7/32; empty: any address (CHARTMAP_SCM_ALLOWED_IP_RANGES).')
param scmAllowedIpRanges string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-chartmap-${resourceToken}'
var scmRanges = empty(scmAllowedIpRanges) ? [] : split(replace(scmAllowedIpRanges, ' ', ''), ',')
var deploymentContainerName = 'app-package-${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-chartmap-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    tileRetentionDays: tileBlobRetentionDays
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-chartmap-${resourceToken}'
    applicationInsightsName: 'appi-chartmap-${resourceToken}'
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    principalId: identity.outputs.principalId
  }
}

module frontDoorProfile 'core/cdn/frontdoor-profile.bicep' = {
  name: 'frontDoorProfile'
  scope: rg
  params: {
    name: 'afd-chartmap-${resourceToken}'
    tags: tags
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  // The identity's roles come first, so the host starts with access to its storage.
  dependsOn: [
    rbac
  ]
  params: {
    name: functionAppName
    planName: 'plan-chartmap-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    tileBlobContainerName: storage.outputs.tileContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    frontDoorId: frontDoorProfile.outputs.frontDoorId
    maximumInstanceCount: maximumInstanceCount
    perInstanceConcurrency: perInstanceConcurrency
    alwaysReadyInstances: alwaysReadyInstances
    contactUrl: contactUrl
    cacheMaxAge: cacheMaxAge
    tileProviderKeys: tileProviderKeys
    urlSigningSecret: urlSigningSecret
    functionKey: functionKey
    scmAllowedIpRanges: scmRanges
  }
}

module frontDoor 'app/frontdoor.bicep' = {
  name: 'frontDoor'
  scope: rg
  params: {
    profileName: frontDoorProfile.outputs.name
    endpointName: 'chartmap-${resourceToken}'
    functionAppName: api.outputs.name
    functionKey: functionKey
    tags: tags
  }
}

module frontDoorWaf 'app/frontdoor-waf.bicep' = {
  name: 'frontDoorWaf'
  scope: rg
  params: {
    name: 'wafchartmap${resourceToken}'
    profileName: frontDoorProfile.outputs.name
    endpointName: frontDoor.outputs.endpointName
    rateLimitPerMinute: rateLimitPerMinute
    tags: tags
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output FRONT_DOOR_PROFILE_NAME string = frontDoorProfile.outputs.name
output FRONT_DOOR_ENDPOINT_NAME string = frontDoor.outputs.endpointName
// The public address: everything goes through Front Door.
output FRONT_DOOR_URL string = 'https://${frontDoor.outputs.endpointHostName}'
// The function app's own address answers 403 to anything not from this Front Door profile.
output FUNCTION_URL string = api.outputs.url
