// Azure hosting of the chart & map image API, deployed with the Azure Developer CLI (azd up):
// a Flex Consumption function app behind Azure Front Door Standard, which caches the images
// and adds the function key to every request.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; seeds the names of all resources.')
param environmentName string

@minLength(1)
@description('Region of the resources; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('URL named in the User-Agent of tile requests (CHARTMAP_CONTACT_URL).')
param contactUrl string = 'https://example.org/chartmap'

@secure()
@description('Tile provider keys: environment variable name -> key (CHARTMAP_STADIA_API_KEY, CHARTMAP_JAWG_API_KEY, or the key_env of a provider in CHARTMAP_TILE_PROVIDERS).')
param tileProviderKeys object

@description('Cache-Control max-age of images, seconds (CHARTMAP_CACHE_MAX_AGE).')
param cacheMaxAge int = 86400

@description('Most function app instances: a bound on the bill.')
param maximumInstanceCount int = 40

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-chartmap-${resourceToken}'
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
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    frontDoorId: frontDoorProfile.outputs.frontDoorId
    maximumInstanceCount: maximumInstanceCount
    contactUrl: contactUrl
    cacheMaxAge: cacheMaxAge
    tileProviderKeys: tileProviderKeys
  }
}

module frontDoor 'app/frontdoor.bicep' = {
  name: 'frontDoor'
  scope: rg
  params: {
    profileName: frontDoorProfile.outputs.name
    endpointName: 'chartmap-${resourceToken}'
    functionAppName: api.outputs.name
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
